package dev.pbstoolchain.licenses;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.luben.zstd.Zstd;
import dev.pbstoolchain.licenses.model.Component;
import dev.pbstoolchain.licenses.model.Components;
import dev.pbstoolchain.licenses.model.Exclusion;
import dev.pbstoolchain.licenses.model.PythonJson;
import dev.pbstoolchain.licenses.report.LicenseMarkdown;
import dev.pbstoolchain.licenses.report.Policy;
import dev.pbstoolchain.licenses.report.Provenance;
import dev.pbstoolchain.licenses.report.Sbom;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Fuzz targets for the licence reader (the tar.zst walk) and PYTHON.json, with the oracles of issue
 * #25: only {@link LicenseException} escapes; a failed run leaves the previous output
 * byte-identical and no temp file.
 *
 * <p>{@code mvn verify}'s {@code fuzz-short-*} executions run each target's inputs under {@code
 * LicenceFuzzTestInputs/} (seeds and every finding, kept as regression inputs), then fuzz it for a
 * few seconds (JAZZER_FUZZ=1); {@code license-aggregator/fuzz.sh SECONDS TARGET} fuzzes for as long
 * as asked with Jazzer's standalone driver, its corpus kept in {@code target/fuzz-corpus/} and
 * findings written beside the seeds.
 */
class LicenceFuzzTest {

  private static Path work;
  private static Path out;
  private static Path sbom;
  private static final List<String> LICENCES =
      List.of("LICENSE.cpython.txt", "LICENSE.ncurses.txt", "LICENSE.bdb.txt");

  @FuzzTest(maxDuration = "10s")
  void fullArchive(byte[] input) {
    fuzzFullArchive(input);
  }

  @FuzzTest(maxDuration = "10s")
  void pythonJson(byte[] input) {
    fuzzPythonJson(input);
  }

  /** The standalone driver's entry ({@code fuzz.sh}): {@code -Dfuzz.target} picks the target. */
  public static void fuzzerTestOneInput(FuzzedDataProvider data) {
    byte[] input = data.consumeRemainingAsBytes();
    if ("pythonJson".equals(System.getProperty("fuzz.target"))) {
      fuzzPythonJson(input);
    } else {
      fuzzFullArchive(input);
    }
  }

