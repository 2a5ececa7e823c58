package dev.pbstoolchain.core.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.ElfAudit;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.fetch.Directories;
import dev.pbstoolchain.core.packaging.SystemDependencies;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens every artifact and checks what users need: the binary finds the bundled libpython in the
 * artifact's own layout, the glibc floor, no unexpected system library, DLLs beside the exe,
 * LICENSE.md present. Reports as text and as JSON.
 */
public final class ReleaseVerifier {

  /** One check of one artifact. */
  public record Check(String artifact, String check, boolean passed, String detail) {}

  private ReleaseVerifier() {}

  public static List<Check> verify(List<Artifact> artifacts, String app, String maxGlibc, Path work)
      throws PbsException {
    List<Check> checks = new ArrayList<>();
    for (Artifact artifact : artifacts) {
      Path dir = work.resolve(artifact.file().getFileName() + ".d");
      try {
        Directories.deleteRecursively(dir);
        ArtifactExtractor.extract(artifact.file(), artifact.type(), dir);
        checkArtifact(artifact, app, maxGlibc, dir, checks);
      } catch (IOException e) {
        checks.add(new Check(name(artifact), "opens", false, e.getMessage()));
      } finally {
        Directories.deleteQuietly(dir);
      }
    }
    return checks;
  }

  private static void checkArtifact(
      Artifact artifact, String app, String maxGlibc, Path dir, List<Check> checks)
      throws IOException {
    String name = name(artifact);
    Path binary;
    Path python;
    switch (artifact.type()) {
      case "deb", "rpm" -> {
        binary = dir.resolve(ReleaseLayouts.linuxBinary(app));
        python = dir.resolve(ReleaseLayouts.linuxPython(app));
      }
      case "zip" -> {
        binary = dir.resolve(ReleaseLayouts.windowsExe(app));
        python = dir.resolve(ReleaseLayouts.PYTHON_BESIDE_BINARY);
      }
      default -> {
        Path top;
        try (Stream<Path> tops = Files.list(dir)) {
          top = tops.findFirst().orElse(dir);
        }
        binary = top.resolve(app);
        python = top.resolve(ReleaseLayouts.PYTHON_BESIDE_BINARY);
      }
    }
    checks.add(exists(name, "app binary present", binary));
    checks.add(exists(name, "python/LICENSE.md present", python.resolve("LICENSE.md")));
    if (artifact.type().equals("zip")) {
      try {
        for (String dll : dev.pbstoolchain.binarypatcher.pe.PeFile.read(binary).allImports()) {
          if (dll.startsWith("python") || dll.startsWith("vcruntime")) {
            checks.add(
                exists(name, "imported " + dll + " beside the exe", binary.resolveSibling(dll)));
          }
        }
      } catch (BinaryFormatException e) {
        checks.add(new Check(name, "exe readable", false, e.getMessage()));
      }
      return;
    }
    if (artifact.triple().contains("-apple-")) {
      checkDarwin(name, binary, checks);
      return;
    }
    if (!artifact.triple().contains("-linux-") || !Files.isRegularFile(binary)) {
      return;
    }
    try {
      ElfAudit.Report report =
          ElfAudit.audit(binary, ElfAudit.Options.defaults(dir).withMaxGlibc(maxGlibc));
      boolean bundled =
          report.dependencies().stream()
              .anyMatch(
                  d ->
                      d.name().startsWith("libpython")
                          && d.resolution() == ElfAudit.Resolution.BUNDLED);
      checks.add(
          new Check(
              name,
              "loader finds the bundled libpython",
              bundled,
              report.dependencies().stream()
                  .filter(d -> d.name().startsWith("libpython"))
                  .map(
                      d ->
                          d.name()
                              + " -> "
                              + (d.path() == null ? d.resolution() : dir.relativize(d.path())))
                  .findFirst()
                  .orElse("the binary does not link libpython")));
      boolean withinFloor =
          report.maxGlibc().map(v -> ElfAudit.compareVersions(v, maxGlibc) <= 0).orElse(true);
      checks.add(
          new Check(
              name,
              "glibc floor <= " + maxGlibc,
              withinFloor,
              "needs GLIBC_"
                  + report.maxGlibc().orElse("none")
                  + (withinFloor
                      ? ""
                      : ": older systems cannot run it. Build the app against an older glibc"
                          + " (a manylinux-style image, or zig cc with a target ending in -gnu."
                          + maxGlibc
                          + "), or accept the newer floor with -Dpbs.maxGlibc="
                          + report.maxGlibc().get())));
      checks.add(
          new Check(
              name,
              "app needs only bundled or allowed libraries",
              report.missing().isEmpty(),
              report.missing().isEmpty()
                  ? "ok"
                  : "not found: " + String.join(", ", report.missing())));
      var pythonFloor = SystemDependencies.glibcFloor(python);
      boolean pythonWithinFloor =
          pythonFloor.map(f -> ElfAudit.compareVersions(f.getKey(), maxGlibc) <= 0).orElse(true);
      checks.add(
          new Check(
              name,
              "bundled Python's glibc floor <= " + maxGlibc,
              pythonWithinFloor,
              pythonFloor
                  .map(
                      f ->
                          "needs GLIBC_"
                              + f.getKey()
                              + " (python/"
                              + f.getValue()
                              + ")"
                              + (pythonWithinFloor
                                  ? ""
                                  : ": this Python build is newer than the floor; pick a PBS"
                                      + " build for older systems or raise -Dpbs.maxGlibc"))
                  .orElse("needs no versioned glibc symbol")));
      Map<String, Set<String>> needs = SystemDependencies.scan(python);
      checks.add(
          new Check(
              name,
              "bundled Python's system libraries",
              true,
              needs.isEmpty()
                  ? "none beyond the allow-list"
                  : "needs "
                      + needs.keySet()
                      + (artifact.type().equals("tar.gz")
                          ? " from the system (not bundled)"
                          : " (declared as package dependencies)")));
    } catch (BinaryFormatException | PbsException e) {
      checks.add(new Check(name, "binary readable", false, e.getMessage()));
    }
  }

