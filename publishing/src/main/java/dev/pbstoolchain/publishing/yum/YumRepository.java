package dev.pbstoolchain.publishing.yum;

import dev.pbstoolchain.publishing.PublishingConsole;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.RepositoryMessages;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import dev.pbstoolchain.publishing.io.FileDigests;
import dev.pbstoolchain.publishing.io.Gzip;
import dev.pbstoolchain.publishing.io.Parallel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a signed YUM/DNF repository: the rpms side by side, {@code repodata/} with primary,
 * filelists and other metadata ({@code .xml.gz}, named by their SHA-256 as createrepo_c names
 * them), {@code repomd.xml} with each file's checksum, size and uncompressed checksum and size, and
 * {@code repomd.xml.asc}, the detached signature dnf checks with repo_gpgcheck=1.
 *
 * <p>An existing repository keeps its packages' entries as they are; an rpm already listed with the
 * same checksum changes nothing, one listed under the same file name with another checksum is
 * refused. Everything is read, checked and signed before the first file is written; rpms and
 * metadata come first, repomd.xml last, and the metadata files the previous repomd.xml named stay
 * one more round for clients that are downloading them.
 */
public final class YumRepository {

  private static final int GZIP_LEVEL = 6;

  private YumRepository() {}

  /** What one publish did. */
  public record Result(List<String> added, List<String> unchanged, Path repomd) {}

  private record Metadata(
      String type,
      String href,
      byte[] compressed,
      FileDigests packed,
      String openSha256,
      long openSize) {}

  /** An rpm as read: its headers and its file's digests. */
  private record ReadRpm(Path file, RpmPackage parsed, FileDigests digests) {
    static ReadRpm of(Path rpm) throws PublishingException {
      RpmPackage parsed = RpmPackage.read(rpm);
      try {
        return new ReadRpm(rpm, parsed, FileDigests.of(rpm));
      } catch (IOException e) {
        throw PublishingException.configuration("Cannot read " + rpm + ": " + e.getMessage(), e);
      }
    }
  }

  public static Result publish(YumRequest request, PublishingConsole console)
      throws PublishingException {
    Path repo = request.repository();
    ExistingRepodata existing = ExistingRepodata.read(repo);
    TreeMap<String, ExistingRepodata.Listed> entries = new TreeMap<>();
    for (ExistingRepodata.Listed listed : existing.byHref.values()) {
      checkListedFile(repo, listed);
      entries.put(listed.href(), listed);
    }
    long time = request.date().getEpochSecond();
    List<String> added = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    Map<Path, ExistingRepodata.Listed> copies = new LinkedHashMap<>();
    List<ReadRpm> read = Parallel.map(request.rpms(), ReadRpm::of);
    for (ReadRpm r : read) {
      Path rpm = r.file();
      String href = rpm.getFileName().toString();
      RpmPackage parsed = r.parsed();
      FileDigests digests = r.digests();
      ExistingRepodata.Listed old = entries.get(href);
      if (old != null) {
        if (old.pkgid().equals(digests.sha256())) {
          unchanged.add(href);
          continue;
        }
        throw PublishingException.configuration(
            "The YUM repository "
                + repo
                + " already lists "
                + href
                + " with SHA-256 "
                + old.pkgid()
                + "; "
                + rpm
                + " has SHA-256 "
                + digests.sha256()
                + ". Clients have cached the published one: give the new build another version or"
                + " release.");
      }
      String bad = parsed.fieldWithControlCharacters();
      if (bad != null) {
        throw PublishingException.configuration(
            rpm
                + " has control characters in its "
                + bad
                + ", which repository metadata (XML) cannot carry; rebuild it without them.");
      }
      RepoXml.Location where = new RepoXml.Location(digests.sha256(), time, digests.size(), href);
      ExistingRepodata.Listed listed =
          new ExistingRepodata.Listed(
              href,
              digests.sha256(),
              digests.size(),
              RepoXml.primary(parsed, where),
              RepoXml.filelists(parsed, where),
              RepoXml.other(parsed, where));
      Path target = repo.resolve(href);
      if (Files.exists(target) && !AtomicFiles.holds(target, digests.sha256())) {
        throw PublishingException.configuration(
            target
                + " exists with other contents than "
                + rpm
                + " but the repository does not list it; remove it or give the new build another"
                + " version.");
      }
      entries.put(href, listed);
      copies.put(rpm, listed);
      added.add(href);
    }

    List<Metadata> metadata = new ArrayList<>();
    metadata.add(
        metadata(
            "primary",
            RepoXml.PRIMARY_OPEN,
            RepoXml.PRIMARY_CLOSE,
            entries.values().stream().map(ExistingRepodata.Listed::primary).toList()));
    metadata.add(
        metadata(
            "filelists",
            RepoXml.FILELISTS_OPEN,
            RepoXml.FILELISTS_CLOSE,
            entries.values().stream().map(ExistingRepodata.Listed::filelists).toList()));
    metadata.add(
        metadata(
            "other",
            RepoXml.OTHER_OPEN,
            RepoXml.OTHER_CLOSE,
            entries.values().stream().map(ExistingRepodata.Listed::other).toList()));
    String repomd = repomd(metadata, existing.otherData, time);
    String signature = request.signer().armoredSignature(repomd, "repomd.xml");

    AtomicFiles.removeStale(repo);
    for (Map.Entry<Path, ExistingRepodata.Listed> copy : copies.entrySet()) {
      AtomicFiles.copy(
          copy.getKey(),
          repo.resolve(copy.getValue().href()),
          copy.getValue().pkgid(),
          request.date());
    }
    Path repodata = repo.resolve("repodata");
    AtomicFiles.removeStale(repodata);
    for (Metadata m : metadata) {
      AtomicFiles.write(repo.resolve(m.href()), request.date(), out -> out.write(m.compressed()));
    }
    AtomicFiles.writeString(repodata.resolve("repomd.xml.asc"), request.date(), signature);
    AtomicFiles.writeString(repodata.resolve("repomd.xml"), request.date(), repomd);
    Set<String> keep = new HashSet<>(existing.files);
    metadata.forEach(m -> keep.add(m.href()));
    removeOlderMetadata(repo, repodata, keep);
    console.info(
        RepositoryMessages.summary(
            "YUM",
            repo,
            added.size(),
            unchanged.size(),
            entries.size() + " listed",
            request.signer().fingerprint()));
    return new Result(added, unchanged, repodata.resolve("repomd.xml"));
  }