  /**
   * The first byte picks what the rest is: 0, the archive file itself (zstd framing); 1, a tar
   * stream, compressed here; 2, a PYTHON.json, packed with real licence texts into a well-formed
   * archive, so runs reach the writing of the output; 3, a list of entries (names, types, link
   * targets, data) that commons-compress writes as a well-formed archive, so mutations reach the
   * walk's names, links and long-name headers instead of failing its checksums.
   */
  static void fuzzFullArchive(byte[] input) {
    if (input.length == 0) {
      return;
    }
    try {
      prepare();
      byte[] payload = java.util.Arrays.copyOfRange(input, 1, input.length);
      byte[] file =
          switch (Byte.toUnsignedInt(input[0]) % 4) {
            case 0 -> payload;
            case 1 -> Zstd.compress(payload, 1);
            case 2 -> Zstd.compress(tarWith(payload), 1);
            default -> Zstd.compress(entries(payload), 1);
          };
      Path archive = Files.write(work.resolve("cpython-3.11.10+20241016-x-full.tar.zst"), file);
      Map<String, String> before = snapshot(work);
      before.remove(work.relativize(archive).toString());
      LicenseAggregator.Request.Builder request =
          LicenseAggregator.Request.builder(archive, out).sbom(sbom);
      if ((input[0] & 0x80) != 0) {
        request.fullArchiveSha256("0".repeat(64)); // skips the hashing thread: faster
      }
      try {
        LicenseAggregator.run(request.build());
        Map<String, String> after = snapshot(work);
        check(after.containsKey("python/LICENSE.md"), "no LICENSE.md after a run that passed");
        checkNoLeftovers();
      } catch (LicenseException e) {
        check(e.getMessage() != null && !e.getMessage().isBlank(), "an empty message");
        Map<String, String> after = snapshot(work);
        after.remove(work.relativize(archive).toString());
        check(after.equals(before), "a failed run changed the output:\n" + before + "\n" + after);
        checkNoLeftovers();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the harness itself", e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parsing, grouping, excluding and rendering: nothing but LicenseException may escape. */
  static void fuzzPythonJson(byte[] input) {
    try {
      PythonJson json = PythonJson.parse(input, "fuzz.tar.zst");
      Set<String> exclude = new TreeSet<>();
      json.buildInfo().extensions().keySet().stream()
          .filter(name -> name.hashCode() % 3 == 0)
          .forEach(exclude::add);
      exclude.add("readline");
      Exclusion exclusion;
      try {
        exclusion = Exclusion.plan(json, exclude, "fuzz.tar.zst", "--exclude");
      } catch (LicenseException e) {
        exclusion = Exclusion.none();
      }
      List<Component> components = Components.from(json, exclusion::ships);
      Provenance provenance =
          new Provenance(
              "20241016", json.pythonVersion(), json.targetTriple(), "a", "", "0", "", "");
      LicenseMarkdown.render(provenance, components, Map.of());
      Sbom.render(provenance, components);
      new Policy(Set.of("GPL-3.0-only"), Set.of()).check(components);
      json.glibcMaxSymbolVersion();
    } catch (LicenseException e) {
      check(e.getMessage() != null && !e.getMessage().isBlank(), "an empty message");
    }
  }

  /** A well-formed archive: the payload as PYTHON.json, then a few real licence texts. */
  private static byte[] tarWith(byte[] pythonJson) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      add(tar, "python/PYTHON.json", pythonJson);
      for (String name : LICENCES) {
        add(
            tar,
            "python/licenses/" + name,
            Files.readAllBytes(FullArchiveBuilder.LICENSES.resolve(name)));
      }
    }
    return bytes.toByteArray();
  }

  private static final String[] DIRECTORIES = {
    "python/licenses/", "python/", "python/licenses/sub/", "", "python/licenses/../"
  };

  /**
   * Entries read from {@code spec}, each: a type byte (file, directory, symlink, hard link), a
   * directory byte, a name (length byte, bytes as ISO-8859-1), a link target or data (likewise); a
   * valid PYTHON.json and the CPython licence first, so the run gets as far as the entries let it.
   * The type byte's high bit picks GNU long names over pax headers for the whole archive.
   */
  private static byte[] entries(byte[] spec) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "ISO-8859-1")) {
      tar.setLongFileMode(
          spec.length > 0 && spec[0] < 0
              ? TarArchiveOutputStream.LONGFILE_GNU
              : TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(spec.length > 1 && spec[1] < 0);
      add(tar, "python/PYTHON.json", MINIMAL_JSON);
      add(tar, "python/licenses/LICENSE.cpython.txt", "the CPython licence".getBytes());
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(spec);
      while (in.remaining() >= 3) {
        int type = in.get() & 3;
        String name = DIRECTORIES[(in.get() & 0xff) % DIRECTORIES.length] + latin1(in);
        byte[] data = chunk(in);
        if (name.isEmpty() || type == 0 && name.endsWith("/")) {
          continue; // commons-compress makes a name ending in '/' a directory: no data
        }
        TarArchiveEntry entry =
            switch (type) {
              case 0 -> new TarArchiveEntry(name);
              case 1 -> new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
              case 2 -> new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
              default -> new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
            };
        if (type >= 2) {
          entry.setLinkName(new String(data, java.nio.charset.StandardCharsets.ISO_8859_1));
          data = new byte[0];
        }
        try {
          entry.setSize(type == 0 ? data.length : 0);
          tar.putArchiveEntry(entry);
          if (type == 0) {
            tar.write(data);
          }
          tar.closeArchiveEntry();
        } catch (IllegalArgumentException e) {
          return bytes.toByteArray(); // a name commons-compress cannot write: stop there
        }
      }
    }
    return bytes.toByteArray();
  }

  private static final byte[] MINIMAL_JSON =
      ("{\"version\": \"8\", \"build_info\": {\"core\": {\"license_path\":"
              + " \"licenses/LICENSE.cpython.txt\"}, \"extensions\": {\"_x\": [{\"licenses\":"
              + " [\"MIT\"], \"license_paths\": [\"licenses/LICENSE.x.txt\"]}]}}}")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static byte[] chunk(java.nio.ByteBuffer in) {
    int length = in.hasRemaining() ? Math.min(in.get() & 0xff, in.remaining()) : 0;
    byte[] chunk = new byte[length];
    in.get(chunk);
    return chunk;
  }

  private static String latin1(java.nio.ByteBuffer in) {
    return new String(chunk(in), java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(data.length);
    tar.putArchiveEntry(entry);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  /** A work directory with a previous run's output, once per JVM (in memory where possible). */
  private static synchronized void prepare() throws Exception {
    if (work != null) {
      return;
    }
    Path shm = Path.of("/dev/shm");
    work =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "licence-fuzz-")
            : Files.createTempDirectory("licence-fuzz-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(work)));
    out = work.resolve("python");
    sbom = work.resolve("sbom.cdx.json");
    Path seed =
        FullArchiveBuilder.build(
            Files.createTempDirectory("licence-fuzz-seed-"),
            "cpython-3.11.10+20241016-x-full.tar.zst",
            FullArchiveBuilder.resource("linux-v8.json"),
            0);
    LicenseAggregator.run(LicenseAggregator.Request.builder(seed, out).sbom(sbom).build());
    deleteQuietly(seed.getParent());
  }

  /** Every path under {@code root} with its type and content hash (in-process: fuzzing is hot). */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> result = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
        result.put(
            root.relativize(p).toString(),
            Files.isDirectory(p) ? "dir" : java.util.Arrays.hashCode(Files.readAllBytes(p)) + "");
      }
    }
    return result;
  }

  /**
   * The step's staging directories and temp files live beside the output directory and the SBOM
   * (here: both in the work directory), never inside the output, whose licence files may have any
   * name the archive gives them (a finding: one named like a staging directory).
   */
  private static void checkNoLeftovers() throws IOException {
    try (Stream<Path> list = Files.list(work)) {
      for (Path p : list.toList()) {
        String name = p.getFileName().toString();
        check(!name.contains(".pbs-licenses-") && !name.endsWith(".tmp"), "left behind: " + name);
      }
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a temp directory.
    }
  }
}
