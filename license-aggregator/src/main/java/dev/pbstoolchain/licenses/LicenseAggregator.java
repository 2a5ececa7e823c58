package dev.pbstoolchain.licenses;

import dev.pbstoolchain.licenses.archive.FullArchive;
import dev.pbstoolchain.licenses.model.Component;
import dev.pbstoolchain.licenses.model.Components;
import dev.pbstoolchain.licenses.model.PythonJson;
import dev.pbstoolchain.licenses.report.LicenseMarkdown;
import dev.pbstoolchain.licenses.report.Policy;
import dev.pbstoolchain.licenses.report.Provenance;
import dev.pbstoolchain.licenses.report.Sbom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole job: read the full archive once, check the licence data, write {@code LICENSE.md},
 * {@code PYTHON.json} and {@code licenses/} (and an SBOM) atomically, and apply the policy.
 */
public final class LicenseAggregator {

  private static final Pattern DATE = Pattern.compile("\\+(\\d{8})-");

  /**
   * What to do.
   *
   * @param fullArchive the PBS {@code *-full.tar.zst}
   * @param outputDir where LICENSE.md, PYTHON.json and licenses/ go (the shipped {@code python/})
   * @param installArchive the shipped install_only archive, for provenance (may be null)
   * @param sourceUrl where the full archive came from (may be null)
   * @param policy the licence gate
   * @param sbom where to write the CycloneDX SBOM (may be null)
   * @param fullArchiveSha256 the full archive's SHA-256 when the caller has just verified it (a
   *     fetch does), so it is not read a second time; null to hash the file
   * @param installArchiveSha256 likewise for the install_only archive
   */
  public record Request(
      Path fullArchive,
      Path outputDir,
      Path installArchive,
      String sourceUrl,
      Policy policy,
      Path sbom,
      String fullArchiveSha256,
      String installArchiveSha256) {

    /** A request whose archives are hashed here. */
    public Request(
        Path fullArchive,
        Path outputDir,
        Path installArchive,
        String sourceUrl,
        Policy policy,
        Path sbom) {
      this(fullArchive, outputDir, installArchive, sourceUrl, policy, sbom, null, null);
    }
  }

  /** What happened: components found, warnings and the policy verdict. */
  public record Result(List<Component> components, List<String> warnings, Policy.Verdict verdict) {}

  private LicenseAggregator() {}

  public static Result run(Request request) throws LicenseException {
    FullArchive archive = FullArchive.read(request.fullArchive(), request.fullArchiveSha256());
    String where = request.fullArchive().toString();
    PythonJson json = PythonJson.parse(archive.pythonJson(), where);
    List<Component> components = Components.from(json);
    List<String> warnings = new ArrayList<>();
    Map<String, byte[]> texts = archive.licenses();
    String corePath = json.coreLicensePath();
    if (corePath == null || !texts.containsKey(corePath)) {
      throw new LicenseException(
          where
              + ": the CPython licence file "
              + (corePath == null
                  ? "(build_info.core.license_path is missing)"
                  : "python/" + corePath)
              + " is not in the archive; it cannot be shipped without its licence. Use an"
              + " unmodified python-build-standalone full archive.");
    }
    for (Component c : components) {
      for (String path : c.licensePaths()) {
        if (!texts.containsKey(path)) {
          warnings.add(
              "licence file python/"
                  + path
                  + " of "
                  + c.name()
                  + " (used by "
                  + String.join(", ", c.sortedUsers())
                  + ") is listed in PYTHON.json but missing from "
                  + request.fullArchive().getFileName());
        }
      }
    }
    String fileName = request.fullArchive().getFileName().toString();
    Matcher date = DATE.matcher(fileName);
    Provenance provenance =
        new Provenance(
            date.find() ? date.group(1) : "",
            json.pythonVersion() == null ? "" : json.pythonVersion(),
            json.targetTriple() == null ? "" : json.targetTriple(),
            fileName,
            request.sourceUrl() == null ? "" : request.sourceUrl(),
            archive.sha256(),
            request.installArchive() == null
                ? ""
                : request.installArchive().getFileName().toString(),
            request.installArchive() == null
                ? ""
                : request.installArchiveSha256() != null
                    ? request.installArchiveSha256()
                    : sha256(request.installArchive()));
    String markdown = LicenseMarkdown.render(provenance, components, texts);
    Policy.Verdict verdict = request.policy().check(components);
    try {
      Path out = request.outputDir();
      Files.createDirectories(out);
      writeAtomically(out.resolve("LICENSE.md"), markdown.getBytes(StandardCharsets.UTF_8));
      writeAtomically(out.resolve("PYTHON.json"), archive.pythonJson());
      writeLicenses(out.resolve("licenses"), texts);
      if (request.sbom() != null) {
        Files.createDirectories(request.sbom().toAbsolutePath().getParent());
        writeAtomically(request.sbom(), Sbom.render(provenance, components));
      }
    } catch (IOException e) {
      throw new LicenseException(
          "Cannot write to " + request.outputDir() + ": " + e.getMessage(), e);
    }
    return new Result(components, warnings, verdict);
  }

  private static void writeLicenses(Path dir, Map<String, byte[]> texts) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Path temp = Files.createTempDirectory(parent, ".licenses-");
    try {
      for (var e : texts.entrySet()) {
        Path target = temp.resolve(e.getKey().substring("licenses/".length())).normalize();
        if (!target.startsWith(temp)) {
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.write(target, e.getValue());
      }
      if (Files.exists(dir)) {
        Path old = Files.createTempDirectory(parent, ".licenses-old-");
        Files.delete(old);
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
      } else {
        Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      if (Files.exists(temp)) {
        deleteTree(temp);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp =
        Files.createTempFile(
            target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.write(temp, bytes);
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String sha256(Path file) throws LicenseException {
    try {
      return FullArchive.sha256(file);
    } catch (IOException e) {
      throw new LicenseException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
