package dev.pbstoolchain.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private GnuPG home for tests: makes keys the way release engineers do (gpg --quick-gen-key),
 * exports them, and judges signatures with gpg itself. Close it to stop its gpg-agent.
 */
public final class Gpg implements AutoCloseable {

  /** The passphrase of the protected test keys. */
  public static final String PASSPHRASE = "correct horse battery staple";

  private final Path home;

  public Gpg(Path home) throws IOException {
    this.home = home;
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
  }

  public Path home() {
    return home;
  }

  /** Runs gpg in this home in batch mode; fails the test on a non-zero exit. */
  public String run(String... args) {
    return result(null, args).ok().out();
  }

  public Sh.Result result(byte[] input, String... args) {
    List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--no-tty"));
    command.addAll(List.of(args));
    return Sh.run(
        null, Map.of("GNUPGHOME", home.toString()), input, command.toArray(String[]::new));
  }

  /**
   * Generates a key and returns its fingerprint.
   *
   * @param passphrase null for an unprotected key
   * @param extra more arguments before the user ID (e.g. --faked-system-time)
   */
  public String generate(
      String userId,
      String algorithm,
      String usage,
      String expire,
      String passphrase,
      String... extra) {
    List<String> args = new ArrayList<>(List.of(extra));
    args.addAll(
        List.of(
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase == null ? "" : passphrase,
            "--quick-gen-key",
            userId,
            algorithm,
            usage,
            expire));
    run(args.toArray(String[]::new));
    return fingerprint(userId);
  }

  /**
   * Generates an unprotected Ed25519 signing key made on 2020-01-01 that expired a year later (on
   * 2020-12-31) and returns its fingerprint.
   */
  public String generateExpired(String userId) {
    return generate(
        userId, "ed25519", "sign", "1y", null, "--faked-system-time", "20200101T000000!");
  }

  /** The fingerprint of the primary key named by {@code userId}. */
  public String fingerprint(String userId) {
    for (String line : run("--with-colons", "--list-keys", userId).split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new AssertionError("no key " + userId);
  }

  /** {@code gpg --armor --export-secret-keys} into {@code file}. */
  public Path exportSecret(String fingerprint, String passphrase, Path file) throws IOException {
    String armored =
        run(
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase == null ? "" : passphrase,
            "--armor",
            "--export-secret-keys",
            fingerprint);
    Files.writeString(file, armored, StandardCharsets.US_ASCII);
    return file;
  }

  /** Revokes the key with the revocation certificate gpg stored when it made the key. */
  public void revoke(String fingerprint) throws IOException {
    Path certificate = home.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev");
    // gpg stores the certificate with a ':' before the armor so it is not imported by accident.
    String text = Files.readString(certificate).replace(":-----BEGIN", "-----BEGIN");
    Path armored = home.resolve(fingerprint + ".revoke.asc");
    Files.writeString(armored, text);
    run("--import", armored.toString());
  }

  /** Imports a key or certificate file. */
  public void importKey(Path file) {
    run("--import", file.toString());
  }

  @Override
  public void close() {
    Sh.run(null, Map.of("GNUPGHOME", home.toString()), "gpgconf", "--kill", "all");
  }
}
