package dev.pbstoolchain.cli;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.steps.CiMatrixStep;
import dev.pbstoolchain.core.steps.FetchStep;
import dev.pbstoolchain.core.steps.ImageStep;
import dev.pbstoolchain.core.steps.LicenceStep;
import dev.pbstoolchain.core.steps.PackageStep;
import dev.pbstoolchain.core.steps.PatchStep;
import dev.pbstoolchain.core.steps.PublishStep;
import dev.pbstoolchain.core.steps.Pyo3Step;
import dev.pbstoolchain.core.steps.VerifyStep;
import java.util.List;
import java.util.Optional;

/** The commands: one per goal, plus the two halves a build runs around its native compile. */
enum Step {
  FETCH("fetch", "download, verify, cache and unpack PBS for every target"),
  PYO3_CONFIG("pyo3-config", "write target/pbs/<triple>/pyo3-config.txt for cargo"),
  PATCH("patch", "stage each app binary patched to find its bundled Python"),
  LICENSES("licenses", "LICENSE.md, licences/ and the SBOM of each target; licence policy"),
  PACKAGE("package", "every format of every target, .sha256 files and SHA256SUMS"),
  IMAGE("image", "the OCI image of the Linux rows (matrix.yaml image:); --image-push pushes it"),
  VERIFY("verify", "open every artifact, check it, write verify-report.json"),
  PUBLISH("publish", "gather the jobs' outputs, sign, write the release and apt/yum repos"),
  CI_MATRIX("ci-matrix", "write target/pbs-ci/ GitHub and GitLab build matrices"),
  PREPARE("prepare", "fetch + pyo3-config (before the native build)"),
  RELEASE("release", "patch + licenses + package + image + verify (after the native build)");

  private final String command;
  private final String summary;

  Step(String command, String summary) {
    this.command = command;
    this.summary = summary;
  }

  String command() {
    return command;
  }

  String summary() {
    return summary;
  }

  static Optional<Step> named(String word) {
    for (Step step : values()) {
      if (step.command.equals(word)) {
        return Optional.of(step);
      }
    }
    return Optional.empty();
  }

  /** The single steps this command stands for, in the order mvn package runs them. */
  List<Step> expanded() {
    return switch (this) {
      case PREPARE -> List.of(FETCH, PYO3_CONFIG);
      case RELEASE -> List.of(PATCH, LICENSES, PACKAGE, IMAGE, VERIFY);
      default -> List.of(this);
    };
  }

  /** Runs a single step (never PREPARE or RELEASE, which {@link #expanded()} splits). */
  void run(Release release, PbsConsole console) throws PbsException {
    switch (this) {
      case FETCH ->
          FetchStep.run(release, console)
              .forEach((triple, home) -> console.info(triple + ": Python home " + home));
      case PYO3_CONFIG -> Pyo3Step.run(release, console);
      case PATCH -> PatchStep.run(release, console);
      case LICENSES -> LicenceStep.run(release, console);
      case PACKAGE -> PackageStep.run(release, console);
      case IMAGE -> ImageStep.run(release, console);
      case VERIFY -> VerifyStep.run(release, console);
      case PUBLISH -> PublishStep.run(release, console);
      case CI_MATRIX -> CiMatrixStep.run(release, console);
      default -> throw new IllegalStateException(command + " is not a single step");
    }
  }
}
