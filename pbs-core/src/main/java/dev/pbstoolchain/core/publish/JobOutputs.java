package dev.pbstoolchain.core.publish;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.io.FileDigests;
import dev.pbstoolchain.publishing.io.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The outputs of the build jobs of one release, gathered from their {@code target/pbs-dist}
 * directories by their build manifests, and checked before anything is published: every target
 * present and verified, every job on the same toolchain, PBS build, app version and build time,
 * every artifact the bytes its manifest names.
 */
public final class JobOutputs {

  /** One target's manifest and the directory it came from. */
  public record Job(Path dir, TargetManifest manifest) {

    /** The artifact files, in manifest order. */
    public List<Path> files() {
      return manifest.artifacts().stream().map(e -> dir.resolve(e.file())).toList();
    }
  }

  private final Map<String, Job> jobs;

  private JobOutputs(Map<String, Job> jobs) {
    this.jobs = jobs;
  }

  /** The jobs by target, in the order the release lists its targets. */
  public Map<String, Job> jobs() {
    return jobs;
  }

  /**
   * Reads the manifests in {@code dirs} and checks them for {@code targets}.
   *
   * @param targets the release's targets (matrix.yaml's rows or {@code pbs.targets})
   */
  public static JobOutputs gather(List<Path> dirs, List<String> targets, PbsConsole console)
      throws PbsException {
    Map<String, Job> found = new LinkedHashMap<>();
    for (Path dir : dirs) {
      for (Path file : manifests(dir)) {
        TargetManifest manifest = TargetManifest.read(file);
        Job job = new Job(dir, manifest);
        Job earlier = found.get(manifest.target());
        if (earlier == null) {
          found.put(manifest.target(), job);
        } else if (!earlier.manifest().artifacts().equals(manifest.artifacts())) {
          throw PbsException.configuration(
              manifest.target()
                  + " was built twice with different results, in "
                  + earlier.dir()
                  + " and "
                  + dir
                  + ": give "
                  + PropertyNames.PUBLISH_FROM
                  + " one job's output per target.");
        }
      }
    }
    Map<String, Job> jobs = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String target : targets) {
      Job job = found.remove(target);
      if (job == null) {
        missing.add(target);
      } else {
        jobs.put(target, job);
      }
    }
    if (!missing.isEmpty()) {
      throw PbsException.configuration(
          "No build output for "
              + String.join(", ", missing)
              + " in "
              + dirs
              + " (no "
              + TargetManifest.fileName(missing.get(0))
              + "): that job failed or its target/pbs-dist was not handed to pbs:publish. Run it"
              + " again and add its directory to "
              + PropertyNames.PUBLISH_FROM
              + ", or leave the target out with "
              + PropertyNames.TARGETS
              + ".");
    }
    found.keySet().forEach(t -> console.warn("Ignoring " + t + ": not a target of this release"));
    checkVerified(jobs);
    checkSame(jobs, "pbs-toolchain version", m -> m.toolchain());
    checkSame(jobs, "PBS release", m -> m.pbs().date() + " (CPython " + m.pbs().version() + ")");
    checkSame(jobs, "PBS flavour", m -> m.pbs().flavor());
    checkSame(jobs, "app", m -> m.app() + " " + m.appVersion());
    checkSame(jobs, "outputTimestamp", m -> Long.toString(m.outputTimestamp()));
    checkFiles(jobs);
    return new JobOutputs(jobs);
  }

  private static List<Path> manifests(Path dir) throws PbsException {
    if (!Files.isDirectory(dir)) {
      throw PbsException.configuration(
          dir
              + " (in "
              + PropertyNames.PUBLISH_FROM
              + ") is not a directory: give the target/pbs-dist directories the build jobs"
              + " produced.");
    }
    try (var list = Files.list(dir)) {
      return list.filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith("pbs-manifest-") && name.endsWith(".json");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw PbsException.failure("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void checkVerified(Map<String, Job> jobs) throws PbsException {
    for (Job job : jobs.values()) {
      TargetManifest m = job.manifest();
      if (m.verify().equals(TargetManifest.FAILED)) {
        throw PbsException.configuration(
            m.target()
                + " failed pbs:verify in "
                + job.dir()
                + ":\n  "
                + String.join("\n  ", m.problems())
                + "\nFix it and run that job again; pbs:publish ships only verified targets.");
      }
      if (!m.verify().equals(TargetManifest.PASSED)) {
        throw PbsException.configuration(
            m.target()
                + " was not verified in "
                + job.dir()
                + " (pbs:verify did not run after pbs:package, or "
                + PropertyNames.VERIFY_SKIP
                + " was set): bind pbs:verify in that job and run it again.");
      }
    }
  }

  private static void checkSame(
      Map<String, Job> jobs, String what, Function<TargetManifest, String> value)
      throws PbsException {
    Map<String, List<String>> byValue = new TreeMap<>();
    jobs.forEach(
        (target, job) ->
            byValue
                .computeIfAbsent(value.apply(job.manifest()), v -> new ArrayList<>())
                .add(target));
    if (byValue.size() > 1) {
      StringBuilder message =
          new StringBuilder("The build jobs of this release differ in their " + what + ":");
      byValue.forEach(
          (v, targets) -> message.append("\n  ").append(v).append(": ").append(targets));
      message.append(
          "\nBuild every target from the same commit and settings, then publish them together.");
      throw PbsException.configuration(message.toString());
    }
  }

  /** Each artifact exists with the size and SHA-256 its manifest names (read in parallel). */
  private static void checkFiles(Map<String, Job> jobs) throws PbsException {
    Map<String, Path> byName = new TreeMap<>();
    List<Path> files = new ArrayList<>();
    List<TargetManifest.Entry> entries = new ArrayList<>();
    for (Job job : jobs.values()) {
      for (TargetManifest.Entry e : job.manifest().artifacts()) {
        Path file = job.dir().resolve(e.file());
        Path earlier = byName.put(e.file(), file);
        if (earlier != null) {
          throw PbsException.configuration(
              "Two targets made "
                  + e.file()
                  + " ("
                  + earlier
                  + " and "
                  + file
                  + ")"
                  + ": give names in matrix.yaml a {platform} or {arch}.");
        }
        files.add(file);
        entries.add(e);
      }
    }
    List<String> actual;
    try {
      actual =
          Parallel.map(
              files,
              f -> {
                try {
                  return Files.isRegularFile(f) ? FileDigests.of(f).sha256() : null;
                } catch (IOException e) {
                  throw PublishingException.failure("Cannot read " + f + ": " + e.getMessage(), e);
                }
              });
    } catch (PublishingException e) {
      throw ReleaseSigning.translate(e);
    }
    for (int i = 0; i < files.size(); i++) {
      if (actual.get(i) == null) {
        throw PbsException.configuration(
            files.get(i)
                + " is missing though its build manifest lists it: hand pbs:publish the job's"
                + " whole target/pbs-dist.");
      }
      if (!actual.get(i).equals(entries.get(i).sha256())) {
        throw PbsException.configuration(
            files.get(i)
                + " has SHA-256 "
                + actual.get(i)
                + ", not the "
                + entries.get(i).sha256()
                + " its build manifest names: it changed after the build (or was cut in"
                + " transfer). Fetch the job's output again or rebuild it.");
      }
    }
  }
}
