package dev.pbstoolchain.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.licenses.output.StagedOutput;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The licence output is swapped in whole: a failed or killed run leaves nothing half-way. */
class OutputSwapTest {

  @TempDir Path work;
  Path archive;
  Path out;
  Path sbom;

  @BeforeEach
  void archive() throws Exception {
    archive =
        FullArchiveBuilder.build(
            work, FullArchiveBuilder.LINUX_FULL, FullArchiveBuilder.resource("linux-v8.json"), 0);
    out = work.resolve("build/python");
    sbom = work.resolve("dist/app.cdx.json");
  }

  LicenseAggregator.Request.Builder request(Path full) {
    return LicenseAggregator.Request.builder(full, out).sbom(sbom);
  }

  @Test
  void aRunThatFailsWritingLeavesThePreviousOutputByteIdenticalAndNoTempFile() throws Exception {
    LicenseAggregator.run(request(archive).build());
    Map<String, String> before = snapshot(work);
    // The old output has a licence the new archive lacks: a part-way write would show.
    Files.writeString(out.resolve("licenses/LICENSE.old.txt"), "from an older release");
    Path notADirectory = Files.writeString(work.resolve("dist-file"), "x");
    before = snapshot(work);

    assertThatThrownBy(
            () ->
                LicenseAggregator.run(
                    LicenseAggregator.Request.builder(archive, out)
                        .sbom(notADirectory.resolve("app.cdx.json"))
                        .build()))
        .isInstanceOf(LicenseException.class)
        .hasMessage(
            "Cannot write the licence output to "
                + out
                + " and "
                + notADirectory.resolve("app.cdx.json")
                + " (a file is in the way: "
                + notADirectory
                + "). The previous output is left as it was. Make both writable (directories, not"
                + " files, on the way; permissions; free space), then run again.");

    assertThat(snapshot(work)).isEqualTo(before);
  }

  @Test
  void aBadArchiveLeavesThePreviousOutputByteIdentical() throws Exception {
    LicenseAggregator.run(request(archive).build());
    Map<String, String> before = snapshot(work);
    Path bad = Files.writeString(work.resolve("bad.json"), "{\"version\": \"8\"}");
    Path badArchive = FullArchiveBuilder.build(work, "bad.tar.zst", bad, 0);
    before.put("bad.json", snapshot(work).get("bad.json"));
    before.put("bad.tar.zst", snapshot(work).get("bad.tar.zst"));

    assertThatThrownBy(() -> LicenseAggregator.run(request(badArchive).build()))
        .hasMessageContaining("/build_info is missing");

    assertThat(snapshot(work)).isEqualTo(before);
  }

  @Test
  void whatDeadRunsLeftIsCompletedOrRemovedByTheNextRunEvenOneThatFails() throws Exception {
    LicenseAggregator.run(request(archive).build());
    // A run killed while staging (no COMMITTED mark): removed, output untouched.
    Path staged = Files.createDirectories(work.resolve("build/.python.pbs-licenses-1/new"));
    Files.writeString(staged.resolve("LICENSE.md"), "half-written");
    Files.writeString(staged.resolve("../external"), sbom.toString());
    Path sbomTemp =
        Files.writeString(work.resolve("dist/.app.cdx.json..python.pbs-licenses-1.tmp"), "");
    Path unrelated = Files.writeString(work.resolve("dist/.app.cdx.json.x.tmp"), "not ours");
    // A run killed while renaming (marked): its output is completed.
    Path marked = Files.createDirectories(work.resolve("build/.python.pbs-licenses-2/new"));
    Files.writeString(marked.resolve("PYTHON.json"), "the killed run's");
    Files.writeString(marked.resolve("../COMMITTED"), "");
    Path corrupt = Files.write(work.resolve("corrupt.tar.zst"), new byte[] {0x28, (byte) 0xb5});
    Map<String, String> expected = snapshot(work);
    expected.keySet().removeIf(path -> path.startsWith("build/.python.pbs-licenses-"));
    expected.remove("dist/.app.cdx.json..python.pbs-licenses-1.tmp");
    expected.put("build/python/PYTHON.json", "file " + sha("the killed run's"));

    // The next run fails reading its archive, after the clean-up.
    assertThatThrownBy(() -> LicenseAggregator.run(request(corrupt).build()))
        .isInstanceOf(LicenseException.class);

    assertThat(snapshot(work)).isEqualTo(expected);
    assertThat(sbomTemp).doesNotExist();
    assertThat(unrelated).as("not this step's prefix: left alone").exists();
  }

