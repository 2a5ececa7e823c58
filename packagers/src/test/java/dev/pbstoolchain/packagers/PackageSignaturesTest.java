package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.packagers.format.Format;
import dev.pbstoolchain.packagers.format.Packager;
import dev.pbstoolchain.packagers.format.PackagingRequest;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.testing.PackageSignatureJudge;
import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages signed while they are written, judged by the distributions' verifiers: rpmkeys
 * --checksig with only the key imported into a scratch rpm database, debsig-verify with a policy
 * for the key. The signer is gpg itself (packagers has no OpenPGP code), with RSA and Ed25519 keys
 * made for the test.
 */
class PackageSignaturesTest {

  /** The keys are older than the release: verifiers refuse a signature older than its key. */
  static final long KEY_TIME = 1_600_000_000L;

  @TempDir static Path keys;
  static GpgSigner rsa;
  static GpgSigner ed;
  static Layout layout;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    rsa = GpgSigner.generate(keys.resolve("rsa"), "rsa3072", PackageSigner.RSA);
    ed = GpgSigner.generate(keys.resolve("ed"), "ed25519", PackageSigner.EDDSA);
    Path source = GoldenArtifactsTest.tree(keys.resolve("src"));
    layout =
        ReleaseLayouts.linuxPackage(
            GoldenArtifactsTest.APP,
            source.resolve(GoldenArtifactsTest.APP),
            source.resolve("python"),
            GoldenArtifactsTest.extras(source));
  }

  @AfterAll
  static void stopAgents() {
    for (GpgSigner signer : new GpgSigner[] {rsa, ed}) {
      if (signer != null) {
        Sh.run("gpgconf", "--homedir", signer.home().toString(), "--kill", "gpg-agent");
      }
    }
  }

  @Test
  void rpmkeysSaysDigestsSignaturesOkForRsaAndEd25519() throws Exception {
    Path unsigned = write(Format.RPM, null, "unsigned.rpm");
    for (GpgSigner signer : new GpgSigner[] {rsa, ed}) {
      Path signed = write(Format.RPM, signer, signer.name() + ".rpm");
      Sh.Result k = rpmkeys(signed, signer, "--checksig");
      assertThat(k.code()).as(k.out()).isZero();
      assertThat(k.out()).isEqualTo(signed + ": digests signatures OK\n");
      String algorithm = signer == rsa ? "RSA" : "EdDSA";
      assertThat(rpmkeys(signed, signer, "--checksig", "-v").out())
          .contains("Header V4 " + algorithm + "/SHA512 Signature, key ID")
          .contains("    V4 " + algorithm + "/SHA512 Signature, key ID");
      // The signatures took the reserved space: the main header and payload are where and what
      // they are unsigned.
      byte[] a = Files.readAllBytes(unsigned);
      byte[] b = Files.readAllBytes(signed);
      assertThat(b).hasSameSizeAs(a);
      int mainHeader = 96 + 4096 + 256;
      assertThat(Arrays.copyOfRange(b, mainHeader, b.length))
          .isEqualTo(Arrays.copyOfRange(a, mainHeader, a.length));
      // Without the key rpm cannot vouch for it; the unsigned one has no signature at all.
      Sh.Result noKey = rpmkeys(signed, null, "--checksig");
      assertThat(noKey.code()).isNotZero();
      assertThat(noKey.out()).contains("SIGNATURES NOT OK");
      assertThat(rpmkeys(unsigned, signer, "--checksig").out()).endsWith(": digests OK\n");
      // Same inputs, same signed bytes.
      assertThat(Files.readAllBytes(write(Format.RPM, signer, signer.name() + "-again.rpm")))
          .isEqualTo(b);
    }
  }

  @Test
  void aTamperedSignedRpmFailsRpmkeys() throws Exception {
    Path signed = write(Format.RPM, rsa, "signed.rpm");
    byte[] bytes = Files.readAllBytes(signed);
    bytes[bytes.length - 10] ^= 1;
    Path tampered = Files.write(dir.resolve("tampered.rpm"), bytes);
    Sh.Result k = rpmkeys(tampered, rsa, "--checksig");
    assertThat(k.code()).as(k.out()).isNotZero();
    assertThat(k.out()).contains("NOT OK");
  }

  @Test
  void debsigVerifyAcceptsTheOriginSignatureUnderAPolicyForTheKey() throws Exception {
    Path unsigned = write(Format.DEB, null, "unsigned.deb");
    for (GpgSigner signer : new GpgSigner[] {rsa, ed}) {
      Path signed = write(Format.DEB, signer, signer.name() + ".deb");
      Path policies = dir.resolve(signer.name() + "-policies");
      Path keyrings = dir.resolve(signer.name() + "-keyrings");
      signer.debsigPolicy(policies, keyrings);
      Sh.Result verify = debsigVerify(policies, keyrings, signed);
      assertThat(verify.code()).as(verify.out()).isZero();
      assertThat(verify.out()).contains("Verified package from 'pbs release' (pbs)");
      assertThat(Sh.run("ar", "t", signed.toString()).ok().out())
          .isEqualTo("debian-binary\ncontrol.tar.gz\ndata.tar.gz\n_gpgorigin\n");
      // dpkg reads it as before; the unsigned and a tampered deb are refused.
      assertThat(Sh.run("dpkg-deb", "--contents", signed.toString()).ok().out())
          .isEqualTo(Sh.run("dpkg-deb", "--contents", unsigned.toString()).ok().out());
      assertThat(debsigVerify(policies, keyrings, unsigned).code()).isNotZero();
      byte[] bytes = Files.readAllBytes(signed);
      bytes[bytes.length / 2] ^= 1;
      Path tampered = Files.write(dir.resolve(signer.name() + "-tampered.deb"), bytes);
      assertThat(debsigVerify(policies, keyrings, tampered).code()).isNotZero();
      assertThat(Files.readAllBytes(write(Format.DEB, signer, signer.name() + "-again.deb")))
          .isEqualTo(Files.readAllBytes(signed));
    }
  }

  @Test
  void aKeyRpmHasNoSignatureTagForIsRefusedNamingIt() {
    PackageSigner elgamal =
        new PackageSigner() {
          @Override
          public byte[] sign(InputStream data) {
            return new byte[0];
          }

          @Override
          public int keyAlgorithm() {
            return 16;
          }
        };
    assertThatThrownBy(() -> write(Format.RPM, elgamal, "elgamal.rpm"))
        .hasMessage("rpm has no signature tag for OpenPGP key algorithm 16");
    assertThat(dir.resolve("elgamal.rpm")).doesNotExist();
  }

  private Path write(Format format, PackageSigner signer, String name) throws PackagingException {
    Path output = dir.resolve(name);
    PackagingRequest.Builder request =
        PackagingRequest.builder(GoldenArtifactsTest.info())
            .rpmOwnedDirectories(
                ReleaseLayouts.rpmOwnedDirectories(
                    GoldenArtifactsTest.APP, GoldenArtifactsTest.extras(keys.resolve("src"))))
            .artifact(format, layout, output);
    if (signer != null) {
      request.signer(signer);
    }
    Packager.writeAll(request.build());
    return output;
  }

  /** rpmkeys in a scratch database that trusts only {@code signer}'s key (none when null). */
  private Sh.Result rpmkeys(Path file, GpgSigner signer, String... flags) throws IOException {
    return PackageSignatureJudge.rpmkeys(
        Files.createTempDirectory(dir, "rpmdb"),
        signer == null ? null : signer.publicKey(),
        file,
        flags);
  }

  private static Sh.Result debsigVerify(Path policies, Path keyrings, Path file) {
    return PackageSignatureJudge.debsigVerify(policies, keyrings, file);
  }

  /** Signs with gpg at the release's time (frozen), so a signature is the same every run. */
  record GpgSigner(Path home, String name, String fingerprint, int keyAlgorithm)
      implements PackageSigner {

    static GpgSigner generate(Path home, String algorithm, int keyAlgorithm) throws IOException {
      Files.createDirectories(home);
      Files.setPosixFilePermissions(
          home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      gpg(
          home,
          KEY_TIME,
          "--passphrase",
          "",
          "--quick-gen-key",
          "PBS " + algorithm + " <" + algorithm + "@example.com>",
          algorithm,
          "sign",
          "never");
      String fingerprint =
          gpg(home, KEY_TIME, "--with-colons", "--list-secret-keys")
              .lines()
              .filter(l -> l.startsWith("fpr:"))
              .findFirst()
              .orElseThrow()
              .split(":")[9];
      gpg(home, KEY_TIME, "--export", "--armor", "--output", "pub.asc", fingerprint);
      return new GpgSigner(home, home.getFileName().toString(), fingerprint, keyAlgorithm);
    }

    @Override
    public byte[] sign(InputStream data) throws IOException {
      Path in = Files.createTempFile(home, "data", ".bin");
      Path out = home.resolve(in.getFileName() + ".sig");
      try {
        try (data) {
          Files.copy(data, in, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        gpg(
            home,
            GoldenArtifactsTest.EPOCH,
            "--local-user",
            fingerprint,
            "--digest-algo",
            "SHA512",
            "--output",
            out.toString(),
            "--detach-sign",
            in.toString());
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(in);
        Files.deleteIfExists(out);
      }
    }

    Path publicKey() {
      return home.resolve("pub.asc");
    }

    /** debsig-verify's policy for this key, naming a keyring that holds it. */
    void debsigPolicy(Path policies, Path keyrings) throws IOException {
      Path keyring = PackageSignatureJudge.debsigPolicy(policies, keyrings, fingerprint);
      gpg(home, KEY_TIME, "--export", "--output", keyring.toString(), fingerprint);
    }

    private static String gpg(Path home, long time, String... args) {
      String[] command = new String[7 + args.length];
      command[0] = "gpg";
      command[1] = "--homedir";
      command[2] = home.toString();
      command[3] = "--batch";
      command[4] = "--pinentry-mode=loopback";
      command[5] = "--faked-system-time";
      command[6] = time + "!";
      System.arraycopy(args, 0, command, 7, args.length);
      return Sh.run(home, Map.of(), command).ok().out();
    }
  }
}
