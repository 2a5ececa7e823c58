package dev.pbstoolchain.core.packaging;

import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.licenses.io.Sha256;
import dev.pbstoolchain.packagers.format.Packager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SHA-256 of everything one target's packages are made from: the staged binary, every file,
 * link, directory and mode of the bundled Python, the matrix file, the app, the row (formats, file
 * names, RUNPATH, packaging extras and the contents of their files, scripts and changelog), the
 * copyright file, and the pbs-core and packagers jars doing the work. Equal fingerprints make equal
 * packages, so pbs:package may keep what it wrote last time.
 */
public final class PackagingInputs {

  private final MessageDigest digest;

  private PackagingInputs() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The fingerprint.
   *
   * @param fileNames the artifacts' file names, in format order
   * @param matrixFile matrix.yaml, hashed if it exists
   * @param copyright the copyright file, or null
   * @param signingKey the fingerprint of the key signing the packages, or "unsigned"
   */
  public static String fingerprint(
      ReleaseTarget target,
      Path stagedBinary,
      AppInfo app,
      List<String> fileNames,
      Path matrixFile,
      Path copyright,
      String signingKey)
      throws IOException {
    PackagingInputs in = new PackagingInputs();
    in.text("pbs-package inputs 1");
    in.text("code " + codeOf(ReleasePackager.class) + " " + codeOf(Packager.class));
    in.text("app " + app);
    in.text("row " + target.triple() + " " + target.formats() + " " + fileNames);
    in.text("rpath " + target.rpath());
    in.text("signing " + signingKey);
    in.text("packaging " + target.extras().packaging());
    for (var extra : target.extras().files()) {
      in.file("extra " + extra.destination(), extra.source());
    }
    for (var script : target.extras().scripts().entrySet()) {
      in.file("script " + script.getKey(), script.getValue());
    }
    in.file("changelog", target.extras().changelog().orElse(null));
    in.file("matrix", matrixFile);
    in.file("copyright", copyright);
    in.file("binary", stagedBinary);
    in.tree(target.home());
    return HexFormat.of().formatHex(in.digest.digest());
  }

  private void text(String line) {
    digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A file's contents under a label; a missing file (or none given) counts as such. */
  private void file(String label, Path file) throws IOException {
    if (file == null || !Files.isRegularFile(file)) {
      text(label + " none");
      return;
    }
    text(label + " " + Files.size(file) + " " + sha256(file));
  }

  /** Every entry of the tree, sorted: type, relative path, mode, size and contents or target. */
  private void tree(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      text("tree none");
      return;
    }
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(root)) {
      entries = walk.sorted().toList();
    }
    for (Path entry : entries) {
      String name = root.relativize(entry).toString();
      BasicFileAttributes attributes =
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      String mode = mode(entry);
      if (attributes.isSymbolicLink()) {
        text("l " + name + " -> " + Files.readSymbolicLink(entry));
      } else if (attributes.isDirectory()) {
        text("d " + name + " " + mode);
      } else {
        text("f " + name + " " + mode + " " + attributes.size() + " " + sha256(entry));
      }
    }
  }

  private static String mode(Path entry) throws IOException {
    PosixFileAttributeView posix =
        Files.getFileAttributeView(entry, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    return posix == null
        ? (Files.isExecutable(entry) ? "x" : "-")
        : PosixFilePermissions.toString(posix.readAttributes().permissions());
  }

  private static String sha256(Path file) throws IOException {
    return Sha256.of(file);
  }

  /**
   * The jar a class came from, by size and hash, so a rebuilt SNAPSHOT of pbs packages again; a
   * classes directory (tests, an IDE) counts by name only.
   */
  private static String codeOf(Class<?> type) throws IOException {
    try {
      Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location)
          ? location.getFileName() + ":" + sha256(location)
          : location.getFileName().toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return type.getName();
    }
  }
}
