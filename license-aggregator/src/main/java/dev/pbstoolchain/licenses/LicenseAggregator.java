package dev.pbstoolchain.licenses;

import dev.pbstoolchain.licenses.archive.FullArchive;
import dev.pbstoolchain.licenses.io.Causes;
import dev.pbstoolchain.licenses.io.Sha256;
import dev.pbstoolchain.licenses.model.Component;
import dev.pbstoolchain.licenses.model.Components;
import dev.pbstoolchain.licenses.model.Exclusion;
import dev.pbstoolchain.licenses.model.PythonJson;
import dev.pbstoolchain.licenses.output.StagedOutput;
import dev.pbstoolchain.licenses.report.LicenseMarkdown;
import dev.pbstoolchain.licenses.report.Policy;
import dev.pbstoolchain.licenses.report.Provenance;
import dev.pbstoolchain.licenses.report.Sbom;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole job: read the full archive once, check the licence data, leave excluded extension
 * modules out, write {@code LICENSE.md}, {@code PYTHON.json} and {@code licenses/} (and an SBOM) as
 * one swap, and apply the policy.
 */
public final class LicenseAggregator {

  private static final Pattern DATE = Pattern.compile("\\+(\\d{8})-");

  /**
   * What to do; build one with {@link #builder}.
   *
   * @param fullArchive the PBS {@code *-full.tar.zst}
   * @param outputDir where LICENSE.md, PYTHON.json and licenses/ go (the shipped {@code python/});
   *     its staging directory and lock file go beside it
   * @param upstreamUrl the full archive's canonical upstream URL, recorded in LICENSE.md and the
   *     SBOM
   * @param fullArchiveSha256 its SHA-256 as the caller verified it, else it is hashed here
   * @param installArchive the shipped install_only archive, for provenance
   * @param installArchiveSha256 its SHA-256 as the caller verified it, else it is hashed here
   * @param policy the licence gate
   * @param sbom where to write the CycloneDX SBOM
   * @param exclude extension modules to leave out (e.g. {@code readline}, {@code _dbm})
   * @param excludeOption how the front end names {@code exclude}, for messages
   */
  public record Request(
      Path fullArchive,
      Path outputDir,
      Optional<String> upstreamUrl,
      Optional<String> fullArchiveSha256,
      Optional<Path> installArchive,
      Optional<String> installArchiveSha256,
      Policy policy,
      Optional<Path> sbom,
      Set<String> exclude,
      String excludeOption) {

    public Request {
      Objects.requireNonNull(fullArchive, "fullArchive");
      Objects.requireNonNull(outputDir, "outputDir");
      Objects.requireNonNull(upstreamUrl, "upstreamUrl");
      Objects.requireNonNull(fullArchiveSha256, "fullArchiveSha256");
      Objects.requireNonNull(installArchive, "installArchive");
      Objects.requireNonNull(installArchiveSha256, "installArchiveSha256");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(sbom, "sbom");
      exclude = Collections.unmodifiableSortedSet(new TreeSet<>(exclude));
      Objects.requireNonNull(excludeOption, "excludeOption");
    }

    /** A request to read {@code fullArchive} into {@code outputDir}; the rest is optional. */
    public static Builder builder(Path fullArchive, Path outputDir) {
      return new Builder(fullArchive, outputDir);
    }

    /** Builds a {@link Request}: every argument is required; leave out what does not apply. */
    public static final class Builder {
      private final Path fullArchive;
      private final Path outputDir;
      private Optional<String> upstreamUrl = Optional.empty();
      private Optional<String> fullArchiveSha256 = Optional.empty();
      private Optional<Path> installArchive = Optional.empty();
      private Optional<String> installArchiveSha256 = Optional.empty();
      private Policy policy = Policy.none();
      private Optional<Path> sbom = Optional.empty();
      private Set<String> exclude = Set.of();
      private String excludeOption = Policy.MATRIX_EXCLUDE;

      private Builder(Path fullArchive, Path outputDir) {
        this.fullArchive = Objects.requireNonNull(fullArchive, "fullArchive");
        this.outputDir = Objects.requireNonNull(outputDir, "outputDir");
      }

      /**
       * The full archive's provenance: its canonical upstream URL (see {@link Upstream#releaseUrl};
       * never the mirror it was fetched from) and the SHA-256 the caller verified (taken as given,
       * so the archive is not read twice). Both go into LICENSE.md and the SBOM.
       */
      public Builder upstream(String canonicalUrl, String sha256) {
        return upstreamUrl(canonicalUrl).fullArchiveSha256(sha256);
      }

      /** The canonical upstream URL alone; the archive is then hashed here. */
      public Builder upstreamUrl(String canonicalUrl) {
        this.upstreamUrl = Optional.of(canonicalUrl);
        return this;
      }

      /** The full archive's SHA-256 as the caller verified it. */
      public Builder fullArchiveSha256(String sha256) {
        this.fullArchiveSha256 = Optional.of(sha256);
        return this;
      }

      /** The shipped install_only archive, hashed here. */
      public Builder installArchive(Path archive) {
        this.installArchive = Optional.of(archive);
        return this;
      }

      /** The shipped install_only archive and the SHA-256 the caller verified. */
      public Builder installArchive(Path archive, String sha256) {
        this.installArchiveSha256 = Optional.of(sha256);
        return installArchive(archive);
      }

      public Builder policy(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
      }

      /** Where the CycloneDX SBOM goes. */
      public Builder sbom(Path sbom) {
        this.sbom = Optional.of(sbom);
        return this;
      }

      /**
       * Extension modules to leave out of LICENSE.md, licenses/, the SBOM and the policy; {@link
       * Result#exclusion} lists the shipped files to delete.
       */
      public Builder exclude(Set<String> modules) {
        this.exclude = Set.copyOf(modules);
        return this;
      }

      /** How the caller's front end names the exclusion list ({@code --exclude} for the CLI). */
      public Builder excludeOption(String name) {
        this.excludeOption = Objects.requireNonNull(name, "excludeOption");
        return this;
      }

      public Request build() {
        return new Request(
            fullArchive,
            outputDir,
            upstreamUrl,
            fullArchiveSha256,
            installArchive,
            installArchiveSha256,
            policy,
            sbom,
            exclude,
            excludeOption);
      }
    }
  }

