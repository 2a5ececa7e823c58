package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two builds on one machine that share nothing but the inputs' contents: separate JVMs, a different
 * umask, time zone and locale, and source trees written in opposite orders with different
 * permission bits and times. Every format must come out byte for byte the same.
 */
class ReproducibleBuildsTest {

  private static final List<String> FORMATS = List.of("tar.gz", "deb", "rpm", "zip");

  @TempDir Path dir;

  @Test
  void separateRunsUnderAnotherUmaskTimeZoneAndLocaleGiveIdenticalArtifacts() throws Exception {
    Path first = sourceTree(dir.resolve("first"), false);
    Path second = sourceTree(dir.resolve("second"), true);

    Map<String, String> built = build(first, "022", "UTC", "en", "US");
    Map<String, String> rebuilt = build(second, "077", "Pacific/Kiritimati", "tr", "TR");

    assertThat(built).containsOnlyKeys("app.tar.gz", "app.deb", "app.rpm", "app.zip");
    assertThat(rebuilt).isEqualTo(built);
  }

  /**
   * A small release tree: an executable, a python tree with a symlink, a top-level DLL (copied
   * beside the exe in the zip), a name with a capital I (lower-cased differently in Turkish) and
   * terminfo's case-folded link. {@code scrambled} writes it in reverse order, owner-only modes (as
   * under umask 077) and other times.
   */
  private static Path sourceTree(Path root, boolean scrambled) throws IOException {
    Map<String, String> files = new TreeMap<>();
    files.put("app", "#!/bin/sh\necho app\n");
    files.put("python/python311.dll", "MZ not really a dll\n");
    files.put("python/bin/python3.11", "#!/bin/sh\necho 3.11\n");
    files.put("python/lib/python3.11/os.py", "import sys\n".repeat(500));
    files.put("python/lib/python3.11/INDEX.txt", "Index\n");
    files.put("python/lib/python3.11/encodings/__init__.py", "# encodings\n");
    files.put("python/share/terminfo/n/ncr260", "terminfo\n");
    List<String> order = new ArrayList<>(files.keySet());
    if (scrambled) {
      java.util.Collections.reverse(order);
    }
    for (String name : order) {
      Path file = root.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, files.get(name));
      boolean executable = name.equals("app") || name.contains("/bin/");
      String mode =
          scrambled ? (executable ? "rwx------" : "rw-------") : (executable ? "rwxr-xr-x" : null);
      if (mode != null) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      }
      if (scrambled) {
        Files.setLastModifiedTime(file, FileTime.fromMillis(86_400_000L));
      }
    }
    Files.createSymbolicLink(root.resolve("python/bin/python3"), Path.of("python3.11"));
    Files.createDirectories(root.resolve("python/share/terminfo/N"));
    Files.createSymbolicLink(
        root.resolve("python/share/terminfo/N/NCR260"), Path.of("../n/ncr260"));
    return root;
  }

  /** Runs the packagers CLI in its own JVM and returns each artifact's SHA-256 by file name. */
  private static Map<String, String> build(
      Path source, String umask, String timeZone, String language, String country)
      throws Exception {
    Path out = source.resolveSibling(source.getFileName() + "-out");
    packageInOwnJvm(
            source,
            out,
            "umask " + umask,
            Map.of("TZ", timeZone, "LANG", language + "_" + country + ".UTF-8"),
            "-Duser.language=" + language,
            "-Duser.country=" + country)
        .ok();
    Map<String, String> digests = new TreeMap<>();
    try (var artifacts = Files.list(out)) {
      for (Path artifact : artifacts.toList()) {
        digests.put(artifact.getFileName().toString(), PackagersTest.sha256(artifact));
      }
    }
    return digests;
  }

  @Test
  void aNonAsciiNameIsKeptUnderAUtf8LocaleAndRefusedUnderAnAsciiOne() throws Exception {
    Path source = sourceTree(dir.resolve("accented"), false);
    writeNamedInBytes(source, "caf\\303\\251.py");

    Path utf8 = dir.resolve("utf8");
    packageInOwnJvm(source, utf8, "true", Map.of("LC_ALL", "C.UTF-8")).ok();
    assertThat(
            Sh.run(
                    null,
                    Map.of("LC_ALL", "C.UTF-8"),
                    "tar",
                    "-tzf",
                    utf8.resolve("app.tar.gz").toString())
                .ok()
                .out())
        .contains("app-1.0.0/python/lib/python3.11/caf\u00e9.py\n");

    // LANG unset, as in many CI containers: Java then reads names as ASCII and cannot keep this
    // one.
    Path ascii = dir.resolve("ascii");
    Sh.Result refused = packageInOwnJvm(source, ascii, "true", Map.of("LC_ALL", "C"));
    assertThat(refused.code()).isNotZero();
    assertThat(refused.out())
        .contains("python/lib/python3.11/caf")
        .contains("this JVM decodes file names as ANSI_X3.4-1968")
        .contains("run the build under a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
    try (var left = Files.list(ascii)) {
      assertThat(left).as("nothing written half-way").isEmpty();
    }

    // A Latin-1 name is not UTF-8 at all: no locale fixes it, the file must be renamed.
    Path latin1 = sourceTree(dir.resolve("latin1"), false);
    writeNamedInBytes(latin1, "caf\\351.py");
    Sh.Result notUtf8 =
        packageInOwnJvm(latin1, dir.resolve("latin1-out"), "true", Map.of("LC_ALL", "C.UTF-8"));
    assertThat(notUtf8.code()).isNotZero();
    assertThat(notUtf8.out()).contains("the name is not valid UTF-8").contains("rename it");
  }

  /**
   * Writes a module under {@code python/lib/python3.11} whose name is given as printf escapes: the
   * shell writes the bytes, so this JVM's own locale does not matter.
   */
  private static void writeNamedInBytes(Path source, String printfName) {
    Sh.run(
            "sh",
            "-c",
            "echo 'x = 1' > \"$0/$(printf '" + printfName + "')\"",
            source.resolve("python/lib/python3.11").toString())
        .ok();
  }

  /**
   * The packagers CLI, all four formats, in a JVM of its own started by {@code sh} after {@code
   * shellSetup}.
   */
  private static Sh.Result packageInOwnJvm(
      Path source, Path out, String shellSetup, Map<String, String> env, String... javaOptions)
      throws IOException {
    Files.createDirectories(out);
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "sh",
            "-c",
            shellSetup + " && exec \"$0\" \"$@\"",
            ProcessHandle.current().info().command().orElse("java")));
    command.addAll(List.of(javaOptions));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.pbstoolchain.packagers.cli.Main",
            String.join(",", FORMATS),
            "app",
            source.resolve("app").toString(),
            source.resolve("python").toString(),
            out.toString()));
    return Sh.run(null, env, command.toArray(String[]::new));
  }
}
