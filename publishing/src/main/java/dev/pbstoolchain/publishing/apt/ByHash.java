package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import dev.pbstoolchain.publishing.io.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Acquire-By-Hash (apt 1.1 and later): each index is also stored as {@code by-hash/HASHTYPE/DIGEST}
 * beside it, and apt fetches indexes by the digest the signed Release names. A client that read the
 * previous InRelease while a new one is being published still finds the indexes it names, so
 * updating a repository in place never hands anyone a hash mismatch.
 */
final class ByHash {

  /** The directory name of each hash type the Release lists, with its digest. */
  record HashType(String name, Function<FileDigests, String> digest) {}

  static final List<HashType> TYPES =
      List.of(
          new HashType("MD5Sum", FileDigests::md5),
          new HashType("SHA1", FileDigests::sha1),
          new HashType("SHA256", FileDigests::sha256),
          new HashType("SHA512", FileDigests::sha512));

  static final String DIRECTORY = "by-hash";

  private ByHash() {}

  /** True for a path (relative to dists/SUITE) inside a by-hash directory. */
  static boolean isByHash(String relative) {
    return relative.contains("/" + DIRECTORY + "/") || relative.startsWith(DIRECTORY + "/");
  }

  /** Stores {@code bytes}, the contents of {@code index}, under each hash it has. */
  static void store(Path index, byte[] bytes, FileDigests digests, Instant mtime)
      throws PublishingException {
    for (HashType type : TYPES) {
      Path target = location(index, type, digests);
      if (!AtomicFiles.holds(target, digests.sha256())) {
        AtomicFiles.write(target, mtime, out -> out.write(bytes));
      }
    }
  }

  /** Stores the existing file {@code index} under each hash it has (when not there yet). */
  static void store(Path index, FileDigests digests, Instant mtime) throws PublishingException {
    for (HashType type : TYPES) {
      AtomicFiles.copy(index, location(index, type, digests), digests.sha256(), mtime);
    }
  }

  private static Path location(Path index, HashType type, FileDigests digests) {
    return index
        .resolveSibling(DIRECTORY)
        .resolve(type.name())
        .resolve(type.digest().apply(digests));
  }

  /**
   * Removes the by-hash files below {@code suiteDir} whose digest neither {@code keep} (the hashes
   * the previous and the new Release name) holds.
   */
  static void prune(Path suiteDir, Set<String> keep) throws PublishingException {
    if (!Files.isDirectory(suiteDir)) {
      return;
    }
    try (var walk = Files.walk(suiteDir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path parent = p.getParent();
        boolean inByHash =
            parent != null
                && parent.getParent() != null
                && parent.getParent().getFileName().toString().equals(DIRECTORY);
        if (inByHash && Files.isRegularFile(p) && !keep.contains(p.getFileName().toString())) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw PublishingException.failure(
          "Cannot clean the by-hash files of " + suiteDir + ": " + e.getMessage(), e);
    }
  }
}
