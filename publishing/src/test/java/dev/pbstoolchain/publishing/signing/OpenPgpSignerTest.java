package dev.pbstoolchain.publishing.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.testing.Gpg;
import dev.pbstoolchain.testing.Sh;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures judged by gpg: verified with only the exported KEY.asc, identical bytes on rebuild.
 */
class OpenPgpSignerTest {

  static final Instant OUTPUT_TIMESTAMP = Instant.parse("2026-11-24T00:00:00Z");
  static final Instant NOW = Instant.now();

  @TempDir static Path dir;
  static Gpg gpg;
  static String rsa;
  static String ed;
  static Path rsaKey;
  static Path edKey;

  @BeforeAll
  static void keys() throws IOException {
    gpg = new Gpg(dir.resolve("gnupg"));
    rsa = gpg.generate("PBS RSA <rsa@example.com>", "rsa3072", "sign", "never", Gpg.PASSPHRASE);
    ed = gpg.generate("PBS Ed <ed@example.com>", "ed25519", "sign", "never", null);
    rsaKey = gpg.exportSecret(rsa, Gpg.PASSPHRASE, dir.resolve("rsa.asc"));
    edKey = gpg.exportSecret(ed, null, dir.resolve("ed.asc"));
  }

  @AfterAll
  static void stopAgent() {
    gpg.close();
  }

  static OpenPgpSigner rsaSigner() throws PublishingException {
    return OpenPgpSigner.load(
        rsaKey, Passphrase.of(Gpg.PASSPHRASE.toCharArray(), "the test"), OUTPUT_TIMESTAMP, NOW);
  }

  static OpenPgpSigner edSigner() throws PublishingException {
    return OpenPgpSigner.load(edKey, Passphrase.none("the test"), OUTPUT_TIMESTAMP, NOW);
  }

  /** Loads a key file that has no passphrase, as the signers above are loaded. */
  static OpenPgpSigner load(Path key) throws PublishingException {
    return OpenPgpSigner.load(key, Passphrase.none("x"), OUTPUT_TIMESTAMP, NOW);
  }

  /** A GnuPG home that knows only the public key the signer exports (what users get). */
  private static Gpg verifier(Signer signer, String name) throws IOException {
    Gpg verifier = new Gpg(dir.resolve("verify-" + name));
    Path key = dir.resolve(name + "-KEY.asc");
    Files.writeString(key, signer.armoredPublicKey());
    verifier.importKey(key);
    return verifier;
  }

  @Test
  void detachedSignaturesVerifyWithGpgForRsaAndEd25519() throws Exception {
    byte[] data = "abc  SHA256SUMS\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("SHA256SUMS");
    Files.write(file, data);
    for (OpenPgpSigner signer : new OpenPgpSigner[] {rsaSigner(), edSigner()}) {
      String name = signer.userId().contains("RSA") ? "rsa" : "ed";
      Path asc = dir.resolve("SHA256SUMS." + name + ".asc");
      Files.writeString(asc, signer.armoredSignature(new ByteArrayInputStream(data)));
      try (Gpg verifier = verifier(signer, name)) {
        Sh.Result result =
            verifier.result(null, "--status-fd", "1", "--verify", asc.toString(), file.toString());
        assertThat(result.code()).as(result.out()).isZero();
        assertThat(result.out()).contains("[GNUPG:] VALIDSIG " + signer.fingerprint());
        // Tampered data fails.
        Files.write(dir.resolve("tampered"), (new String(data) + "x").getBytes());
        assertThat(
                verifier
                    .result(null, "--verify", asc.toString(), dir.resolve("tampered").toString())
                    .code())
            .isNotZero();
      }
    }
  }

