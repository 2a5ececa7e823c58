package dev.pbstoolchain.core.release;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.Triples;
import dev.pbstoolchain.core.fetch.FetchRequest;
import dev.pbstoolchain.core.fetch.Flavors;
import dev.pbstoolchain.core.fetch.PbsDate;
import dev.pbstoolchain.core.fetch.UnpackLimits;
import dev.pbstoolchain.core.matrix.ImageBlock;
import dev.pbstoolchain.core.matrix.Matrix;
import dev.pbstoolchain.core.matrix.MatrixReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One release, resolved once from the front end's settings and matrix.yaml: which PBS build, which
 * targets, the app's metadata, the build time, and where every step reads and writes. Every step
 * takes it; none re-reads the matrix or recomputes a path.
 */
public final class Release {

  /** 1980-01-01, the earliest time zip can store: the build time when nothing fixes one. */
  private static final long DEFAULT_EPOCH = 315532800L;

  private final ReleaseSettings settings;
  private final Optional<Matrix> matrix;

  private Release(ReleaseSettings settings, Optional<Matrix> matrix) {
    this.settings = settings;
    this.matrix = matrix;
  }

  /**
   * Why a project releases nothing, when it does not: it has no matrix.yaml and no {@code
   * pbs.date}. That is the parent or a plain module of a multi-module build that declares the
   * plugin for every module; its goals skip instead of failing. Empty when the project releases.
   */
  public static Optional<String> nothingToRelease(ReleaseSettings settings) {
    if (!settings.date().isEmpty() || Files.exists(settings.matrixFile())) {
      return Optional.empty();
    }
    return Optional.of(
        "this project releases nothing: it has no "
            + settings.matrixFile()
            + " and no -D"
            + PropertyNames.DATE
            + " (add a matrix.yaml, or point "
            + PropertyNames.MATRIX
            + " at one, to release it)");
  }

  /**
   * Reads matrix.yaml when it exists (fetch and pyo3-config also work from properties alone) and
   * checks that every triple of {@code pbs.targets} has a row, before any step downloads anything.
   */
  public static Release load(ReleaseSettings settings) throws PbsException {
    Path file = settings.matrixFile();
    Release release =
        new Release(
            settings,
            Files.isRegularFile(file) ? Optional.of(MatrixReader.read(file)) : Optional.empty());
    if (release.matrix.isPresent()) {
      release.checkRowsFor(settings.targets(), release.matrix.get());
    }
    return release;
  }

  private void checkRowsFor(List<String> triples, Matrix rows) throws PbsException {
    List<String> without = triples.stream().filter(t -> rows.targetFor(t).isEmpty()).toList();
    if (without.isEmpty()) {
      return;
    }
    throw PbsException.configuration(
        "-D"
            + PropertyNames.TARGETS
            + "="
            + String.join(",", settings.targets())
            + ": "
            + String.join(", ", without)
            + (without.size() == 1 ? " has" : " have")
            + " no row in "
            + settings.matrixFile()
            + ", whose rows are "
            + String.join(
                ", ",
                rows.targets().stream().map(t -> t.triple() + " (line " + t.line() + ")").toList())
            + ". Add a row, or choose among them.");
  }

  public ReleaseSettings settings() {
    return settings;
  }

  public Optional<Matrix> matrix() {
    return matrix;
  }

  /** PBS release tag: the setting, else matrix.yaml's {@code pbs.date}. */
  public String date() throws PbsException {
    if (!settings.date().isEmpty()) {
      return settings.date();
    }
    return matrix
        .map(Matrix::date)
        .orElseThrow(
            () -> missing(PropertyNames.DATE, "date", "the PBS release tag, e.g. 20241016"));
  }

  /** CPython version: the setting, else matrix.yaml's {@code pbs.version}. */
  public String version() throws PbsException {
    if (!settings.version().isEmpty()) {
      return settings.version();
    }
    return matrix
        .map(Matrix::version)
        .orElseThrow(
            () -> missing(PropertyNames.VERSION, "version", "the CPython version, e.g. 3.11.10"));
  }

  /** The flavour pbs:fetch unpacks and the artifacts ship. */
  public String shippedFlavor() throws PbsException {
    return Flavors.shipped(settings.flavor().isEmpty() ? null : settings.flavor(), day());
  }

