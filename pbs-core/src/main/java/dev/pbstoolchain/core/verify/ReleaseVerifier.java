package dev.pbstoolchain.core.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.ElfAudit;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.fetch.Directories;
import dev.pbstoolchain.core.packaging.SystemDependencies;
import dev.pbstoolchain.core.patch.ArchitectureCheck;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens every artifact and checks what users need: the binary and the bundled libpython are for the
 * row's target, the binary finds that libpython in the artifact's own layout, the glibc floor, no
 * system library the row does not declare, DLLs beside the exe, LICENSE.md present; then runs the
 * app from the artifact, isolated from the host's Pythons (a smoke run). Reports as text and as
 * JSON.
 */
public final class ReleaseVerifier {

  /** One check of one artifact; a skipped one (a smoke run this host cannot make) passes. */
  public record Check(
      String artifact, String check, boolean passed, String detail, boolean skipped) {

    public Check(String artifact, String check, boolean passed, String detail) {
      this(artifact, check, passed, detail, false);
    }
  }

  /** Every check, and every smoke run in full. */
  public record Report(List<Check> checks, List<SmokeRun> smokeRuns) {

    public Report {
      checks = List.copyOf(checks);
      smokeRuns = List.copyOf(smokeRuns);
    }

    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }
  }

  private final String app;
  private final String maxGlibc;
  private final Path work;
  private final Optional<SmokeRunner> smoke;

  /**
   * @param app the app's name (its file in each layout)
   * @param maxGlibc the highest glibc the release may need
   * @param work where artifacts are unpacked, each removed after its checks
   * @param smoke what runs the apps, when smoke runs are configured
   */
  public ReleaseVerifier(String app, String maxGlibc, Path work, Optional<SmokeRunner> smoke) {
    this.app = app;
    this.maxGlibc = maxGlibc;
    this.work = work;
    this.smoke = smoke;
  }

  /**
   * Checks each artifact against the row it was made for.
   *
   * @param rows the rows by the triple their artifacts carry
   */
  public Report verify(List<Artifact> artifacts, Map<String, ReleaseTarget> rows)
      throws PbsException {
    List<Check> checks = new ArrayList<>();
    List<SmokeRun> runs = new ArrayList<>();
    for (Artifact artifact : artifacts) {
      Path dir = work.resolve(artifact.file().getFileName() + ".d");
      try {
        Directories.deleteRecursively(dir);
        ArtifactExtractor.extract(artifact.file(), artifact.type(), dir);
        new ArtifactCheck(artifact, rows.get(artifact.triple()), dir, checks, runs).run();
      } catch (IOException e) {
        checks.add(new Check(name(artifact), "opens", false, e.getMessage()));
      } finally {
        Directories.deleteQuietly(dir);
      }
    }
    return new Report(checks, runs);
  }

  private static String name(Artifact a) {
    return a.file().getFileName().toString();
  }

  /** The checks of one unpacked artifact. */
  private final class ArtifactCheck {
    private final Artifact artifact;
    private final ReleaseTarget row;
    private final Path dir;
    private final List<Check> checks;
    private final List<SmokeRun> runs;
    private final String name;

    ArtifactCheck(
        Artifact artifact, ReleaseTarget row, Path dir, List<Check> checks, List<SmokeRun> runs) {
      this.artifact = artifact;
      this.row = row;
      this.dir = dir;
      this.checks = checks;
      this.runs = runs;
      this.name = name(artifact);
    }

    void run() throws IOException, PbsException {
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
      checks.add(exists("app binary present", binary));
      checks.add(exists("python/LICENSE.md present", python.resolve("LICENSE.md")));
      if (!Files.isRegularFile(binary)) {
        return;
      }
      boolean rightMachine = architecture(binary, python);
      if (artifact.type().equals("zip")) {
        checkWindows(binary);
      } else if (artifact.triple().contains("-apple-")) {
        checkDarwin(binary);
      } else if (artifact.triple().contains("-linux-")) {
        checkLinux(binary, python);
      }
      if (rightMachine) {
        smokeRun(binary, python);
      }
    }

    private Check exists(String what, Path path) {
      return new Check(name, what, Files.exists(path), Files.exists(path) ? "ok" : "missing");
    }

    /** The app and the libpython inside the artifact are for the row's target. */
    private boolean architecture(Path binary, Path python) throws PbsException {
      if (row == null) {
        return true;
      }
      boolean all = true;
      List<Path> files = new ArrayList<>(List.of(binary));
      files.addAll(ArchitectureCheck.libpythons(python, artifact.triple()));
      for (Path file : files) {
        String shown = dir.relativize(file).toString();
        Optional<String> wrong = ArchitectureCheck.mismatch(file, shown, row);
        all &= wrong.isEmpty();
        checks.add(
            new Check(
                name, shown + " is for " + artifact.triple(), wrong.isEmpty(), wrong.orElse("ok")));
      }
      return all;
    }

    private void checkWindows(Path binary) {
      try {
        for (String dll : dev.pbstoolchain.binarypatcher.pe.PeFile.read(binary).allImports()) {
          if (dll.startsWith("python") || dll.startsWith("vcruntime")) {
            checks.add(exists("imported " + dll + " beside the exe", binary.resolveSibling(dll)));
          }
        }
      } catch (BinaryFormatException e) {
        checks.add(new Check(name, "exe readable", false, e.getMessage()));
      }
    }

    private void checkLinux(Path binary, Path python) {
      Map<String, String> declared =
          row == null ? Map.of() : row.extras().packaging().systemLibraries();
      Set<String> allowed = new HashSet<>(ElfAudit.DEFAULT_SYSTEM_LIBRARIES);
      allowed.addAll(declared.keySet());
      try {
        ElfAudit.Report report =
            ElfAudit.audit(binary, new ElfAudit.Options(dir, allowed, maxGlibc));
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
        checks.add(systemLibraries(report, declared));
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

    /** Every library the app takes from the system is allowed or declared in matrix.yaml. */
    private Check systemLibraries(ElfAudit.Report report, Map<String, String> declared) {
      List<String> missing = report.missing();
      List<String> used =
          report.dependencies().stream()
              .map(ElfAudit.Dependency::name)
              .filter(declared::containsKey)
              .toList();
      if (missing.isEmpty()) {
        return new Check(
            name,
            "app needs only bundled, allowed or declared libraries",
            true,
            used.isEmpty() ? "ok" : "declared in systemLibraries: " + String.join(", ", used));
      }
      StringBuilder entries = new StringBuilder();
      for (String soname : missing) {
        entries.append(entries.length() == 0 ? "" : ", ");
        entries.append("{soname: ").append(soname).append(", deb: PACKAGE}");
      }
      return new Check(
          name,
          "app needs only bundled, allowed or declared libraries",
          false,
          "not found: "
              + String.join(", ", missing)
              + ". Bundle it, or declare that the app takes it from the system: add "
              + entries
              + " to packaging.systemLibraries in matrix.yaml (the top-level packaging: block"
              + " for every row, or the packaging: block of "
              + (row == null ? "the row" : row.rowText())
              + "), PACKAGE being the Debian package that provides it (dpkg -S "
              + missing.get(0)
              + ")");
    }

    private void checkDarwin(Path binary) {
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

    private void smokeRun(Path binary, Path python) throws IOException {
      if (smoke.isEmpty() || row == null || row.smoke().isEmpty()) {
        return;
      }
      SmokeRun run =
          smoke.get().run(name, artifact.triple(), dir, binary, python, row.smoke().get());
      runs.add(run);
      String check =
          run.outcome() == SmokeRun.Outcome.SKIPPED
              ? "smoke run"
              : "smoke run ("
                  + run.runner()
                  + (run.isolated() ? ", isolated" : ", NOT isolated")
                  + ")";
      checks.add(
          new Check(
              name,
              check,
              run.outcome() != SmokeRun.Outcome.FAILED,
              run.detail(),
              run.outcome() == SmokeRun.Outcome.SKIPPED));
    }
  }

  /** Readable report, one line per check (a failed smoke run adds the app's output). */
  public static String text(List<Check> checks) {
    StringBuilder text = new StringBuilder();
    for (Check c : checks) {
      text.append(c.skipped() ? "  skip  " : c.passed() ? "  ok    " : "  FAIL  ")
          .append(c.artifact())
          .append(": ")
          .append(c.check())
          .append(" (")
          .append(c.detail())
          .append(")\n");
    }
    return text.toString();
  }

  /** {@code {"passed": ..., "checks": [...], "smokeRuns": [...]}}. */
  public static Path writeJson(Report report, Path file) throws PbsException {
    List<Map<String, Object>> checks = new ArrayList<>();
    for (Check c : report.checks()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("artifact", c.artifact());
      row.put("check", c.check());
      row.put("passed", c.passed());
      if (c.skipped()) {
        row.put("skipped", true);
      }
      row.put("detail", c.detail());
      checks.add(row);
    }
    List<Map<String, Object>> runs = new ArrayList<>();
    for (SmokeRun r : report.smokeRuns()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("artifact", r.artifact());
      row.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
      row.put("runner", r.runner());
      row.put("isolated", r.isolated());
      row.put("isolation", r.isolation());
      row.put("command", r.command());
      row.put("exitCode", r.exitCode());
      row.put("seconds", r.millis() / 1000.0);
      row.put("libpython", r.libpython());
      row.put("output", r.output());
      row.put("detail", r.detail());
      runs.add(row);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("passed", report.passed());
    json.put("checks", checks);
    json.put("smokeRuns", runs);
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
      return file;
    } catch (IOException e) {
      throw PbsException.failure("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
