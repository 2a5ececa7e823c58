package dev.pbstoolchain.licenses.model;

import dev.pbstoolchain.licenses.LicenseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The parts of PBS's {@code PYTHON.json} (schema versions 5 to 8) that licensing needs, each field
 * checked: a missing or odd one is a {@link LicenseException} naming it by JSON pointer. Unknown
 * fields are ignored, so newer releases still read.
 *
 * @param version the schema version
 * @param targetTriple e.g. {@code x86_64-unknown-linux-gnu}, empty when not given
 * @param pythonVersion e.g. {@code 3.11.10}, empty when not given
 * @param crtFeatures e.g. {@code glibc-max-symbol-version:2.17}
 * @param licenses the distribution's SPDX ids
 * @param licensePath the distribution's licence file, relative to {@code python/}
 * @param buildInfo the core and the extension modules
 * @param tclLibraryPath where tkinter's Tcl/Tk files live, relative to {@code python/}
 * @param tclLibraryPaths the directories under it that hold them
 */
public record PythonJson(
    String version,
    String targetTriple,
    String pythonVersion,
    List<String> crtFeatures,
    List<String> licenses,
    Optional<String> licensePath,
    BuildInfo buildInfo,
    Optional<String> tclLibraryPath,
    List<String> tclLibraryPaths) {

  static final List<String> SUPPORTED = List.of("5", "6", "7", "8");

  /** An SPDX licence id or {@code LicenseRef-...}: letters, digits, '.', '-' and '+'. */
  private static final Pattern SPDX_ID = Pattern.compile("[A-Za-z0-9.+-]{1,100}");

  /** A path inside the archive's {@code python/}, as PBS writes them. */
  private static final Pattern RELATIVE_PATH =
      Pattern.compile("[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)*");

  /** An extension module's name is a Python identifier. */
  private static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");

  /** A library name ({@code crypto}, {@code tcl9tk9.0}, {@code :libatomic.a}). */
  private static final Pattern LIBRARY = Pattern.compile("[A-Za-z0-9_.+:-]{1,100}");

  private static final Pattern TRIPLE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
  private static final Pattern PYTHON_VERSION = Pattern.compile("[A-Za-z0-9.+-]{1,40}");

  public PythonJson {
    crtFeatures = List.copyOf(crtFeatures);
    licenses = List.copyOf(licenses);
    tclLibraryPaths = List.copyOf(tclLibraryPaths);
  }

  /** {@code build_info}: the core and every extension module with its variants, by name. */
  public record BuildInfo(Core core, Map<String, List<Variant>> extensions) {

    public BuildInfo {
      extensions = new TreeMap<>(extensions);
    }
  }

  /** {@code build_info.core}. */
  public record Core(List<String> licenses, Optional<String> licensePath, List<Link> links) {
    public Core {
      licenses = List.copyOf(licenses);
      links = List.copyOf(links);
    }
  }

  /**
   * One variant of an extension module.
   *
   * @param variant its name ({@code default}, {@code libedit})
   * @param inCore part of the core's objects (Windows)
   * @param licenses SPDX ids of the libraries it pulls in
   * @param licensePaths their licence files, relative to {@code python/}
   * @param publicDomain whether PBS marks them public domain
   * @param links the libraries it links
   * @param sharedLib the shared library that is the module (e.g. {@code
   *     install/lib/python3.11/lib-dynload/_dbm.cpython-311-x86_64-linux-gnu.so}), when it is not
   *     compiled into libpython
   */
  public record Variant(
      String variant,
      boolean inCore,
      List<String> licenses,
      List<String> licensePaths,
      boolean publicDomain,
      List<Link> links,
      Optional<String> sharedLib) {

    public Variant {
      licenses = List.copyOf(licenses);
      licensePaths = List.copyOf(licensePaths);
      links = List.copyOf(links);
    }
  }

  /**
   * A library an extension links.
   *
   * @param name e.g. {@code crypto}
   * @param system found on the system at run time
   * @param framework a macOS framework
   * @param pathDynamic the shared library shipped for it (Windows DLLs), relative to {@code
   *     python/}
   */
  public record Link(
      String name, boolean system, boolean framework, Optional<String> pathDynamic) {}

  /** Parses, checks every field licensing uses, and checks the schema version. */
  public static PythonJson parse(byte[] json, String where) throws LicenseException {
    JsonTree.Node root = JsonTree.parse(json, where + ": PYTHON.json");
    root.fields(); // the document must be an object
    JsonTree.Node version = root.field("version");
    if (version.isNull()) {
      throw version.invalid("is missing");
    }
    if (!SUPPORTED.contains(version.textOrNumber())) {
      throw new LicenseException(
          where
              + ": PYTHON.json schema version "
              + version.found()
              + " is not supported (supported: "
              + String.join(", ", SUPPORTED)
              + "). Use a python-build-standalone release whose PYTHON.json has one of these.");
    }
    JsonTree.Node info = root.field("build_info");
    if (info.isNull()) {
      throw info.invalid("is missing");
    }
    JsonTree.Node core = info.field("core");
    if (core.isNull()) {
      throw core.invalid("is missing");
    }
    return new PythonJson(
        version.textOrNumber(),
        optional(root.field("target_triple"), TRIPLE, "a target triple").orElse(""),
        optional(root.field("python_version"), PYTHON_VERSION, "a version").orElse(""),
        strings(root.field("crt_features")),
        spdxIds(root.field("licenses")),
        optional(root.field("license_path"), RELATIVE_PATH, "a relative path"),
        new BuildInfo(
            new Core(
                spdxIds(core.field("licenses")),
                optional(core.field("license_path"), RELATIVE_PATH, "a relative path"),
                links(core.field("links"))),
            extensions(info.field("extensions"))),
        optional(root.field("tcl_library_path"), RELATIVE_PATH, "a relative path"),
        paths(root.field("tcl_library_paths")));
  }

  private static Map<String, List<Variant>> extensions(JsonTree.Node extensions)
      throws LicenseException {
    Map<String, List<Variant>> result = new TreeMap<>();
    for (Map.Entry<String, JsonTree.Node> extension : extensions.fields()) {
      JsonTree.Node variants = extension.getValue();
      if (!MODULE.matcher(extension.getKey()).matches()) {
        throw variants.invalid("is not named as an extension module (a Python identifier)");
      }
      if (variants.isNull()) {
        throw variants.wrongType("an array of variants");
      }
      List<Variant> list = new ArrayList<>();
      for (JsonTree.Node v : variants.elements()) {
        v.fields(); // each variant must be an object
        list.add(
            new Variant(
                Optional.ofNullable(v.field("variant").text()).orElse("default"),
                Boolean.TRUE.equals(v.field("in_core").bool()),
                spdxIds(v.field("licenses")),
                paths(v.field("license_paths")),
                Boolean.TRUE.equals(v.field("license_public_domain").bool()),
                links(v.field("links")),
                optional(v.field("shared_lib"), RELATIVE_PATH, "a relative path")));
      }
      result.put(extension.getKey(), list);
    }
    return result;
  }

  private static List<Link> links(JsonTree.Node links) throws LicenseException {
    List<Link> result = new ArrayList<>();
    for (JsonTree.Node link : links.elements()) {
      link.fields(); // each link must be an object
      JsonTree.Node name = link.field("name");
      if (name.isNull()) {
        throw name.invalid("is missing");
      }
      result.add(
          new Link(
              optional(name, LIBRARY, "a library name").orElseThrow(),
              Boolean.TRUE.equals(link.field("system").bool()),
              Boolean.TRUE.equals(link.field("framework").bool()),
              optional(link.field("path_dynamic"), RELATIVE_PATH, "a relative path")));
    }
    return result;
  }

  private static List<String> spdxIds(JsonTree.Node ids) throws LicenseException {
    return checked(ids, SPDX_ID, "an SPDX licence id");
  }

  private static List<String> paths(JsonTree.Node paths) throws LicenseException {
    return checked(paths, RELATIVE_PATH, "a relative path");
  }

  private static List<String> strings(JsonTree.Node texts) throws LicenseException {
    List<String> result = texts.texts();
    return result == null ? List.of() : result;
  }

  /** An array of strings each matching {@code shape}; none when absent or null. */
  private static List<String> checked(JsonTree.Node array, Pattern shape, String what)
      throws LicenseException {
    List<String> result = new ArrayList<>();
    for (JsonTree.Node element : array.elements()) {
      result.add(optional(element, shape, what).orElseThrow(() -> element.wrongType("a string")));
    }
    return result;
  }

  /** A string matching {@code shape}, or empty when absent or null. */
  private static Optional<String> optional(JsonTree.Node node, Pattern shape, String what)
      throws LicenseException {
    String text = node.text();
    if (text == null) {
      return Optional.empty();
    }
    if (!shape.matcher(text).matches() || isDotSegment(text)) {
      throw node.invalid("should be " + what + ", found " + node.found());
    }
    return Optional.of(text);
  }

  /** A relative path may not climb out of {@code python/}. */
  private static boolean isDotSegment(String text) {
    for (String segment : text.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** The core's SPDX ids ({@code build_info.core.licenses}, else the top-level ones). */
  public List<String> coreLicenses() {
    List<String> core = buildInfo.core().licenses();
    return core.isEmpty() ? licenses : core;
  }

  /** The core's licence file ({@code build_info.core.license_path}, else the top-level one). */
  public Optional<String> coreLicensePath() {
    return buildInfo.core().licensePath().or(this::licensePath);
  }

  /** The glibc the build promises, from {@code crt_features} (e.g. 2.17), if stated. */
  public Optional<String> glibcMaxSymbolVersion() {
    return crtFeatures.stream()
        .filter(f -> f.startsWith("glibc-max-symbol-version:"))
        .map(f -> f.substring("glibc-max-symbol-version:".length()))
        .findFirst();
  }
}
