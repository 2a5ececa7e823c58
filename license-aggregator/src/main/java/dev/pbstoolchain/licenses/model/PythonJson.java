package dev.pbstoolchain.licenses.model;

import dev.pbstoolchain.licenses.LicenseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of PBS's {@code PYTHON.json} (schema versions 5 to 8) that licensing needs. Unknown
 * fields are ignored, so newer releases still read.
 */
public record PythonJson(
    String version,
    String targetTriple,
    String pythonVersion,
    List<String> crtFeatures,
    List<String> licenses,
    String licensePath,
    BuildInfo buildInfo) {

  static final List<String> SUPPORTED = List.of("5", "6", "7", "8");

  public PythonJson {
    crtFeatures = crtFeatures == null ? List.of() : List.copyOf(crtFeatures);
    licenses = licenses == null ? List.of() : List.copyOf(licenses);
  }

  /** {@code build_info}: the core and every extension module with its variants. */
  public record BuildInfo(Core core, Map<String, List<Variant>> extensions) {

    public BuildInfo {
      extensions = extensions == null ? Map.of() : new TreeMap<>(extensions);
    }
  }

  /** {@code build_info.core}. */
  public record Core(List<String> licenses, String licensePath, List<Link> links) {}

  /** One variant of an extension module. */
  public record Variant(
      String variant,
      Boolean inCore,
      List<String> licenses,
      List<String> licensePaths,
      Boolean licensePublicDomain,
      List<Link> links) {

    public List<String> licensesOrEmpty() {
      return licenses == null ? List.of() : licenses;
    }

    public List<String> licensePathsOrEmpty() {
      return licensePaths == null ? List.of() : licensePaths;
    }

    public boolean publicDomain() {
      return Boolean.TRUE.equals(licensePublicDomain);
    }
  }

  /** A library an extension links. */
  public record Link(String name, Boolean system, Boolean framework) {}

  /** Parses and checks the schema version. */
  public static PythonJson parse(byte[] json, String where) throws LicenseException {
    PythonJson parsed = from(JsonTree.parse(json, where + ": PYTHON.json"), where);
    if (parsed.version() == null || !SUPPORTED.contains(parsed.version())) {
      throw new LicenseException(
          where
              + ": PYTHON.json schema version "
              + parsed.version()
              + " is not supported (supported: "
              + String.join(", ", SUPPORTED)
              + "). Use a python-build-standalone release whose PYTHON.json has one of these.");
    }
    if (parsed.buildInfo() == null || parsed.buildInfo().core() == null) {
      throw new LicenseException(where + ": PYTHON.json has no build_info.core section");
    }
    return parsed;
  }

  private static PythonJson from(JsonTree.Node root, String where) throws LicenseException {
    JsonTree.Node info = root.field("build_info");
    BuildInfo buildInfo = null;
    if (!info.isNull()) {
      JsonTree.Node core = info.field("core");
      Map<String, List<Variant>> extensions = new TreeMap<>();
      for (Map.Entry<String, JsonTree.Node> extension : info.field("extensions").fields()) {
        List<Variant> variants = new ArrayList<>();
        for (JsonTree.Node v : extension.getValue().elements()) {
          variants.add(
              new Variant(
                  v.field("variant").text(),
                  v.field("in_core").bool(),
                  v.field("licenses").texts(),
                  v.field("license_paths").texts(),
                  v.field("license_public_domain").bool(),
                  links(v.field("links"))));
        }
        extensions.put(extension.getKey(), variants);
      }
      buildInfo =
          new BuildInfo(
              core.isNull()
                  ? null
                  : new Core(
                      core.field("licenses").texts(),
                      core.field("license_path").text(),
                      links(core.field("links"))),
              extensions);
    }
    return new PythonJson(
        root.field("version").text(),
        root.field("target_triple").text(),
        root.field("python_version").text(),
        root.field("crt_features").texts(),
        root.field("licenses").texts(),
        root.field("license_path").text(),
        buildInfo);
  }

  private static List<Link> links(JsonTree.Node links) throws LicenseException {
    if (links.isNull()) {
      return null;
    }
    List<Link> result = new ArrayList<>();
    for (JsonTree.Node link : links.elements()) {
      result.add(
          new Link(
              link.field("name").text(),
              link.field("system").bool(),
              link.field("framework").bool()));
    }
    return result;
  }

  /** The core's SPDX ids ({@code build_info.core.licenses}, else the top-level ones). */
  public List<String> coreLicenses() {
    Core core = buildInfo.core();
    return core.licenses() != null && !core.licenses().isEmpty() ? core.licenses() : licenses;
  }

  public String coreLicensePath() {
    Core core = buildInfo.core();
    return core.licensePath() != null ? core.licensePath() : licensePath;
  }

  /** The glibc the build promises, from {@code crt_features} (e.g. 2.17), if stated. */
  public java.util.Optional<String> glibcMaxSymbolVersion() {
    return crtFeatures.stream()
        .filter(f -> f.startsWith("glibc-max-symbol-version:"))
        .map(f -> f.substring("glibc-max-symbol-version:".length()))
        .findFirst();
  }
}
