package dev.pbstoolchain.oci.layer;

import dev.pbstoolchain.oci.OciException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Numeric ids for the owner and group names of the layout. No maintainer script runs in an image,
 * so a name ({@code app}) becomes the id the base's {@code /etc/passwd} or {@code /etc/group} gives
 * it, or the id the configuration gives (which wins); {@code root} is 0 and a number is itself.
 */
public final class OwnerIds {

  private final Map<String, Long> users;
  private final Map<String, Long> groups;
  private final String baseName;

  private OwnerIds(Map<String, Long> users, Map<String, Long> groups, String baseName) {
    this.users = users;
    this.groups = groups;
    this.baseName = baseName;
  }

  /**
   * @param passwd the base's /etc/passwd, or empty
   * @param group the base's /etc/group, or empty
   * @param configuredUsers ids given by the configuration, by user name
   * @param configuredGroups ids given by the configuration, by group name
   * @param baseName names the base in errors
   */
  public static OwnerIds of(
      Optional<String> passwd,
      Optional<String> group,
      Map<String, Long> configuredUsers,
      Map<String, Long> configuredGroups,
      String baseName) {
    Map<String, Long> users = new LinkedHashMap<>();
    Map<String, Long> groups = new LinkedHashMap<>();
    passwd.ifPresent(text -> parse(text, 2, users));
    group.ifPresent(text -> parse(text, 2, groups));
    users.putAll(configuredUsers);
    groups.putAll(configuredGroups);
    users.putIfAbsent("root", 0L);
    groups.putIfAbsent("root", 0L);
    return new OwnerIds(users, groups, baseName);
  }

  /** {@code name:password:id:...} lines; comments, blanks and NIS lines (+/-) are skipped. */
  private static void parse(String text, int idField, Map<String, Long> into) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) {
        continue;
      }
      String[] fields = line.split(":", -1);
      if (fields.length > idField && fields[idField].matches("\\d{1,10}")) {
        into.putIfAbsent(fields[0], Long.parseLong(fields[idField]));
      }
    }
  }

  /**
   * The uid of a user name.
   *
   * @param path the layer path owned by it, for the error
   */
  public long uid(String user, String path) throws OciException {
    return id(user, users, "user", "/etc/passwd", "uids", path);
  }

  public long gid(String group, String path) throws OciException {
    return id(group, groups, "group", "/etc/group", "gids", path);
  }

  private long id(
      String name, Map<String, Long> known, String kind, String file, String key, String path)
      throws OciException {
    if (name.matches("\\d{1,10}")) {
      return Long.parseLong(name);
    }
    Long id = known.get(name);
    if (id == null) {
      throw OciException.configuration(
          "/"
              + path
              + " is owned by the "
              + kind
              + " '"
              + name
              + "', which the base "
              + baseName
              + " does not define in "
              + file
              + (known.size() > 1
                  ? " (it has " + String.join(", ", new TreeMap<>(known).keySet()) + ")"
                  : "")
              + ". No maintainer script runs in an image to create it: give its id in"
              + " image."
              + key
              + " (e.g. "
              + key
              + ": {"
              + name
              + ": 999}), or use a base that has it");
    }
    return id;
  }
}
