package dev.pbstoolchain.core.release;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Matrix rows and an app for tests that need a target but no files. */
public final class TestTargets {

  public static final AppInfo APP =
      new AppInfo("embedded-app", "1.2.0", "s", "m <m@example.com>", "", "", 0, "");

  private TestTargets() {}

  /** A row for {@code triple} with no formats, its files under {@code target/}. */
  public static ReleaseTarget target(String triple) {
    return new ReleaseTarget(
        triple,
        Path.of("app"),
        List.of(),
        "",
        PackageExtras.NONE,
        TargetPaths.of(Path.of("target/pbs"), Path.of("target/pbs-stage"), triple, false),
        "matrix.yaml:9",
        Optional.empty());
  }

  /** A row for {@code triple} making {@code formats} with {@code extras}, under {@code target}. */
  public static ReleaseTarget target(
      String triple, List<String> formats, PackageExtras extras, Path target) {
    return new ReleaseTarget(
        triple,
        Path.of("app"),
        formats,
        "",
        extras,
        TargetPaths.of(target.resolve("pbs"), target.resolve("pbs-stage"), triple, false),
        "matrix.yaml:9",
        Optional.empty());
  }
}