  /** The release date as a number, for flavour rules that changed over time. */
  public int day() throws PbsException {
    return PbsDate.parse(date());
  }

  /**
   * The PBS builds to fetch: {@code pbs.targets}, else every matrix row's PBS triple (a row's
   * {@code pbsTriple} when its app triple differs), else the build host.
   */
  public List<String> pbsTriples() {
    if (!settings.targets().isEmpty()) {
      // A row's app triple stands for the PBS build the row ships.
      return settings.targets().stream()
          .map(t -> matrix.flatMap(m -> m.targetFor(t)).map(Matrix.Target::pbsTriple).orElse(t))
          .distinct()
          .toList();
    }
    return matrix
        .map(m -> m.targets().stream().map(Matrix.Target::pbsTriple).distinct().toList())
        .orElseGet(() -> List.of(Triples.host()));
  }

  /** Where the steps put one PBS triple's files. */
  public TargetPaths paths(String pbsTriple) throws PbsException {
    return TargetPaths.of(
        settings.outputDir(), settings.stageDir(), pbsTriple, Flavors.isFull(shippedFlavor()));
  }

  /** The matrix, for steps that cannot work without one. */
  public Matrix requireMatrix(String step) throws PbsException {
    return matrix.orElseThrow(
        () ->
            PbsException.configuration(
                settings.matrixFile()
                    + " does not exist: "
                    + step
                    + " needs the release matrix (create it, see README.md, or point "
                    + PropertyNames.MATRIX
                    + " at it)"));
  }

  /** The targets to release, as matrix rows resolved to files. */
  public List<ReleaseTarget> targets(String step) throws PbsException {
    Matrix rows = requireMatrix(step);
    List<ReleaseTarget> list = new ArrayList<>();
    for (String triple : pbsTriples()) {
      Matrix.Target row =
          rows.targetFor(triple)
              .orElseThrow(
                  () ->
                      PbsException.configuration(
                          triple
                              + " ("
                              + PropertyNames.TARGETS
                              + ") has no row in "
                              + settings.matrixFile()
                              + "; add one, or choose among "
                              + rows.triples()));
      list.add(
          new ReleaseTarget(
              row.pbsTriple(),
              settings.projectDir().resolve(row.binary()),
              row.formats(),
              row.rpath(),
              PackageExtras.from(row.packaging(), settings.projectDir()),
              paths(row.pbsTriple()),
              settings.matrixFile().getFileName() + (row.line() > 0 ? ":" + row.line() : ""),
              row.smoke()
                  .map(
                      smoke ->
                          new SmokeSpec(
                              smoke.args(),
                              Pattern.compile(smoke.expect(), Pattern.MULTILINE),
                              smoke.timeout()))));
    }
    return list;
  }

  /** The extension modules to leave out of a target: matrix.yaml's top-level and row exclude. */
  public SortedSet<String> exclude(ReleaseTarget target) {
    return matrix
        .flatMap(m -> m.targetFor(target.triple()))
        .<SortedSet<String>>map(Matrix.Target::exclude)
        .orElseGet(TreeSet::new);
  }

  /**
   * The app's metadata: matrix.yaml's {@code app:}, its version defaulting to the project's. The
   * summary is the description's first line; lines after it are the extended description when
   * {@code app.longDescription} is not set.
   */
  public AppInfo app(String step) throws PbsException {
    Matrix.App app = requireMatrix(step).app();
    String description = app.description().strip();
    int newline = description.indexOf('\n');
    String summary = newline < 0 ? description : description.substring(0, newline).strip();
    String rest = newline < 0 ? "" : description.substring(newline + 1).strip();
    return new AppInfo(
        app.name(),
        app.version().isBlank() ? settings.projectVersion() : app.version(),
        summary.isBlank() ? app.name() : summary,
        app.maintainer().isBlank() ? "unknown <unknown@example.com>" : app.maintainer(),
        app.homepage(),
        app.license(),
        epochSeconds(),
        app.longDescription().isBlank() ? rest : app.longDescription());
  }

  /** The artifacts' file names: matrix.yaml's {@code names:} over the usual ones. */
  public ArtifactNames names() {
    return new ArtifactNames(matrix.map(Matrix::names).orElse(Map.of()));
  }

  /** One artifact's file in the dist directory. */
  public Path artifact(String format, ReleaseTarget target, AppInfo app) throws PbsException {
    return settings.distDir().resolve(names().of(format, target, app));
  }

