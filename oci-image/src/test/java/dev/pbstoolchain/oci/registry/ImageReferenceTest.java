package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** References as docker reads them. */
class ImageReferenceTest {

  static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void dockerHubNamesGetTheirRegistryAndLibrary() {
    ImageReference debian = ImageReference.parse("debian:bookworm-slim");
    assertThat(debian.registry()).isEqualTo("docker.io");
    assertThat(debian.repository()).isEqualTo("library/debian");
    assertThat(debian.tag()).isEqualTo("bookworm-slim");
    assertThat(debian.apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(ImageReference.parse("acme/app").repository()).isEqualTo("acme/app");
    assertThat(ImageReference.parse("acme/app").manifestReference()).isEqualTo("latest");
  }

  @Test
  void registriesAreNamesWithADotOrAPortOrLocalhost() {
    ImageReference pinned =
        ImageReference.parse("registry.example.com:5000/acme/app:1.0@" + DIGEST);
    assertThat(pinned.registry()).isEqualTo("registry.example.com:5000");
    assertThat(pinned.repository()).isEqualTo("acme/app");
    assertThat(pinned.tag()).isEqualTo("1.0");
    assertThat(pinned.digest().toString()).isEqualTo(DIGEST);
    assertThat(pinned.manifestReference()).isEqualTo(DIGEST);
    assertThat(ImageReference.parse("localhost/app").registry()).isEqualTo("localhost");
    assertThat(ImageReference.parse("ghcr.io/acme/app").toString()).isEqualTo("ghcr.io/acme/app");
  }

  @Test
  void loopbackIsThisMachineOnly() {
    assertThat(ImageReference.parse("127.0.0.1:5000/a").isLoopback()).isTrue();
    assertThat(ImageReference.parse("127.1.2.3:5000/a").isLoopback()).isTrue();
    assertThat(ImageReference.parse("localhost:5000/a").isLoopback()).isTrue();
    assertThat(ImageReference.parse("[::1]:5000/a").isLoopback()).isTrue();
    assertThat(ImageReference.parse("10.0.0.1:5000/a").isLoopback()).isFalse();
    assertThat(ImageReference.parse("localhost.example.com/a").isLoopback()).isFalse();
    assertThat(ImageReference.parse("registry.example.com/a").isLoopback()).isFalse();
  }

  @Test
  void badReferencesSayWhatIsWrong() {
    assertThatThrownBy(() -> ImageReference.parse("registry.example.com/Acme/App"))
        .hasMessage(
            "'registry.example.com/Acme/App' is not a valid image reference: check the repository"
                + " 'Acme/App' (lower-case letters, digits and . _ - between them, separated by /);"
                + " e.g. registry.example.com/acme/app:1.0 or"
                + " docker.io/library/debian:bookworm-slim@sha256:<64 hex digits>");
    assertThatThrownBy(() -> ImageReference.parse("debian@sha256:abc"))
        .hasMessageStartingWith(
            "'debian@sha256:abc' is not a valid image reference: check its digest");
    assertThatThrownBy(() -> ImageReference.parse("debian:-bad"))
        .hasMessageStartingWith(
            "'debian:-bad' is not a valid image reference: check the tag '-bad'");
  }
}
