package dev.pbstoolchain.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.testing.BaseImages;
import dev.pbstoolchain.oci.testing.DemoRelease;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input stops the build with what to do, and leaves what was there: the previous layout, or
 * nothing (no half-written layout or work directory).
 */
class ImageBadInputTest {

  @TempDir Path work;

  static ImageRequest.Builder small(Path out, String base) {
    return DemoRelease.get().arm64Image(base, out.resolve("oci"));
  }

  /** Builds the demo's arm64 row on {@code base} with {@code settings}. */
  BuiltImage build(String base, ImageSettings settings) throws OciException {
    return new ImageBuilder(ImageConsole.silent())
        .build(small(work, base).settings(settings).build());
  }

  List<String> leftovers() throws Exception {
    try (Stream<Path> files = Files.list(work)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("oci")).toList();
    }
  }

  @Test
  void aBaseWithoutTheRowsPlatform() throws Exception {
    String base = "oci-layout:" + BaseImages.layout() + ":amd64";
    assertThatThrownBy(
            () -> new ImageBuilder(ImageConsole.silent()).build(small(work, base).build()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "The base "
                + base
                + " has no linux/arm64 image (it has linux/amd64), so the aarch64-unknown-linux-gnu"
                + " row cannot be built on it: use a base that has linux/arm64 (a multi-platform"
                + " index), or leave the row out of the image");
    assertThat(work.resolve("oci")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aFailedBuildLeavesThePreviousLayout() throws Exception {
    String base = BaseImages.multiPlatform();
    BuiltImage good = new ImageBuilder(ImageConsole.silent()).build(small(work, base).build());
    byte[] index = Files.readAllBytes(good.layoutDir().resolve("index.json"));
    DemoRelease release = DemoRelease.get();
    ImageRequest clashing =
        small(work, base)
            .extras(
                List.of(
                    new ReleaseLayouts.Extra(
                        release.packaging("demo.conf"), "/usr/lib/aarch64-linux-gnu", 0644, false)))
            .build();
    assertThatThrownBy(() -> new ImageBuilder(ImageConsole.silent()).build(clashing))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "The image's app layer puts a file at /usr/lib/aarch64-linux-gnu, but in the base "
                + base
                + " (linux/arm64/v8) /usr/lib/aarch64-linux-gnu is a directory: the file would hide"
                + " it. Change the path in the package (packaging.files / packaging.directories)"
                + " or use another base");
    assertThat(Files.readAllBytes(good.layoutDir().resolve("index.json"))).isEqualTo(index);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aMissingBaseAndAnUntaggedChoice() {
    assertThatThrownBy(
            () ->
                new ImageBuilder(ImageConsole.silent())
                    .build(small(work, "oci-layout:" + work.resolve("nothing")).build()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "The base oci-layout:"
                + work.resolve("nothing")
                + " does not exist ("
                + work.resolve("nothing")
                + " is not a directory)");
    assertThatThrownBy(
            () ->
                new ImageBuilder(ImageConsole.silent())
                    .build(small(work, "oci-layout:" + BaseImages.layout()).build()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "The base oci-layout:"
                + BaseImages.layout()
                + " holds 3 images; name one with :TAG (it has the tags amd64, arm64, bookworm)");
  }

  @Test
  void settingsAreCheckedBeforeAnythingIsWritten() {
    String base = BaseImages.multiPlatform();
    assertThatThrownBy(
            () -> build(base, ImageSettings.builder().ports(List.of("8080", "http")).build()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "image.ports[1] 'http' is no port: give 1-65535, optionally with /tcp, /udp or /sctp"
                + " (e.g. 8080, 53/udp)");
    assertThatThrownBy(
            () ->
                build(
                    base,
                    ImageSettings.builder()
                        .repository("registry.example.com/acme/app:1.0")
                        .build()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "image.repository 'registry.example.com/acme/app:1.0' names a tag or digest; give the"
                + " repository alone (e.g. registry.example.com/acme/app) and the tags in image.tags");
    assertThatThrownBy(
            () ->
                build(base, ImageSettings.builder().tags(List.of("{version}", "bad tag")).build()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "image.tags[1] 'bad tag' gives the tag 'bad tag', which is no valid tag (letters,"
                + " digits, _ . -, at most 128, not starting with . or -)");
    assertThat(work.resolve("oci")).doesNotExist();
  }
}
