package dev.pbstoolchain.oci.layer;

import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.base.BaseFilesystem;
import dev.pbstoolchain.oci.tar.TarHeaders;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Splits a release's deb layout into the image's two layers and places each path onto the base:
 *
 * <ul>
 *   <li>the Python runtime layer: {@code usr/lib/APP/python/**}, which changes only when PBS does,
 *       so registries and hosts keep it across app releases;
 *   <li>the app layer: {@code usr/bin/APP} and everything else the package holds (its files,
 *       directories, copyright).
 * </ul>
 *
 * Paths go through the base's directory links as dpkg would (a file for {@code /lib/systemd/...} on
 * a merged-/usr base lands in {@code usr/lib/systemd/...}, not over the {@code /lib} link).
 * Directories the base has keep the base's mode, owner and mtime unless the package owns them;
 * everything else is the layout's mode, the mapped owner (root unless set) and one mtime. A path
 * whose type differs from the base's (a file over a directory, a directory over a file) is refused,
 * since the layer would hide what the base has there.
 */
public final class LayerPlan {

  /** Links followed while resolving one path before it is called a loop (as the kernel's 40). */
  private static final int MAX_LINKS = 40;

  /** The two layers, each sorted by path with every parent directory present. */
  public record Layers(List<LayerEntry> runtime, List<LayerEntry> app) {}

  private final BaseFilesystem base;
  private final OwnerIds ids;
  private final Set<String> owned;
  private final String baseName;
  private long epoch;

  private LayerPlan(BaseFilesystem base, OwnerIds ids, Set<String> owned, String baseName) {
    this.base = base;
    this.ids = ids;
    this.owned = owned;
    this.baseName = baseName;
  }

  /**
   * @param layout the release's deb/rpm layout ({@code usr/bin/APP}, {@code usr/lib/APP/python})
   * @param app the app's name
   * @param owned paths of the directories the package owns (their mode and owner are kept)
   * @param epoch the mtime of everything the app layer adds (the release's time)
   * @param runtimeEpoch the mtime of what the runtime layer adds: the PBS release's time, so the
   *     layer stays the same bytes across app releases on one PBS build
   * @param baseName names the base in errors
   */
  public static Layers plan(
      Layout layout,
      String app,
      BaseFilesystem base,
      OwnerIds ids,
      Set<String> owned,
      long epoch,
      long runtimeEpoch,
      String baseName)
      throws OciException {
    LayerPlan plan = new LayerPlan(base, ids, owned, baseName);
    String python = "usr/lib/" + app + "/python";
    TreeMap<String, LayerEntry> runtime = new TreeMap<>();
    TreeMap<String, LayerEntry> rest = new TreeMap<>();
    // Files and links first: a clash is then told about the file the package ships, not about a
    // parent directory the layout implied for it.
    List<Entry> ordered = new java.util.ArrayList<>();
    layout.entries().stream().filter(e -> !e.isDirectory()).forEach(ordered::add);
    layout.entries().stream().filter(Entry::isDirectory).forEach(ordered::add);
    for (Entry e : ordered) {
      boolean isRuntime = e.path().equals(python) || e.path().startsWith(python + "/");
      plan.epoch = isRuntime ? runtimeEpoch : epoch;
      plan.place(e, isRuntime ? runtime : rest, isRuntime ? "Python runtime layer" : "app layer");
    }
    return new Layers(List.copyOf(runtime.values()), List.copyOf(rest.values()));
  }

  private void place(Entry e, TreeMap<String, LayerEntry> layer, String layerName)
      throws OciException {
    LayerEntry entry;
    if (e.isDirectory()) {
      String real = resolveDirectory(e.path(), 0, e, layerName);
      Optional<BaseFilesystem.Node> existing = base.get(real);
      if (existing.isPresent() && !owned.contains(e.path())) {
        entry = fromBase(real, existing.get());
      } else {
        entry = ours(real, e);
      }
    } else {
      String parent = e.parent();
      String dir = parent.isEmpty() ? "" : resolveDirectory(parent, 0, e, layerName);
      String real = dir.isEmpty() ? e.name() : dir + "/" + e.name();
      Optional<BaseFilesystem.Node> existing = base.get(real);
      if (existing.isPresent() && existing.get().kind() == BaseFilesystem.Kind.DIRECTORY) {
        throw clash(e, layerName, real, "a directory", "the " + kindName(e) + " would hide it");
      }
      entry = ours(real, e);
    }
    add(layer, entry, e, layerName);
    addParents(layer, entry.path());
  }

  private void add(
      TreeMap<String, LayerEntry> layer, LayerEntry entry, Entry from, String layerName)
      throws OciException {
    LayerEntry earlier = layer.get(entry.path());
    if (earlier == null) {
      layer.put(entry.path(), entry);
      return;
    }
    if (earlier.kind() == Entry.Kind.DIRECTORY && entry.kind() == Entry.Kind.DIRECTORY) {
      if (owned.contains(from.path())) {
        layer.put(entry.path(), entry);
      }
      return;
    }
    throw OciException.configuration(
        "The image's "
            + layerName
            + " would hold /"
            + entry.path()
            + " twice: /"
            + from.path()
            + " of the package lands there too, through a link of the base "
            + baseName
            + ". Give the package one of the two paths");
  }

  /** The parents of a placed path, as the base has them or as plain root directories. */
  private void addParents(TreeMap<String, LayerEntry> layer, String path) {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String parent = path.substring(0, slash);
      if (!layer.containsKey(parent)) {
        Optional<BaseFilesystem.Node> existing = base.get(parent);
        layer.put(
            parent,
            existing.isPresent()
                ? fromBase(parent, existing.get())
                : new LayerEntry(
                    parent, Entry.Kind.DIRECTORY, 0755, TarHeaders.Owner.ROOT, epoch, null, null));
      }
    }
  }

  /**
   * The directory the base makes of {@code path}: each element that is a link in the base is
   * followed (relative to where it is, absolute from the image's root); an element that is a file
   * cannot hold anything.
   */
  private String resolveDirectory(String path, int links, Entry e, String layerName)
      throws OciException {
    if (links > MAX_LINKS) {
      throw OciException.configuration(
          "The links of the base "
              + baseName
              + " loop where the "
              + layerName
              + " places /"
              + e.path()
              + ": fix the base");
    }
    String resolved = "";
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        // Above the root stays at the root, as in a chroot.
        resolved = resolved.contains("/") ? resolved.substring(0, resolved.lastIndexOf('/')) : "";
        continue;
      }
      String candidate = resolved.isEmpty() ? part : resolved + "/" + part;
      Optional<BaseFilesystem.Node> node = base.get(candidate);
      if (node.isEmpty() || node.get().kind() == BaseFilesystem.Kind.DIRECTORY) {
        resolved = candidate;
      } else if (node.get().kind() == BaseFilesystem.Kind.SYMLINK) {
        String target = node.get().linkTarget();
        String next =
            target.startsWith("/") ? target : (resolved.isEmpty() ? "" : resolved + "/") + target;
        resolved = resolveDirectory(next, links + 1, e, layerName);
      } else {
        throw clash(
            e,
            layerName,
            candidate,
            "a file",
            candidate.equals(e.path())
                ? "the directory would hide it"
                : "nothing can be placed under a file");
      }
    }
    return resolved;
  }

  private OciException clash(
      Entry e, String layerName, String basePath, String baseKind, String why) {
    return OciException.configuration(
        "The image's "
            + layerName
            + " puts "
            + article(kindName(e))
            + " at /"
            + e.path()
            + ", but in the base "
            + baseName
            + " /"
            + basePath
            + " is "
            + baseKind
            + ": "
            + why
            + ". Change the path in the package (packaging.files / packaging.directories) or use"
            + " another base");
  }

  private static String kindName(Entry e) {
    return switch (e.kind()) {
      case FILE -> "file";
      case DIRECTORY -> "directory";
      case SYMLINK -> "symbolic link";
    };
  }

  private static String article(String noun) {
    return (noun.startsWith("a") || noun.startsWith("e") || noun.startsWith("i") ? "an " : "a ")
        + noun;
  }

  private LayerEntry ours(String real, Entry e) throws OciException {
    TarHeaders.Owner owner =
        e.owner().equals("root") && e.group().equals("root")
            ? TarHeaders.Owner.ROOT
            : new TarHeaders.Owner(
                ids.uid(e.owner(), e.path()),
                ids.gid(e.group(), e.path()),
                e.owner().matches("\\d+") ? "" : e.owner(),
                e.group().matches("\\d+") ? "" : e.group());
    return switch (e.kind()) {
      case FILE -> new LayerEntry(real, Entry.Kind.FILE, e.mode(), owner, epoch, e, null);
      case DIRECTORY ->
          new LayerEntry(real, Entry.Kind.DIRECTORY, e.mode(), owner, epoch, null, null);
      case SYMLINK ->
          new LayerEntry(real, Entry.Kind.SYMLINK, 0777, owner, epoch, null, e.linkTarget());
    };
  }

  private static LayerEntry fromBase(String path, BaseFilesystem.Node node) {
    return new LayerEntry(
        path,
        Entry.Kind.DIRECTORY,
        node.mode(),
        new TarHeaders.Owner(node.uid(), node.gid(), node.user(), node.group()),
        node.mtime(),
        null,
        null);
  }
}