  /** The staging directories are found by prefix, not by a glob of the directory's name. */
  @Test
  void deadStagingIsFoundWhateverTheDirectoryIsNamed() throws Exception {
    Path odd = work.resolve("build/py[1]{a,b}*");
    Path dead = Files.createDirectories(work.resolve("build/.py[1]{a,b}*.pbs-licenses-7/new"));
    LicenseAggregator.run(LicenseAggregator.Request.builder(archive, odd).build());
    assertThat(dead.getParent()).doesNotExist();
    assertThat(odd.resolve("LICENSE.md")).exists();
  }

  @Test
  void concurrentRunsIntoOneDirectoryEachSwapInWhole() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<LicenseAggregator.Result>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(pool.submit(() -> LicenseAggregator.run(request(archive).build())));
      }
      for (Future<LicenseAggregator.Result> run : runs) {
        assertThat(run.get(60, TimeUnit.SECONDS).components()).hasSize(15);
      }
    } finally {
      pool.shutdownNow();
    }
    Path alone = work.resolve("alone");
    LicenseAggregator.run(LicenseAggregator.Request.builder(archive, alone).build());
    assertThat(snapshot(out)).isEqualTo(snapshot(alone));
    assertThat(leftovers()).isEmpty();
  }

  /**
   * kill -9 of a child JVM at several points of a run over a 48 MiB archive: the output is always
   * the previous run's or the new one, whole, and the next run leaves no temp file.
   */
  @Test
  void aKilledRunLeavesTheOldOutputOrTheNewAndTheNextRunCleansUp() throws Exception {
    Path big =
        FullArchiveBuilder.build(
            work,
            FullArchiveBuilder.LINUX_FULL,
            FullArchiveBuilder.resource("linux-v8.json"),
            48L << 20);
    Path old = work.resolve("old.json");
    Files.writeString(
        old,
        Files.readString(FullArchiveBuilder.resource("linux-v8.json"))
            .replace("\"3.11.10\"", "\"3.11.9\""));
    Path oldArchive =
        FullArchiveBuilder.build(work, "cpython-3.11.9+20240909-full.tar.zst", old, 0);
    int killedBeforeTheEnd = 0;
    for (int delay : new int[] {100, 300, 600, 900, 1300, 1800}) {
      assertThat(cli(oldArchive).waitFor()).isZero();
      Map<String, String> previous = snapshot(work.resolve("build"));
      Process child = cli(big);
      Thread.sleep(delay);
      boolean finished = !child.isAlive();
      child.destroyForcibly().waitFor();
      // What the next run does first: complete a marked swap, remove an unmarked one.
      StagedOutput.cleanUp(out);
      Map<String, String> now = snapshot(work.resolve("build"));
      now.keySet().removeIf(path -> path.contains(".pbs-licenses"));
      previous.keySet().removeIf(path -> path.contains(".pbs-licenses"));
      if (!now.equals(previous)) {
        assertThat(Files.readString(out.resolve("LICENSE.md"))).contains("CPython 3.11.10 built");
        assertThat(out.resolve("PYTHON.json"))
            .hasSameBinaryContentAs(FullArchiveBuilder.resource("linux-v8.json"));
      } else if (!finished) {
        killedBeforeTheEnd++;
      }
      LicenseAggregator.run(request(big).build());
      assertThat(leftovers()).isEmpty();
    }
    assertThat(killedBeforeTheEnd).as("some kills landed while the run was reading").isPositive();
  }

  private Process cli(Path full) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.pbstoolchain.licenses.cli.Main",
            full.toString(),
            out.toString(),
            "--sbom",
            sbom.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Anything of the step's that is not its output: staging directories and temp files. */
  private List<String> leftovers() throws Exception {
    try (Stream<Path> walk = Files.walk(work)) {
      return walk.map(p -> work.relativize(p).toString())
          .filter(p -> p.contains(".pbs-licenses-") || p.endsWith(".tmp"))
          .toList();
    }
  }

  /** Every path under {@code root} with its type and content hash. */
  static Map<String, String> snapshot(Path root) throws Exception {
    Map<String, String> result = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
        String key = root.relativize(p).toString().replace(File.separatorChar, '/');
        result.put(key, Files.isDirectory(p) ? "dir" : "file " + LicenseAggregatorTest.sha256(p));
      }
    }
    return result;
  }

  private static String sha(String text) throws Exception {
    Path temp = Files.createTempFile("sha", "");
    try {
      Files.write(temp, text.getBytes(StandardCharsets.UTF_8));
      return LicenseAggregatorTest.sha256(temp);
    } finally {
      Files.delete(temp);
    }
  }
}
