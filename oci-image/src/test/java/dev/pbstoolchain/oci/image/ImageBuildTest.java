package dev.pbstoolchain.oci.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.testing.BaseImages;
import dev.pbstoolchain.oci.testing.Containers;
import dev.pbstoolchain.oci.testing.DemoRelease;
import dev.pbstoolchain.oci.testing.DockerDaemon;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.testing.Sh;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the demo release's two-platform image on a real Debian base (mmdebstrap + umoci) and
 * judges it with skopeo and umoci: the index and its annotations, each platform pulled by
 * architecture and unpacked, modes, owners and links in the root file system, and the app run
 * inside it (amd64 in a namespace + chroot, arm64 through qemu-user), loading libpython from
 * /usr/lib/demo-app/python.
 */
class ImageBuildTest {

  static final long EPOCH = 1_764_547_200L; // 2025-12-01T00:00:00Z
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  static ImageRequest.Builder demoRequest(Path out, String base) {
    DemoRelease release = DemoRelease.get();
    return release
        .image(base, out.resolve("oci"), DemoRelease.AMD64, DemoRelease.ARM64)
        .copyright(release.packaging("copyright"))
        .extras(
            List.of(
                new ReleaseLayouts.Extra(
                    release.packaging("demo-app.service"),
                    "/lib/systemd/system/demo-app.service",
                    0644,
                    false),
                new ReleaseLayouts.Extra(
                    release.packaging("demo.conf"), "/etc/demo-app/demo.conf", 0640, true)))
        .directories(
            List.of(
                new ReleaseLayouts.OwnedDirectory(
                    "/var/lib/demo-app", "www-data", "www-data", 0750),
                new ReleaseLayouts.OwnedDirectory("/var/log/demo-app", "demo", "demo", 0755)))
        .settings(
            ImageSettings.builder()
                .repository("registry.example.com/acme/demo-app")
                .tags(List.of("{version}", "latest"))
                .env(Map.of("DEMO_MODE", "production"))
                .ports(List.of("8080"))
                .volumes(List.of("/var/lib/demo-app"))
                .labels(Map.of("com.example.team", "release"))
                .uids(Map.of("demo", 999L))
                .gids(Map.of("demo", 999L))
                .revision("0123456789abcdef")
                .source("https://example.com/demo-app.git")
                .licenses("Apache-2.0 AND PSF-2.0")
                .build())
        .epochSeconds(EPOCH)
        .archive(out.resolve("demo-app-1.2.0_oci.tar"))
        .cacheDir(out.resolve("cache"));
  }

  static String baseLayout() {
    return BaseImages.multiPlatform();
  }

