package dev.pbstoolchain.oci.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.testing.TestLayers;
import dev.pbstoolchain.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base's file system from layers GNU tar, gzip and zstd wrote: whiteouts and opaque directories
 * applied in order, a file replacing a directory, links, owners, the account files, and every
 * layer's digest checked.
 */
class BaseFilesystemTest {

  @TempDir Path work;

  @Test
  void layersApplyInOrderWithWhiteoutsAndOpaqueDirectories() throws Exception {
    Path one =
        TestLayers.tree(
            work.resolve("one"),
            "usr/lib/",
            "lib -> usr/lib",
            "etc/passwd",
            "var/lib/dpkg/status",
            "opt/old/a",
            "opt/old/b",
            "srv/data/",
            "srv/data/x");
    Files.writeString(one.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Path two =
        TestLayers.tree(
            work.resolve("two"),
            "var/lib/.wh.dpkg",
            "opt/old/.wh..wh..opq",
            "opt/old/c",
            "srv/data",
            "etc/passwd");
    Files.writeString(
        two.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:999:999::/:/bin/false\n");
    Sh.ok("chown", "1234:5678", two.resolve("opt/old/c").toString());
    BaseFilesystem fs =
        new TestLayers(work.resolve("layout")).add(one, "gzip").add(two, "zstd").read();

    assertThat(fs.get("lib").orElseThrow().kind()).isEqualTo(BaseFilesystem.Kind.SYMLINK);
    assertThat(fs.get("lib").orElseThrow().linkTarget()).isEqualTo("usr/lib");
    assertThat(fs.get("var/lib/dpkg")).as("whited out").isEmpty();
    assertThat(fs.get("var/lib/dpkg/status")).as("and what it held").isEmpty();
    assertThat(fs.get("var/lib")).isPresent();
    assertThat(fs.get("opt/old/a")).as("hidden by the opaque directory").isEmpty();
    assertThat(fs.get("opt/old/c").orElseThrow().uid()).isEqualTo(1234);
    assertThat(fs.get("opt/old/c").orElseThrow().gid()).isEqualTo(5678);
    assertThat(fs.get("srv/data").orElseThrow().kind())
        .as("a file replaced the directory")
        .isEqualTo(BaseFilesystem.Kind.FILE);
    assertThat(fs.get("srv/data/x")).isEmpty();
    assertThat(fs.passwd()).contains("root:x:0:0::/root:/bin/sh\napp:x:999:999::/:/bin/false\n");
    assertThat(fs.group()).isEmpty();
  }

  @Test
  void aCorruptLayerIsRefusedNamingIt() throws Exception {
    TestLayers layers =
        new TestLayers(work.resolve("layout"))
            .add(TestLayers.tree(work.resolve("one"), "etc/hostname"), "gzip");
    Descriptor layer = layers.descriptors.get(0);
    Files.write(
        layers.layout.resolve("blobs/sha256/" + layer.digest().hex()),
        new byte[] {1, 2, 3},
        java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(layers::read)
        .isInstanceOf(OciException.class)
        .hasMessage(
            "Cannot read layer "
                + layer.digest()
                + " of the base the test base: it is "
                + (layer.size() + 3)
                + " bytes, its descriptor says "
                + layer.size()
                + ": the base is corrupt");
  }
}
