package dev.pbstoolchain.oci.registry;

import dev.pbstoolchain.oci.model.Digest;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A registry image reference, {@code [registry/]repository[:tag][@digest]}, read as docker reads
 * it: the first path element is a registry when it has a dot or a port or is {@code localhost};
 * otherwise the image is on Docker Hub, where a one-element name is under {@code library/}.
 *
 * @param registry e.g. {@code registry.example.com}, {@code 127.0.0.1:5000}, {@code docker.io}
 * @param repository e.g. {@code acme/app}
 * @param tag the tag, or null
 * @param digest the pinned digest, or null
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST =
      Pattern.compile("(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException with what is wrong and an example of a valid one
   */
  public static ImageReference parse(String text) {
    String rest = text.strip();
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw invalid(text, "its digest: " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(text, "the tag '" + tag + "'");
      }
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        if (!HOST.matcher(first).matches()) {
          throw invalid(text, "the registry '" + first + "'");
        }
        registry = first.toLowerCase(Locale.ROOT);
        rest = rest.substring(slash + 1);
      }
    }
    if (rest.isEmpty()) {
      throw invalid(text, "an empty repository");
    }
    for (String component : rest.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw invalid(
            text,
            "the repository '"
                + rest
                + "' (lower-case letters, digits and . _ - between them, separated by /)");
      }
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  private static IllegalArgumentException invalid(String text, String what) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a valid image reference: check "
            + what
            + "; e.g. registry.example.com/acme/app:1.0 or"
            + " docker.io/library/debian:bookworm-slim@sha256:<64 hex digits>");
  }

  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  public ImageReference withDigest(Digest newDigest) {
    return new ImageReference(registry, repository, null, newDigest);
  }

  /** The same repository, without tag or digest. */
  public ImageReference repositoryOnly() {
    return new ImageReference(registry, repository, null, null);
  }

  /** This repository with a tag or a digest, whichever {@code reference} is. */
  public ImageReference withTagOrDigest(String reference) {
    return Digest.isDigest(reference) ? withDigest(Digest.parse(reference)) : withTag(reference);
  }

  /** The tag or digest a manifest request names: the digest when pinned, else the tag. */
  public String manifestReference() {
    return digest != null ? digest.toString() : tag != null ? tag : "latest";
  }

  /** The host the API is served on (Docker Hub's API is on registry-1.docker.io). */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** Whether the registry is on this machine (127.0.0.0/8, ::1 or localhost). */
  public boolean isLoopback() {
    return isLoopbackAuthority(registry);
  }

  /** Whether {@code host[:port]} is this machine; names other than localhost are not resolved. */
  static boolean isLoopbackAuthority(String authority) {
    String host = authority;
    if (host.startsWith("[")) {
      host = host.substring(1, Math.max(1, host.indexOf(']')));
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.contains(":")) {
      host = host.substring(0, host.lastIndexOf(':'));
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }
}
