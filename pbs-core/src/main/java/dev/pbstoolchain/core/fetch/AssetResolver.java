package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Triples;
import java.net.URI;
import java.util.List;

/**
 * Turns (release date, CPython version, triple, flavour) into the asset PBS publishes and the URLs
 * of the asset and of its checksums, validating each part against what that release offers.
 */
public final class AssetResolver {

  /** Where PBS publishes releases; {@code pbs.mirror} replaces it. */
  public static final String DEFAULT_BASE =
      "https://github.com/astral-sh/python-build-standalone/releases/download";

  private final String base;

  /** Resolves against the given base ({@code null} or blank: the real GitHub releases). */
  public AssetResolver(String mirror) {
    String chosen = mirror == null || mirror.isBlank() ? DEFAULT_BASE : mirror.strip();
    this.base = chosen.endsWith("/") ? chosen.substring(0, chosen.length() - 1) : chosen;
  }

  public String base() {
    return base;
  }

  /** Validates the request and names the asset. */
  public ResolvedAsset resolve(String date, String version, String triple, String flavor)
      throws PbsException {
    int day = PbsDate.parse(date);
    if (day < PbsDate.PLUS_NAMING) {
      throw PbsException.configuration(
          "pbs.date "
              + date
              + " is older than 20220227: python-build-standalone releases before that carry"
              + " build timestamps in their asset names and no SHA256SUMS. Use a release from"
              + " 20220227 or later.");
    }
    if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+([a-z]+\\d+)?")) {
      throw PbsException.configuration(
          "pbs.version '"
              + version
              + "' is not a full CPython version: expected e.g. 3.11.10 (major.minor.patch, as"
              + " in the release's asset names)");
    }
    if (!Triples.isKnown(triple)) {
      throw PbsException.configuration(
          "Unknown target triple '"
              + triple
              + "' (pbs.targets). python-build-standalone publishes: "
              + String.join(", ", Triples.KNOWN));
    }
    String shipped = Flavors.shipped(flavor, day);
    List<String> flavors = Flavors.available(day, triple);
    if (!flavors.contains(shipped)) {
      throw PbsException.configuration(
          "Flavour '"
              + shipped
              + "' (pbs.flavor) is not published by release "
              + date
              + " for "
              + triple
              + ". Valid flavours: "
              + String.join(", ", flavors));
    }
    ReleaseAsset asset = new ReleaseAsset(date, version, triple, shipped);
    return new ResolvedAsset(
        asset,
        uri(date + "/" + asset.encodedFileName()),
        uri(date + "/SHA256SUMS"),
        day <= PbsDate.LAST_SHA256_FILES
            ? uri(date + "/" + asset.encodedFileName() + ".sha256")
            : null);
  }

  private URI uri(String path) throws PbsException {
    try {
      return URI.create(base + "/" + path);
    } catch (IllegalArgumentException e) {
      throw PbsException.configuration(
          "pbs.mirror '"
              + base
              + "' does not make a URL ("
              + e.getMessage()
              + "). Give https://host/path, file:///path or a directory's absolute path, with"
              + " special characters in a URL percent-encoded (%20 for a space).");
    }
  }
}
