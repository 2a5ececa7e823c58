package dev.pbstoolchain.core.matrix;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Triples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code matrix.yaml} strictly: the file is checked against {@link MatrixSchema} (any key it
 * does not declare, any value of the wrong shape, is reported at its line and column with the valid
 * choices), then the checks no schema can make (a triple listed twice, a name template's
 * placeholders) run, then the values become the {@link Matrix} model.
 */
public final class MatrixReader {

  /** What an artifact name template may use (see ArtifactNames). */
  public static final Set<String> NAME_PLACEHOLDERS =
      Set.of(
          "name",
          "version",
          "platform",
          "os",
          "arch",
          "debVersion",
          "debArch",
          "rpmVersion",
          "rpmRelease",
          "rpmArch");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

  private final Problems problems = new Problems();
  private final Set<String> consulted = new HashSet<>();

  private MatrixReader() {}

  /** Reads and checks a matrix file. */
  public static Matrix read(Path file) throws PbsException {
    return new MatrixReader().readFile(file);
  }

  /** The declared paths ({@code targets[].formats}) reading {@code file} consulted, for tests. */
  static Set<String> consultedReading(Path file) throws PbsException {
    MatrixReader reader = new MatrixReader();
    reader.readFile(file);
    return reader.consulted;
  }

  private Matrix readFile(Path file) throws PbsException {
    YamlNode root = YamlDocument.parse(file);
    MatrixSchema.ROOT.check(root, "", problems);
    problems.throwIfAny();
    Values top = new Values(MatrixSchema.ROOT, (YamlNode.Mapping) root, "", "", consulted);
    Values pbs = top.block("pbs").orElseThrow();
    Matrix.Packaging defaults =
        top.block("packaging")
            .map(block -> packaging(block, Matrix.Packaging.NONE))
            .orElse(Matrix.Packaging.NONE);
    Sources sources = Sources.of(file.toString(), root);
    Optional<Matrix.Smoke> smoke = top.block("smoke").map(block -> smoke(block, null));
    Matrix matrix =
        new Matrix(
            pbs.text("date"),
            pbs.text("version"),
            app(top.block("app").orElseThrow()),
            targets(top, defaults, smoke, top.texts("exclude", List.of()), sources),
            top.block("names").map(this::names).orElse(Map.of()),
            top.block("image").map(MatrixReader::image).orElse(null),
            sources);
    problems.throwIfAny();
    return matrix;
  }

  /** {@code image:}: the container image pbs:image makes of the Linux rows. */
  private static ImageBlock image(Values image) {
    Map<String, Long> uids = new TreeMap<>();
    image.map("uids").forEach((name, id) -> uids.put(name, Long.parseLong(id)));
    Map<String, Long> gids = new TreeMap<>();
    image.map("gids").forEach((name, id) -> gids.put(name, Long.parseLong(id)));
    return new ImageBlock(
        image.text("repository", ""),
        image.texts("tags", ImageBlock.DEFAULT_TAGS),
        image.text("base"),
        image.texts("entrypoint", null),
        image.texts("cmd", null),
        image.map("env"),
        image.text("user", ""),
        image.text("workdir", ""),
        image.texts("ports", List.of()),
        image.texts("volumes", List.of()),
        image.map("labels"),
        uids,
        gids);
  }

  private Matrix.App app(Values app) {
    return new Matrix.App(
        app.text("name"),
        app.text("description"),
        app.text("maintainer"),
        app.text("homepage"),
        app.text("license"),
        app.text("version"),
        app.text("longDescription"));
  }

  /** {@code names:}: per format, a file name made of text and {placeholders}. */
  private Map<String, String> names(Values names) {
    Map<String, String> templates = new TreeMap<>();
    for (String format : MatrixSchema.FORMATS) {
      if (!names.has(format)) {
        continue;
      }
      String template = names.text(format);
      if (template.contains("/") || !template.endsWith("." + format)) {
        problems.add(
            names.source(format),
            names.path(format)
                + " is '"
                + template
                + "'; it must be a file name ending in ."
                + format);
      }
      Matcher placeholder = PLACEHOLDER.matcher(template);
      while (placeholder.find()) {
        String name = placeholder.group(1);
        if (!NAME_PLACEHOLDERS.contains(name)) {
          problems.add(
              names.source(format),
              names.path(format)
                  + " has unknown placeholder {"
                  + name
                  + "}"
                  + Suggestions.didYouMean(name, NAME_PLACEHOLDERS).replace("'", "")
                  + "; valid: "
                  + String.join(", ", NAME_PLACEHOLDERS.stream().sorted().toList()));
        }
      }
      templates.put(format, template);
    }
    return templates;
  }

