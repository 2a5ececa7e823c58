package dev.pbstoolchain.packagers.layout;

import java.nio.file.Path;

/**
 * One path of a package.
 *
 * @param path relative path with {@code /} separators, no leading slash (e.g. {@code usr/bin/app})
 * @param kind file, directory or symbolic link
 * @param mode permission bits only (e.g. {@code 0755})
 * @param size bytes of a file, 0 otherwise
 * @param source where a file's bytes come from
 * @param linkTarget a symlink's target
 * @param owner user name ({@code root} unless a directory is owned by a service user)
 * @param group group name
 * @param config whether the file is configuration the package manager must not overwrite
 */
public record Entry(
    String path,
    Kind kind,
    int mode,
    long size,
    Path source,
    String linkTarget,
    String owner,
    String group,
    boolean config) {

  /** What an entry is. */
  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK
  }

  public static Entry file(String path, Path source, int mode, long size) {
    return new Entry(path, Kind.FILE, mode, size, source, null, "root", "root", false);
  }

  public static Entry directory(String path, int mode) {
    return new Entry(path, Kind.DIRECTORY, mode, 0, null, null, "root", "root", false);
  }

  public static Entry symlink(String path, String target) {
    return new Entry(path, Kind.SYMLINK, 0777, 0, null, target, "root", "root", false);
  }

  public Entry at(String newPath) {
    return new Entry(newPath, kind, mode, size, source, linkTarget, owner, group, config);
  }

  public Entry ownedBy(String user, String userGroup) {
    return new Entry(path, kind, mode, size, source, linkTarget, user, userGroup, config);
  }

  public Entry asConfig() {
    return new Entry(path, kind, mode, size, source, linkTarget, owner, group, true);
  }

  public boolean isFile() {
    return kind == Kind.FILE;
  }

  public boolean isDirectory() {
    return kind == Kind.DIRECTORY;
  }

  public boolean isSymlink() {
    return kind == Kind.SYMLINK;
  }

  /** The last path element. */
  public String name() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** The parent path, or "" at the top. */
  public String parent() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }
}
