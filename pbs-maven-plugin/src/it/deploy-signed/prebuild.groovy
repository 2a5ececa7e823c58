// Publishes the x86_64 Linux PBS build on a loopback server, links a program against the host's
// libpython, and makes a throwaway signing key in a temp GNUPGHOME (short path: gpg-agent's socket
// lives there) that maven-gpg-plugin uses through .mvn/maven.config.
import java.nio.file.Files

corruptSums = false
evaluate(new File(basedir, "../../../src/it/common/publish.groovy"))
def nativeDir = new File(basedir, "target/native"); nativeDir.mkdirs()
def source = new File(nativeDir, "app.c")
source.text = '#include <stdio.h>\nconst char *Py_GetVersion(void);\nint main(void) { puts(Py_GetVersion()); return 0; }\n'
def run = evaluate(new File(basedir, "../../../src/it/common/run.groovy"))
run(["gcc", "-O2", "-o", new File(nativeDir, "embedded-app").path, source.path, "-lpython3.11"])

def home = Files.createTempDirectory("pbs-gpg")
System.getProperties().put("pbs.it.gnupg." + basedir.name, home.toString())
run(["gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
     "--quick-gen-key", "pbs-toolchain IT <it@pbstoolchain.dev>", "ed25519", "sign", "never"])
def listing = run(["gpg", "--homedir", home.toString(), "--batch", "--with-colons", "--list-secret-keys"])
def fingerprint = listing.readLines().find { it.startsWith("fpr:") }.split(":")[9]
def config = basedir.toPath().resolve(".mvn/maven.config")
Files.writeString(config, Files.readString(config)
    + "-Dgpg.homedir=" + home + "\n-Dgpg.keyname=" + fingerprint + "\n")
return true