  private static void checkDarwin(String name, Path binary, List<Check> checks) {
    try {
      var file = dev.pbstoolchain.binarypatcher.macho.MachOFile.read(binary);
      for (var image : file.images()) {
        for (String dylib : image.dylibs()) {
          if (!dylib.substring(dylib.lastIndexOf('/') + 1).startsWith("libpython")) {
            continue;
          }
          Path resolved = null;
          if (dylib.startsWith("@executable_path/")) {
            resolved = binary.resolveSibling(dylib.substring("@executable_path/".length()));
          } else if (dylib.startsWith("@rpath/")) {
            for (String rpath : image.rpaths()) {
              if (rpath.startsWith("@executable_path/")) {
                Path candidate =
                    binary
                        .resolveSibling(rpath.substring("@executable_path/".length()))
                        .resolve(dylib.substring("@rpath/".length()));
                if (Files.exists(candidate)) {
                  resolved = candidate;
                }
              }
            }
          }
          boolean ok = resolved != null && Files.exists(resolved);
          checks.add(
              new Check(
                  name,
                  "loader finds the bundled libpython (" + image.arch() + ")",
                  ok,
                  dylib + (ok ? " -> found in the artifact" : " -> not inside the artifact")));
        }
      }
      List<String> problems =
          dev.pbstoolchain.binarypatcher.macho.MachOEditor.verifySignatures(binary);
      checks.add(
          new Check(
              name,
              "ad-hoc code signature valid",
              problems.isEmpty(),
              problems.isEmpty() ? "ok" : String.join("; ", problems)));
    } catch (BinaryFormatException e) {
      checks.add(new Check(name, "Mach-O readable", false, e.getMessage()));
    }
  }

  private static Check exists(String artifact, String what, Path path) {
    return new Check(artifact, what, Files.exists(path), Files.exists(path) ? "ok" : "missing");
  }

  private static String name(Artifact a) {
    return a.file().getFileName().toString();
  }

  /** Readable report, one line per check. */
  public static String text(List<Check> checks) {
    StringBuilder text = new StringBuilder();
    for (Check c : checks) {
      text.append(c.passed() ? "  ok    " : "  FAIL  ")
          .append(c.artifact())
          .append(": ")
          .append(c.check())
          .append(" (")
          .append(c.detail())
          .append(")\n");
    }
    return text.toString();
  }

  public static Path writeJson(List<Check> checks, Path file) throws PbsException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Check c : checks) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("artifact", c.artifact());
      row.put("check", c.check());
      row.put("passed", c.passed());
      row.put("detail", c.detail());
      rows.add(row);
    }
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), rows);
      return file;
    } catch (IOException e) {
      throw PbsException.failure("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
