package dev.pbstoolchain.publishing.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.testing.Gpg;
import dev.pbstoolchain.testing.Sh;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing through the user's gpg gives what the pure-Java signer gives, and gpg verifies it. */
class GpgSignerTest {

  static final Instant TIMESTAMP = Instant.parse("2026-11-24T00:00:00Z");

  @TempDir static Path dir;
  static Gpg gpg;
  static String rsa;
  static String locked;

  @BeforeAll
  static void keys() throws Exception {
    gpg = new Gpg(dir.resolve("gnupg"));
    rsa = gpg.generate("Agent RSA <agent@example.com>", "rsa2048", "sign", "never", null);
    locked = gpg.generate("Locked <locked@example.com>", "ed25519", "sign", "never", "pw");
  }

  @AfterAll
  static void stopAgent() {
    gpg.close();
  }

  @Test
  void gpgSignaturesAreTheKeyFileSignersBytes() throws Exception {
    GpgSigner viaGpg = GpgSigner.open("gpg", gpg.home(), rsa, TIMESTAMP, Instant.now());
    OpenPgpSigner viaFile =
        OpenPgpSigner.load(
            gpg.exportSecret(rsa, null, dir.resolve("rsa.asc")),
            Passphrase.none("x"),
            TIMESTAMP,
            Instant.now());
    byte[] data = "a SHA256SUMS line\n".getBytes(StandardCharsets.UTF_8);
    assertThat(viaGpg.sign(new ByteArrayInputStream(data), SignatureMode.BINARY))
        .isEqualTo(viaFile.sign(new ByteArrayInputStream(data), SignatureMode.BINARY));
    String text = "Origin: x\n-dashed\ntrailing  \n";
    assertThat(viaGpg.clearSign(text)).isEqualTo(viaFile.clearSign(text));
    assertThat(viaGpg.publicKey()).isEqualTo(viaFile.publicKey());
    assertThat(viaGpg.fingerprint()).isEqualTo(rsa);
    assertThat(viaGpg.keyAlgorithm()).isEqualTo(viaFile.keyAlgorithm()).isEqualTo(1);
    assertThat(viaGpg.userId()).isEqualTo("Agent RSA <agent@example.com>");
    Path inRelease = dir.resolve("InRelease");
    Files.writeString(inRelease, viaGpg.clearSign(text));
    Sh.Result verify = gpg.result(null, "--verify", inRelease.toString());
    assertThat(verify.code()).as(verify.out()).isZero();
  }

  @Test
  void aKeyGpgCannotUnlockStopsBeforeSigning() {
    assertThatThrownBy(() -> GpgSigner.open("gpg", gpg.home(), locked, TIMESTAMP, Instant.now()))
        .hasMessageStartingWith(
            "gpg cannot sign with its key " + locked + " (Locked <locked@example.com>): gpg ")
        .hasMessageEndingWith(
            "A key with a passphrase needs gpg-agent to ask for it (a terminal or desktop"
                + " pinentry) or to have it cached (gpg-preset-passphrase); in CI, sign with a key"
                + " file instead.");
  }

  @Test
  void unknownAndAmbiguousNamesAreRefused() {
    assertThatThrownBy(
            () -> GpgSigner.open("gpg", gpg.home(), "nobody@example.com", TIMESTAMP, Instant.now()))
        .hasMessage(
            "gpg has no secret key named 'nobody@example.com' (gpg --list-secret-keys shows the"
                + " keys it has; import the release key with gpg --import).");
    assertThatThrownBy(
            () -> GpgSigner.open("gpg", gpg.home(), "example.com", TIMESTAMP, Instant.now()))
        .hasMessage(
            "'example.com' names 2 of gpg's secret keys; give the release key's fingerprint.");
  }

  @Test
  void expiredKeysAreRefused() throws Exception {
    try (Gpg home = new Gpg(dir.resolve("gnupg-expired"))) {
      String fpr = home.generateExpired("Old <old@example.com>");
      assertThatThrownBy(() -> GpgSigner.open("gpg", home.home(), fpr, TIMESTAMP, Instant.now()))
          .hasMessage(
              "gpg's key "
                  + fpr
                  + " (Old <old@example.com>) has expired: extend it (gpg --quick-set-expire "
                  + fpr
                  + " 2y) and republish KEY.asc, or use another key.");
    }
  }
}
