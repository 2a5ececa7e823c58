package dev.pbstoolchain.core.steps;

import static dev.pbstoolchain.core.ServedRelease.DATE;
import static dev.pbstoolchain.core.ServedRelease.LINUX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.RecordingConsole;
import dev.pbstoolchain.core.fetch.HttpSettings;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.testing.LocalCPython;
import dev.pbstoolchain.testing.LoopbackServer;
import dev.pbstoolchain.testing.PbsRelease;
import dev.pbstoolchain.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same release fetched through two mirrors (two ports of one server: two origins as far as any
 * URL is concerned) gives byte-identical artifacts and SBOM; the mirror actually used is in the
 * build log and the verify report, and nowhere else.
 */
class MirrorIndependenceTest {

  static final String MATRIX =
      "pbs: {date: '20241016', version: 3.11.10}\n"
          + "app: {name: app, description: A test app, maintainer: 'M <m@example.com>',"
          + " license: Apache-2.0}\n"
          + "targets:\n"
          + "  - {triple: x86_64-unknown-linux-gnu, binary: bin/app, formats: [tar.gz, deb, rpm]}\n";

  @TempDir static Path releaseRoot;
  @TempDir Path work;

  @BeforeAll
  static void publish() throws IOException {
    PbsRelease release = new PbsRelease(releaseRoot, DATE);
    release.add(
        "cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz",
        LocalCPython.installOnly(false));
    Path json = Files.createTempFile("PYTHON", ".json");
    try (InputStream in =
        MirrorIndependenceTest.class.getResourceAsStream("/pbs/PYTHON." + LINUX + ".json")) {
      Files.copy(in, json, StandardCopyOption.REPLACE_EXISTING);
    }
    release.add(
        "cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-pgo+lto-full.tar.zst",
        LocalCPython.full(json, SharedFixtures.of("pbs/licenses")));
    release.writeSums();
  }

  /** One whole release through {@code mirror}; returns what the build logged as info. */
  List<String> build(String mirror, Path project) throws Exception {
    Files.createDirectories(project.resolve("bin"));
    Files.writeString(project.resolve("matrix.yaml"), MATRIX);
    Files.copy(LocalCPython.EXECUTABLE, project.resolve("bin/app"));
    RecordingConsole console = new RecordingConsole();
    Release release =
        Release.load(
            ReleaseSettings.builder(FrontEnd.MAVEN, project)
                .projectVersion("1.0.0")
                .sourceDateEpoch("1700000000")
                .mirror(mirror)
                .cacheDir(project.resolve("cache"))
                .maxGlibc("2.36")
                .http(HttpSettings.builder().retries(2, Duration.ofMillis(10)).build())
                .build());
    FetchStep.run(release, console);
    PatchStep.run(release, console);
    LicenceStep.run(release, console);
    PackageStep.run(release, console);
    try {
      VerifyStep.run(release, console);
    } catch (PbsException e) {
      // The stand-in app (Debian's python3.11) may fail checks a real app passes; the report
      // is written either way, and its source rows are what this test reads.
    }
    return console.infos;
  }

  @Test
  void twoMirrorsGiveTheSameBytesAndOnlyTheLogAndReportSayWhichWasUsed() throws Exception {
    Map<String, String> first;
    Map<String, String> second;
    String mirrorA;
    String mirrorB;
    List<String> logA;
    try (LoopbackServer a = LoopbackServer.serve(releaseRoot);
        LoopbackServer b = LoopbackServer.serve(releaseRoot)) {
      mirrorA = a.baseUrl();
      mirrorB = b.baseUrl();
      logA = build(mirrorA, work.resolve("a"));
      build(mirrorB, work.resolve("b"));
    }
    Path distA = work.resolve("a/target/pbs-dist");
    Path distB = work.resolve("b/target/pbs-dist");
    first = digests(distA);
    second = digests(distB);
    assertThat(first.keySet())
        .contains(
            "app-1.0.0_linux_amd64.tar.gz",
            "app_1.0.0-1_amd64.deb",
            "app-1.0.0-1.x86_64.rpm",
            "app-1.0.0_linux_amd64.cdx.json",
            "SHA256SUMS");
    assertThat(second).isEqualTo(first);

    String licence =
        Files.readString(work.resolve("a/target/pbs").resolve(LINUX).resolve("python/LICENSE.md"));
    assertThat(licence)
        .contains(
            "https://github.com/astral-sh/python-build-standalone/releases/download/20241016/")
        .doesNotContain("127.0.0.1");

    String asset =
        "cpython-3.11.10%2B20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz";
    assertThat(logA)
        .anyMatch(
            l ->
                l.startsWith(LINUX + ": cpython-3.11.10+20241016")
                    && l.endsWith(" from " + mirrorA + "/20241016/" + asset));
    String reportA = Files.readString(distA.resolve("verify-report.json"));
    String reportB = Files.readString(distB.resolve("verify-report.json"));
    assertThat(reportA)
        .contains("\"check\" : \"python source\"")
        .contains("fetched from " + mirrorA + "/20241016/" + asset)
        .contains(
            "published as https://github.com/astral-sh/python-build-standalone/releases/download/"
                + "20241016/"
                + asset);
    assertThat(reportB).contains("fetched from " + mirrorB + "/20241016/" + asset);
  }

  private static Map<String, String> digests(Path dir) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (Files.isRegularFile(file) && !name.equals("verify-report.json")) {
          digests.put(name, PbsRelease.sha256(file));
        }
      }
    }
    return digests;
  }
}
