package dev.pbstoolchain.core.release;

import java.nio.file.Path;

/**
 * Where one target's files are, as every step hands them to the next: pbs:fetch unpacks to {@code
 * home}, pbs:pyo3-config writes {@code pyo3Config}, pbs:patch stages into {@code stageDir}, and the
 * packagers read both. Computed once by {@link Release}, never re-derived by a step.
 *
 * @param pbsDir {@code target/pbs/<triple>}
 * @param home the Python home inside it: {@code python/} for install-only flavours, {@code
 *     python/install/} for full ones
 * @param pyo3Config {@code target/pbs/<triple>/pyo3-config.txt}
 * @param stageDir {@code target/pbs-stage/<triple>}: the patched binary
 */
public record TargetPaths(Path pbsDir, Path home, Path pyo3Config, Path stageDir) {

  static TargetPaths of(Path outputDir, Path stageRoot, String triple, boolean fullFlavor) {
    Path pbsDir = outputDir.resolve(triple);
    Path python = pbsDir.resolve("python");
    return new TargetPaths(
        pbsDir,
        fullFlavor ? python.resolve("install") : python,
        pbsDir.resolve("pyo3-config.txt"),
        stageRoot.resolve(triple));
  }
}