  /** The CycloneDX SBOM of one target, beside the artifacts. */
  public Path sbom(ReleaseTarget target, AppInfo app) {
    return settings
        .distDir()
        .resolve(app.name() + "-" + app.version() + "_" + target.platform() + ".cdx.json");
  }

  /** pbs:verify's JSON report, beside the artifacts. */
  public Path verifyReport() {
    return settings.distDir().resolve("verify-report.json");
  }

  /** matrix.yaml's {@code image:} block, when the release has a container image. */
  public Optional<ImageBlock> image() {
    return matrix.map(Matrix::image);
  }

  /** pbs:image's OCI layout directory: {@code target/pbs-dist/oci}. */
  public Path imageLayout() {
    return settings.distDir().resolve("oci");
  }

  /** pbs:image's oci-archive: {@code target/pbs-dist/{name}-{version}_oci.tar}. */
  public Path imageArchive(AppInfo app) {
    return settings.distDir().resolve(app.name() + "-" + app.version() + "_oci.tar");
  }

  /** project.build.outputTimestamp, else SOURCE_DATE_EPOCH, else 1980-01-01: never "now". */
  public long epochSeconds() throws PbsException {
    String value = settings.outputTimestamp();
    // Maven sets outputTimestamp to a single character ("a") to mean "not reproducible".
    if (value.length() < 2) {
      value = settings.sourceDateEpoch();
    }
    if (value.isEmpty()) {
      return DEFAULT_EPOCH;
    }
    try {
      return value.matches("\\d+")
          ? Long.parseLong(value)
          : OffsetDateTime.parse(value).toEpochSecond();
    } catch (RuntimeException e) {
      throw PbsException.configuration(
          "project.build.outputTimestamp '"
              + value
              + "' is neither seconds since 1970 nor ISO-8601 like 2026-11-24T00:00:00Z");
    }
  }

  /**
   * The times a reproducible build fixes on purpose: {@link #epochSeconds()}, and SOURCE_DATE_EPOCH
   * when it is set apart from it (native tools such as GNU ld read it).
   */
  public Set<Long> fixedTimes() throws PbsException {
    Set<Long> times = new HashSet<>(Set.of(epochSeconds()));
    String sourceDateEpoch = settings.sourceDateEpoch();
    if (sourceDateEpoch.matches("\\d{1,18}")) {
      times.add(Long.parseLong(sourceDateEpoch));
    }
    return times;
  }

  /**
   * A fetch of this release's PBS builds with the user's network and cache settings. The pinned
   * hash is pbs:fetch's alone (it names one archive, not the full ones pbs:licenses reads).
   */
  /**
   * What pbs:fetch fetches: the PBS build of every target in the shipped flavour ({@code
   * pbs.flavor}), checked against {@code pbs.sha256} when it is set, unpacked.
   */
  public FetchRequest fetchRequest() throws PbsException {
    String pin = settings.pinnedSha256();
    return fetchRequest(
        pbsTriples(), emptyToNull(settings.flavor()), pin.isEmpty() ? null : pin, true);
  }

  /**
   * Another archive of the same release (e.g. the full flavour licences are read from): {@code
   * triples} in {@code flavor}, with no pinned hash, unpacked or only cached.
   */
  public FetchRequest fetchRequest(List<String> triples, String flavor, boolean unpack)
      throws PbsException {
    return fetchRequest(triples, flavor, null, unpack);
  }

  private FetchRequest fetchRequest(
      List<String> triples, String flavor, String pinnedSha256, boolean unpack)
      throws PbsException {
    return new FetchRequest(
        date(),
        version(),
        triples,
        flavor,
        emptyToNull(settings.mirror()),
        pinnedSha256,
        settings.verifyChecksums(),
        settings.offline(),
        settings.offlineFallback(),
        unpack,
        settings.cacheDir(),
        settings.outputDir(),
        settings.http(),
        UnpackLimits.parse(settings.maxUnpackedSize(), settings.maxUnpackedEntries()));
  }

  private static String emptyToNull(String text) {
    return text.isEmpty() ? null : text;
  }

  private PbsException missing(String property, String key, String what) {
    return PbsException.configuration(
        "Give "
            + what
            + ": -D"
            + property
            + "=..., or "
            + key
            + ": under pbs: in "
            + settings.matrixFile());
  }
}
