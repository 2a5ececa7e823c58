package dev.pbstoolchain.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.testing.SharedFixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resolution against the real published table ({@code fixtures/pbs/download-metadata.json}, uv's
 * list of every PBS CPython build with its URL and SHA-256).
 */
class AssetResolverTest {

  static final Path METADATA = SharedFixtures.of("pbs/download-metadata.json");

  /** uv's (os, arch, libc) -> the PBS triple, written out independently of {@link Triples}. */
  static String triple(JsonNode entry) {
    // uv says powerpc64le where PBS's triple says ppc64le.
    String arch = entry.path("arch").path("family").asText().replace("powerpc64le", "ppc64le");
    String variant = entry.path("arch").path("variant").asText(null);
    String cpu = variant == null || variant.equals("null") ? arch : arch + "_" + variant;
    String libc = entry.path("libc").asText();
    return switch (entry.path("os").asText()) {
      case "darwin" -> cpu + "-apple-darwin";
      case "windows" -> cpu + "-pc-windows-msvc";
      case "linux" -> cpu + "-unknown-linux-" + libc;
      default -> throw new IllegalArgumentException(entry.toString());
    };
  }

  static String version(JsonNode entry) {
    return entry.path("major").asInt()
        + "."
        + entry.path("minor").asInt()
        + "."
        + entry.path("patch").asInt()
        + entry.path("prerelease").asText("");
  }

  /** The flavour uv picked for each variant, from what the URL's ending says. */
  static String flavor(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1).replace("%2B", "+");
    for (String flavor : Flavors.ALL_LONGEST_FIRST) {
      if (name.endsWith("-" + flavor + "." + Flavors.extension(flavor))) {
        return flavor;
      }
    }
    throw new IllegalArgumentException(url);
  }

  @Test
  void everyPublishedCpythonBuildResolvesToItsExactUrl() throws IOException {
    JsonNode table = new ObjectMapper().readTree(METADATA.toFile());
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    int tooOld = 0;
    for (Map.Entry<String, JsonNode> field :
        (Iterable<Map.Entry<String, JsonNode>>) table::fields) {
      JsonNode entry = field.getValue();
      String url = entry.path("url").asText();
      if (!entry.path("name").asText().equals("cpython")
          || !url.startsWith(AssetResolver.DEFAULT_BASE)
          || !url.substring(url.lastIndexOf('/') + 1).startsWith("cpython-")) {
        continue;
      }
      String date = entry.path("build").asText();
      String triple = triple(entry);
      // Names before 20220227 end in a build timestamp instead of a flavour.
      String flavor =
          Integer.parseInt(date) < PbsDate.PLUS_NAMING ? Flavors.INSTALL_ONLY : flavor(url);
      try {
        ResolvedAsset resolved =
            new AssetResolver(null).resolve(date, version(entry), triple, flavor);
        if (!resolved.uri().equals(URI.create(url))) {
          mismatches.add(field.getKey() + ": " + resolved.uri() + " != " + url);
        }
        String fileName = resolved.asset().fileName();
        if (!ReleaseAsset.parse(fileName).equals(java.util.Optional.of(resolved.asset()))) {
          mismatches.add(field.getKey() + ": parse(" + fileName + ") does not round-trip");
        }
        checked++;
      } catch (PbsException e) {
        if (Integer.parseInt(date) < PbsDate.PLUS_NAMING
            && e.getMessage().contains("is older than 20220227")) {
          tooOld++;
        } else {
          mismatches.add(field.getKey() + ": " + e.getMessage());
        }
      }
    }
    assertThat(mismatches.subList(0, Math.min(5, mismatches.size())))
        .as("%d mismatches", mismatches.size())
        .isEmpty();
    assertThat(checked).isGreaterThan(4500);
    assertThat(tooOld).isPositive();
  }

  @Test
  void withoutAFlavourEachReleaseShipsWhatItPublished() throws PbsException {
    // The published URLs (download table): stripped archives since 20240725, install_only before.
    AssetResolver resolver = new AssetResolver(null);
    assertThat(resolver.resolve("20241016", "3.11.10", "x86_64-unknown-linux-gnu", null).uri())
        .hasToString(
            AssetResolver.DEFAULT_BASE
                + "/20241016/cpython-3.11.10%2B20241016-x86_64-unknown-linux-gnu"
                + "-install_only_stripped.tar.gz");
    assertThat(resolver.resolve("20240107", "3.11.7", "x86_64-unknown-linux-gnu", "").uri())
        .hasToString(
            AssetResolver.DEFAULT_BASE
                + "/20240107/cpython-3.11.7%2B20240107-x86_64-unknown-linux-gnu"
                + "-install_only.tar.gz");
  }

  @Test
  void mirrorReplacesTheGithubBaseAndEncodesThePlus() throws PbsException {
    ResolvedAsset resolved =
        new AssetResolver("https://artifacts.example.com/pbs/")
            .resolve("20240224", "3.11.8", "x86_64-pc-windows-msvc", "install_only");
    assertThat(resolved.uri())
        .hasToString(
            "https://artifacts.example.com/pbs/20240224/"
                + "cpython-3.11.8%2B20240224-x86_64-pc-windows-msvc-shared-install_only.tar.gz");
    assertThat(resolved.sha256SumsUri())
        .hasToString("https://artifacts.example.com/pbs/20240224/SHA256SUMS");
    assertThat(resolved.sha256File()).isPresent();
  }

  @Test
  void sha256FilesAreOnlyOfferedWhileTheyWerePublished() throws PbsException {
    AssetResolver resolver = new AssetResolver(null);
    assertThat(
            resolver
                .resolve("20250708", "3.11.13", "x86_64-unknown-linux-gnu", "install_only")
                .sha256File())
        .isPresent();
    assertThat(
            resolver
                .resolve("20250712", "3.11.13", "x86_64-unknown-linux-gnu", "install_only")
                .sha256File())
        .isEmpty();
  }

  @Test
  void malformedDatesAndVersionsAreExplained() {
    AssetResolver resolver = new AssetResolver(null);
    assertThatThrownBy(
            () ->
                resolver.resolve(
                    "2024-10-16", "3.11.10", "x86_64-unknown-linux-gnu", "install_only"))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("2024-10-16");
    assertThatThrownBy(
            () -> resolver.resolve("20241016", "3.11", "x86_64-unknown-linux-gnu", "install_only"))
        .hasMessage(
            "pbs.version '3.11' is not a full CPython version: expected e.g. 3.11.10"
                + " (major.minor.patch, as in the release's asset names)");
  }
}
