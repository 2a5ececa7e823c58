package dev.pbstoolchain.oci.image;

import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.registry.ImageReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the image says about itself, as matrix.yaml's {@code image:} block gives it. Null lists mean
 * "not set" (the base's, or the default entrypoint {@code /usr/bin/APP}); empty ones mean "none".
 *
 * @param repository where pushes go, e.g. {@code registry.example.com/acme/app} (null: no push)
 * @param tags tags of the index; {@code {version}} and {@code {name}} are replaced
 * @param entrypoint the entrypoint, or null for {@code ["/usr/bin/APP"]}
 * @param cmd the default arguments, or null for none
 * @param env variables, set over the base's
 * @param user {@code name}, {@code uid} or {@code uid:gid}, or null for the base's
 * @param workdir absolute working directory, or null for the base's
 * @param ports exposed ports, {@code 8080} or {@code 8080/tcp} or {@code 53/udp}
 * @param volumes absolute paths
 * @param labels config labels, set over the base's and the OCI ones
 * @param uids ids of user names the package uses that the base does not define
 * @param gids likewise for groups
 * @param revision the source revision (annotation), or null
 * @param source the source repository URL (annotation), or null
 * @param licenses the SPDX expression of the image's content (annotation), or null
 */
public record ImageSettings(
    String repository,
    List<String> tags,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    String user,
    String workdir,
    List<String> ports,
    List<String> volumes,
    Map<String, String> labels,
    Map<String, Long> uids,
    Map<String, Long> gids,
    String revision,
    String source,
    String licenses) {

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:/(tcp|udp|sctp))?");
  private static final Pattern ENV_NAME = Pattern.compile("[^=\\s]+");

  public ImageSettings {
    tags = List.copyOf(tags);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    ports = List.copyOf(ports);
    volumes = List.copyOf(volumes);
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    uids = Map.copyOf(uids);
    gids = Map.copyOf(gids);
  }

  /** Nothing set: tag {@code {version}}, entrypoint {@code /usr/bin/APP}, the base's config. */
  public static ImageSettings defaults() {
    return new ImageSettings(
        null,
        List.of("{version}"),
        null,
        null,
        Map.of(),
        null,
        null,
        List.of(),
        List.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        null,
        null,
        null);
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The tags with {@code {version}} and {@code {name}} replaced, checked. */
  public List<String> expandedTags(String app, String version) throws OciException {
    Set<String> expanded = new LinkedHashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i).replace("{version}", version).replace("{name}", app);
      // Versions like 1.2.0+build.5 are common; a tag cannot hold '+', docker uses '_'.
      tag = tag.replace('+', '_');
      if (!TAG.matcher(tag).matches()) {
        throw OciException.configuration(
            "image.tags["
                + i
                + "] '"
                + tags.get(i)
                + "' gives the tag '"
                + tag
                + "', which is no valid tag (letters, digits, _ . -, at most 128, not starting"
                + " with . or -)");
      }
      expanded.add(tag);
    }
    if (expanded.isEmpty()) {
      throw OciException.configuration(
          "image.tags is empty: give at least one tag, e.g. tags: [\"{version}\", latest]");
    }
    return List.copyOf(expanded);
  }

  /** Checks what can be checked before building; messages name the matrix key. */
  public void validate() throws OciException {
    if (repository != null) {
      ImageReference reference;
      try {
        reference = ImageReference.parse(repository);
      } catch (IllegalArgumentException e) {
        throw OciException.configuration("image.repository: " + e.getMessage());
      }
      if (reference.tag() != null || reference.digest() != null) {
        throw OciException.configuration(
            "image.repository '"
                + repository
                + "' names a tag or digest; give the repository alone (e.g."
                + " registry.example.com/acme/app) and the tags in image.tags");
      }
    }
    for (int i = 0; i < ports.size(); i++) {
      var m = PORT.matcher(ports.get(i).strip());
      if (!m.matches()
          || Integer.parseInt(m.group(1)) < 1
          || Integer.parseInt(m.group(1)) > 65535) {
        throw OciException.configuration(
            "image.ports["
                + i
                + "] '"
                + ports.get(i)
                + "' is no port: give 1-65535, optionally with /tcp, /udp or /sctp (e.g. 8080,"
                + " 53/udp)");
      }
    }
    for (int i = 0; i < volumes.size(); i++) {
      if (!volumes.get(i).startsWith("/")) {
        throw OciException.configuration(
            "image.volumes["
                + i
                + "] '"
                + volumes.get(i)
                + "' is not an absolute path (e.g. /var/lib/app)");
      }
    }
    if (workdir != null && !workdir.startsWith("/")) {
      throw OciException.configuration(
          "image.workdir '" + workdir + "' is not an absolute path (e.g. /var/lib/app)");
    }
    for (String name : env.keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw OciException.configuration(
            "image.env has the name '" + name + "', which cannot be a variable (no '=' or blanks)");
      }
    }
    if (entrypoint != null && entrypoint.isEmpty() && (cmd == null || cmd.isEmpty())) {
      throw OciException.configuration(
          "image.entrypoint is empty and image.cmd is not set: the image would have nothing to"
              + " run; leave entrypoint out for /usr/bin/APP");
    }
  }

  /** Ports as the config writes them: {@code 8080/tcp}. */
  public List<String> normalPorts() {
    List<String> normal = new ArrayList<>();
    for (String port : ports) {
      String p = port.strip();
      normal.add(p.contains("/") ? p : p + "/tcp");
    }
    return normal;
  }

  /** Builds settings key by key. */
  public static final class Builder {
    private String repository;
    private List<String> tags = List.of("{version}");
    private List<String> entrypoint;
    private List<String> cmd;
    private Map<String, String> env = new LinkedHashMap<>();
    private String user;
    private String workdir;
    private List<String> ports = new ArrayList<>();
    private List<String> volumes = new ArrayList<>();
    private Map<String, String> labels = new LinkedHashMap<>();
    private Map<String, Long> uids = new LinkedHashMap<>();
    private Map<String, Long> gids = new LinkedHashMap<>();
    private String revision;
    private String source;
    private String licenses;

    public Builder repository(String value) {
      repository = value;
      return this;
    }

    public Builder tags(List<String> value) {
      tags = value;
      return this;
    }

    public Builder entrypoint(List<String> value) {
      entrypoint = value;
      return this;
    }

    public Builder cmd(List<String> value) {
      cmd = value;
      return this;
    }

    public Builder env(Map<String, String> value) {
      env = value;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder workdir(String value) {
      workdir = value;
      return this;
    }

    public Builder ports(List<String> value) {
      ports = value;
      return this;
    }

    public Builder volumes(List<String> value) {
      volumes = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      labels = value;
      return this;
    }

    public Builder uids(Map<String, Long> value) {
      uids = value;
      return this;
    }

    public Builder gids(Map<String, Long> value) {
      gids = value;
      return this;
    }

    public Builder revision(String value) {
      revision = value;
      return this;
    }

    public Builder source(String value) {
      source = value;
      return this;
    }

    public Builder licenses(String value) {
      licenses = value;
      return this;
    }

    public ImageSettings build() {
      return new ImageSettings(
          repository,
          tags,
          entrypoint,
          cmd,
          env,
          user,
          workdir,
          ports,
          volumes,
          labels,
          uids,
          gids,
          revision,
          source,
          licenses);
    }
  }
}