  /**
   * What happened.
   *
   * @param components what ships: CPython and the bundled libraries of the modules not excluded
   * @param warnings missing licence files and the like
   * @param verdict the policy's
   * @param exclusion the modules left out and the shipped paths that belong to them, which the
   *     caller deletes from the shipped tree
   */
  public record Result(
      List<Component> components,
      List<String> warnings,
      Policy.Verdict verdict,
      Exclusion exclusion) {}

  private LicenseAggregator() {}

  public static Result run(Request request) throws LicenseException {
    String where = request.fullArchive().toString();
    check(request);
    try {
      StagedOutput.cleanUp(request.outputDir());
    } catch (IOException e) {
      throw cannotWrite(request, e);
    }
    FullArchive archive =
        FullArchive.read(request.fullArchive(), request.fullArchiveSha256().orElse(null));
    PythonJson json = PythonJson.parse(archive.pythonJson(), where);
    Exclusion exclusion = Exclusion.plan(json, request.exclude(), where, request.excludeOption());
    List<Component> components = Components.from(json, exclusion::ships);
    Map<String, byte[]> texts = archive.licenses();
    Optional<String> corePath = json.coreLicensePath();
    if (corePath.isEmpty() || !texts.containsKey(corePath.get())) {
      throw new LicenseException(
          where
              + ": the CPython licence file "
              + corePath
                  .map(p -> "python/" + p)
                  .orElse("(PYTHON.json /build_info/core/license_path is missing)")
              + " is not in the archive; it cannot be shipped without its licence. Use an"
              + " unmodified python-build-standalone full archive.");
    }
    List<String> warnings = new ArrayList<>();
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
    for (String name : exclusion.absent()) {
      warnings.add(
          request.excludeOption()
              + " names "
              + name
              + ", which "
              + request.fullArchive().getFileName()
              + " has no extension module of: nothing to leave out here (check the spelling"
              + " if no target has it)");
    }
    Map<String, byte[]> shipped = shippedTexts(texts, json, components, exclusion);
    String fileName = request.fullArchive().getFileName().toString();
    Matcher date = DATE.matcher(fileName);
    Provenance provenance =
        new Provenance(
            date.find() ? date.group(1) : "",
            json.pythonVersion(),
            json.targetTriple(),
            fileName,
            request.upstreamUrl().orElse(""),
            archive.sha256(),
            request.installArchive().map(p -> p.getFileName().toString()).orElse(""),
            installSha256(request));
    String markdown = LicenseMarkdown.render(provenance, components, shipped);
    Policy.Verdict verdict =
        request.policy().check(components, excludable(json), request.excludeOption());
    StagedOutput output =
        new StagedOutput(request.outputDir())
            .file("LICENSE.md", markdown.getBytes(StandardCharsets.UTF_8))
            .file("PYTHON.json", archive.pythonJson())
            .directory("licenses");
    shipped.forEach(output::file);
    if (request.sbom().isPresent()) {
      output.external(request.sbom().get(), Sbom.render(provenance, components));
    }
    try {
      output.publish();
    } catch (IOException e) {
      throw cannotWrite(request, e);
    }
    return new Result(components, warnings, verdict, exclusion);
  }