  @Test
  void twoPlatformImageRunsOnEachPlatform() throws Exception {
    BuiltImage image =
        new ImageBuilder(ImageConsole.silent())
            .build(demoRequest(work, baseLayout()).dockerArchiveDir(work).build());

    // The layout's index.json tags the index with each tag; skopeo reads the same bytes.
    String raw = Sh.ok("skopeo", "inspect", "--raw", "oci:" + image.layoutDir() + ":1.2.0");
    assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.index().digest());
    assertThat(Sh.ok("skopeo", "inspect", "--raw", "oci:" + image.layoutDir() + ":latest"))
        .isEqualTo(raw);
    JsonNode index = JSON.readTree(raw);
    assertThat(index.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    List<String> platforms = new ArrayList<>();
    index.path("manifests").forEach(m -> platforms.add(m.path("platform").toString()));
    assertThat(platforms)
        .containsExactly(
            "{\"architecture\":\"amd64\",\"os\":\"linux\"}",
            "{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}");
    assertThat(index.path("annotations").toString())
        .isEqualTo(
            "{\"org.opencontainers.image.created\":\"2025-12-01T00:00:00Z\","
                + "\"org.opencontainers.image.licenses\":\"Apache-2.0 AND PSF-2.0\","
                + "\"org.opencontainers.image.revision\":\"0123456789abcdef\","
                + "\"org.opencontainers.image.source\":\"https://example.com/demo-app.git\","
                + "\"org.opencontainers.image.version\":\"1.2.0\"}");

    // The oci-archive holds the same index.
    assertThat(Sh.ok("skopeo", "inspect", "--raw", "oci-archive:" + image.archive() + ":1.2.0"))
        .isEqualTo(raw);
    // Its SHA-256 (for SHA256SUMS) is taken while it is written: sha256sum agrees.
    assertThat(image.archiveDigest().hex())
        .isEqualTo(Sh.ok("sha256sum", image.archive().toString()).substring(0, 64));

    // The config as a runtime reads it.
    JsonNode config =
        JSON.readTree(
            Sh.ok(
                "skopeo",
                "--override-arch",
                "arm64",
                "inspect",
                "--config",
                "oci:" + image.layoutDir() + ":1.2.0"));
    assertThat(config.path("created").asText()).isEqualTo("2025-12-01T00:00:00Z");
    assertThat(config.path("architecture").asText()).isEqualTo("arm64");
    assertThat(config.path("variant").asText()).isEqualTo("v8");
    JsonNode runtime = config.path("config");
    assertThat(runtime.path("Entrypoint").toString()).isEqualTo("[\"/usr/bin/demo-app\"]");
    assertThat(runtime.has("Cmd")).as("the base's CMD goes with its entrypoint").isFalse();
    assertThat(runtime.path("Env").toString())
        .isEqualTo(
            "[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
                + "\"DEMO_MODE=production\"]");
    assertThat(runtime.path("ExposedPorts").toString()).isEqualTo("{\"8080/tcp\":{}}");
    assertThat(runtime.path("Volumes").toString()).isEqualTo("{\"/var/lib/demo-app\":{}}");
    assertThat(runtime.path("Labels").path("com.example.team").asText()).isEqualTo("release");
    assertThat(runtime.path("Labels").path("org.opencontainers.image.version").asText())
        .isEqualTo("1.2.0");
    assertThat(config.path("rootfs").path("diff_ids").size())
        .as("two base layers and ours")
        .isEqualTo(4);
    assertThat(
            config
                .path("history")
                .get(config.path("history").size() - 1)
                .path("created_by")
                .asText())
        .isEqualTo("pbs-toolchain: /usr/bin/demo-app and the package's files (demo-app 1.2.0)");

    // Each platform, pulled by architecture and unpacked by umoci, runs its own binary.
    for (String arch : List.of("amd64", "arm64")) {
      Path rootfs =
          Containers.unpack("oci:" + image.layoutDir() + ":1.2.0", arch, work).resolve("rootfs");
      assertRootfs(rootfs);
      Sh.Result run = Containers.run(rootfs, arch, "/usr/bin/demo-app");
      assertThat(run.code()).as(run.out()).isZero();
      assertThat(run.out())
          .startsWith("libpython=/usr/lib/demo-app/python/lib/libpython3.11.so.1.0\n");
      assertThat(run.out())
          .contains(arch.equals("amd64") ? "plugin: python 3.11" : "python 3.11.10 (stand-in)");
      if (arch.equals("amd64")) {
        assertThat(run.out()).contains("{\"prefix\": \"/usr/lib/demo-app/python\"}");
      }
    }

    // docker load's format: skopeo reads each platform's docker-archive.
    assertThat(image.dockerArchives())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "demo-app-1.2.0_linux_amd64.docker.tar", "demo-app-1.2.0_linux_arm64.docker.tar");
    JsonNode docker =
        JSON.readTree(
            Sh.ok("skopeo", "inspect", "docker-archive:" + image.dockerArchives().get(1)));
    assertThat(docker.path("Architecture").asText()).isEqualTo("arm64");
    assertThat(Sh.ok("tar", "-xOf", image.dockerArchives().get(1).toString(), "manifest.json"))
        .contains(
            "\"RepoTags\":[\"registry.example.com/acme/demo-app:1.2.0\","
                + "\"registry.example.com/acme/demo-app:latest\"]");
    Path fromDocker = work.resolve("from-docker");
    Path rootfs =
        Containers.unpack("docker-archive:" + image.dockerArchives().get(0), "amd64", fromDocker)
            .resolve("rootfs");
    assertThat(Containers.run(rootfs, "amd64", "/usr/bin/demo-app").ok().out())
        .contains("plugin: python 3.11");

