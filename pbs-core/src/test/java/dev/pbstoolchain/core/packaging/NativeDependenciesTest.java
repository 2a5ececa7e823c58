package dev.pbstoolchain.core.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.elf.ElfFile;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.testing.ExternalTool;
import dev.pbstoolchain.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dependencies as the native tools compute them, judged by the tools themselves on the same files:
 * rpm 4.18's elfdeps per file, and dpkg-shlibdeps and rpmbuild on one package tree (a program
 * linking the bundled libpython, Debian's libpython3.11 and every extension module of its
 * lib-dynload, and a C++ program needing libgcc_s and libstdc++).
 */
class NativeDependenciesTest {

  static final Path ELF_FIXTURES = SharedFixtures.of("binaries/elf");
  static final Path HOST_LIBPYTHON = Path.of("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0");
  static final Path HOST_DYNLOAD = Path.of("/usr/lib/python3.11/lib-dynload");
  static final String APP = "plugin-host";

  @TempDir static Path shared;

  /** The package tree: {@code usr/bin/APP}, {@code usr/lib/APP/...}, built once. */
  static Path tree;

  static Stream<Path> elfFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> fixtures = Files.list(ELF_FIXTURES)) {
      // base-strip has no section headers: elfdeps reads sections and finds nothing, we read the
      // dynamic segment the loader uses (see dynamicSegmentWithoutSections).
      fixtures
          .filter(f -> !f.getFileName().toString().equals("object-testfiles_base-strip"))
          .sorted()
          .forEach(files::add);
    }
    files.addAll(
        List.of(
            Path.of("/usr/bin/python3.11"),
            HOST_LIBPYTHON,
            Path.of("/usr/lib/x86_64-linux-gnu/libstdc++.so.6"),
            Path.of("/lib/x86_64-linux-gnu/libc.so.6"),
            Path.of("/usr/aarch64-linux-gnu/lib/libc.so.6"),
            HOST_DYNLOAD.resolve("_ssl.cpython-311-x86_64-linux-gnu.so"),
            HOST_DYNLOAD.resolve("_ctypes.cpython-311-x86_64-linux-gnu.so")));
    return files.stream();
  }

  private static SortedRequires elfdeps(Path file) {
    String out =
        ExternalTool.run("/usr/lib/rpm/elfdeps", "--requires", file.toString()).orFail().stdout();
    return new SortedRequires(new TreeSet<>(out.lines().filter(l -> !l.isBlank()).toList()));
  }

  private record SortedRequires(TreeSet<String> requires) {}

  @ParameterizedTest
  @MethodSource("elfFiles")
  void perFileRequiresAreElfdepsOwn(Path file, @TempDir Path work) throws Exception {
    for (String mode : List.of("rwxr-xr-x", "rw-r--r--")) {
      Path copy = work.resolve(mode.charAt(2) == 'x' ? "exec" : "plain");
      Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(mode));
      assertThat(RpmElfRequires.of(ElfFile.read(copy), mode.charAt(2) == 'x'))
          .as(file + " " + mode)
          .containsExactlyElementsOf(elfdeps(copy).requires());
    }
  }

  @Test
  void dynamicSegmentWithoutSections() throws Exception {
    // The loader needs libc from the dynamic segment whatever the section table says.
    assertThat(
            RpmElfRequires.of(
                ElfFile.read(ELF_FIXTURES.resolve("object-testfiles_base-strip")), true))
        .contains("libc.so.6()(64bit)");
  }

  @BeforeAll
  static void buildPackageTree() throws IOException {
    tree = shared.resolve("root");
    Path python = Files.createDirectories(tree.resolve("usr/lib/" + APP + "/python/lib"));
    Path dynload = Files.createDirectories(python.resolve("python3.11/lib-dynload"));
    Files.copy(HOST_LIBPYTHON, python.resolve(HOST_LIBPYTHON.getFileName()));
    Files.createSymbolicLink(python.resolve("libpython3.11.so"), Path.of("libpython3.11.so.1.0"));
    try (Stream<Path> modules = Files.list(HOST_DYNLOAD)) {
      for (Path module : modules.sorted().toList()) {
        Files.copy(module, dynload.resolve(module.getFileName()));
      }
    }
    Path bin = Files.createDirectories(tree.resolve("usr/bin"));
    Path app =
        Files.writeString(
            shared.resolve("app.c"),
            "#include <stdio.h>\n#include <sys/random.h>\n"
                + "const char *Py_GetVersion(void);\n"
                + "int main(void) { char b[4]; getrandom(b, 4, 0);\n"
                + "  printf(\"%s\\n\", Py_GetVersion()); return 0; }\n");
    ExternalTool.run(
            "gcc",
            "-O2",
            "-o",
            bin.resolve(APP).toString(),
            app.toString(),
            "-L" + python,
            "-l:libpython3.11.so.1.0",
            "-Wl,-rpath,$ORIGIN/../lib/" + APP + "/python/lib")
        .orFail();
    Path helper =
        Files.writeString(
            shared.resolve("helper.cc"),
            "#include <stdexcept>\n#include <iostream>\n"
                + "int main(int argc, char **) { try { if (argc > 1) throw std::runtime_error(\"x\"); }"
                + " catch (const std::exception &e) { std::cout << e.what(); } return 0; }\n");
    ExternalTool.run(
            "g++",
            "-O2",
            "-o",
            tree.resolve("usr/lib/" + APP + "/helper").toString(),
            helper.toString())
        .orFail();
    // As PBS ships them: every ELF file executable (Debian's own modules are 0644).
    try (Stream<Path> files = Files.walk(tree)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static PackageRelations ours() throws Exception {
    Layout layout = new Layout().addTree("", tree);
    return PackageRelations.of(
        NativeDependencies.scan(layout),
        SystemDependencies.scan(tree.resolve("usr/lib/" + APP + "/python")).keySet(),
        // The C++ helper takes libstdc++ from the system, declared as matrix.yaml would.
        Map.of("libstdc++.so.6", "libstdc++6"),
        true,
        List.of(),
        List.of());
  }

  private static List<Path> elfFilesOf(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(f -> Files.isRegularFile(f) && SystemDependencies.isElf(f))
          .sorted()
          .toList();
    }
  }

  @Test
  void debDependsAreDpkgShlibdepsOwn() throws Exception {
    // dpkg-shlibdeps works in a source tree: debian/control, the package under debian/APP with
    // its DEBIAN/ (so $ORIGIN in RUNPATH resolves inside the package).
    Path source = shared.resolve("deb-source");
    Path packageDir = Files.createDirectories(source.resolve("debian"));
    Files.writeString(
        packageDir.resolve("control"),
        "Source: " + APP + "\n\nPackage: " + APP + "\nArchitecture: any\n");
    ExternalTool.run("cp", "-a", tree.toString(), packageDir.resolve(APP).toString()).orFail();
    Files.createDirectories(packageDir.resolve(APP + "/DEBIAN"));
    List<String> command = new ArrayList<>(List.of("dpkg-shlibdeps", "-O"));
    for (Path elf : elfFilesOf(packageDir.resolve(APP))) {
      command.add("-e" + source.relativize(elf));
    }
    String out =
        ExternalTool.run(source, Map.of(), command.toArray(String[]::new))
            .orFail()
            .stdout()
            .strip();
    assertThat(out).startsWith("shlibs:Depends=");
    Map<String, String> theirs = new LinkedHashMap<>();
    for (String relation : out.substring("shlibs:Depends=".length()).split(", ")) {
      theirs.put(PackageRelations.packageName(relation), relation);
    }
    Map<String, String> mine = new LinkedHashMap<>();
    for (String relation : ours().debDepends()) {
      mine.put(PackageRelations.packageName(relation), relation);
    }
    // The same packages in the same order; libc6 and libgcc-s1 with dpkg's very versions (other
    // libraries' minimum versions need their symbols files, which only the target system has).
    assertThat(mine.keySet()).containsExactlyElementsOf(theirs.keySet());
    assertThat(mine.get("libc6")).isEqualTo(theirs.get("libc6")).startsWith("libc6 (>= 2.");
    assertThat(mine.get("libgcc-s1")).isEqualTo(theirs.get("libgcc-s1")).isNotNull();
  }

  @Test
  void rpmRequiresAreRpmbuildsOwn() throws Exception {
    Path top = shared.resolve("rpmbuild");
    // Bundled libraries are private: filtered from Provides and Requires as Fedora's packaging
    // guidelines have spec files do it by hand.
    Set<String> shipped;
    try (Stream<Path> files = Files.walk(tree)) {
      shipped =
          files
              .filter(f -> !Files.isDirectory(f))
              .map(f -> f.getFileName().toString())
              .collect(Collectors.toCollection(TreeSet::new));
    }
    String excluded =
        shipped.stream()
            .map(name -> name.replace(".", "\\\\.").replace("+", "\\\\+"))
            .collect(Collectors.joining("|"));
    Path spec =
        Files.writeString(
            shared.resolve(APP + ".spec"),
            String.join(
                "\n",
                "%global __provides_exclude_from ^/usr/lib/" + APP + "/.*$",
                "%global __requires_exclude ^(" + excluded + ")\\\\(",
                "Name: " + APP,
                "Version: 1.0",
                "Release: 1",
                "Summary: test",
                "License: MIT",
                "%description",
                "test",
                "%install",
                "cp -a " + tree + "/. %{buildroot}/",
                "%files",
                "/usr/bin/" + APP,
                "/usr/lib/" + APP,
                ""));
    ExternalTool.run(
            "rpmbuild",
            "-bb",
            "--define",
            "_topdir " + top,
            "--define",
            "__os_install_post %{nil}",
            "--define",
            "debug_package %{nil}",
            "--define",
            "_build_id_links none",
            spec.toString())
        .orFail();
    Path rpm;
    try (Stream<Path> rpms = Files.walk(top.resolve("RPMS"))) {
      rpm = rpms.filter(f -> f.toString().endsWith(".rpm")).findFirst().orElseThrow();
    }
    List<String> theirs =
        ExternalTool.run("rpm", "-qp", "--requires", rpm.toString())
            .orFail()
            .stdout()
            .lines()
            .filter(l -> !l.startsWith("rpmlib("))
            .sorted()
            .toList();
    assertThat(ours().rpmRequires()).containsExactlyElementsOf(theirs);
    assertThat(theirs).contains("libc.so.6(GLIBC_2.25)(64bit)", "libgcc_s.so.1(GCC_3.0)(64bit)");
  }

  @Test
  void versionNodesMapToReleasesAsDebianNamesThem() {
    assertThat(DebShlibs.glibcRelease("GLIBC_2.2.5")).contains("2.2.5");
    assertThat(DebShlibs.glibcRelease("GLIBC_PRIVATE")).isEmpty();
    // dpkg-shlibdeps says 2.34 for this one (it reads symbols only); a 2.35 loader refuses it.
    assertThat(DebShlibs.glibcRelease("GLIBC_ABI_DT_RELR")).contains("2.36");
    // As Debian's libgcc-s1 symbols file names them.
    Map<String, String> gcc =
        Map.of(
            "GCC_3.0", "3.0",
            "GCC_3.3.1", "3.3.1",
            "GCC_4.0.0", "4.0",
            "GCC_4.2.0", "4.2",
            "GCC_7.0.0", "7",
            "GCC_11.0", "11",
            "GCC_12.0.0", "12");
    gcc.forEach((node, release) -> assertThat(DebShlibs.gccRelease(node)).contains(release));
  }

  @Test
  void debShlibsReadsDebiansSymbolsFileTheSameWay() throws IOException {
    // Every versioned line of the host's libgcc-s1 and libc6 symbols files: node -> release. The
    // only lines that name a later release than their node are Debian 12's sysconf pair (raised
    // to 2.34 for the constants glibc 2.34 added); we keep the node's release, which is what a
    // binary built against an older glibc needs, so such a binary still installs on older systems.
    List<String> raised = new ArrayList<>();
    for (String symbols :
        List.of(
            "/var/lib/dpkg/info/libgcc-s1:amd64.symbols",
            "/var/lib/dpkg/info/libc6:amd64.symbols")) {
      for (String line : Files.readAllLines(Path.of(symbols))) {
        String[] fields = line.strip().split("\\s+");
        if (!line.startsWith(" ") || fields.length < 2 || !fields[0].contains("@")) {
          continue;
        }
        String node = fields[0].substring(fields[0].indexOf('@') + 1);
        if (node.startsWith("GCC_")) {
          assertThat(DebShlibs.gccRelease(node)).as(line).contains(fields[1]);
        } else if (node.startsWith("GLIBC_2")
            && !DebShlibs.glibcRelease(node).orElseThrow().equals(fields[1])) {
          raised.add(fields[0] + " " + fields[1]);
        }
      }
    }
    assertThat(raised)
        .containsExactlyInAnyOrder("__sysconf@GLIBC_2.2.5 2.34", "sysconf@GLIBC_2.2.5 2.34");
  }
}
