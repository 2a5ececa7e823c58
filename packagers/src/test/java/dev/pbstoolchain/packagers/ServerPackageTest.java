package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.packagers.format.Format;
import dev.pbstoolchain.packagers.format.Packager;
import dev.pbstoolchain.packagers.format.PackagingRequest;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts.Symlink;
import dev.pbstoolchain.packagers.output.Compression;
import dev.pbstoolchain.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a real server package carries besides the program and its Python: a systemd unit, a
 * configuration file the package manager must not overwrite, a state directory owned by the service
 * user, maintainer scripts and package relations -- in every payload compression, judged by dpkg (a
 * real install into a scratch database, scripts included), rpm and lintian.
 */
class ServerPackageTest {

  static final String APP = "embedded-app";
  static final String CONF = "etc/" + APP + "/" + APP + ".conf";
  static final String UNIT = "lib/systemd/system/" + APP + ".service";
  static final String STATE = "var/lib/" + APP;

  @TempDir static Path tree;
  static Path binary;
  static Path python;
  static Path conf;
  static Path unit;
  static Path copyright;

  @TempDir Path out;

  @BeforeAll
  static void sources() throws Exception {
    python = tree.resolve("python");
    Files.createDirectories(python.resolve("lib/python3.11"));
    Files.writeString(python.resolve("lib/python3.11/os.py"), "# os\n");
    Files.createDirectories(python.resolve("bin"));
    // A stand-in interpreter: lintian would flag a real CPython's static expat, which
    // PackagersTest covers.
    Files.copy(Path.of("/bin/true"), python.resolve("bin/python3.11"));
    Files.createSymbolicLink(python.resolve("bin/python3"), Path.of("python3.11"));
    binary = Files.copy(Path.of("/bin/true"), tree.resolve(APP));
    conf = Files.writeString(tree.resolve("app.conf"), "listen = 127.0.0.1:8080\n");
    unit =
        Files.writeString(
            tree.resolve("app.service"),
            "[Unit]\nDescription=Embedded app\nDocumentation=https://pbstoolchain.dev\n\n"
                + "[Service]\nUser="
                + APP
                + "\nExecStart=/usr/bin/"
                + APP
                + "\n\n[Install]\nWantedBy=multi-user.target\n");
    copyright =
        Files.writeString(
            tree.resolve("copyright"),
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                + "Upstream-Name: embedded-app\n\nFiles: *\nCopyright: 2026 pbs-toolchain\n"
                + "License: Apache-2.0\n");
  }

  static Layout layout() throws PackagingException {
    return ReleaseLayouts.linuxPackage(APP, binary, python, extras());
  }

  static ReleaseLayouts.LinuxExtras extras() {
    return new ReleaseLayouts.LinuxExtras(files(), directories(), List.of());
  }

  /**
   * The extras with the configuration file owned by the service user and three links: relative,
   * absolute, and into the bundled Python.
   */
  static ReleaseLayouts.LinuxExtras linked(List<Symlink> links) {
    return new ReleaseLayouts.LinuxExtras(
        List.of(
            new ReleaseLayouts.Extra(conf, "/" + CONF, 0640, true, APP, APP),
            new ReleaseLayouts.Extra(unit, "/" + UNIT, 0644, false, "root", "adm")),
        directories(),
        links);
  }

  static final List<Symlink> LINKS =
      List.of(
          new Symlink("/usr/sbin/" + APP, "../bin/" + APP),
          new Symlink("/etc/" + APP + "/state", "/" + STATE),
          new Symlink("/usr/lib/" + APP + "/lib", "python/lib"));

  static List<ReleaseLayouts.Extra> files() {
    return List.of(
        new ReleaseLayouts.Extra(copyright, "/usr/share/doc/" + APP + "/copyright", 0644, false),
        new ReleaseLayouts.Extra(unit, "/" + UNIT, 0644, false),
        new ReleaseLayouts.Extra(conf, "/" + CONF, 0640, true));
  }

