package dev.pbstoolchain.packagers.layout;

import java.nio.file.Path;

/**
 * One path of a package.
 *
 * @param path relative path with {@code /} separators, no leading slash (e.g. {@code usr/bin/app})
 * @param kind file, directory or symbolic link
 * @param mode permission bits only (e.g. {@code 0755})
 * @param size bytes of a file, 0 otherwise
 * @param content where a file's bytes come from
 * @param linkTarget a symlink's target
 * @param owner user name ({@code root} unless the file or directory belongs to a service user)
 * @param group group name
 * @param config whether the file is configuration the package manager must not overwrite
 */
public record Entry(
    String path,
    Kind kind,
    int mode,
    long size,
    Content content,
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

  /** A file of the tree on disk, {@code size} bytes long when the layout was made. */
  public static Entry file(String path, Path source, int mode, long size) {
    return file(path, new Content.OnDisk(source), mode, size);
  }

  public static Entry file(String path, Content content, int mode, long size) {
    return new Entry(path, Kind.FILE, mode, size, content, null, "root", "root", false);
  }

  /** A file whose bytes a writer made (a control file, a changelog), named by its path. */
  public static Entry generated(String path, byte[] bytes, int mode) {
    return file(path, new Content.InMemory(path, bytes), mode, bytes.length);
  }

  public static Entry directory(String path, int mode) {
    return new Entry(path, Kind.DIRECTORY, mode, 0, null, null, "root", "root", false);
  }

  public static Entry symlink(String path, String target) {
    return new Entry(path, Kind.SYMLINK, 0777, 0, null, target, "root", "root", false);
  }

  public Entry at(String newPath) {
    return new Entry(newPath, kind, mode, size, content, linkTarget, owner, group, config);
  }

  public Entry ownedBy(String user, String userGroup) {
    return new Entry(path, kind, mode, size, content, linkTarget, user, userGroup, config);
  }

  public Entry asConfig() {
    return new Entry(path, kind, mode, size, content, linkTarget, owner, group, true);
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
