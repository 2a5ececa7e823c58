package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.image.BuiltImage;
import dev.pbstoolchain.oci.image.ImageBuilder;
import dev.pbstoolchain.oci.image.ImageRequest;
import dev.pbstoolchain.oci.image.ImageSettings;
import dev.pbstoolchain.oci.layout.LayoutReader;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.MediaTypes;
import dev.pbstoolchain.oci.testing.BaseImages;
import dev.pbstoolchain.oci.testing.Containers;
import dev.pbstoolchain.oci.testing.DemoRelease;
import dev.pbstoolchain.oci.testing.DockerRegistry;
import dev.pbstoolchain.oci.testing.RecordingConsole;
import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes the demo image to a real docker-registry on loopback and pulls it back with skopeo: the
 * registry's digest is the layout's, a second push uploads nothing and gives the same digest, each
 * platform pulled from the registry runs; a base taken from the same registry is mounted, not
 * uploaded, and once cached builds with the registry gone.
 */
class ImagePushTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final RegistrySettings FAST =
      RegistrySettings.defaults().withDockerConfig(null).withRetries(3, Duration.ofMillis(50));

  @TempDir Path work;

  static ImageRequest.Builder request(Path out, String base, String repository) {
    return DemoRelease.get()
        .image(base, out.resolve("oci"), DemoRelease.AMD64, DemoRelease.ARM64)
        .settings(
            ImageSettings.builder()
                .repository(repository)
                .tags(List.of("{version}", "latest"))
                .build())
        .epochSeconds(1_764_547_200L)
        .cacheDir(out.resolve("cache"))
        .registry(FAST);
  }

  /** Pushes the built image to the repository with its tags. */
  static ImagePusher.Pushed push(ImagePusher pusher, BuiltImage image, String repository)
      throws IOException, OciException {
    return pusher.push(
        LayoutReader.open(image.layoutDir()),
        image.index(),
        ImageReference.parse(repository),
        image.tags());
  }

  static String layoutBase() {
    return BaseImages.multiPlatform();
  }

  @Test
  void pushedTwiceWithTheLayoutsDigestPulledAndRunOnEachPlatform() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(work.resolve("registry"))) {
      String repository = registry.address() + "/acme/demo-app";
      BuiltImage image =
          new ImageBuilder(ImageConsole.silent())
              .build(request(work.resolve("build"), layoutBase(), repository).build());
      // Connected early (as pbs:image does while it builds): the push uses that connection.
      RecordingConsole console = new RecordingConsole();
      ImagePusher pusher = new ImagePusher(FAST, console);
      pusher.connectEarly(ImageReference.parse(repository), List.of()).join();
      String ping = "DEBUG " + registry.address() + ": http";
      assertThat(console.lines()).as("reached before the push").containsExactly(ping);
      ImagePusher.Pushed first = push(pusher, image, repository);
      assertThat(console.lines().stream().filter(ping::equals))
          .as("the push asked /v2/ no second time")
          .hasSize(1);
      ImagePusher.Pushed second = push(pusher, image, repository);
      assertThat(first.digest()).isEqualTo(image.index().digest());
      assertThat(second.digest()).isEqualTo(first.digest());
      assertThat(first.uploaded())
          .as("2 base layers + 2 layers + config, per platform")
          .isEqualTo(9);
      assertThat(second.uploaded()).isZero();
      assertThat(second.present()).isEqualTo(first.uploaded());

      String raw = Containers.rawManifest(repository + ":1.2.0");
      assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)))
          .as("the registry's digest is the layout's")
          .isEqualTo(image.index().digest());
      assertThat(Containers.rawManifest(repository + ":latest")).isEqualTo(raw);
      for (String arch : List.of("amd64", "arm64")) {
        Path rootfs =
            Containers.unpack("docker://" + repository + ":1.2.0", arch, work.resolve("pull"))
                .resolve("rootfs");
        Sh.Result run = Containers.run(rootfs, arch, "/usr/bin/demo-app");
        assertThat(run.code()).as(run.out()).isZero();
        assertThat(run.out())
            .startsWith("libpython=/usr/lib/demo-app/python/lib/libpython3.11.so.1.0\n");
      }
    }
  }

  @Test
  void layersUploadedWhileTheImageIsBuiltAreNotUploadedAgainAndAFailedOneIs() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(work.resolve("registry"))) {
      String repository = registry.address() + "/acme/demo-app";
      ImagePusher pusher = new ImagePusher(FAST, ImageConsole.silent());
      pusher.connectEarly(ImageReference.parse(repository), List.of());
      // As pbs:image does: each blob's upload starts when it is written, from a copy that stays
      // put (the layout's blob moves when the layout is committed); the first app layer's copy is
      // missing, so its early upload fails and the push must upload it itself.
      Path copies = Files.createDirectories(work.resolve("copies"));
      List<Descriptor> layers = new ArrayList<>();
      List<Descriptor> blobs = new ArrayList<>();
      BuiltImage image =
          new ImageBuilder(
                  ImageConsole.silent(),
                  (blob, file) -> {
                    blobs.add(blob);
                    if (!blob.mediaType().equals(MediaTypes.OCI_CONFIG)) {
                      layers.add(blob);
                    }
                    Path copy = copies.resolve(blob.digest().hex());
                    if (blobs.size() != 2) {
                      try {
                        Files.copy(file, copy);
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    }
                    pusher.uploadEarly(blob, copy);
                  })
              .build(request(work.resolve("build"), layoutBase(), repository).build());
      assertThat(layers).as("runtime and app layer per platform").hasSize(4);
      assertThat(blobs)
          .as("runtime layer, app layer, config per platform")
          .hasSize(6)
          .extracting(Descriptor::mediaType)
          .containsExactly(
              MediaTypes.OCI_LAYER_GZIP,
              MediaTypes.OCI_LAYER_GZIP,
              MediaTypes.OCI_CONFIG,
              MediaTypes.OCI_LAYER_GZIP,
              MediaTypes.OCI_LAYER_GZIP,
              MediaTypes.OCI_CONFIG);

      RegistryClient reader =
          RegistryClient.pulling(
              ImageReference.parse(repository + ":1.2.0"), FAST, ImageConsole.silent());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!reader.hasBlob(layers.get(0)) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(reader.hasBlob(layers.get(0)))
          .as("the first runtime layer is in the registry before the push")
          .isTrue();

      ImagePusher.Pushed pushed = push(pusher, image, repository);
      assertThat(pushed.digest()).isEqualTo(image.index().digest());
      assertThat(pushed.uploaded() + pushed.present())
          .as("2 base layers + 2 layers + config, per platform")
          .isEqualTo(9);
      for (Descriptor layer : layers) {
        assertThat(reader.hasBlob(layer)).as(layer.digest().toString()).isTrue();
      }
      String raw = Containers.rawManifest(repository + ":1.2.0");
      assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(image.index().digest());
      // Every blob the index needs can be copied out of the registry (digests checked by skopeo).
      Sh.ok(
          "skopeo",
          "copy",
          "--quiet",
          "--all",
          "--src-tls-verify=false",
          "docker://" + repository + ":1.2.0",
          "oci:" + work.resolve("copied") + ":1.2.0");
    }
  }

  @Test
  void baseFromTheSameRegistryIsMountedAndCachedForOfflineBuilds() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(work.resolve("registry"))) {
      String base = registry.address() + "/base/debian";
      Sh.ok(
          "skopeo",
          "copy",
          "--quiet",
          "--all",
          "--dest-tls-verify=false",
          "oci:" + BaseImages.layout() + ":" + BaseImages.MULTI_PLATFORM_TAG,
          "docker://" + base + ":bookworm");
      String baseDigest =
          Digest.sha256(Containers.rawManifest(base + ":bookworm").getBytes(StandardCharsets.UTF_8))
              .toString();

      // Unpinned: it builds, and says which digest to pin.
      RecordingConsole console = new RecordingConsole();
      String repository = registry.address() + "/acme/demo-app";
      new ImageBuilder(console)
          .build(request(work.resolve("unpinned"), base + ":bookworm", repository).build());
      assertThat(console.warnings())
          .containsExactly(
              "The base "
                  + base
                  + ":bookworm is not pinned, so a later build may get another image. This build used "
                  + baseDigest
                  + "; pin it for reproducible builds: "
                  + base
                  + ":bookworm@"
                  + baseDigest);

      Path cache = work.resolve("cache");
      BuiltImage image =
          new ImageBuilder(ImageConsole.silent())
              .build(
                  request(work.resolve("pinned"), base + "@" + baseDigest, repository)
                      .cacheDir(cache)
                      .build());
      ImagePusher.Pushed pushed =
          push(new ImagePusher(FAST, ImageConsole.silent()), image, repository);
      assertThat(pushed.mounted()).as("the base's layers, mounted from base/debian").isEqualTo(3);
      assertThat(pushed.uploaded()).as("our 2 layers and config per platform").isEqualTo(6);
      // Each manifest names its base, which is what lets a push mount the base's layers.
      JsonNode manifest =
          JSON.readTree(
              Containers.rawManifest(repository + "@" + image.images().get(1).manifest().digest()));
      assertThat(manifest.path("annotations").path("org.opencontainers.image.base.name").asText())
          .isEqualTo(base);

      registry.close();
      // The registry is gone: the cache has the pinned base.
      BuiltImage offline =
          new ImageBuilder(ImageConsole.silent())
              .build(
                  request(work.resolve("offline"), base + "@" + baseDigest, repository)
                      .cacheDir(cache)
                      .build());
      assertThat(offline.index().digest()).isEqualTo(image.index().digest());
    }
  }

  @Test
  void theImageIsStagedOnceTheLayoutIsCommittedAndHasNoTagUntilTagged() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(work.resolve("registry"))) {
      String repository = registry.address() + "/acme/demo-app";
      ImagePusher pusher = new ImagePusher(FAST, ImageConsole.silent());
      Path archive = work.resolve("demo-app_oci.tar");
      List<ImagePusher.Staged> staged = new ArrayList<>();
      // As pbs:image does: the push is staged (blobs, manifests, index by digest) once the layout
      // is committed, while the archive is still to be written; the tags come after the build.
      ImageBuilder.BlobListener stageAtCommit =
          new ImageBuilder.BlobListener() {
            @Override
            public void written(Descriptor blob, Path file) {}

            @Override
            public void committed(Path dir, Descriptor index) {
              assertThat(dir.resolve("index.json")).isRegularFile();
              assertThat(archive).doesNotExist();
              try {
                staged.add(
                    pusher.stage(
                        LayoutReader.open(dir),
                        index.withAnnotations(java.util.Map.of()),
                        ImageReference.parse(repository)));
              } catch (IOException | OciException e) {
                throw new IllegalStateException(e);
              }
            }
          };
      BuiltImage image =
          new ImageBuilder(ImageConsole.silent(), stageAtCommit)
              .build(
                  request(work.resolve("build"), layoutBase(), repository)
                      .archive(archive)
                      .build());
      assertThat(archive).isRegularFile();
      assertThat(staged).hasSize(1);
      RegistryClient reader =
          RegistryClient.pulling(
              ImageReference.parse(repository + ":1.2.0"), FAST, ImageConsole.silent());
      Digest index = image.index().digest();
      assertThat(reader.manifestDigest(index.toString())).contains(index);
      assertThat(reader.manifestDigest("1.2.0")).as("no tag before tag()").isEmpty();
      assertThat(reader.manifestDigest("latest")).isEmpty();

      ImagePusher.Pushed pushed = pusher.tag(staged.get(0), image.tags());
      assertThat(pushed.tags()).containsExactly("1.2.0", "latest");
      assertThat(reader.manifestDigest("1.2.0")).contains(index);
      assertThat(reader.manifestDigest("latest")).contains(index);
    }
  }
}
