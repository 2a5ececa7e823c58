package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.image.BuiltImage;
import dev.pbstoolchain.oci.layout.LayoutReader;
import dev.pbstoolchain.oci.testing.Containers;
import dev.pbstoolchain.oci.testing.DemoRelease;
import dev.pbstoolchain.oci.testing.DockerRegistry;
import dev.pbstoolchain.oci.testing.RecordingConsole;
import dev.pbstoolchain.oci.testing.TokenService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins against a real docker-registry: Basic auth (htpasswd), and docker's Bearer token flow with
 * a token service the registry trusts; credentials from config.json's auths, from a credential
 * helper, or given directly. Wrong or missing logins fail with what to do, and the secret never
 * shows in a message.
 */
class RegistryAuthTest {

  static final String USER = "ci-bot";
  static final String PASSWORD = "s3cret-Pa55word-never-printed";

  @TempDir Path work;
  BuiltImage image;

  @BeforeEach
  void smallImage() throws Exception {
    image = DemoRelease.get().buildArm64(work.resolve("oci"), "1.2.0");
  }

  static RegistrySettings settings() {
    return RegistrySettings.defaults().withDockerConfig(null).withRetries(2, Duration.ofMillis(20));
  }

  ImagePusher.Pushed push(
      DockerRegistry registry, RegistrySettings settings, RecordingConsole console)
      throws Exception {
    return new ImagePusher(settings, console)
        .push(
            LayoutReader.open(image.layoutDir()),
            image.index(),
            ImageReference.parse(registry.address() + "/acme/demo-app"),
            image.tags());
  }

  DockerRegistry basicRegistry() throws Exception {
    Path htpasswd = work.resolve("htpasswd");
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    Files.writeString(
        htpasswd,
        USER + ":" + OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), salt, 5) + "\n");
    return DockerRegistry.builder(work.resolve("registry")).htpasswd(htpasswd).start();
  }

  @Test
  void basicLoginFromDockerConfigAuths() throws Exception {
    try (DockerRegistry registry = basicRegistry()) {
      Path config = work.resolve("docker/config.json");
      Files.createDirectories(config.getParent());
      String auth =
          Base64.getEncoder()
              .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      Files.writeString(
          config,
          "{\"auths\":{\"http://" + registry.address() + "\":{\"auth\":\"" + auth + "\"}}}");
      RecordingConsole console = new RecordingConsole();
      ImagePusher.Pushed pushed = push(registry, settings().withDockerConfig(config), console);
      assertThat(pushed.digest()).isEqualTo(image.index().digest());
      assertThat(
              Containers.rawManifest(
                  registry.address() + "/acme/demo-app:1.2.0", "--creds", USER + ":" + PASSWORD))
          .contains("application/vnd.oci.image.index.v1+json");
      assertThat(console.all()).doesNotContain(PASSWORD).doesNotContain(auth);
    }
  }

  @Test
  void basicLoginFromACredentialHelper() throws Exception {
    try (DockerRegistry registry = basicRegistry()) {
      Path store = Path.of("target/test-credentials");
      Files.createDirectories(store);
      Files.writeString(
          store.resolve(registry.address().replace(':', '_')),
          "{\"ServerURL\":\""
              + registry.address()
              + "\",\"Username\":\""
              + USER
              + "\",\"Secret\":\""
              + PASSWORD
              + "\"}");
      Path config = work.resolve("config.json");
      Files.writeString(config, "{\"credHelpers\":{\"" + registry.address() + "\":\"pbs-test\"}}");
      RecordingConsole console = new RecordingConsole();
      assertThat(push(registry, settings().withDockerConfig(config), console).digest())
          .isEqualTo(image.index().digest());
      assertThat(console.all()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void wrongOrMissingBasicLoginSaysWhatToDo() throws Exception {
    try (DockerRegistry registry = basicRegistry()) {
      RecordingConsole console = new RecordingConsole();
      assertThatThrownBy(
              () ->
                  push(
                      registry,
                      settings().withCredentials(new Credentials(USER, "wrong-" + PASSWORD)),
                      console))
          .isInstanceOf(OciException.class)
          .hasMessageContaining(registry.address() + " answered HTTP 401 to HEAD http://")
          .hasMessageEndingWith(
              ": the registry refused the login of ci-bot: check it (docker login "
                  + registry.address()
                  + ")")
          .message()
          .doesNotContain(PASSWORD);
      assertThatThrownBy(() -> push(registry, settings(), console))
          .isInstanceOf(OciException.class)
          .hasMessage(
              "Checking "
                  + firstBlob()
                  + " in "
                  + registry.address()
                  + "/acme/demo-app: "
                  + registry.address()
                  + " needs a login: run docker login "
                  + registry.address()
                  + ", or give the login directly (settings.xml <server> with id "
                  + registry.address()
                  + ", CLI --username and PBS_REGISTRY_PASSWORD)");
      assertThat(console.all()).doesNotContain(PASSWORD);
    }
  }

  private String firstBlob() throws Exception {
    var index =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(LayoutReader.open(image.layoutDir()).document(image.index()));
    var manifest = index.path("manifests").get(0);
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                LayoutReader.open(image.layoutDir())
                    .document(dev.pbstoolchain.oci.model.Descriptor.fromJson(manifest, "test")));
    return json.path("config").path("digest").asText();
  }

  @Test
  void bearerTokenFlowWithTheTokenServiceTheRegistryTrusts() throws Exception {
    try (TokenService tokens = TokenService.start(work.resolve("tokens"), USER, PASSWORD);
        DockerRegistry registry =
            DockerRegistry.builder(work.resolve("registry"))
                .token(
                    tokens.realm(),
                    TokenService.SERVICE,
                    TokenService.ISSUER,
                    tokens.certificate(work))
                .start()) {
      RecordingConsole console = new RecordingConsole();
      ImagePusher.Pushed pushed =
          push(registry, settings().withCredentials(new Credentials(USER, PASSWORD)), console);
      assertThat(pushed.digest()).isEqualTo(image.index().digest());
      assertThat(tokens.requests())
          .first()
          .isEqualTo("GET account=ci-bot login=ci-bot scope=[repository:acme/demo-app:pull,push]");
      assertThat(console.all()).doesNotContain(PASSWORD);

      // A wrong password: the token service refuses, and says so.
      assertThatThrownBy(
              () ->
                  push(
                      registry, settings().withCredentials(new Credentials(USER, "nope")), console))
          .isInstanceOf(OciException.class)
          .hasMessageEndingWith(
              ": the token service "
                  + tokens.realm()
                  + " of "
                  + registry.address()
                  + " refused the login of ci-bot (HTTP 401): check it (docker login "
                  + registry.address()
                  + ")");

      // No login: pulls work anonymously, pushes are denied with what to do.
      assertThatThrownBy(() -> push(registry, settings(), console))
          .isInstanceOf(OciException.class)
          .hasMessageContaining("answered HTTP 401 UNAUTHORIZED")
          .hasMessageContaining(
              registry.address() + " needs a login: run docker login " + registry.address());
    }
  }
}
