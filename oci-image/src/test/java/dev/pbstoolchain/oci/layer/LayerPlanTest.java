package dev.pbstoolchain.oci.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.base.BaseFilesystem;
import dev.pbstoolchain.oci.testing.TestLayers;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placing the deb layout onto a merged-/usr base made by GNU tar: the runtime and app layers, paths
 * through the base's directory links, the base's directory attributes kept, owners mapped, and each
 * kind of clash refused with what to do.
 */
class LayerPlanTest {

  static final long EPOCH = 1_700_000_000L;
  static final long RUNTIME_EPOCH = 1_650_000_000L;

  @TempDir Path work;
  BaseFilesystem base;
  Path file;

  @BeforeEach
  void mergedUsrBase() throws Exception {
    Path root =
        TestLayers.tree(
            work.resolve("base"),
            "usr/lib/",
            "usr/bin/",
            "usr/share/",
            "lib -> usr/lib",
            "var/run -> /run",
            "etc/passwd",
            "etc/group");
    Files.writeString(
        root.resolve("etc/passwd"),
        "root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/bin/false\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nwww-data:x:33:\n");
    Sh.ok("chmod", "0700", root.resolve("usr/share").toString());
    Sh.ok("touch", "-d", "@1600000000", root.resolve("usr/share").toString());
    base = new TestLayers(work.resolve("layout")).add(root, "gzip").read();
    file = Files.writeString(work.resolve("file"), "x\n");
  }

  OwnerIds ids() {
    return OwnerIds.of(base.passwd(), base.group(), Map.of("svc", 900L), Map.of(), "the test base");
  }

  LayerPlan.Layers plan(Layout layout, Set<String> owned) throws OciException {
    return LayerPlan.plan(layout, "app", base, ids(), owned, EPOCH, RUNTIME_EPOCH, "the test base");
  }

