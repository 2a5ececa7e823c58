package dev.pbstoolchain.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The distributions' verifiers of package signatures, each trusting only the key a test gives it:
 * {@code rpmkeys --checksig} (what {@code rpm -K} runs) with the key imported into a scratch rpm
 * database, and {@code debsig-verify} with a policy for the key (origin "pbs release" (pbs)).
 */
public final class PackageSignatureJudge {

  private PackageSignatureJudge() {}

  /**
   * {@code rpmkeys --dbpath DB FLAGS... FILE} in the scratch database {@code db} (created), which
   * trusts only {@code publicKey} (an armored or binary OpenPGP key; none when null).
   */
  public static Sh.Result rpmkeys(Path db, Path publicKey, Path file, String... flags)
      throws IOException {
    Files.createDirectories(db);
    if (publicKey != null) {
      Sh.run("rpmkeys", "--dbpath", db.toString(), "--import", publicKey.toString()).ok();
    }
    List<String> command = new ArrayList<>(List.of("rpmkeys", "--dbpath", db.toString()));
    command.addAll(List.of(flags));
    command.add(file.toString());
    return Sh.run(command.toArray(String[]::new));
  }

  /**
   * {@code debsig-verify} of {@code file} under the policies and keyrings of {@link #debsigPolicy}.
   */
  public static Sh.Result debsigVerify(Path policies, Path keyrings, Path file) {
    return Sh.run(
        "debsig-verify",
        "--policies-dir",
        policies.toString(),
        "--keyrings-dir",
        keyrings.toString(),
        file.toString());
  }

  /**
   * Writes debsig-verify's policy for the key {@code fingerprint} ({@code policies/KEYID/pbs.pol},
   * KEYID its last 16 hex digits) and returns the keyring it names ({@code
   * keyrings/KEYID/pbs.gpg}), which the caller fills with the binary public key.
   */
  public static Path debsigPolicy(Path policies, Path keyrings, String fingerprint)
      throws IOException {
    String keyId = fingerprint.substring(fingerprint.length() - 16);
    Files.createDirectories(policies.resolve(keyId));
    Files.createDirectories(keyrings.resolve(keyId));
    Files.writeString(
        policies.resolve(keyId).resolve("pbs.pol"),
        String.join(
            "\n",
            "<?xml version=\"1.0\"?>",
            "<!DOCTYPE Policy SYSTEM \"https://www.debian.org/debsig/1.0/policy.dtd\">",
            "<Policy xmlns=\"https://www.debian.org/debsig/1.0/\">",
            "  <Origin Name=\"pbs\" id=\"" + keyId + "\" Description=\"pbs release\"/>",
            "  <Selection><Required Type=\"origin\" File=\"pbs.gpg\" id=\"" + keyId + "\"/>",
            "  </Selection>",
            "  <Verification MinOptional=\"0\">",
            "    <Required Type=\"origin\" File=\"pbs.gpg\" id=\"" + keyId + "\"/>",
            "  </Verification>",
            "</Policy>",
            ""));
    return keyrings.resolve(keyId).resolve("pbs.gpg");
  }
}