  @Test
  void detachedSignatureFileIsWrittenBesideTheFileAndVerifiesWithGpg() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "release notes\n");
    OpenPgpSigner signer = edSigner();
    Path asc = DetachedSignature.write(file, signer, OUTPUT_TIMESTAMP);
    assertThat(asc).isEqualTo(dir.resolve("notes.txt.asc"));
    assertThat(Files.getLastModifiedTime(asc).toInstant()).isEqualTo(OUTPUT_TIMESTAMP);
    try (Gpg verifier = verifier(signer, "detached")) {
      Sh.Result result =
          verifier.result(null, "--status-fd", "1", "--verify", asc.toString(), file.toString());
      assertThat(result.ok().out()).contains("[GNUPG:] VALIDSIG " + signer.fingerprint());
    }
    Path missing = dir.resolve("missing.txt");
    assertThatThrownBy(() -> DetachedSignature.write(missing, signer, null))
        .isInstanceOf(PublishingException.class)
        .hasMessage("Cannot sign " + missing + ": " + missing);
    assertThat(dir.resolve("missing.txt.asc")).doesNotExist();
  }

  @Test
  void rsaSignatureIsByteForByteWhatGpgWritesAtTheSameTime() throws Exception {
    byte[] data = "reproducible\n".getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("same");
    Files.write(file, data);
    OpenPgpSigner signer = rsaSigner();
    byte[] ours = signer.sign(new ByteArrayInputStream(data), SignatureMode.BINARY);
    // The key is newer than the outputTimestamp: both sign at the key's creation time.
    String faked =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                .withZone(java.time.ZoneOffset.UTC)
                .format(signer.signatureTime())
            + "!";
    Path gpgSig = dir.resolve("same.sig");
    gpg.run(
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        Gpg.PASSPHRASE,
        "--faked-system-time",
        faked,
        "--digest-algo",
        "SHA512",
        "--local-user",
        rsa + "!",
        "--output",
        gpgSig.toString(),
        "--detach-sign",
        file.toString());
    assertThat(ours).isEqualTo(Files.readAllBytes(gpgSig));
    // And a second load of the key gives the same bytes again (Ed25519 is deterministic too).
    assertThat(rsaSigner().sign(new ByteArrayInputStream(data), SignatureMode.BINARY))
        .isEqualTo(ours);
    assertThat(rsaSigner().keyAlgorithm()).isEqualTo(1); // RSA
    assertThat(edSigner().keyAlgorithm()).isEqualTo(22); // EdDSA (legacy, as gpg 2.2 makes it)
    assertThat(edSigner().sign(new ByteArrayInputStream(data), SignatureMode.BINARY))
        .isEqualTo(edSigner().sign(new ByteArrayInputStream(data), SignatureMode.BINARY));
  }

  @Test
  void signatureTimeIsTheOutputTimestampWhenTheKeyIsOlder() throws Exception {
    Instant later = NOW.plusSeconds(3600);
    OpenPgpSigner signer = OpenPgpSigner.load(edKey, Passphrase.none("x"), later, NOW);
    assertThat(signer.signatureTime())
        .isEqualTo(later.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(edSigner().signatureTime()).isAfter(OUTPUT_TIMESTAMP);
  }

  @Test
  void clearSignedTextVerifiesWithGpgAndKeepsTheText() throws Exception {
    String text =
        "Origin: pbs\nLabel: pbs\n-dash line\nSuite: stable  \n\tindented\nFrom the start\n"
            + " 0123 1 main/binary-amd64/Packages\n";
    for (OpenPgpSigner signer : new OpenPgpSigner[] {rsaSigner(), edSigner()}) {
      String name = signer.userId().contains("RSA") ? "rsa-clear" : "ed-clear";
      String signed = signer.clearSign(text);
      assertThat(signed).startsWith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n");
      assertThat(signed).contains("\n- -dash line\n");
      Path file = dir.resolve(name + ".InRelease");
      Files.writeString(file, signed);
      try (Gpg verifier = verifier(signer, name)) {
        Sh.Result result = verifier.result(null, "--status-fd", "1", "--verify", file.toString());
        assertThat(result.code()).as(result.out()).isZero();
        assertThat(result.out()).contains("VALIDSIG " + signer.fingerprint());
        Path out = dir.resolve(name + ".out");
        verifier.run("--output", out.toString(), "--decrypt", file.toString());
        // gpg gives back the text; the cleartext framework drops trailing blanks.
        assertThat(Files.readString(out)).isEqualTo(text.replace("stable  \n", "stable\n"));
      }
    }
  }

  @Test
  void aWrongPassphraseIsRefusedNamingItsSourceAndTheKey() {
    assertThatThrownBy(
            () ->
                OpenPgpSigner.load(
                    rsaKey,
                    Passphrase.of("hunter2".toCharArray(), "the environment variable X"),
                    OUTPUT_TIMESTAMP,
                    NOW))
        .isInstanceOf(PublishingException.class)
        .hasMessage(
            "The passphrase from the environment variable X does not unlock the key "
                + rsa
                + " (PBS RSA <rsa@example.com>) in "
                + rsaKey
                + ". Check that it is this key's passphrase.")
        .satisfies(e -> assertThat(e.toString()).doesNotContain("hunter2"));
  }

  @Test
  void aProtectedKeyWithoutPassphraseSaysWhereToGiveIt() {
    assertThatThrownBy(
            () ->
                OpenPgpSigner.load(
                    rsaKey,
                    Passphrase.none("the environment variable PBS_SIGNING_PASSPHRASE"),
                    OUTPUT_TIMESTAMP,
                    NOW))
        .hasMessage(
            "The key "
                + rsa
                + " (PBS RSA <rsa@example.com>) in "
                + rsaKey
                + " is protected by a passphrase, and none was given: set the environment"
                + " variable PBS_SIGNING_PASSPHRASE.");
  }

  @Test
  void expiredKeysAreRefused() throws Exception {
    try (Gpg old = new Gpg(dir.resolve("gnupg-expired"))) {
      String fpr = old.generateExpired("Old <old@example.com>");
      Path key = old.exportSecret(fpr, null, dir.resolve("expired.asc"));
      assertThatThrownBy(() -> load(key))
          .hasMessage(
              "The key "
                  + fpr
                  + " (Old <old@example.com>) in "
                  + key
                  + " expired on 2020-12-31T00:00:00Z: apt, rpm and dnf refuse its signatures."
                  + " Extend it (gpg --quick-set-expire "
                  + fpr
                  + " 2y), export it again and republish KEY.asc, or use another key.");
    }
  }

  @Test
  void revokedKeysAreRefused() throws Exception {
    try (Gpg home = new Gpg(dir.resolve("gnupg-revoked"))) {
      String fpr = home.generate("Gone <gone@example.com>", "ed25519", "sign", "never", null);
      home.revoke(fpr);
      Path key = home.exportSecret(fpr, null, dir.resolve("revoked.asc"));
      assertThatThrownBy(() -> load(key))
          .hasMessage(
              "The key "
                  + fpr
                  + " (Gone <gone@example.com>) in "
                  + key
                  + " is revoked: its signatures would be refused. Sign with a key that is not"
                  + " revoked and publish its KEY.asc to your users.");
    }
  }

  @Test
  void aSigningSubkeySignsAndTheCertificateNamesThePrimary() throws Exception {
    try (Gpg home = new Gpg(dir.resolve("gnupg-subkey"))) {
      String fpr = home.generate("Sub <sub@example.com>", "ed25519", "cert", "never", null);
      home.run("--passphrase", "", "--quick-add-key", fpr, "ed25519", "sign", "never");
      Path key = home.exportSecret(fpr, null, dir.resolve("subkey.asc"));
      OpenPgpSigner signer = load(key);
      assertThat(signer.fingerprint()).isEqualTo(fpr);
      byte[] data = "sub".getBytes(StandardCharsets.UTF_8);
      Path file = dir.resolve("sub");
      Files.write(file, data);
      Files.writeString(
          dir.resolve("sub.asc"), signer.armoredSignature(new ByteArrayInputStream(data)));
      try (Gpg verifier = verifier(signer, "sub")) {
        Sh.Result result =
            verifier.result(
                null,
                "--status-fd",
                "1",
                "--verify",
                dir.resolve("sub.asc").toString(),
                file.toString());
        assertThat(result.code()).as(result.out()).isZero();
        // VALIDSIG <signing subkey> ... <primary>: signed by the subkey, certified by the primary.
        assertThat(result.out()).containsPattern("VALIDSIG [0-9A-F]{40} .* " + fpr);
        assertThat(result.out()).doesNotContain("VALIDSIG " + fpr);
      }
      // The usual offline-primary export: the primary's secret stays home, the subkey signs.
      Path subkeysOnly = dir.resolve("subkeys-only.asc");
      home.run("--armor", "--output", subkeysOnly.toString(), "--export-secret-subkeys", fpr);
      assertThat(load(subkeysOnly).sign(new ByteArrayInputStream(data), SignatureMode.BINARY))
          .isEqualTo(signer.sign(new ByteArrayInputStream(data), SignatureMode.BINARY));
      // The primary alone can only certify: nothing in the file can sign.
      Path primaryOnly = dir.resolve("primary-only.asc");
      home.run("--armor", "--output", primaryOnly.toString(), "--export-secret-keys", fpr + "!");
      assertThatThrownBy(() -> load(primaryOnly))
          .hasMessage(
              "The key "
                  + fpr
                  + " (Sub <sub@example.com>) in "
                  + primaryOnly
                  + " has no key that can sign: primary key "
                  + fpr
                  + " is not marked for signing. Export a key with a usable signing key (gpg"
                  + " --armor --export-secret-keys FINGERPRINT).");
    }
  }

  @Test
  void keysWhoseSignaturesCannotBeReproducedOrCheckedAreRefused() throws Exception {
    try (Gpg home = new Gpg(dir.resolve("gnupg-weak"))) {
      String dsa = home.generate("Dsa <dsa@example.com>", "dsa2048", "sign", "never", null);
      Path dsaKey = home.exportSecret(dsa, null, dir.resolve("dsa.asc"));
      assertThatThrownBy(() -> load(dsaKey))
          .hasMessageContaining(
              "uses DSA, whose signatures take a random number, so rebuilt releases would differ;"
                  + " use an RSA or Ed25519 key");
      String small = home.generate("Small <small@example.com>", "rsa1024", "sign", "never", null);
      Path smallKey = home.exportSecret(small, null, dir.resolve("small.asc"));
      assertThatThrownBy(() -> load(smallKey))
          .hasMessageContaining("is RSA 1024: apt warns about (and newer apt refuses) RSA keys");
    }
  }

  @Test
  void filesThatAreNotOneSecretKeyAreRefusedWithTheCommandThatExportsOne() throws Exception {
    Path pub = dir.resolve("public.asc");
    Files.writeString(pub, gpg.run("--armor", "--export", ed));
    assertThatThrownBy(() -> load(pub))
        .hasMessage(
            "The signing key file "
                + pub
                + " holds a public key only; signing needs the secret key: gpg --armor"
                + " --export-secret-keys FINGERPRINT > public.asc.");
    Path both = dir.resolve("both.asc");
    Files.writeString(
        both,
        gpg.run(
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            Gpg.PASSPHRASE,
            "--armor",
            "--export-secret-keys",
            ed,
            rsa));
    assertThatThrownBy(() -> load(both)).hasMessageContaining(" holds 2 keys (");
    Path missing = dir.resolve("missing.asc");
    assertThatThrownBy(() -> load(missing))
        .hasMessage(
            "The signing key file "
                + missing
                + " does not exist. Export the key with gpg --armor --export-secret-keys"
                + " FINGERPRINT > missing.asc.");
    Path garbage = dir.resolve("garbage.asc");
    Files.writeString(garbage, "not a key\n");
    assertThatThrownBy(() -> load(garbage))
        .hasMessageStartingWith("The signing key file " + garbage + " ");
  }

  @Test
  void toStringNamesTheKeyOnly() throws Exception {
    OpenPgpSigner signer = rsaSigner();
    assertThat(signer.toString())
        .startsWith("OpenPgpSigner[" + rsa + " (PBS RSA <rsa@example.com>), signs at ")
        .doesNotContain(Gpg.PASSPHRASE);
    Passphrase p = Passphrase.of(Gpg.PASSPHRASE.toCharArray(), "settings.xml");
    assertThat(p.toString()).isEqualTo("passphrase from settings.xml (hidden)");
  }
}
