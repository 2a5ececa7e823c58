package dev.pbstoolchain.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A python-build-standalone shaped release directory, {@code root/<date>/}, holding assets and the
 * release's {@code SHA256SUMS} (names with a literal {@code +}) as GitHub publishes them.
 */
public final class PbsRelease {

  private final Path root;
  private final String date;

  public PbsRelease(Path root, String date) {
    this.root = root;
    this.date = date;
  }

  public Path root() {
    return root;
  }

  public Path dir() {
    return root.resolve(date);
  }

  /** Writes an asset and returns its path. */
  public Path add(String fileName, TarEntries entries) throws IOException {
    Path asset = dir().resolve(fileName);
    entries.write(asset);
    return asset;
  }

  /** Writes raw bytes as an asset (e.g. a truncated or non-archive file). */
  public Path addRaw(String fileName, byte[] bytes) throws IOException {
    Files.createDirectories(dir());
    return Files.write(dir().resolve(fileName), bytes);
  }

  /** Writes {@code SHA256SUMS} listing every asset currently in the release. */
  public Path writeSums() throws IOException {
    StringBuilder sums = new StringBuilder();
    try (Stream<Path> files = Files.list(dir())) {
      List<Path> assets =
          files
              .filter(f -> !f.getFileName().toString().equals("SHA256SUMS"))
              .filter(f -> !f.getFileName().toString().endsWith(".sha256"))
              .sorted()
              .toList();
      for (Path asset : assets) {
        sums.append(sha256(asset)).append("  ").append(asset.getFileName()).append('\n');
      }
    }
    return Files.writeString(dir().resolve("SHA256SUMS"), sums, StandardCharsets.UTF_8);
  }

  /** Writes the per-asset {@code <asset>.sha256} file older releases publish. */
  public Path writeSha256File(String fileName) throws IOException {
    return Files.writeString(
        dir().resolve(fileName + ".sha256"), sha256(dir().resolve(fileName)) + "\n");
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
