package dev.pbstoolchain.core.matrix;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * matrix.yaml's {@code image:} block: the container image pbs:image makes of the Linux rows. Unset
 * text is empty; an unset {@code entrypoint} or {@code cmd} is null (the default, or the base's),
 * an empty one means "none".
 *
 * @param repository where pbs.image.push sends the image, e.g. {@code
 *     registry.example.com/acme/app}
 * @param tags the index's tags; {@code {version}} and {@code {name}} are replaced
 * @param base {@code oci-layout:DIR[:TAG]}, {@code oci-archive:FILE} or a registry reference pinned
 *     by digest
 * @param entrypoint the entrypoint, null for {@code /usr/bin/APP}
 * @param cmd the default arguments, null for none
 * @param env environment variables, in file order
 * @param user the user the app runs as ({@code name}, {@code uid} or {@code uid:gid})
 * @param workdir the working directory
 * @param ports exposed ports ({@code 8080}, {@code 8080/tcp}, {@code 53/udp})
 * @param volumes volume paths
 * @param labels config labels, in file order
 * @param uids numeric ids of user names the package uses that the base does not define
 * @param gids likewise for groups
 */
public record ImageBlock(
    String repository,
    List<String> tags,
    String base,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    String user,
    String workdir,
    List<String> ports,
    List<String> volumes,
    Map<String, String> labels,
    Map<String, Long> uids,
    Map<String, Long> gids) {

  /** The tags when the block gives none. */
  public static final List<String> DEFAULT_TAGS = List.of("{version}");

  public ImageBlock {
    repository = text(repository);
    tags = tags == null || tags.isEmpty() ? DEFAULT_TAGS : List.copyOf(tags);
    base = text(base);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    env = inOrder(env);
    user = text(user);
    workdir = text(workdir);
    ports = ports == null ? List.of() : List.copyOf(ports);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    labels = inOrder(labels);
    // Sorted, not Map.copyOf: its iteration order changes from one JVM to the next.
    uids = Collections.unmodifiableSortedMap(new TreeMap<>(uids == null ? Map.of() : uids));
    gids = Collections.unmodifiableSortedMap(new TreeMap<>(gids == null ? Map.of() : gids));
  }

  private static String text(String value) {
    return value == null ? "" : value.strip();
  }

  private static <V> Map<String, V> inOrder(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map == null ? Map.of() : map));
  }
}