  private static LicenseException cannotWrite(Request request, IOException e) {
    return new LicenseException(
        "Cannot write the licence output to "
            + request.outputDir()
            + request.sbom().map(s -> " and " + s).orElse("")
            + " ("
            + Causes.describe(e)
            + "). The previous output is left as it was. Make both writable (directories, not"
            + " files, on the way; permissions; free space), then run again.",
        e);
  }

  /** Arguments a caller got wrong: said before the archive is read. */
  private static void check(Request request) throws LicenseException {
    for (String sha : request.fullArchiveSha256().stream().toList()) {
      checkSha256(sha, "the full archive's");
    }
    for (String sha : request.installArchiveSha256().stream().toList()) {
      checkSha256(sha, "the install archive's");
    }
    if (request.upstreamUrl().isPresent()) {
      String url = request.upstreamUrl().get();
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        uri = null;
      }
      if (uri == null
          || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null) {
        throw new LicenseException(
            "The upstream URL '"
                + redacted(uri, url)
                + "' is not a plain http(s) URL without credentials or query; it is written into"
                + " the shipped LICENSE.md and SBOM. Pass the canonical release URL, "
                + Upstream.RELEASES
                + "{date}/{asset}, whatever mirror the archive came from.");
      }
    }
  }

  /** A URL as a message may show it: never its user info or query (tokens live there). */
  private static String redacted(URI uri, String url) {
    if (uri == null) {
      return LicenseException.shown(url.replaceAll("[?#].*|//[^/]*@", "//***@"), 200);
    }
    return (uri.getScheme() == null ? "" : uri.getScheme() + ":")
        + (uri.getRawAuthority() == null
            ? ""
            : "//"
                + (uri.getRawUserInfo() == null ? "" : "***@")
                + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()))
        + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?***");
  }

  private static void checkSha256(String sha, String whose) throws LicenseException {
    if (!Sha256.isHex(sha)) {
      throw new LicenseException(
          whose.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
              + whose.substring(1)
              + " SHA-256 '"
              + sha
              + "' is not 64 lower-case hex digits: pass the hash as sha256sum prints it, or"
              + " none to have the archive hashed.");
    }
  }

  /**
   * The licence texts to ship: all of them, less those only excluded modules' libraries use (a text
   * no component names, PBS's spares, still ships).
   */
  private static Map<String, byte[]> shippedTexts(
      Map<String, byte[]> texts, PythonJson json, List<Component> shipped, Exclusion exclusion) {
    if (exclusion.modules().isEmpty()) {
      return texts;
    }
    Set<String> used = new TreeSet<>();
    shipped.forEach(c -> used.addAll(c.licensePaths()));
    Set<String> named = new TreeSet<>();
    Components.from(json).forEach(c -> named.addAll(c.licensePaths()));
    Map<String, byte[]> result = new TreeMap<>();
    texts.forEach(
        (path, text) -> {
          if (used.contains(path) || !named.contains(path)) {
            result.put(path, text);
          }
        });
    return result;
  }

  /** Modules that are shared libraries in every variant: the ones an exclusion can remove. */
  private static Set<String> excludable(PythonJson json) {
    Set<String> result = new TreeSet<>();
    json.buildInfo()
        .extensions()
        .forEach(
            (name, variants) -> {
              if (!variants.isEmpty()
                  && variants.stream().allMatch(v -> !v.inCore() && v.sharedLib().isPresent())) {
                result.add(name);
              }
            });
    return result;
  }

  private static String installSha256(Request request) throws LicenseException {
    if (request.installArchive().isEmpty()) {
      return "";
    }
    if (request.installArchiveSha256().isPresent()) {
      return request.installArchiveSha256().get();
    }
    Path file = request.installArchive().get();
    try {
      return Sha256.of(file);
    } catch (IOException e) {
      throw new LicenseException(
          "Cannot read the install archive "
              + file
              + " to hash it ("
              + Causes.describe(e)
              + "). Pass the install_only archive that ships, readable by this user.",
          e);
    }
  }
}