  private List<Matrix.Target> targets(
      Values top,
      Matrix.Packaging defaults,
      Optional<Matrix.Smoke> smoke,
      List<String> excludeEverywhere,
      Sources sources) {
    List<Matrix.Target> targets = new ArrayList<>();
    for (Values row : top.items("targets")) {
      String triple = row.text("triple");
      String pbsTriple = row.text("pbsTriple", triple);
      if (!row.has("pbsTriple") && !Triples.isKnown(triple)) {
        problems.add(
            row.source("triple"),
            row.path("triple")
                + " is '"
                + triple
                + "', which python-build-standalone does not publish"
                + Suggestions.didYouMean(triple, Triples.KNOWN)
                + "; give a published triple, or add pbsTriple with the build to ship for this"
                + " app triple");
      }
      for (Matrix.Target earlier : targets) {
        if (earlier.triple().equals(triple)) {
          problems.add(
              row.source("triple"),
              row.path("triple")
                  + " repeats "
                  + triple
                  + " of line "
                  + earlier.line()
                  + "; list each triple once");
        } else if (earlier.pbsTriple().equals(pbsTriple)) {
          problems.add(
              row.source(row.has("pbsTriple") ? "pbsTriple" : "triple"),
              row.path()
                  + " ships the PBS build "
                  + pbsTriple
                  + " that line "
                  + earlier.line()
                  + " ships already; each row needs a PBS build of its own");
        }
      }
      Set<String> exclude = new TreeSet<>(excludeEverywhere);
      exclude.addAll(row.texts("exclude", List.of()));
      targets.add(
          new Matrix.Target(
              triple,
              row.text("binary"),
              row.texts("formats", List.of()),
              pbsTriple,
              row.text("rpath"),
              row.block("packaging").map(block -> packaging(block, defaults)).orElse(defaults),
              row.block("smoke").map(block -> smoke(block, smoke.orElse(null))).or(() -> smoke),
              new TreeSet<>(exclude),
              row.block("runner")
                  .map(block -> new Matrix.Runner(block.text("github"), block.text("gitlab")))
                  .orElse(Matrix.Runner.DEFAULT),
              sources.within(row.path())));
    }
    return targets;
  }

  /** A packaging block; keys it leaves out keep their value from {@code defaults}. */
  private Matrix.Packaging packaging(Values block, Matrix.Packaging defaults) {
    Map<String, String> scripts = new TreeMap<>(defaults.scripts());
    block
        .block("scripts")
        .ifPresent(
            given -> {
              scripts.clear();
              for (String name : MatrixSchema.SCRIPTS) {
                if (given.has(name)) {
                  scripts.put(name, given.text(name));
                }
              }
            });
    return new Matrix.Packaging(
        block.text("section", defaults.section()),
        block.text("group", defaults.group()),
        block.text("vendor", defaults.vendor()),
        block.text("compression", defaults.compression()),
        block.texts("depends", defaults.depends()),
        block.texts("requires", defaults.requires()),
        block.texts("recommends", defaults.recommends()),
        block.texts("conflicts", defaults.conflicts()),
        block.texts("provides", defaults.provides()),
        block.has("files")
            ? block.items("files").stream()
                .map(
                    file ->
                        new Matrix.PackagedFile(
                            file.text("source"),
                            file.text("destination"),
                            mode(file, 0644),
                            file.flag("config", false),
                            file.text("owner", "root"),
                            file.text("group", "root")))
                .toList()
            : defaults.files(),
        block.has("directories")
            ? block.items("directories").stream()
                .map(
                    dir ->
                        new Matrix.OwnedDirectory(
                            dir.text("path"),
                            dir.text("owner", "root"),
                            dir.text("group", "root"),
                            mode(dir, 0755)))
                .toList()
            : defaults.directories(),
        block.has("symlinks")
            ? block.items("symlinks").stream()
                .map(link -> new Matrix.Symlink(link.text("path"), link.text("target")))
                .toList()
            : defaults.symlinks(),
        scripts,
        block.has("systemLibraries") ? systemLibraries(block) : defaults.systemLibraries(),
        block.text("changelog", defaults.changelog()));
  }

  /** {@code systemLibraries: [{soname: libssl.so.3, deb: libssl3}]}, in order. */
  private static Map<String, String> systemLibraries(Values block) {
    Map<String, String> libraries = new LinkedHashMap<>();
    for (Values library : block.items("systemLibraries")) {
      libraries.put(library.text("soname"), library.text("deb"));
    }
    return libraries;
  }

  /**
   * {@code smoke:}; keys it leaves out keep their value from {@code defaults} (the top-level block,
   * for a row's), else no arguments, any output, 30 s.
   */
  private Matrix.Smoke smoke(Values block, Matrix.Smoke defaults) {
    List<String> args = block.texts("args", defaults == null ? List.of() : defaults.args());
    String expect = block.text("expect", defaults == null ? "" : defaults.expect());
    if (block.has("expect")) {
      try {
        Pattern.compile(expect);
      } catch (PatternSyntaxException e) {
        problems.add(
            block.source("expect"),
            block.path("expect")
                + " is not a regular expression ("
                + e.getDescription()
                + " near index "
                + e.getIndex()
                + "); write it in single quotes so YAML keeps its backslashes");
      }
    }
    Duration timeout = defaults == null ? Matrix.Smoke.DEFAULT_TIMEOUT : defaults.timeout();
    if (block.has("timeout")) {
      timeout = duration(block.text("timeout"));
    }
    return new Matrix.Smoke(args, expect, timeout);
  }

  /** {@code 1500ms}, {@code 30s}, {@code 2m}: the schema checked the form. */
  private static Duration duration(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    long value = Long.parseLong(text.substring(0, text.length() - 1));
    return text.endsWith("m") ? Duration.ofMinutes(value) : Duration.ofSeconds(value);
  }

  /** Modes are quoted octal strings (checked): an unquoted 0640 is 416 to YAML 1.1, 640 to 1.2. */
  private static int mode(Values item, int fallback) {
    return item.has("mode") ? Integer.parseInt(item.text("mode"), 8) : fallback;
  }
}
