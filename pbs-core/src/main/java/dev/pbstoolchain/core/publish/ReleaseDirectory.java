package dev.pbstoolchain.core.publish;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.apt.AptRepository;
import dev.pbstoolchain.publishing.apt.AptRequest;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import dev.pbstoolchain.publishing.signing.Signer;
import dev.pbstoolchain.publishing.yum.YumRepository;
import dev.pbstoolchain.publishing.yum.YumRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a release gathered from its build jobs: the artifacts (debs and rpms signed), each with a
 * {@code .sha256}, SHA256SUMS and SHA256SUMS.asc over all of them, KEY.asc, and the debs and rpms
 * added to an APT and a YUM repository. Artifacts an earlier release left in the directory (named
 * in its SHA256SUMS) are removed; the repositories keep earlier versions.
 */
public final class ReleaseDirectory {

  /** Where the release is published and how its repositories are labelled. */
  public record Layout(
      Path dir, Path apt, Path yum, String suite, String component, String origin, Instant date) {}

  /** What was written. */
  public record Result(List<Artifact> artifacts, Path sums, Path key) {}

  private static final String SUMS = "SHA256SUMS";
  private static final String KEY = "KEY.asc";

  private ReleaseDirectory() {}

  public static Result write(JobOutputs outputs, Signer signer, Layout layout, PbsConsole console)
      throws PbsException {
    Path dir = layout.dir();
    try {
      Files.createDirectories(dir);
      AtomicFiles.removeStale(dir);
      List<Artifact> copied = new ArrayList<>();
      for (JobOutputs.Job job : outputs.jobs().values()) {
        for (TargetManifest.Entry e : job.manifest().artifacts()) {
          Path target = dir.resolve(e.file());
          AtomicFiles.copy(job.dir().resolve(e.file()), target, e.sha256(), layout.date());
          copied.add(
              new Artifact(target, e.type(), e.classifier(), job.manifest().target(), e.sha256()));
        }
      }
      removeEarlierRelease(dir, copied, console);
      List<Artifact> signed = PackageSigning.signPackages(copied, signer, console);
      signed.sort(Comparator.comparing(a -> a.file().getFileName().toString()));
      StringBuilder sums = new StringBuilder();
      for (Artifact a : signed) {
        String line = a.sha256() + "  " + a.file().getFileName() + "\n";
        sums.append(line);
        AtomicFiles.writeString(
            a.file().resolveSibling(a.file().getFileName() + ".sha256"), null, line);
      }
      Path sumsFile = dir.resolve(SUMS);
      AtomicFiles.writeString(sumsFile, null, sums.toString());
      PackageSigning.signSums(sumsFile, signer);
      Path key = dir.resolve(KEY);
      AtomicFiles.writeString(key, null, signer.armoredPublicKey());
      List<Path> debs = files(signed, "deb");
      if (!debs.isEmpty()) {
        AptRepository.publish(
            AptRequest.builder(layout.apt(), signer, layout.date())
                .debs(debs)
                .suite(layout.suite())
                .component(layout.component())
                .origin(layout.origin())
                .build(),
            console);
      }
      List<Path> rpms = files(signed, "rpm");
      if (!rpms.isEmpty()) {
        YumRepository.publish(new YumRequest(layout.yum(), rpms, layout.date(), signer), console);
      }
      return new Result(signed, sumsFile, key);
    } catch (PublishingException e) {
      throw ReleaseSigning.translate(e);
    } catch (IOException e) {
      throw PbsException.failure("Cannot write the release to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Removes the artifacts of the release this directory held before, if it is not this one. */
  private static void removeEarlierRelease(Path dir, List<Artifact> now, PbsConsole console)
      throws IOException {
    Path sums = dir.resolve(SUMS);
    if (!Files.isRegularFile(sums)) {
      return;
    }
    List<String> keep = now.stream().map(a -> a.file().getFileName().toString()).toList();
    for (String line : Files.readAllLines(sums)) {
      String[] words = line.split("  ", 2);
      if (words.length == 2 && !keep.contains(words[1]) && !words[1].contains("/")) {
        if (Files.deleteIfExists(dir.resolve(words[1]))) {
          Files.deleteIfExists(dir.resolve(words[1] + ".sha256"));
          console.info("Removed " + words[1] + " of the release " + dir + " held before");
        }
      }
    }
  }

  private static List<Path> files(List<Artifact> artifacts, String type) {
    return artifacts.stream().filter(a -> a.type().equals(type)).map(Artifact::file).toList();
  }
}