    // And as users do: a real Docker Engine loads the amd64 archive under both tags and runs it
    // through the image's entrypoint.
    try (DockerDaemon engine = DockerDaemon.start(Files.createTempDirectory("pbs-docker"))) {
      assertThat(engine.docker("load", "-i", image.dockerArchives().get(0).toString()).ok().out())
          .contains("Loaded image: registry.example.com/acme/demo-app:1.2.0")
          .contains("Loaded image: registry.example.com/acme/demo-app:latest");
      assertThat(
              engine.docker("run", "--rm", "registry.example.com/acme/demo-app:1.2.0").ok().out())
          .startsWith("libpython=/usr/lib/demo-app/python/lib/libpython3.11.so.1.0\n")
          .contains("plugin: python 3.11");
    }
  }

  private static void assertRootfs(Path rootfs) throws Exception {
    assertThat(mode(rootfs.resolve("usr/bin/demo-app"))).isEqualTo(0755);
    assertThat(owner(rootfs.resolve("usr/bin/demo-app"))).isEqualTo("0:0");
    assertThat(Files.getLastModifiedTime(rootfs.resolve("usr/bin/demo-app")).toMillis() / 1000)
        .isEqualTo(EPOCH);
    Path link = rootfs.resolve("usr/lib/demo-app/python/lib/libpython3.11.so");
    assertThat(Files.isSymbolicLink(link)).as("symlinks stay symlinks").isTrue();
    assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("libpython3.11.so.1.0");
    // Owners by name, mapped to ids: www-data from the base's /etc/passwd, demo from the config.
    assertThat(mode(rootfs.resolve("var/lib/demo-app"))).isEqualTo(0750);
    assertThat(owner(rootfs.resolve("var/lib/demo-app"))).isEqualTo("33:33");
    assertThat(owner(rootfs.resolve("var/log/demo-app"))).isEqualTo("999:999");
    assertThat(mode(rootfs.resolve("etc/demo-app/demo.conf"))).isEqualTo(0640);
    assertThat(Files.readString(rootfs.resolve("usr/share/doc/demo-app/copyright")))
        .contains("Apache-2.0");
    // The base's /lib -> usr/lib link survives; the unit went through it.
    assertThat(Files.isSymbolicLink(rootfs.resolve("lib"))).isTrue();
    assertThat(Files.readSymbolicLink(rootfs.resolve("lib")).toString()).isEqualTo("usr/lib");
    assertThat(rootfs.resolve("usr/lib/systemd/system/demo-app.service")).isRegularFile();
    // The base's directories keep the base's attributes (here /tmp, sticky, is untouched).
    assertThat(mode(rootfs.resolve("tmp"))).isEqualTo(01777);
  }

  static int mode(Path path) throws Exception {
    return (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  static String owner(Path path) throws Exception {
    return Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)
        + ":"
        + Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void theRuntimeLayerStaysTheSameAcrossAppReleasesOnOnePbsBuild() throws Exception {
    DemoRelease release = DemoRelease.get();
    long pbsDate = 1_729_036_800L; // 2024-10-16, the PBS release
    java.util.function.BiFunction<String, Long, ImageRequest> arm64 =
        (version, epoch) ->
            ImageRequest.builder()
                .app(DemoRelease.APP, version)
                .row(
                    DemoRelease.ARM64,
                    release.binary(DemoRelease.ARM64),
                    release.python(DemoRelease.ARM64))
                .base(baseLayout(), Path.of("."))
                .epochSeconds(epoch)
                .runtimeEpochSeconds(pbsDate)
                .layoutDir(work.resolve(version))
                .build();
    BuiltImage first = new ImageBuilder(ImageConsole.silent()).build(arm64.apply("1.2.0", EPOCH));
    BuiltImage next =
        new ImageBuilder(ImageConsole.silent()).build(arm64.apply("1.3.0", EPOCH + 86_400));
    List<JsonNode> firstLayers = layers(first);
    List<JsonNode> nextLayers = layers(next);
    assertThat(nextLayers.get(2)).as("the Python runtime layer").isEqualTo(firstLayers.get(2));
    assertThat(nextLayers.get(3)).as("the app layer").isNotEqualTo(firstLayers.get(3));
    assertThat(next.index().digest()).isNotEqualTo(first.index().digest());
  }

  private static List<JsonNode> layers(BuiltImage image) throws Exception {
    var layout = dev.pbstoolchain.oci.layout.LayoutReader.open(image.layoutDir());
    List<JsonNode> layers = new ArrayList<>();
    JSON.readTree(layout.document(image.images().get(0).manifest()))
        .path("layers")
        .forEach(layers::add);
    return layers;
  }

  @Test
  void twoCleanBuildsGiveTheSameIndexDigestAndBytes() throws Exception {
    BuiltImage first =
        new ImageBuilder(ImageConsole.silent())
            .build(demoRequest(work.resolve("a"), baseLayout()).build());
    BuiltImage second =
        new ImageBuilder(ImageConsole.silent())
            .build(demoRequest(work.resolve("b"), baseLayout()).build());
    assertThat(second.index().digest()).isEqualTo(first.index().digest());
    assertThat(Files.mismatch(first.archive(), second.archive())).isEqualTo(-1L);
    System.out.println("image index digest: " + first.index().digest());
    // With the body cache pbs:package shares: cold (every body deflated here and kept), then warm
    // (every body spliced from the cache): the same digest, the same bytes of every blob.
    Path bodies = work.resolve("bodies");
    BuiltImage cold =
        new ImageBuilder(ImageConsole.silent())
            .build(demoRequest(work.resolve("c"), baseLayout()).bodyCache(bodies).build());
    long packs;
    try (var files = Files.walk(bodies)) {
      packs = files.filter(f -> f.toString().endsWith(".bodies")).count();
    }
    BuiltImage warm =
        new ImageBuilder(ImageConsole.silent())
            .build(demoRequest(work.resolve("d"), baseLayout()).bodyCache(bodies).build());
    assertThat(packs).isEqualTo(1);
    try (var files = Files.walk(bodies)) {
      assertThat(files.filter(f -> f.toString().endsWith(".bodies")).count())
          .as("a warm build deflates nothing new")
          .isEqualTo(packs);
    }
    assertThat(cold.index().digest()).isEqualTo(first.index().digest());
    assertThat(warm.index().digest()).isEqualTo(first.index().digest());
    assertThat(Files.mismatch(first.archive(), cold.archive())).isEqualTo(-1L);
    assertThat(Files.mismatch(first.archive(), warm.archive())).isEqualTo(-1L);
  }
}