  static List<ReleaseLayouts.OwnedDirectory> directories() {
    return List.of(new ReleaseLayouts.OwnedDirectory("/" + STATE, APP, APP, 0750));
  }

  /**
   * Scripts that log their name and arguments under $DPKG_ROOT (set by dpkg --root), so a
   * scratch-root install shows they ran, in which order and with which arguments.
   */
  static Map<String, String> scripts() {
    return Map.of(
        "preinst", script("preinst"),
        "postinst", script("postinst"),
        "prerm", script("prerm"),
        "postrm", script("postrm"));
  }

  static String script(String name) {
    return "#!/bin/sh\nset -e\nmkdir -p \"$DPKG_ROOT/tmp\"\necho \""
        + name
        + " $*\" >> \"$DPKG_ROOT/tmp/"
        + APP
        + "-scripts.log\"\n";
  }

  static PackageInfo info(boolean withScriptsAndRequires) {
    PackageInfo.Builder info =
        PackageInfo.builder(APP, "1.2.0", "x86_64-unknown-linux-gnu", PackagersTest.EPOCH)
            .summary("Embeds CPython")
            .maintainer("pbs <dev@pbstoolchain.dev>")
            .description("A server that embeds CPython.\nIt runs Python plugins.")
            .homepage("https://pbstoolchain.dev")
            .license("Apache-2.0")
            .vendor("pbs-toolchain")
            .depends(withScriptsAndRequires ? List.of("libc6 (>= 2.17)", "adduser") : List.of())
            .requires(withScriptsAndRequires ? List.of("libc.so.6()(64bit)") : List.of())
            .recommends(List.of("ca-certificates"))
            .conflicts(List.of("embedded-app-legacy"))
            .provides(List.of("python-plugin-host"));
    return (withScriptsAndRequires ? info.scripts(scripts()) : info).build();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void debCarriesConffilesScriptsRelationsAndOwnedDirectoriesAndDpkgInstallsIt(Compression c)
      throws Exception {
    Path deb = out.resolve(APP + "_1.2.0-1_amd64.deb");
    Write.deb(layout(), info(true), c, deb);

    assertThat(Sh.run("ar", "t", deb.toString()).ok().out().lines())
        .containsExactly("debian-binary", "control.tar.gz", "data.tar." + c.debSuffix());
    String fields = Sh.run("dpkg-deb", "-f", deb.toString()).ok().out();
    assertThat(fields)
        .contains("Depends: libc6 (>= 2.17), adduser\n")
        .contains("Recommends: ca-certificates\n")
        .contains("Conflicts: embedded-app-legacy\n")
        .contains("Provides: python-plugin-host\n")
        .contains("Section: utils\n");
    Path control = out.resolve("control");
    Sh.run("dpkg-deb", "-e", deb.toString(), control.toString()).ok();
    assertThat(control.resolve("conffiles")).hasContent("/" + CONF);
    for (String name : List.of("preinst", "postinst", "prerm", "postrm")) {
      assertThat(control.resolve(name)).hasContent(script(name).strip());
      assertThat(Files.isExecutable(control.resolve(name))).as(name).isTrue();
    }
    String contents = Sh.run("dpkg-deb", "-c", deb.toString()).ok().out();
    assertThat(contents)
        .containsPattern("drwxr-x--- " + APP + "/" + APP + " +0 [-0-9: ]+\\./" + STATE + "/")
        .containsPattern("-rw-r----- root/root +\\d+ [-0-9: ]+\\./" + CONF + "\n")
        .containsPattern("-rw-r--r-- root/root +\\d+ [-0-9: ]+\\./" + UNIT + "\n");
    assertThat(lintianErrors(deb)).isEmpty();

    // A real install into a scratch dpkg database: dpkg runs the scripts (without chroot, with
    // DPKG_ROOT set), records the conffile with its digest, and keeps it on remove.
    Path root = out.resolve("root");
    Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.createDirectories(admin.resolve("info"));
    Files.createDirectories(admin.resolve("updates"));
    Files.writeString(admin.resolve("status"), "");
    List<String> dpkg =
        List.of(
            "dpkg",
            "--root=" + root,
            "--force-not-root",
            "--force-script-chrootless",
            "--force-depends",
            "--log=/dev/null");
    Sh.run(command(dpkg, "-i", deb.toString())).ok();
    assertThat(Sh.run(command(dpkg, "-s", APP)).ok().out())
        .contains("Status: install ok installed")
        .containsPattern("Conffiles:\n /" + CONF + " [0-9a-f]{32}");
    assertThat(root.resolve(CONF)).hasContent("listen = 127.0.0.1:8080");
    assertThat(root.resolve(STATE)).isDirectory();
    assertThat(Files.readString(root.resolve("tmp/" + APP + "-scripts.log")).lines())
        .containsExactly("preinst install", "postinst configure ");
    Files.writeString(root.resolve(CONF), "listen = 0.0.0.0:80\n");
    Sh.run(command(dpkg, "-r", APP)).ok();
    assertThat(root.resolve("usr/bin/" + APP)).doesNotExist();
    assertThat(root.resolve(CONF)).as("a removed package keeps its edited conffile").exists();
    assertThat(Files.readString(root.resolve("tmp/" + APP + "-scripts.log")).lines())
        .endsWith("prerm remove", "postrm remove");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void rpmCarriesConfigScriptsRelationsAndOwnersAndRpmAcceptsItWithoutNodeps(Compression c)
      throws Exception {
    Path rpm = out.resolve(APP + "-1.2.0-1.x86_64.rpm");
    Write.rpm(layout(), info(false), c, ReleaseLayouts.rpmOwnedDirectories(APP, extras()), rpm);
    assertThat(Sh.run("rpm", "-Kv", rpm.toString()).ok().out())
        .contains("Header SHA256 digest: OK")
        .contains("Payload SHA256 digest: OK")
        .doesNotContain("BAD");
    assertThat(Sh.run("rpm", "-qp", "--qf", "%{PAYLOADCOMPRESSOR}", rpm.toString()).ok().out())
        .isEqualTo(c.rpmName());
    String requires = Sh.run("rpm", "-qpR", rpm.toString()).ok().out();
    switch (c) {
      case ZSTD -> assertThat(requires).contains("rpmlib(PayloadIsZstd) <= 5.4.18-1");
      case XZ -> assertThat(requires).contains("rpmlib(PayloadIsXz) <= 5.2-1");
      default -> assertThat(requires).doesNotContain("PayloadIs");
    }
    assertThat(Sh.run("rpm", "-qp", "--recommends", rpm.toString()).ok().out())
        .isEqualTo("ca-certificates\n");
    assertThat(Sh.run("rpm", "-qp", "--conflicts", rpm.toString()).ok().out())
        .isEqualTo("embedded-app-legacy\n");
    assertThat(Sh.run("rpm", "-qp", "--provides", rpm.toString()).ok().out())
        .contains("python-plugin-host\n")
        .contains(APP + " = 1.2.0-1\n");
    assertThat(Sh.run("rpm", "-qpc", rpm.toString()).ok().out()).isEqualTo("/" + CONF + "\n");
    // path size mtime digest mode owner group isconfig isdoc rdev symlink
    String dump = Sh.run("rpm", "-qp", "--dump", rpm.toString()).ok().out();
    assertThat(dump)
        .containsPattern("(?m)^/" + STATE + " 4096 \\d+ 0{64} 040750 " + APP + " " + APP + " 0 0 ")
        .containsPattern("(?m)^/" + CONF + " 24 \\d+ [0-9a-f]{64} 0100640 root root 1 0 ")
        .containsPattern("(?m)^/" + UNIT + " \\d+ \\d+ [0-9a-f]{64} 0100644 root root 0 0 ")
        .containsPattern("(?m)^/etc/" + APP + " 4096 ");
    assertThat(dump).as("system directories stay unowned").doesNotContainPattern("(?m)^/etc ");
    assertThat(rpmlintErrors(rpm)).isEmpty();

    // Without --nodeps: every rpmlib() feature the payload needs is one this rpm provides.
    Path root = out.resolve("rpmroot");
    Sh.run("rpm", "--root", root.toString(), "--initdb").ok();
    Sh.run("rpm", "--root", root.toString(), "-i", "--test", rpm.toString()).ok();
    Sh.run("rpm", "--root", root.toString(), "-i", rpm.toString()).ok();
    assertThat(root.resolve(CONF)).hasContent("listen = 127.0.0.1:8080");
    assertThat(Sh.run("rpm", "--root", root.toString(), "-V", APP).out()).isEmpty();
    // %config(noreplace): rpm -V marks the edited file as configuration, and erasing the
    // package saves it instead of deleting it.
    Files.writeString(root.resolve(CONF), "listen = 0.0.0.0:80\n");
    assertThat(Sh.run("rpm", "--root", root.toString(), "-V", APP).out())
        .containsPattern("S\\.5\\.\\.\\.\\.T\\. +c /" + CONF);
    Sh.run("rpm", "--root", root.toString(), "-e", APP).ok();
    assertThat(root.resolve("usr/bin/" + APP)).doesNotExist();
    assertThat(root.resolve(CONF + ".rpmsave")).hasContent("listen = 0.0.0.0:80");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void rpmScriptsRunWithTheirInterpreterDeclared(Compression c) throws Exception {
    Path rpm = out.resolve(APP + "-scripts.rpm");
    Write.rpm(layout(), info(true), c, ReleaseLayouts.rpmOwnedDirectories(APP, extras()), rpm);
    String scripts = Sh.run("rpm", "-qp", "--scripts", rpm.toString()).ok().out();
    for (String[] s :
        new String[][] {
          {"preinstall", "preinst"},
          {"postinstall", "postinst"},
          {"preuninstall", "prerm"},
          {"postuninstall", "postrm"}
        }) {
      assertThat(scripts).contains(s[0] + " scriptlet (using /bin/sh):\n" + script(s[1]));
    }
    assertThat(Sh.run("rpm", "-qpR", rpm.toString()).ok().out())
        .contains("/bin/sh\n")
        .contains("libc.so.6()(64bit)\n");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void debAndRpmCarryConfiguredLinksAndTheOwnersOfFiles(Compression c) throws Exception {
    Path deb = out.resolve(APP + ".deb");
    Path rpm = out.resolve(APP + ".rpm");
    Layout layout = ReleaseLayouts.linuxPackage(APP, binary, python, linked(LINKS));
    Packager.writeAll(
        PackagingRequest.builder(info(false))
            .compression(c)
            .rpmOwnedDirectories(ReleaseLayouts.rpmOwnedDirectories(APP, linked(LINKS)))
            .artifact(Format.DEB, layout, deb)
            .artifact(Format.RPM, layout, rpm)
            .build());

    String time = " +[-0-9: ]+";
    assertThat(Sh.run("dpkg-deb", "-c", deb.toString()).ok().out())
        .containsPattern(
            "lrwxrwxrwx root/root +0"
                + time
                + "\\./usr/sbin/"
                + APP
                + " -> \\.\\./bin/"
                + APP
                + "\n")
        .containsPattern(
            "lrwxrwxrwx root/root +0" + time + "\\./etc/" + APP + "/state -> /" + STATE + "\n")
        .containsPattern(
            "lrwxrwxrwx root/root +0" + time + "\\./usr/lib/" + APP + "/lib -> python/lib\n")
        .containsPattern("-rw-r----- " + APP + "/" + APP + " +24" + time + "\\./" + CONF + "\n")
        .containsPattern("-rw-r--r-- root/adm +\\d+" + time + "\\./" + UNIT + "\n");
    assertThat(Sh.run("rpm", "-Kv", rpm.toString()).ok().out()).doesNotContain("BAD");
    // mode links owner group size date path
    String row = "(?m)^%s +\\d+ %s +%s +%s [A-Z][a-z]{2} [ 0-9]{2} +[0-9:]+ %s$";
    assertThat(Sh.run("rpm", "-qlvp", rpm.toString()).ok().out())
        .containsPattern(
            row.formatted(
                "lrwxrwxrwx", "root", "root", 19, "/usr/sbin/" + APP + " -> \\.\\./bin/" + APP))
        .containsPattern(
            row.formatted("lrwxrwxrwx", "root", "root", 21, "/etc/" + APP + "/state -> /" + STATE))
        .containsPattern(
            row.formatted(
                "lrwxrwxrwx", "root", "root", 10, "/usr/lib/" + APP + "/lib -> python/lib"))
        .as("the links' own directories stay unowned")
        .doesNotContainPattern("(?m) /usr/sbin$");
    // rpm -qlv cuts owner names to eight characters: the header's own names, in full.
    String owners = "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILENAMES}\\n]";
    assertThat(Sh.run("rpm", "-qp", "--qf", owners, rpm.toString()).ok().out())
        .contains("-rw-r----- " + APP + ":" + APP + " /" + CONF + "\n")
        .contains("-rw-r--r-- root:adm /" + UNIT + "\n")
        .contains("drwxr-x--- " + APP + ":" + APP + " /" + STATE + "\n");

    // Installed by dpkg and by rpm, the links lead where they should.
    Path debRoot = out.resolve("deb-root");
    Path admin = Files.createDirectories(debRoot.resolve("var/lib/dpkg"));
    Files.createDirectories(admin.resolve("info"));
    Files.createDirectories(admin.resolve("updates"));
    Files.writeString(admin.resolve("status"), "");
    Sh.run("dpkg", "--root=" + debRoot, "--force-not-root", "--log=/dev/null", "-i", deb.toString())
        .ok();
    Path rpmRoot = out.resolve("rpm-root");
    Sh.run("rpm", "--root", rpmRoot.toString(), "--initdb").ok();
    Sh.run("rpm", "--root", rpmRoot.toString(), "-i", "--nodeps", rpm.toString()).ok();
    for (Path root : List.of(debRoot, rpmRoot)) {
      Path sbin = root.resolve("usr/sbin/" + APP);
      assertThat(Files.readSymbolicLink(sbin))
          .as(root.toString())
          .isEqualTo(Path.of("../bin/" + APP));
      assertThat(sbin).as(root.toString()).hasSameBinaryContentAs(binary);
      assertThat(root.resolve("usr/lib/" + APP + "/lib/python3.11/os.py")).hasContent("# os");
      assertThat(Files.readSymbolicLink(root.resolve("etc/" + APP + "/state")))
          .isEqualTo(Path.of("/" + STATE));
    }
  }

  @Test
  void aTarballCarriesTheLinksAndTheOwnersOfFiles() throws Exception {
    Path tgz = out.resolve(APP + ".tar.gz");
    Write.tarGz(ReleaseLayouts.linuxPackage(APP, binary, python, linked(LINKS)), tgz, 0);

    assertThat(Sh.run("tar", "-tvzf", tgz.toString()).ok().out())
        .containsPattern(
            "lrwxrwxrwx root/root +0 [-0-9: ]+usr/sbin/" + APP + " -> \\.\\./bin/" + APP + "\n")
        .containsPattern("-rw-r----- " + APP + "/" + APP + " +24 [-0-9: ]+" + CONF + "\n")
        .containsPattern("-rw-r--r-- root/adm +\\d+ [-0-9: ]+" + UNIT + "\n");
  }

  @Test
  void aLinkThatWouldReplaceOrHideSomethingIsRefusedByName() {
    assertThatThrownBy(() -> withLink("/usr/bin/" + APP, "other"))
        .isInstanceOf(PackagingException.class)
        .hasMessage(
            "symbolic link /usr/bin/"
                + APP
                + " -> other: the package already holds a file at that path. Choose another path"
                + " for the link.");
    assertThatThrownBy(() -> withLink("/" + STATE, "/srv/state"))
        .hasMessage(
            "symbolic link /"
                + STATE
                + " -> /srv/state: the package already holds a directory at that path. Choose"
                + " another path for the link.");
    assertThatThrownBy(() -> withLink("/" + CONF + "/inside", "x"))
        .hasMessage(
            "symbolic link /"
                + CONF
                + "/inside -> x: /"
                + CONF
                + " is a file, not a directory. Choose another path for the link.");
    assertThatThrownBy(
            () ->
                ReleaseLayouts.linuxPackage(
                    APP,
                    binary,
                    python,
                    linked(
                        List.of(new Symlink("/usr/sbin/a", "x"), new Symlink("/usr/sbin/a", "y")))))
        .hasMessage(
            "symbolic link /usr/sbin/a -> y: the package already holds a symbolic link (-> x) at"
                + " that path. Choose another path for the link.");
    assertThatThrownBy(() -> withLink("usr/sbin/a", "x"))
        .hasMessage(
            "symbolic link usr/sbin/a -> x: its path must be absolute, e.g. /usr/sbin/APP. Set the"
                + " link's path.");
    assertThatThrownBy(() -> withLink("/usr/sbin/a", " "))
        .hasMessage(
            "symbolic link /usr/sbin/a ->  : it has no target. Set what it points to, e.g."
                + " ../bin/APP.");
  }

  @Test
  void anOwnerNoPackageManagerKeepsIsRefusedByName() {
    ReleaseLayouts.LinuxExtras spaced =
        new ReleaseLayouts.LinuxExtras(
            List.of(new ReleaseLayouts.Extra(conf, "/" + CONF, 0640, true, "app user", APP)),
            List.of(),
            List.of());
    assertThatThrownBy(() -> ReleaseLayouts.linuxPackage(APP, binary, python, spaced))
        .isInstanceOf(PackagingException.class)
        .hasMessage(
            "The owner 'app user' of /"
                + CONF
                + " is not a user or group name tar, dpkg and rpm all keep: use up to 31 letters,"
                + " digits, '_', '.' or '-', starting with a letter or '_'.");
    ReleaseLayouts.LinuxExtras longGroup =
        new ReleaseLayouts.LinuxExtras(
            List.of(),
            List.of(new ReleaseLayouts.OwnedDirectory("/" + STATE, APP, "g".repeat(32), 0750)),
            List.of());
    assertThatThrownBy(() -> ReleaseLayouts.linuxPackage(APP, binary, python, longGroup))
        .hasMessageStartingWith("The group '" + "g".repeat(32) + "' of /" + STATE + " is not");
  }

  private static Layout withLink(String path, String target) throws PackagingException {
    return ReleaseLayouts.linuxPackage(
        APP, binary, python, linked(List.of(new Symlink(path, target))));
  }

  static String[] command(List<String> base, String... more) {
    List<String> all = new java.util.ArrayList<>(base);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /**
   * lintian's errors, less one: lintian 2.116 (Debian 12) still treats {@code data.tar.zst} as
   * malformed although dpkg 1.21.18+ installs it (the install above proves it). zstd is for targets
   * such as Ubuntu whose dpkg reads it; gzip stays the default.
   */
  static List<String> lintianErrors(Path deb) {
    String report = Sh.run("lintian", "--no-tag-display-limit", deb.toString()).out();
    assertThat(report).as("lintian ran").doesNotContain("command not found");
    return report
        .lines()
        .filter(l -> l.startsWith("E:"))
        .filter(l -> !l.contains("malformed-deb-archive third (official) member data.tar.zst"))
        .toList();
  }

  /**
   * rpmlint's errors beyond {@link PackagersTest#rpmlintErrors}'s, less two that are this package's
   * design: a state directory private to the service user, and a configuration file that may hold
   * secrets, readable by root and the package's group only.
   */
  static List<String> rpmlintErrors(Path rpm) throws Exception {
    return PackagersTest.rpmlintErrors(rpm).stream()
        .filter(l -> !l.contains("E: non-standard-dir-perm /" + STATE + " 750"))
        .filter(l -> !l.contains("E: non-readable /" + CONF + " 640"))
        .toList();
  }
}
