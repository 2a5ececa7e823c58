package dev.pbstoolchain.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.licenses.cli.MainTest;
import dev.pbstoolchain.licenses.report.Policy;
import dev.pbstoolchain.testing.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LicenseAggregatorTest {

  static final Path GOLDEN = Path.of("src/test/resources/golden").toAbsolutePath();

  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(strings = {"linux-v8", "darwin-v7", "windows-v8"})
  void licenseMdAndSbomMatchTheGoldenFilesAndRepeat(String name) throws Exception {
    Path archive =
        FullArchiveBuilder.build(
            work,
            "cpython-3.11.10+20241016-" + name + "-pgo+lto-full.tar.zst",
            FullArchiveBuilder.resource(name + ".json"),
            0);
    Path install =
        Files.writeString(
            work.resolve("cpython-3.11.10+20241016-install_only_stripped.tar.gz"), "shipped");
    byte[] first = null;
    byte[] firstSbom = null;
    for (int run = 0; run < 2; run++) {
      Path out = work.resolve("out" + run);
      LicenseAggregator.run(
          LicenseAggregator.Request.builder(archive, out)
              .upstreamUrl(
                  "https://github.com/astral-sh/python-build-standalone/releases/download/20241016/x")
              .installArchive(install)
              .sbom(out.resolve("sbom.cdx.json"))
              .build());
      byte[] md = Files.readAllBytes(out.resolve("LICENSE.md"));
      byte[] sbom = Files.readAllBytes(out.resolve("sbom.cdx.json"));
      if (first == null) {
        first = md;
        firstSbom = sbom;
      } else {
        assertThat(md).isEqualTo(first);
        assertThat(sbom).isEqualTo(firstSbom);
      }
      assertThat(out.resolve("licenses/LICENSE.cpython.txt"))
          .hasSameBinaryContentAs(FullArchiveBuilder.LICENSES.resolve("LICENSE.cpython.txt"));
      assertThat(out.resolve("PYTHON.json"))
          .hasSameBinaryContentAs(FullArchiveBuilder.resource(name + ".json"));
      assertThat(
              new JsonParser().validate(out.resolve("sbom.cdx.json").toFile(), Version.VERSION_15))
          .isEmpty();
    }
    // The archive's hash appears, not the temp path, so goldens are stable across machines.
    String md = new String(first, StandardCharsets.UTF_8);
    Path goldenMd = GOLDEN.resolve(name + ".LICENSE.md");
    Path goldenSbom = GOLDEN.resolve(name + ".sbom.cdx.json");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.write(goldenMd, first);
      Files.write(goldenSbom, firstSbom);
    }
    assertThat(md).isEqualTo(Files.readString(goldenMd));
    assertThat(new String(firstSbom, StandardCharsets.UTF_8))
        .isEqualTo(Files.readString(goldenSbom));
  }

  @Test
  void hashesTheCallerAlreadyVerifiedAreTakenAsGiven() throws Exception {
    // pbs:licenses passes the hashes its fetches computed, so neither archive is read twice.
    String name = "linux-v8";
    Path archive =
        FullArchiveBuilder.build(
            work, FullArchiveBuilder.LINUX_FULL, FullArchiveBuilder.resource(name + ".json"), 0);
    Path install = Files.writeString(work.resolve("install_only.tar.gz"), "shipped");
    Path hashed = work.resolve("hashed");
    Path given = work.resolve("given");
    LicenseAggregator.run(
        LicenseAggregator.Request.builder(archive, hashed)
            .upstreamUrl(URL)
            .installArchive(install)
            .build());
    String md = Files.readString(hashed.resolve("LICENSE.md"));
    String fullHash = sha256(archive);
    String installHash = sha256(install);
    assertThat(md).contains(fullHash, installHash);
    LicenseAggregator.run(
        LicenseAggregator.Request.builder(archive, given)
            .upstream(URL, fullHash)
            .installArchive(install, installHash)
            .build());
    assertThat(given.resolve("LICENSE.md")).hasContent(md);
    // Taken as given, not recomputed:
    Path other = work.resolve("other");
    LicenseAggregator.run(
        LicenseAggregator.Request.builder(archive, other)
            .upstream(URL, "f".repeat(64))
            .installArchive(install, "e".repeat(64))
            .build());
    assertThat(Files.readString(other.resolve("LICENSE.md")))
        .contains("f".repeat(64), "e".repeat(64))
        .doesNotContain(fullHash);
  }

  static final String URL =
      "https://github.com/astral-sh/python-build-standalone/releases/download/20241016/"
          + "cpython-3.11.10%2B20241016-x86_64-unknown-linux-gnu-pgo%2Blto-full.tar.zst";

  /** The judge: sha256sum, not our helper. */
  static String sha256(Path file) throws Exception {
    return ExternalTool.run("sha256sum", file.toString()).orFail().stdout().substring(0, 64);
  }

  @Test
  void cliStreamsALargeArchiveWarnsAndEnforcesThePolicy() throws Exception {
    Path archive =
        FullArchiveBuilder.build(
            work,
            FullArchiveBuilder.LINUX_FULL,
            FullArchiveBuilder.resource("linux-v8.json"),
            40L << 20);
    Path out = work.resolve("python");
    String[] result =
        cli(archive.toString(), out.toString(), "--sbom", work.resolve("sbom.json").toString());
    assertThat(result[0]).isEqualTo("0");
    assertThat(result[2])
        .contains(
            "warning: licence file python/licenses/LICENSE.zstd.txt of zstd (used by _zstd) is"
                + " listed in PYTHON.json but missing from "
                + archive.getFileName())
        .contains(
            "warning: bdb (Sleepycat), pulled in by _dbm: a copyleft or source-disclosure licence;"
                + " _dbm is compiled into libpython in this build and cannot be excluded");
    String md = Files.readString(out.resolve("LICENSE.md"));
    assertThat(md)
        .contains("| CPython | Python-2.0 AND CNRI-Python | core | licenses/LICENSE.cpython.txt |")
        .contains("| openssl-3 | Apache-2.0 | _hashlib, _ssl | licenses/LICENSE.openssl-3.txt |")
        .contains("| sqlite | public domain | _sqlite3 | licenses/LICENSE.sqlite.txt |");

    String[] denied =
        cli(archive.toString(), work.resolve("p2").toString(), "--deny", "Sleepycat,GPL-3.0-only");
    assertThat(denied[0]).isEqualTo("1");
    assertThat(denied[2])
        .contains("licence policy violated:\n  bdb (Sleepycat), pulled in by _dbm: denied");
  }

  @Test
  void badInputExitsTwoNamingTheArchive() throws Exception {
    Path notZstd = Files.writeString(work.resolve("cpython-x-install_only.tar.gz"), "gzip?");
    String[] result = cli(notZstd.toString(), work.resolve("o").toString());
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2])
        .isEqualTo(
            "error: "
                + notZstd
                + " is not a zstd archive: expected a python-build-standalone *-full.tar.zst (the"
                + " install_only archives carry no licence data)\n");

    Path full =
        FullArchiveBuilder.build(
            work, "full.tar.zst", FullArchiveBuilder.resource("linux-v8.json"), 1 << 20);
    Path truncated = work.resolve("truncated.tar.zst");
    try (var in = Files.newInputStream(full)) {
      Files.write(truncated, in.readNBytes((int) Files.size(full) / 2));
    }
    assertThatThrownBy(() -> dev.pbstoolchain.licenses.archive.FullArchive.read(truncated, null))
        .isInstanceOf(LicenseException.class)
        .hasMessageStartingWith(
            truncated
                + " is truncated or corrupt (reading entry 'python/install/lib/libpython3.11.a'");

    Path badJson = Files.writeString(work.resolve("bad.json"), "{\"version\": \"4\"}");
    Path old = FullArchiveBuilder.build(work, "old.tar.zst", badJson, 0);
    assertThat(cli(old.toString(), work.resolve("o2").toString())[2])
        .contains("PYTHON.json schema version '4' is not supported (supported: 5, 6, 7, 8)");
    assertThat(work.resolve("o2/LICENSE.md")).doesNotExist();
  }

  @Test
  void policyAllowListRejectsAnythingElse() {
    Policy policy = new Policy(Set.of(), Set.of("MIT"));
    var verdict =
        policy.check(
            List.of(
                new dev.pbstoolchain.licenses.model.Component(
                    "libffi", List.of("MIT"), List.of(), false, Set.of("_ctypes")),
                new dev.pbstoolchain.licenses.model.Component(
                    "zlib", List.of("Zlib"), List.of(), false, Set.of("zlib"))));
    assertThat(verdict.violations())
        .containsExactly("zlib (Zlib), pulled in by zlib: not in the allow list");
  }

  static String[] cli(String... args) {
    return MainTest.cli(args);
  }

  /** The URL goes into the shipped files; the message about a bad one never shows a secret. */
  @Test
  void anUpstreamUrlWithCredentialsIsRefusedWithoutShowingThem() throws Exception {
    Path archive =
        FullArchiveBuilder.build(
            work, "full.tar.zst", FullArchiveBuilder.resource("linux-v8.json"), 0);
    for (String url :
        new String[] {
          "https://ci:s3cret@mirror.example/pbs/x.tar.zst",
          "https://mirror.example/pbs/x.tar.zst?token=s3cret",
          "https://ci:s3cret@mirror example/x?token=s3cret"
        }) {
      String[] result =
          cli(archive.toString(), work.resolve("o").toString(), "--upstream-url", url);
      assertThat(result[0]).isEqualTo("2");
      assertThat(result[2])
          .startsWith("error: The upstream URL '")
          .contains("is not a plain http(s) URL without credentials or query")
          .doesNotContain("s3cret");
    }
    assertThat(
            cli(
                archive.toString(),
                work.resolve("o").toString(),
                "--upstream-url",
                "https://ci:s3cret@mirror.example/pbs/x.tar.zst?token=s3cret")[2])
        .startsWith("error: The upstream URL 'https://***@mirror.example/pbs/x.tar.zst?***' is");
  }
}
