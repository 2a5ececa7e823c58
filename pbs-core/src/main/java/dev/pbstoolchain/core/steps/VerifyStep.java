package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.fetch.FetchedSource;
import dev.pbstoolchain.core.publish.BuildManifests;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.core.verify.ReleaseVerifier;
import dev.pbstoolchain.core.verify.SmokeMachine;
import dev.pbstoolchain.core.verify.SmokeRun;
import dev.pbstoolchain.core.verify.SmokeRunner;
import dev.pbstoolchain.licenses.Upstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * pbs:verify: opens exactly the files pbs:package named and fails with a precise report if users
 * would be hurt, after running each app from its artifact where matrix.yaml asks for smoke runs;
 * the report is also written as {@code verify-report.json}. The report also names, per target, the
 * python-build-standalone archive shipped and the mirror it came through: the one place the mirror
 * is recorded (the artifacts name only the canonical upstream URL).
 */
public final class VerifyStep {

  /** What pbs:verify says when matrix.yaml has no {@code smoke:}. */
  public static final String NO_SMOKE_RUNS =
      "No smoke runs: add smoke: {args: [...], expect: 'REGEX', timeout: 30s} to matrix.yaml (for"
          + " every row, or in a row) to run each Linux artifact (other CPUs under qemu-user) and"
          + " each Windows zip (under Wine) with this machine's Pythons hidden.";

  private VerifyStep() {}

  /** Returns the report, all passed; throws with the report when a check failed. */
  public static ReleaseVerifier.Report run(Release release, PbsConsole console)
      throws PbsException {
    Path dist = release.settings().distDir();
    AppInfo app = release.app("pbs:verify");
    List<Artifact> artifacts = new ArrayList<>();
    Map<String, ReleaseTarget> rows = new LinkedHashMap<>();
    for (ReleaseTarget target : release.targets("pbs:verify")) {
      rows.put(target.triple(), target);
      for (String format : target.formats()) {
        Path file = release.artifact(format, target, app);
        if (!Files.isRegularFile(file)) {
          throw PbsException.configuration(
              file + " is missing: run pbs:package before pbs:verify (bind both to package)");
        }
        artifacts.add(new Artifact(file, format, target.platform(), target.triple(), ""));
      }
    }
    Optional<SmokeRunner> smoke = Optional.empty();
    if (rows.values().stream().anyMatch(t -> t.smoke().isPresent())) {
      SmokeMachine machine = SmokeMachine.probe(release.settings().smokeSysroots());
      if (machine.unshare().isEmpty()) {
        console.warn(
            "Smoke runs cannot hide this machine's Pythons, so they prove less: "
                + machine.isolationProblem());
      }
      smoke =
          Optional.of(
              new SmokeRunner(
                  machine,
                  dist.resolve(DistDirectory.VERIFY_SCRATCH).resolve("smoke"),
                  SmokeRunner.defaultCache()));
    } else {
      console.info(NO_SMOKE_RUNS);
    }
    ReleaseVerifier verifier =
        new ReleaseVerifier(
            app.name(),
            release.settings().maxGlibc(),
            dist.resolve(DistDirectory.VERIFY_SCRATCH),
            smoke);
    ReleaseVerifier.Report verified =
        DistDirectory.locked(dist, "verifying", console, () -> verifier.verify(artifacts, rows));
    List<ReleaseVerifier.Check> checks = new ArrayList<>(verified.checks());
    for (ReleaseTarget target : rows.values()) {
      checks.add(source(release, target));
    }
    ReleaseVerifier.Report report = new ReleaseVerifier.Report(checks, verified.smokeRuns());
    Path json = ReleaseVerifier.writeJson(report, release.verifyReport());
    // Each target's verdict goes into its build manifest, failed ones too: pbs:publish refuses
    // them by name. Paths in the details are made relative to the project, so the manifest is the
    // same wherever the job ran (two checkouts, two mirrors: the same bytes).
    String project = release.settings().projectDir().toAbsolutePath().normalize() + "/";
    for (ReleaseTarget target : rows.values()) {
      List<String> problems = new ArrayList<>();
      for (ReleaseVerifier.Check check : report.checks()) {
        boolean ours =
            check.artifact().equals(target.triple())
                || artifacts.stream()
                    .anyMatch(
                        a ->
                            a.triple().equals(target.triple())
                                && a.file().getFileName().toString().equals(check.artifact()));
        if (ours && !check.passed()) {
          problems.add(
              check.artifact() + ": " + check.check() + ": " + check.detail().replace(project, ""));
        }
      }
      BuildManifests.verified(dist, target.triple(), problems.isEmpty(), problems);
    }
    String text = ReleaseVerifier.text(report.checks());
    if (!report.passed()) {
      throw PbsException.failure("Release verification failed (details in " + json + "):\n" + text);
    }
    console.info("Verified " + artifacts.size() + " artifacts:\n" + text);
    for (SmokeRun run : report.smokeRuns()) {
      if (run.outcome() == SmokeRun.Outcome.SKIPPED) {
        console.warn(run.artifact() + " was not run: " + run.detail());
      } else if (!run.isolated()) {
        console.warn(run.artifact() + " ran " + run.isolation());
      }
    }
    return report;
  }

  /** The archive behind a target's Python, as pbs:fetch recorded it beside the tree. */
  private static ReleaseVerifier.Check source(Release release, ReleaseTarget target)
      throws PbsException {
    Path pbsDir = target.paths().pbsDir();
    Optional<FetchedSource> fetched = FetchedSource.of(pbsDir);
    if (fetched.isEmpty()) {
      return new ReleaseVerifier.Check(
          target.triple(),
          "python source",
          false,
          "the shipped Python in "
              + target.home()
              + " was not unpacked by pbs:fetch (no record in "
              + pbsDir
              + "): run pbs:fetch");
    }
    FetchedSource s = fetched.get();
    return new ReleaseVerifier.Check(
        s.fileName(),
        "python source",
        true,
        "sha256 "
            + s.sha256()
            + ", fetched from "
            + s.source()
            + ", published as "
            + Upstream.releaseUrl(release.date(), s.fileName()));
  }
}
