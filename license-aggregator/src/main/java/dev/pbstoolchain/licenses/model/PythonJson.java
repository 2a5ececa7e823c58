package dev.pbstoolchain.licenses.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pbstoolchain.licenses.LicenseException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of PBS's {@code PYTHON.json} (schema versions 5 to 8) that licensing needs. Unknown
 * fields are ignored, so newer releases still read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PythonJson(
    @JsonProperty("version") String version,
    @JsonProperty("target_triple") String targetTriple,
    @JsonProperty("python_version") String pythonVersion,
    @JsonProperty("crt_features") List<String> crtFeatures,
    @JsonProperty("licenses") List<String> licenses,
    @JsonProperty("license_path") String licensePath,
    @JsonProperty("build_info") BuildInfo buildInfo) {

  static final List<String> SUPPORTED = List.of("5", "6", "7", "8");

  public PythonJson {
    crtFeatures = crtFeatures == null ? List.of() : List.copyOf(crtFeatures);
    licenses = licenses == null ? List.of() : List.copyOf(licenses);
  }

  /** {@code build_info}: the core and every extension module with its variants. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BuildInfo(
      @JsonProperty("core") Core core,
      @JsonProperty("extensions") Map<String, List<Variant>> extensions) {

    public BuildInfo {
      extensions = extensions == null ? Map.of() : new TreeMap<>(extensions);
    }
  }

  /** {@code build_info.core}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Core(
      @JsonProperty("licenses") List<String> licenses,
      @JsonProperty("license_path") String licensePath,
      @JsonProperty("links") List<Link> links) {}

  /** One variant of an extension module. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Variant(
      @JsonProperty("variant") String variant,
      @JsonProperty("in_core") Boolean inCore,
      @JsonProperty("licenses") List<String> licenses,
      @JsonProperty("license_paths") List<String> licensePaths,
      @JsonProperty("license_public_domain") Boolean licensePublicDomain,
      @JsonProperty("links") List<Link> links) {

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
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Link(
      @JsonProperty("name") String name,
      @JsonProperty("system") Boolean system,
      @JsonProperty("framework") Boolean framework) {}

  /** Parses and checks the schema version. */
  public static PythonJson parse(byte[] json, String where) throws LicenseException {
    PythonJson parsed;
    try {
      parsed = new ObjectMapper().readValue(json, PythonJson.class);
    } catch (IOException e) {
      throw new LicenseException(
          where
              + ": PYTHON.json is not valid JSON ("
              + e.getMessage().lines().findFirst().orElse("")
              + ")",
          e);
    }
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
