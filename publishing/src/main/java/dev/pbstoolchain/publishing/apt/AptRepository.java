package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.PublishingConsole;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.RepositoryMessages;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import dev.pbstoolchain.publishing.io.FileDigests;
import dev.pbstoolchain.publishing.io.Gzip;
import dev.pbstoolchain.publishing.io.Parallel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes a signed APT repository (the Debian archive layout apt reads): {@code
 * pool/COMPONENT/p/SOURCE/*.deb}, {@code dists/SUITE/COMPONENT/binary-ARCH/Packages} and {@code
 * Packages.gz}, and {@code dists/SUITE/Release} with the MD5, SHA-1, SHA-256 and SHA-512 of every
 * index, clear-signed as {@code InRelease} and signed detached as {@code Release.gpg}.
 *
 * <p>An existing repository keeps what it lists: its Packages stanzas stay, the new debs are added,
 * and re-adding an identical deb changes nothing. A deb whose name, version and architecture are
 * already published with other contents is refused: clients have cached the old hashes. Everything
 * is read, checked and signed before the first file is written; the files are then written pool
 * first, indexes next, and the signed Release files last.
 */
public final class AptRepository {

  /** The field order apt-ftparchive writes (apt's tagfile-order), so stanzas read familiarly. */
  static final List<String> FIELD_ORDER =
      List.of(
          "Package",
          "Package-Type",
          "Architecture",
          "Subarchitecture",
          "Version",
          "Built-Using",
          "Multi-Arch",
          "Priority",
          "Essential",
          "Section",
          "Source",
          "Origin",
          "Maintainer",
          "Original-Maintainer",
          "Bugs",
          "Installed-Size",
          "Provides",
          "Pre-Depends",
          "Depends",
          "Recommends",
          "Suggests",
          "Conflicts",
          "Breaks",
          "Replaces",
          "Enhances",
          "Filename",
          "Size",
          "MD5sum",
          "SHA1",
          "SHA256",
          "SHA512",
          "Homepage",
          "Description",
          "Tag",
          "Task");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+~_-]*");
  private static final String ALL = "all";
  private static final int GZIP_LEVEL = 9;

  private AptRepository() {}

  /** What one publish did. */
  public record Result(List<String> added, List<String> unchanged, Path inRelease) {}

  public static Result publish(AptRequest request, PublishingConsole console)
      throws PublishingException {
    for (String name : List.of(request.suite(), request.codename(), request.component())) {
      if (!NAME.matcher(name).matches()) {
        throw PublishingException.configuration(
            "'"
                + name
                + "' cannot name an APT suite, codename or component: use letters, digits and"
                + " . + ~ _ - (e.g. stable, main).");
      }
    }
    Path root = request.repository();
    Path suiteDir = root.resolve("dists").resolve(request.suite());
    Path componentDir = suiteDir.resolve(request.component());
    ExistingRelease existing = ExistingRelease.read(suiteDir);
    TreeMap<String, Published> entries = PackagesIndex.read(root, componentDir);

    List<String> added = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    Map<Path, Published> copies = new LinkedHashMap<>();
    List<Published> read =
        Parallel.map(request.debs(), deb -> Published.of(deb, request.component()));
    for (int i = 0; i < read.size(); i++) {
      Path deb = request.debs().get(i);
      Published candidate = read.get(i);
      Published old = entries.get(candidate.key());
      if (old != null) {
        if (old.sha256().equals(candidate.sha256())) {
          unchanged.add(candidate.key());
          continue;
        }
        throw PublishingException.configuration(
            "The APT repository "
                + root
                + " already publishes "
                + candidate.describe()
                + " with other contents ("
                + old.filename()
                + ", SHA-256 "
                + old.sha256()
                + "); "
                + deb
                + " has SHA-256 "
                + candidate.sha256()
                + ". Clients have cached the published one: give the new build another version.");
      }
      Path target = root.resolve(candidate.filename());
      if (Files.exists(target) && !AtomicFiles.holds(target, candidate.sha256())) {
        throw PublishingException.configuration(
            target
                + " exists with other contents than "
                + deb
                + " but no index lists it; remove it or give the new build another version.");
      }
      entries.put(candidate.key(), candidate);
      copies.put(deb, candidate);
      added.add(candidate.key());
    }

    TreeSet<String> architectures = new TreeSet<>(existing.architectures());
    for (Published p : entries.values()) {
      architectures.add(p.architecture());
    }
    if (architectures.size() > 1) {
      architectures.remove(ALL); // 'all' packages are listed in every architecture's index
    }
    TreeSet<String> components = new TreeSet<>(existing.components());
    components.add(request.component());

    // Everything that will be written, computed (and signed) in memory first.
    Map<Path, byte[]> indexes = new TreeMap<>();
    for (String arch : architectures) {
      StringBuilder text = new StringBuilder();
      for (Published p : entries.values()) {
        if (p.architecture().equals(arch) || p.architecture().equals(ALL)) {
          if (!text.isEmpty()) {
            text.append('\n');
          }
          text.append(p.stanza().format());
        }
      }
      byte[] packages = text.toString().getBytes(StandardCharsets.UTF_8);
      Path dir = componentDir.resolve("binary-" + arch);
      indexes.put(dir.resolve("Packages"), packages);
      indexes.put(dir.resolve("Packages.gz"), Gzip.of(packages, GZIP_LEVEL, "an index"));
    }
    TreeMap<String, FileDigests> files = indexFiles(suiteDir, indexes);
    String release = ReleaseFile.text(request, architectures, components, files);
    String inRelease = request.signer().clearSign(release);
    String releaseGpg = request.signer().armoredSignature(release, "the Release file");

    for (Map.Entry<Path, Published> copy : copies.entrySet()) {
      AtomicFiles.copy(
          copy.getKey(),
          root.resolve(copy.getValue().filename()),
          copy.getValue().sha256(),
          request.date());
    }
    // By-hash copies first (new names no client reads yet), then the indexes under their own
    // names (for clients without by-hash), then the signed Release files.
    for (Map.Entry<String, FileDigests> file : files.entrySet()) {
      Path index = suiteDir.resolve(file.getKey());
      byte[] written = indexes.get(index);
      if (written != null) {
        ByHash.store(index, written, file.getValue(), request.date());
      } else {
        ByHash.store(index, file.getValue(), request.date());
      }
    }
    for (Map.Entry<Path, byte[]> index : indexes.entrySet()) {
      AtomicFiles.removeStale(index.getKey().getParent());
      AtomicFiles.write(index.getKey(), request.date(), out -> out.write(index.getValue()));
    }
    AtomicFiles.removeStale(suiteDir);
    AtomicFiles.writeString(suiteDir.resolve("Release"), request.date(), release);
    AtomicFiles.writeString(suiteDir.resolve("Release.gpg"), request.date(), releaseGpg);
    AtomicFiles.writeString(suiteDir.resolve("InRelease"), request.date(), inRelease);
    Set<String> keep = new HashSet<>(existing.hashes());
    for (FileDigests d : files.values()) {
      ByHash.TYPES.forEach(type -> keep.add(type.digest().apply(d)));
    }
    ByHash.prune(suiteDir, keep);
    console.info(
        RepositoryMessages.summary(
            "APT",
            root,
            added.size(),
            unchanged.size(),
            entries.size() + " in " + request.suite() + "/" + request.component(),
            request.signer().fingerprint()));
    return new Result(added, unchanged, suiteDir.resolve("InRelease"));
  }

  /**
   * Every index file of the suite after this run, path relative to {@code dists/SUITE} -> digests:
   * the files written now and the ones other components already have.
   */
  private static TreeMap<String, FileDigests> indexFiles(Path suiteDir, Map<Path, byte[]> indexes)
      throws PublishingException {
    TreeMap<String, FileDigests> files = new TreeMap<>();
    if (Files.isDirectory(suiteDir)) {
      try (var walk = Files.walk(suiteDir)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          String relative = suiteDir.relativize(p).toString();
          String name = p.getFileName().toString();
          if (!Files.isRegularFile(p)
              || name.startsWith(".")
              || ByHash.isByHash(relative)
              || relative.equals("Release")
              || relative.equals("InRelease")
              || relative.equals("Release.gpg")) {
            continue;
          }
          files.put(relative, FileDigests.of(p));
        }
      } catch (IOException e) {
        throw PublishingException.failure("Cannot read " + suiteDir + ": " + e.getMessage(), e);
      }
    }
    for (Map.Entry<Path, byte[]> index : indexes.entrySet()) {
      files.put(suiteDir.relativize(index.getKey()).toString(), FileDigests.of(index.getValue()));
    }
    return files;
  }
}
