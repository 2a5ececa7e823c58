package dev.pbstoolchain.core.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one build job made for one target, beside its artifacts in {@code target/pbs-dist} as {@code
 * pbs-manifest-TRIPLE.json}: the toolchain, the PBS build (date, CPython version, flavour, archive
 * and its SHA-256), the app and its version, the build time, each artifact with its SHA-256 and
 * size, and pbs:verify's verdict. pbs:publish gathers the manifests of parallel jobs and checks
 * them against each other and against the files.
 *
 * @param toolchain the pbs-toolchain version that built it
 * @param target the target triple
 * @param pbs the PBS build it ships
 * @param app the app's name
 * @param appVersion the app's version
 * @param outputTimestamp the build time every artifact carries (seconds since 1970)
 * @param artifacts the artifacts, by file name
 * @param verify pbs:verify's verdict: {@code passed}, {@code failed} or {@code not run}
 * @param problems what pbs:verify found wrong (empty unless failed)
 */
public record TargetManifest(
    String toolchain,
    String target,
    Pbs pbs,
    String app,
    String appVersion,
    long outputTimestamp,
    List<Entry> artifacts,
    String verify,
    List<String> problems) {

  /** The manifest's format version; a reader refuses a newer one. */
  static final int FORMAT = 1;

  static final String PASSED = "passed";
  static final String FAILED = "failed";
  static final String NOT_RUN = "not run";

  /**
   * The PBS build a target ships.
   *
   * @param date the release tag
   * @param version the CPython version
   * @param flavor the shipped flavour
   * @param archive the archive's file name ({@code cpython-...tar.gz}), empty if unknown
   * @param sha256 the archive's SHA-256, empty if unknown
   */
  public record Pbs(String date, String version, String flavor, String archive, String sha256) {}

  /** One artifact: its file name (in the manifest's directory), format, SHA-256 and size. */
  public record Entry(String file, String type, String classifier, String sha256, long size) {}

  public TargetManifest {
    artifacts = List.copyOf(artifacts);
    problems = List.copyOf(problems);
  }

  /** The manifest's file name for a target. */
  public static String fileName(String triple) {
    return "pbs-manifest-" + triple + ".json";
  }

  /** The same manifest with pbs:verify's verdict. */
  public TargetManifest verified(boolean passed, List<String> found) {
    return new TargetManifest(
        toolchain,
        target,
        pbs,
        app,
        appVersion,
        outputTimestamp,
        artifacts,
        passed ? PASSED : FAILED,
        passed ? List.of() : found);
  }

  /** Writes the manifest into {@code dir} (temp file, then rename). */
  public Path write(Path dir) throws PbsException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("format", FORMAT);
    root.put("toolchain", toolchain);
    root.put("target", target);
    ObjectNode p = root.putObject("pbs");
    p.put("date", pbs.date());
    p.put("version", pbs.version());
    p.put("flavor", pbs.flavor());
    p.put("archive", pbs.archive());
    p.put("sha256", pbs.sha256());
    root.put("app", app);
    root.put("appVersion", appVersion);
    root.put("outputTimestamp", outputTimestamp);
    root.put("outputTime", Instant.ofEpochSecond(outputTimestamp).toString());
    ArrayNode list = root.putArray("artifacts");
    for (Entry e : artifacts) {
      ObjectNode a = list.addObject();
      a.put("file", e.file());
      a.put("type", e.type());
      a.put("classifier", e.classifier());
      a.put("sha256", e.sha256());
      a.put("size", e.size());
    }
    root.put("verify", verify);
    ArrayNode found = root.putArray("problems");
    problems.forEach(found::add);
    Path file = dir.resolve(fileName(target));
    try {
      // "\n" line ends on every OS: the manifest is the same bytes wherever a job ran.
      DefaultPrettyPrinter pretty =
          new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
      String text = json.writer(pretty).writeValueAsString(root) + "\n";
      AtomicFiles.writeString(file, null, text);
      return file;
    } catch (JsonProcessingException | PublishingException e) {
      throw PbsException.failure("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a manifest, checking that it has every field this version writes. */
  public static TargetManifest read(Path file) throws PbsException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw PbsException.configuration(
          "Cannot read the build manifest " + file + ": " + e.getMessage(), e);
    }
    int format = root.path("format").asInt(0);
    if (format != FORMAT) {
      throw PbsException.configuration(
          file
              + " is a build manifest of format "
              + format
              + "; this pbs-toolchain reads format "
              + FORMAT
              + ": publish with the pbs-toolchain version the jobs built with.");
    }
    JsonNode p = root.path("pbs");
    List<Entry> artifacts = new ArrayList<>();
    for (JsonNode a : root.path("artifacts")) {
      artifacts.add(
          new Entry(
              text(a, "file", file),
              text(a, "type", file),
              text(a, "classifier", file),
              text(a, "sha256", file),
              a.path("size").asLong(-1)));
    }
    List<String> problems = new ArrayList<>();
    root.path("problems").forEach(n -> problems.add(n.asText()));
    return new TargetManifest(
        text(root, "toolchain", file),
        text(root, "target", file),
        new Pbs(
            text(p, "date", file),
            text(p, "version", file),
            text(p, "flavor", file),
            p.path("archive").asText(""),
            p.path("sha256").asText("")),
        text(root, "app", file),
        text(root, "appVersion", file),
        root.path("outputTimestamp").asLong(),
        artifacts,
        text(root, "verify", file),
        problems);
  }

  private static String text(JsonNode node, String field, Path file) throws PbsException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw PbsException.configuration(
          "The build manifest " + file + " has no " + field + ": it is damaged; rebuild that job.");
    }
    return value.asText();
  }
}
