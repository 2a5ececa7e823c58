// The example's program, released for both Linux rows from a PBS release built from this
// machine's CPython (amd64) and a stand-in (arm64) served on loopback; a docker-registry with a
// login on a free loopback port (stopped by its PID in verify.groovy); the tests' cached Debian
// base image; matrix.yaml pointing at both; the registry login as a settings.xml server whose
// password is encrypted with Maven's master password (common/settings-security.xml).
import dev.pbstoolchain.oci.testing.BaseImages
import dev.pbstoolchain.oci.testing.DockerRegistry
import dev.pbstoolchain.testing.LocalCPython
import dev.pbstoolchain.testing.PbsRelease
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import org.bouncycastle.crypto.generators.OpenBSDBCrypt

def dir = basedir.toPath()
def module = dir.resolve("../../..").normalize()
def example = module.resolve("../examples/embedded-app")
Files.createDirectories(dir.resolve("src/main/c"))
Files.copy(example.resolve("build.sh"), dir.resolve("build.sh"), StandardCopyOption.REPLACE_EXISTING)
["embedded-app.c", "macos-libsystem-stub.c"].each {
  Files.copy(example.resolve("src/main/c/" + it), dir.resolve("src/main/c/" + it),
      StandardCopyOption.REPLACE_EXISTING)
}
def release = new PbsRelease(dir.resolve("release"), "20241016")
release.add("cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz",
    LocalCPython.installOnly(true))
release.add("cpython-3.11.10+20241016-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz",
    dev.pbstoolchain.testing.NativeFixtures.linuxArm64(
        module.resolve("../test-support/src/main/c"), dir.resolve("fixture-build/linux-arm64")))
release.writeSums()

// The login: a password only the registry and settings.xml know (there only encrypted, made with
// Maven 3.9.9: mvn -Dsettings.security=../common/settings-security.xml --encrypt-password
// Registry-Secret-5d21e9); the push works only if pbs:image decrypts it. verify.groovy checks the
// log for the plain password.
def password = "Registry-Secret-5d21e9"
def encrypted = "{saepvH/whREHxfvEkRfiVXmV/ihL2LXtP/EhWPZ7nPXXoTR8Lh+d0jW1P12E5FjS}"
def htpasswd = dir.resolve("htpasswd")
byte[] salt = new byte[16]
new java.security.SecureRandom().nextBytes(salt)
Files.writeString(htpasswd, "pusher:" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5) + "\n")
def registry = DockerRegistry.builder(dir.resolve("registry")).htpasswd(htpasswd).start()
System.getProperties().put("pbs.it.registry." + basedir.name, registry)
Files.writeString(dir.resolve("registry.password"), password)

def base = BaseImages.layout()
Files.writeString(dir.resolve("matrix.yaml"),
    Files.readString(dir.resolve("matrix.yaml.in"))
        .replace("@BASE@", base.toString())
        .replace("@REGISTRY@", registry.address()))
def settings = dir.resolve("registry-settings.xml")
Files.writeString(settings, """<settings><servers><server>
  <id>${registry.address()}</id><username>pusher</username><password>${encrypted}</password>
</server></servers></settings>
""".toString())

def served = evaluate(new File(basedir, "../../../src/it/common/serve.groovy"))(release)
def security = module.resolve("src/it/common/settings-security.xml")
Files.writeString(dir.resolve(".mvn/maven.config"),
    "--global-settings=" + settings + "\n-Dsettings.security=" + security + "\n",
    java.nio.file.StandardOpenOption.APPEND)
return served
