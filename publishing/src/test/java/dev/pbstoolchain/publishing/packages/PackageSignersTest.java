package dev.pbstoolchain.publishing.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.publishing.rpm.RpmFile;
import dev.pbstoolchain.publishing.signing.OpenPgpSigner;
import dev.pbstoolchain.publishing.signing.Passphrase;
import dev.pbstoolchain.publishing.signing.Signer;
import dev.pbstoolchain.testing.Gpg;
import dev.pbstoolchain.testing.PackageFixtures;
import dev.pbstoolchain.testing.PackageSignatureJudge;
import dev.pbstoolchain.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Package signatures judged by the distributions' verifiers: rpm -K with the key imported in a
 * scratch rpm database, debsig-verify with a policy for the key; and rpmsign's own output as the
 * reference for the bytes.
 */
class PackageSignersTest {

  static final Instant TIME = Instant.parse("2026-11-24T00:00:00Z");

  @TempDir static Path keys;
  static Gpg gpg;
  static String rsa;
  static String ed;
  static Signer rsaSigner;
  static Signer edSigner;
  static Path rpm;
  static Path deb;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    gpg = new Gpg(keys.resolve("gnupg"));
    rsa = gpg.generate("PBS RSA <rsa@example.com>", "rsa3072", "sign", "never", null);
    ed = gpg.generate("PBS Ed <ed@example.com>", "ed25519", "sign", "never", null);
    rsaSigner = signer(rsa);
    edSigner = signer(ed);
    rpm = PackageFixtures.rpm(keys, "pbs-hello", "1.0.0", "1", "x86_64");
    deb = PackageFixtures.deb(keys, "pbs-hello", "1.0.0-1", "amd64");
  }

  private static Signer signer(String fingerprint) throws Exception {
    return OpenPgpSigner.load(
        gpg.exportSecret(fingerprint, null, keys.resolve(fingerprint + ".asc")),
        Passphrase.none("x"),
        TIME,
        Instant.now());
  }

  @AfterAll
  static void stopAgent() {
    gpg.close();
  }

  /** rpm -K in a scratch database that trusts only {@code signer}'s key (none when null). */
  private Sh.Result rpmK(Path file, Signer signer, String name, String... flags) throws Exception {
    Path key =
        signer == null
            ? null
            : Files.writeString(dir.resolve(name + ".asc"), signer.armoredPublicKey());
    return PackageSignatureJudge.rpmkeys(dir.resolve("rpmdb-" + name), key, file, flags);
  }

  @Test
  void rpmKSaysDigestsSignaturesOkForRsaAndEd25519() throws Exception {
    for (Signer signer : new Signer[] {rsaSigner, edSigner}) {
      String name = signer == rsaSigner ? "rsa" : "ed";
      Path signed = dir.resolve(name + ".rpm");
      RpmSigner.sign(rpm, signed, signer, TIME);
      Sh.Result k = rpmK(signed, signer, name, "--checksig");
      assertThat(k.code()).as(k.out()).isZero();
      assertThat(k.out()).isEqualTo(signed + ": digests signatures OK\n");
      Sh.Result verbose = rpmK(signed, signer, name + "-v", "--checksig", "-v");
      String algorithm = signer == rsaSigner ? "RSA" : "EdDSA";
      assertThat(verbose.out())
          .contains("Header V4 " + algorithm + "/SHA512 Signature, key ID")
          .contains("    V4 " + algorithm + "/SHA512 Signature, key ID");
      // The main header and payload kept their place: rpmbuild's reserved space took the
      // signatures.
      assertThat(RpmFile.read(signed).headerStart()).isEqualTo(RpmFile.read(rpm).headerStart());
      // Without the key, rpm cannot vouch for it.
      Sh.Result unknown = rpmK(signed, null, name + "-nokey", "--checksig");
      assertThat(unknown.code()).isNotZero();
      assertThat(unknown.out()).contains("SIGNATURES NOT OK");
    }
  }

  @Test
  void aTamperedPayloadFailsRpmK() throws Exception {
    Path signed = dir.resolve("signed.rpm");
    RpmSigner.sign(rpm, signed, rsaSigner, TIME);
    byte[] bytes = Files.readAllBytes(signed);
    bytes[bytes.length - 10] ^= 1;
    Path tampered = Files.write(dir.resolve("tampered.rpm"), bytes);
    assertThat(rpmK(tampered, rsaSigner, "tampered", "--checksig").failed().out())
        .contains("NOT OK");
  }

  @Test
  void rpmSignaturesAreTheBytesRpmsignWritesAndResigningChangesNothing() throws Exception {
    for (String fingerprint : new String[] {rsa, ed}) {
      Signer signer = fingerprint.equals(rsa) ? rsaSigner : edSigner;
      Path ours = dir.resolve(fingerprint + "-ours.rpm");
      RpmSigner.sign(rpm, ours, signer, TIME);
      Path theirs = Files.copy(rpm, dir.resolve(fingerprint + "-rpmsign.rpm"));
      String faked =
          DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                  .withZone(ZoneOffset.UTC)
                  .format(signer.signatureTime())
              + "!";
      Sh.run(
              null,
              Map.of("GNUPGHOME", gpg.home().toString()),
              "rpmsign",
              "--addsign",
              "--rpmv3",
              "--define",
              "__gpg /usr/bin/gpg",
              "--define",
              "_gpg_name " + fingerprint,
              "--define",
              "_gpg_digest_algo sha512",
              "--define",
              "_gpg_sign_cmd_extra_args --faked-system-time " + faked,
              theirs.toString())
          .ok();
      assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(theirs));
      Path again = dir.resolve(fingerprint + "-again.rpm");
      RpmSigner.sign(ours, again, signer, TIME);
      assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(ours));
    }
  }

  @Test
  void debsigVerifyAcceptsTheOriginSignatureUnderAPolicyForTheKey() throws Exception {
    for (Signer signer : new Signer[] {rsaSigner, edSigner}) {
      String name = signer == rsaSigner ? "rsa" : "ed";
      Path signed = dir.resolve(name + "_1.0.0-1_amd64.deb");
      DebSigner.sign(deb, signed, signer, TIME);
      Path policies = dir.resolve(name + "-policies");
      Path keyrings = dir.resolve(name + "-keyrings");
      policy(policies, keyrings, signer);
      Sh.Result verify = debsigVerify(policies, keyrings, signed);
      assertThat(verify.code()).as(verify.out()).isZero();
      assertThat(verify.out()).contains("Verified package from 'pbs release' (pbs)");
      // The unsigned deb and a tampered one are refused.
      assertThat(debsigVerify(policies, keyrings, deb).code()).isNotZero();
      byte[] bytes = Files.readAllBytes(signed);
      bytes[bytes.length / 2] ^= 1;
      Path tampered = Files.write(dir.resolve(name + "-tampered.deb"), bytes);
      assertThat(debsigVerify(policies, keyrings, tampered).code()).isNotZero();
      // dpkg still reads it; signing again gives the same bytes.
      Sh.run("dpkg-deb", "--info", signed.toString()).ok();
      Path again = dir.resolve(name + "-again.deb");
      DebSigner.sign(signed, again, signer, TIME);
      assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(signed));
    }
  }

  private static Sh.Result debsigVerify(Path policies, Path keyrings, Path file) {
    return PackageSignatureJudge.debsigVerify(policies, keyrings, file);
  }

  /** debsig-verify's policy for the signer's key, naming a keyring that holds it. */
  private static void policy(Path policies, Path keyrings, Signer signer) throws Exception {
    Files.write(
        PackageSignatureJudge.debsigPolicy(policies, keyrings, signer.fingerprint()),
        signer.publicKey());
  }
}
