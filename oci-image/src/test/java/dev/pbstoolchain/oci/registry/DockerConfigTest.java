package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.oci.OciException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins from config.json as docker login writes them: inline auths under any spelling of the
 * registry, identity tokens, credential helpers (the tests' docker-credential-pbs-test, run as
 * docker runs one), and the order docker asks them in.
 */
class DockerConfigTest {

  @TempDir Path work;

  DockerConfig config(String json) throws Exception {
    Path file = work.resolve("config.json");
    Files.writeString(file, json);
    return DockerConfig.read(file);
  }

  static String auth(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void inlineLoginsUnderAnySpellingOfTheRegistry() throws Exception {
    DockerConfig config =
        config(
            "{\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\""
                + auth("hub", "p1")
                + "\"},"
                + "\"http://registry.example.com:5000/v2/\":{\"auth\":\""
                + auth("me", "p:2")
                + "\"},"
                + "\"ghcr.io\":{\"identitytoken\":\"refresh-me\"}}}");
    assertThat(config.lookup("docker.io")).contains(new Credentials("hub", "p1"));
    assertThat(config.lookup("registry.example.com:5000")).contains(new Credentials("me", "p:2"));
    assertThat(config.lookup("ghcr.io").orElseThrow().isIdentityToken()).isTrue();
    assertThat(config.lookup("quay.io")).isEmpty();
    assertThat(new Credentials("me", "p:2").toString()).doesNotContain("p:2");
  }

  @Test
  void credentialHelpersComeFirstAndSayWhenTheyHaveNothing() throws Exception {
    Path store = Files.createDirectories(Path.of("target/test-credentials"));
    Files.writeString(
        store.resolve("helper.example.com"),
        "{\"ServerURL\":\"helper.example.com\",\"Username\":\"bot\",\"Secret\":\"from-helper\"}");
    DockerConfig config =
        config(
            "{\"credHelpers\":{\"helper.example.com\":\"pbs-test\"},"
                + "\"credsStore\":\"pbs-test\","
                + "\"auths\":{\"helper.example.com\":{\"auth\":\""
                + auth("bot", "inline")
                + "\"},"
                + "\"other.example.com\":{\"auth\":\""
                + auth("x", "inline-other")
                + "\"}}}");
    assertThat(config.lookup("helper.example.com")).contains(new Credentials("bot", "from-helper"));
    // The default store has no login for it: the inline one is used.
    assertThat(config.lookup("other.example.com")).contains(new Credentials("x", "inline-other"));
  }

  @Test
  void aMissingHelperIsNamed() throws Exception {
    Path file = work.resolve("config.json");
    Files.writeString(file, "{\"credHelpers\":{\"ecr.example.com\":\"nonexistent-helper\"}}");
    assertThatThrownBy(() -> DockerConfig.read(file).lookup("ecr.example.com"))
        .isInstanceOf(OciException.class)
        .hasMessageStartingWith(
            file
                + " says the logins for ecr.example.com are kept by the credential helper"
                + " 'nonexistent-helper', but docker-credential-nonexistent-helper cannot be run (")
        .hasMessageEndingWith(
            "): install it on the PATH, or remove it from credHelpers/credsStore");
  }

  @Test
  void aBrokenConfigSaysHowToFixIt() throws Exception {
    Path file = work.resolve("config.json");
    Files.writeString(file, "{\"auths\":");
    assertThatThrownBy(() -> DockerConfig.read(file))
        .isInstanceOf(OciException.class)
        .hasMessageStartingWith("Cannot read the docker credentials file " + file + ": ")
        .hasMessageEndingWith(
            ". Fix it (docker login rewrites it) or point DOCKER_CONFIG elsewhere.");
    assertThat(DockerConfig.read(work.resolve("missing.json")).lookup("docker.io")).isEmpty();
  }
}
