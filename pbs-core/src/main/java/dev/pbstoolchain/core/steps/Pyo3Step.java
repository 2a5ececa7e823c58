package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Triples;
import dev.pbstoolchain.core.pyo3.Pyo3Config;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.TargetPaths;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** pbs:pyo3-config: one PyO3 build configuration per fetched target, for cargo. */
public final class Pyo3Step {

  private Pyo3Step() {}

  /** Returns each triple's configuration file, in target order. */
  public static Map<String, Path> run(Release release, PbsConsole console) throws PbsException {
    Map<String, Path> files = new LinkedHashMap<>();
    for (String triple : release.pbsTriples()) {
      TargetPaths paths = release.paths(triple);
      Pyo3Config config = Pyo3Config.from(paths.home(), triple);
      Path file = config.write(paths.pyo3Config());
      files.put(triple, file);
      console.info(triple + ": PYO3_CONFIG_FILE=" + file);
      if (!triple.equals(Triples.host())) {
        console.info(triple + ": PYO3_CROSS_PYTHON_VERSION=" + config.version());
      }
    }
    return files;
  }
}
