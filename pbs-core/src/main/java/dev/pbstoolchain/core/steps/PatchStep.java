package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.patch.ArchitectureCheck;
import dev.pbstoolchain.core.patch.BinaryPatch;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** pbs:patch: each target's binary, staged so that it finds the bundled Python. */
public final class PatchStep {

  private PatchStep() {}

  /** Returns the staged binaries, in target order. */
  public static List<Path> run(Release release, PbsConsole console) throws PbsException {
    String app = release.app("pbs:patch").name();
    String override = release.settings().rpath();
    String runpath = override.isEmpty() ? BinaryPatch.defaultRunpath(app) : override;
    Set<Long> fixedTimes = release.fixedTimes();
    List<ReleaseTarget> targets = release.targets("pbs:patch");
    // Every row's binary and libpython first: nothing is staged for a release that cannot ship.
    List<String> wrong = new ArrayList<>();
    for (ReleaseTarget target : targets) {
      if (Files.isRegularFile(target.binary())) {
        wrong.addAll(ArchitectureCheck.problems(target));
      }
    }
    if (!wrong.isEmpty()) {
      throw PbsException.configuration(String.join("\n", wrong));
    }
    List<Path> staged = new ArrayList<>();
    for (ReleaseTarget target : targets) {
      String chosen = target.rpath().isBlank() ? runpath : target.rpath();
      Path binary = BinaryPatch.apply(target, chosen, target.paths().stageDir());
      if (target.isWindows()) {
        BinaryPatch.linkTimeWarning(target.binary(), fixedTimes)
            .ifPresent(warning -> console.warn(target.triple() + ": " + warning));
      }
      console.info(
          target.triple()
              + ": staged "
              + binary
              + (target.isLinux() ? " with RUNPATH " + chosen : ""));
      staged.add(binary);
    }
    return staged;
  }
}