  private static void checkListedFile(Path repo, ExistingRepodata.Listed listed)
      throws PublishingException {
    Path file = repo.resolve(listed.href()).normalize();
    try {
      if (!file.startsWith(repo.normalize()) || Files.size(file) != listed.size()) {
        throw new IOException("size differs");
      }
    } catch (IOException e) {
      throw PublishingException.configuration(
          "The YUM repository "
              + repo
              + " lists "
              + listed.href()
              + " ("
              + listed.size()
              + " bytes), but that file is missing or has another size. Repair the repository (or"
              + " restore it from the last published copy) before adding to it.");
    }
  }

  private static Metadata metadata(String type, String open, String close, List<String> chunks)
      throws PublishingException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream(1 << 16);
    plain.writeBytes(RepoXml.HEADER.getBytes(StandardCharsets.UTF_8));
    plain.writeBytes(String.format(open, chunks.size()).getBytes(StandardCharsets.UTF_8));
    for (String chunk : chunks) {
      plain.writeBytes(chunk.getBytes(StandardCharsets.UTF_8));
    }
    plain.writeBytes(close.getBytes(StandardCharsets.UTF_8));
    byte[] bytes = plain.toByteArray();
    byte[] compressed = Gzip.of(bytes, GZIP_LEVEL, type + ".xml");
    FileDigests digests = FileDigests.of(compressed);
    return new Metadata(
        type,
        "repodata/" + digests.sha256() + "-" + type + ".xml.gz",
        compressed,
        digests,
        sha256(bytes),
        bytes.length);
  }

  private static String repomd(List<Metadata> metadata, List<String> otherData, long time) {
    StringBuilder x = new StringBuilder();
    x.append(RepoXml.HEADER);
    x.append(
        "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\""
            + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n");
    x.append("  <revision>").append(time).append("</revision>\n");
    for (Metadata m : metadata) {
      x.append("  <data type=\"").append(m.type()).append("\">\n");
      x.append("    <checksum type=\"sha256\">")
          .append(m.packed().sha256())
          .append("</checksum>\n");
      x.append("    <open-checksum type=\"sha256\">")
          .append(m.openSha256())
          .append("</open-checksum>\n");
      x.append("    <location href=\"").append(m.href()).append("\"/>\n");
      x.append("    <timestamp>").append(time).append("</timestamp>\n");
      x.append("    <size>").append(m.packed().size()).append("</size>\n");
      x.append("    <open-size>").append(m.openSize()).append("</open-size>\n");
      x.append("  </data>\n");
    }
    otherData.forEach(x::append);
    x.append("</repomd>\n");
    return x.toString();
  }

  private static void removeOlderMetadata(Path repo, Path repodata, Set<String> keep)
      throws PublishingException {
    try (var files = Files.list(repodata)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        boolean generated =
            name.matches(
                "[0-9a-f]{40,128}-("
                    + String.join("|", ExistingRepodata.PACKAGE_TYPES)
                    + ")\\.(xml|sqlite)(\\..*)?");
        if (generated && !keep.contains("repodata/" + name)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw PublishingException.failure("Cannot clean " + repodata + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