  static String describe(java.util.List<LayerEntry> layer) {
    return layer.stream()
        .map(
            e ->
                e.path()
                    + " "
                    + e.kind()
                    + " "
                    + Integer.toOctalString(e.mode())
                    + " "
                    + e.owner().uid()
                    + ":"
                    + e.owner().gid()
                    + (e.mtime() == EPOCH
                        ? ""
                        : e.mtime() == RUNTIME_EPOCH ? " pbs-time" : " base-mtime"))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void splitsTheRuntimeFromTheAppAndFollowsTheBasesLinks() throws Exception {
    Layout layout = new Layout();
    layout.add(Entry.file("usr/bin/app", file, 0755, 2));
    layout.add(Entry.file("usr/lib/app/python/lib/libpython3.11.so.1.0", file, 0755, 2));
    layout.add(Entry.symlink("usr/lib/app/python/lib/libpython3.11.so", "libpython3.11.so.1.0"));
    layout.add(Entry.file("lib/systemd/system/app.service", file, 0644, 2));
    layout.add(Entry.file("usr/share/doc/app/copyright", file, 0644, 2));
    layout.add(Entry.directory("var/lib/app", 0750).ownedBy("www-data", "www-data"));
    layout.add(Entry.directory("var/run/app", 0755).ownedBy("svc", "root"));
    LayerPlan.Layers layers = plan(layout, Set.of("var/lib/app", "var/run/app"));

    assertThat(describe(layers.runtime()))
        .isEqualTo(
            String.join(
                "\n",
                "usr DIRECTORY 755 0:0 base-mtime",
                "usr/lib DIRECTORY 755 0:0 base-mtime",
                // The runtime layer's own paths carry PBS's time, not the release's: the layer
                // stays the same bytes from one app release to the next.
                "usr/lib/app DIRECTORY 755 0:0 pbs-time",
                "usr/lib/app/python DIRECTORY 755 0:0 pbs-time",
                "usr/lib/app/python/lib DIRECTORY 755 0:0 pbs-time",
                "usr/lib/app/python/lib/libpython3.11.so SYMLINK 777 0:0 pbs-time",
                "usr/lib/app/python/lib/libpython3.11.so.1.0 FILE 755 0:0 pbs-time"));
    assertThat(describe(layers.app()))
        .isEqualTo(
            String.join(
                "\n",
                // /var/run links to /run, which the base lacks: the directory is made there.
                "run DIRECTORY 755 0:0",
                "run/app DIRECTORY 755 900:0",
                "usr DIRECTORY 755 0:0 base-mtime",
                "usr/bin DIRECTORY 755 0:0 base-mtime",
                "usr/bin/app FILE 755 0:0",
                "usr/lib DIRECTORY 755 0:0 base-mtime",
                "usr/lib/app DIRECTORY 755 0:0",
                // /lib links to usr/lib: the unit lands there, and no "lib" directory hides the
                // link.
                "usr/lib/systemd DIRECTORY 755 0:0",
                "usr/lib/systemd/system DIRECTORY 755 0:0",
                "usr/lib/systemd/system/app.service FILE 644 0:0",
                // The base's /usr/share keeps its mode (0700) and mtime.
                "usr/share DIRECTORY 700 0:0 base-mtime",
                "usr/share/doc DIRECTORY 755 0:0",
                "usr/share/doc/app DIRECTORY 755 0:0",
                "usr/share/doc/app/copyright FILE 644 0:0",
                "var DIRECTORY 755 0:0 base-mtime",
                "var/lib DIRECTORY 755 0:0",
                "var/lib/app DIRECTORY 750 33:33"));
  }

  @Test
  void aFileOverABaseDirectoryIsRefused() {
    Layout layout = new Layout().add(Entry.file("usr/share", file, 0644, 2));
    assertThatThrownBy(() -> plan(layout, Set.of()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "The image's app layer puts a file at /usr/share, but in the base the test base"
                + " /usr/share is a directory: the file would hide it. Change the path in the"
                + " package (packaging.files / packaging.directories) or use another base");
  }

  @Test
  void aDirectoryOverABaseFileIsRefused() {
    Layout layout =
        new Layout().add(Entry.directory("etc/passwd", 0755).ownedBy("www-data", "www-data"));
    assertThatThrownBy(() -> plan(layout, Set.of("etc/passwd")))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "The image's app layer puts a directory at /etc/passwd, but in the base the test base"
                + " /etc/passwd is a file: the directory would hide it. Change the path in the"
                + " package (packaging.files / packaging.directories) or use another base");
  }

  @Test
  void nothingGoesUnderABaseFile() {
    Layout layout = new Layout().add(Entry.file("etc/passwd/extra", file, 0644, 2));
    assertThatThrownBy(() -> plan(layout, Set.of()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "The image's app layer puts a file at /etc/passwd/extra, but in the base the test base"
                + " /etc/passwd is a file: nothing can be placed under a file. Change the path in"
                + " the package (packaging.files / packaging.directories) or use another base");
  }

  @Test
  void anUnknownOwnerSaysHowToGiveItsId() {
    Layout layout = new Layout().add(Entry.directory("var/lib/app", 0750).ownedBy("app", "app"));
    assertThatThrownBy(() -> plan(layout, Set.of("var/lib/app")))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "/var/lib/app is owned by the user 'app', which the base the test base does not define"
                + " in /etc/passwd (it has root, svc, www-data). No maintainer script runs in an"
                + " image to create it: give its id in image.uids (e.g. uids: {app: 999}), or use a"
                + " base that has it");
  }

  @Test
  void twoPathsLandingOnOneThroughALinkAreRefused() {
    Layout layout = new Layout();
    layout.add(Entry.file("lib/x", file, 0644, 2));
    layout.add(Entry.file("usr/lib/x", file, 0644, 2));
    assertThatThrownBy(() -> plan(layout, Set.of()))
        .isInstanceOf(OciException.class)
        .hasMessage(
            "The image's app layer would hold /usr/lib/x twice: /usr/lib/x of the package lands"
                + " there too, through a link of the base the test base. Give the package one of"
                + " the two paths");
    assertThat(Optional.empty()).isEmpty();
  }
}
