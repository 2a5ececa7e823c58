package dev.pbstoolchain.packagers.layout;

import dev.pbstoolchain.packagers.PackagingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Places one release (the app binary, the bundled {@code python/} tree and extra files) into the
 * layout each format ships:
 *
 * <ul>
 *   <li>tar.gz: {@code APP-VERSION/APP} and {@code APP-VERSION/python/...};
 *   <li>deb and rpm: {@code usr/bin/APP} and {@code usr/lib/APP/python/...};
 *   <li>zip: {@code APP.exe}, {@code python/...} and copies of {@code python/*.dll} beside the exe,
 *       where Windows looks for DLLs.
 * </ul>
 *
 * Each takes the python tree as a path, or as a {@link Layout#tree(Path)} walked once for all the
 * formats of a release.
 */
public final class ReleaseLayouts {

  /** The bundled Python's directory beside the binary, in the tar.gz and the zip. */
  public static final String PYTHON_BESIDE_BINARY = "python";

  /** Where the deb and rpm install the app's binary. */
  public static String linuxBinary(String app) {
    return "usr/bin/" + app;
  }

  /** Where the deb and rpm install the bundled Python. */
  public static String linuxPython(String app) {
    return "usr/lib/" + app + "/python";
  }

  /** The zip's program: the app's name with {@code .exe}. */
  public static String windowsExe(String app) {
    return app.endsWith(".exe") ? app : app + ".exe";
  }

  /**
   * The one RUNPATH that finds libpython in both Linux layouts: beside the binary (tar.gz), then
   * from {@code usr/bin} to {@code usr/lib/APP/python} (deb, rpm).
   */
  public static String linuxRunpath(String app) {
    Path bin = Path.of(linuxBinary(app)).getParent();
    String packaged = bin.relativize(Path.of(linuxPython(app))).toString();
    return "$ORIGIN/" + PYTHON_BESIDE_BINARY + "/lib:$ORIGIN/" + packaged + "/lib";
  }

  /**
   * An extra file of a Linux package.
   *
   * @param source the file on disk
   * @param destination absolute install path, e.g. {@code /lib/systemd/system/app.service}
   * @param mode permission bits
   * @param config whether it is a configuration file (deb conffile, rpm %config(noreplace))
   * @param owner user owning the installed file
   * @param group its group
   */
  public record Extra(
      Path source, String destination, int mode, boolean config, String owner, String group) {

    /** A file owned by root. */
    public Extra(Path source, String destination, int mode, boolean config) {
      this(source, destination, mode, config, ROOT, ROOT);
    }
  }

  /**
   * A directory the package owns, e.g. {@code /var/lib/APP} for the service's state.
   *
   * @param path absolute path
   * @param owner user
   * @param group group
   * @param mode permission bits
   */
  public record OwnedDirectory(String path, String owner, String group, int mode) {}

  /**
   * A symbolic link the package installs, e.g. {@code /usr/sbin/APP -> ../bin/APP}.
   *
   * @param path absolute path of the link
   * @param target what it points to, as {@code ln -s} takes it (relative to the link's directory,
   *     or absolute)
   */
  public record Symlink(String path, String target) {}

  /**
   * What a deb or rpm carries besides the program and {@code python/}.
   *
   * @param files extra files
   * @param directories directories the package owns
   * @param symlinks symbolic links
   */
  public record LinuxExtras(
      List<Extra> files, List<OwnedDirectory> directories, List<Symlink> symlinks) {

    public static final LinuxExtras NONE = new LinuxExtras(List.of(), List.of(), List.of());

    public LinuxExtras {
      files = List.copyOf(files);
      directories = List.copyOf(directories);
      symlinks = List.copyOf(symlinks);
    }
  }

  private static final String ROOT = "root";

  /** A user or group name every tar, dpkg and rpm keeps as it is (Debian's adduser is stricter). */
  private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,30}");

  private ReleaseLayouts() {}

  public static Layout tarball(String app, String version, Path binary, Path python)
      throws PackagingException {
    return tarball(app, version, binary, Layout.tree(python));
  }

  public static Layout tarball(String app, String version, Path binary, Layout python)
      throws PackagingException {
    String top = app + "-" + version;
    Layout layout = new Layout();
    layout.add(Entry.file(top + "/" + app, binary, 0755, size(binary)));
    layout.addTree(top + "/" + PYTHON_BESIDE_BINARY, python);
    return layout;
  }

  public static Layout linuxPackage(String app, Path binary, Path python, LinuxExtras extras)
      throws PackagingException {
    return linuxPackage(app, binary, Layout.tree(python), extras);
  }

  /**
   * The deb and rpm layout: the program, the bundled Python, then the extra files, the owned
   * directories and the symbolic links. A link may not take the place of anything else the package
   * holds.
   */
  public static Layout linuxPackage(String app, Path binary, Layout python, LinuxExtras extras)
      throws PackagingException {
    Layout layout = new Layout();
    layout.add(Entry.file(linuxBinary(app), binary, 0755, size(binary)));
    layout.addTree(linuxPython(app), python);
    for (Extra extra : extras.files()) {
      Entry entry =
          Entry.file(extra.destination(), extra.source(), extra.mode(), size(extra.source()))
              .ownedBy(
                  account(extra.owner(), "owner", extra.destination()),
                  account(extra.group(), "group", extra.destination()));
      layout.add(extra.config() ? entry.asConfig() : entry);
    }
    for (OwnedDirectory dir : extras.directories()) {
      layout.add(
          Entry.directory(dir.path(), dir.mode())
              .ownedBy(
                  account(dir.owner(), "owner", dir.path()),
                  account(dir.group(), "group", dir.path())));
    }
    for (Symlink link : extras.symlinks()) {
      layout.add(symlink(layout, link));
    }
    return layout;
  }

  private static Entry symlink(Layout layout, Symlink link) throws PackagingException {
    String path = Layout.clean(link.path());
    String where = "symbolic link " + link.path() + " -> " + link.target();
    if (!link.path().startsWith("/") || path.isEmpty()) {
      throw new PackagingException(
          where + ": its path must be absolute, e.g. /usr/sbin/APP. Set the link's path.");
    }
    if (link.target().isBlank()) {
      throw new PackagingException(
          where + ": it has no target. Set what it points to, e.g. ../bin/APP.");
    }
    Optional<Entry> taken = layout.get(path);
    if (taken.isPresent()) {
      throw new PackagingException(
          where
              + ": the package already holds "
              + describe(taken.get())
              + " at that path. Choose another path for the link.");
    }
    for (String dir = parentOf(path); !dir.isEmpty(); dir = parentOf(dir)) {
      Optional<Entry> parent = layout.get(dir);
      if (parent.isPresent() && !parent.get().isDirectory()) {
        throw new PackagingException(
            where
                + ": /"
                + dir
                + " is "
                + describe(parent.get())
                + ", not a directory. Choose another path for the link.");
      }
    }
    return Entry.symlink(path, link.target());
  }

  private static String describe(Entry e) {
    return switch (e.kind()) {
      case FILE -> "a file";
      case DIRECTORY -> "a directory";
      case SYMLINK -> "a symbolic link (-> " + e.linkTarget() + ")";
    };
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String account(String name, String role, String path) throws PackagingException {
    if (!ACCOUNT.matcher(name).matches()) {
      throw new PackagingException(
          "The "
              + role
              + " '"
              + name
              + "' of "
              + path
              + " is not a user or group name tar, dpkg and rpm all keep: use up to 31 letters,"
              + " digits, '_', '.' or '-', starting with a letter or '_'.");
    }
    return name;
  }

  /** The directories an rpm of this layout owns: the app's own trees, not /usr or /usr/bin. */
  public static Set<String> rpmOwnedDirectories(String app, LinuxExtras extras) {
    Set<String> owned = new TreeSet<>();
    owned.add("usr/lib/" + app);
    owned.add("usr/share/doc/" + app);
    owned.add("usr/share/" + app);
    owned.add("etc/" + app);
    for (OwnedDirectory dir : extras.directories()) {
      owned.add(Layout.clean(dir.path()));
    }
    return owned;
  }

  public static Layout windowsZip(String app, Path exe, Path python) throws PackagingException {
    return windowsZip(app, exe, Layout.tree(python));
  }

  public static Layout windowsZip(String app, Path exe, Layout python) throws PackagingException {
    Layout layout = new Layout();
    layout.add(Entry.file(windowsExe(app), exe, 0755, size(exe)));
    layout.addTree(PYTHON_BESIDE_BINARY, python);
    for (Entry e : python.entries()) {
      // A linked DLL is copied with its target's bytes: Windows has no links to follow.
      Optional<Entry> dll = e.isSymlink() ? python.fileBehind(e) : Optional.of(e);
      if (isTopLevelDll(e) && dll.isPresent() && dll.get().isFile()) {
        layout.add(Entry.file(e.path(), dll.get().content(), 0755, dll.get().size()));
      }
    }
    return layout;
  }

  private static boolean isTopLevelDll(Entry e) {
    return e.parent().isEmpty() && e.path().toLowerCase(Locale.ROOT).endsWith(".dll");
  }

  private static long size(Path file) throws PackagingException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new PackagingException(
          "Cannot read " + file + ": " + e.getMessage() + ". Check the path in the configuration.",
          e);
    }
  }
}
