package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.image.BuiltImage;
import dev.pbstoolchain.oci.layout.LayoutReader;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.testing.Containers;
import dev.pbstoolchain.oci.testing.DemoRelease;
import dev.pbstoolchain.oci.testing.DockerRegistry;
import dev.pbstoolchain.oci.testing.FaultyProxy;
import dev.pbstoolchain.oci.testing.RecordingConsole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real docker-registry behind a proxy that injects faults: 5xx, 429 and dropped connections are
 * retried (an upload resumes or restarts) and the push completes with the layout's digest; a
 * registry that rejects a manifest fails the push with its error, and no tag appears.
 */
class RegistryFaultTest {

  @TempDir Path work;
  BuiltImage image;

  @BeforeEach
  void smallImage() throws Exception {
    image = DemoRelease.get().buildArm64(work.resolve("oci"), "1.2.0", "latest");
  }

  ImagePusher.Pushed push(String address, RecordingConsole console) throws Exception {
    return new ImagePusher(
            RegistrySettings.defaults()
                .withDockerConfig(null)
                .withRetries(4, Duration.ofMillis(20)),
            console)
        .push(
            LayoutReader.open(image.layoutDir()),
            image.index(),
            ImageReference.parse(address + "/acme/demo-app"),
            image.tags());
  }

  @Test
  void transientFailuresAndResetsAreRetried() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(work.resolve("registry"));
        FaultyProxy proxy = FaultyProxy.to(registry.address())) {
      var head = proxy.fail("HEAD /v2/acme/demo-app/blobs/.*", 503, "UNAVAILABLE", 2);
      var post = proxy.reset("POST /v2/acme/demo-app/blobs/uploads/", 1);
      var patch = proxy.fail("PATCH /v2/acme/demo-app/blobs/uploads/.*", 500, null, 1);
      var manifest = proxy.fail("PUT /v2/acme/demo-app/manifests/sha256:.*", 502, null, 1);
      var tag = proxy.fail("PUT /v2/acme/demo-app/manifests/latest", 429, "TOOMANYREQUESTS", 1);
      RecordingConsole console = new RecordingConsole();
      ImagePusher.Pushed pushed = push(proxy.address(), console);
      assertThat(List.of(head.hits(), post.hits(), patch.hits(), manifest.hits(), tag.hits()))
          .containsExactly(2, 1, 1, 1, 1);
      assertThat(pushed.digest()).isEqualTo(image.index().digest());
      String raw = Containers.rawManifest(registry.address() + "/acme/demo-app:latest");
      assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(image.index().digest());
      assertThat(console.warnings())
          .anyMatch(w -> w.contains("the registry answered HTTP 503; trying again"))
          .anyMatch(w -> w.contains("; resuming (1)"));
    }
  }

  @Test
  void aRejectedManifestFailsThePushAndNoTagAppears() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(work.resolve("registry"));
        FaultyProxy proxy = FaultyProxy.to(registry.address())) {
      proxy.fail("PUT /v2/acme/demo-app/manifests/sha256:.*", 400, "MANIFEST_INVALID", 100);
      String manifest = image.images().get(0).manifest().digest().toString();
      assertThatThrownBy(() -> push(proxy.address(), new RecordingConsole()))
          .isInstanceOf(OciException.class)
          .hasMessage(
              "Pushing the manifest "
                  + manifest
                  + " as "
                  + proxy.address()
                  + "/acme/demo-app@"
                  + manifest
                  + ": "
                  + proxy.address()
                  + " answered HTTP 400 MANIFEST_INVALID: injected by the test to PUT http://"
                  + proxy.address()
                  + "/v2/acme/demo-app/manifests/"
                  + manifest);
      assertThat(proxy.seen()).noneMatch(r -> r.matches("PUT .*/manifests/(1.2.0|latest)"));
      HttpResponse<String> tags =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://" + registry.address() + "/v2/acme/demo-app/tags/list"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(tags.statusCode() == 404 || !tags.body().contains("1.2.0"))
          .as("no tag: %s %s", tags.statusCode(), tags.body())
          .isTrue();
    }
  }

  /** The first blob a push uploads (the config of the only manifest), as messages name it. */
  private String firstUpload() throws Exception {
    LayoutReader layout = LayoutReader.open(image.layoutDir());
    var manifest =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(layout.document(image.images().get(0).manifest()));
    return manifest.path("config").path("digest").asText()
        + " ("
        + manifest.path("config").path("size").asLong()
        + " bytes)";
  }

  @Test
  void aReadOnlyRegistrySaysSo() throws Exception {
    try (DockerRegistry registry =
        DockerRegistry.builder(work.resolve("registry")).readOnly().start()) {
      String config = firstUpload();
      assertThatThrownBy(() -> push(registry.address(), new RecordingConsole()))
          .isInstanceOf(OciException.class)
          .hasMessage(
              "Uploading "
                  + config
                  + " to "
                  + registry.address()
                  + "/acme/demo-app: "
                  + registry.address()
                  + " answered HTTP 405 Method not allowed to POST http://"
                  + registry.address()
                  + "/v2/acme/demo-app/blobs/uploads/: the registry does not accept this here"
                  + " (read-only, or a pull-through cache)");
    }
  }
}
