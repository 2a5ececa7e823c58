package dev.pbstoolchain.binarypatcher.fuzz;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns fuzzer bytes into a binary to read or edit: either a real file from
 * ../shared/fixtures/binaries with byte patches applied (small inputs that stay close to valid
 * structure), or the bytes themselves. Layout: byte 0 picks the seed (0xff: the rest is the file),
 * byte 1 picks the edit, bytes 2-3 cut the file short (0 keeps it whole), then 5-byte patches
 * (offset u32 little-endian modulo the length, new byte).
 */
final class FuzzInput {

  /** The seeds, read once per JVM. */
  private static final List<byte[]> SEEDS = new ArrayList<>();

  private static Path work;

  final byte[] file;
  final int edit;

  private FuzzInput(byte[] file, int edit) {
    this.file = file;
    this.edit = edit;
  }

  /** The input {@code data} makes from the seed files of {@code format}. */
  static FuzzInput of(String format, byte[] data) {
    seeds(format);
    return of(data);
  }

  /** Loads the seed files of one format ({@code elf}, {@code macho}, {@code pe}). */
  private static synchronized void seeds(String format) {
    if (!SEEDS.isEmpty()) {
      return;
    }
    Path dir = SharedFixtures.of("binaries").resolve(format);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        SEEDS.add(Files.readAllBytes(p));
      }
      Path shm = Path.of("/dev/shm");
      work =
          Files.createTempDirectory(
              Files.isDirectory(shm) && Files.isWritable(shm)
                  ? shm
                  : Path.of(System.getProperty("java.io.tmpdir")),
              "bp-fuzz-" + format);
      work.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fuzzing seeds in " + dir, e);
    }
  }

  private static FuzzInput of(byte[] data) {
    if (data.length < 4) {
      return new FuzzInput(data, 0);
    }
    int edit = data[1] & 0xff;
    if ((data[0] & 0xff) == 0xff || SEEDS.isEmpty()) {
      return new FuzzInput(Arrays.copyOfRange(data, 2, data.length), edit);
    }
    byte[] seed = SEEDS.get((data[0] & 0xff) % SEEDS.size());
    int cut = ((data[2] & 0xff) << 8 | (data[3] & 0xff));
    byte[] file = seed.clone();
    if (cut != 0 && cut < file.length) {
      // Cut at a point spread over the file: truncated inputs of every size.
      file = Arrays.copyOf(file, (int) ((long) file.length * cut / 65536));
    }
    for (int at = 4; at + 5 <= data.length && file.length > 0; at += 5) {
      long offset =
          (data[at] & 0xffL)
              | (data[at + 1] & 0xffL) << 8
              | (data[at + 2] & 0xffL) << 16
              | (data[at + 3] & 0xffL) << 24;
      file[(int) (offset % file.length)] = data[at + 4];
    }
    return new FuzzInput(file, edit);
  }

  /** Writes the file for this execution (the same path each time: one fuzzer thread). */
  Path write(String name) {
    try {
      Path path = work.resolve(name);
      Files.deleteIfExists(work.resolve(name + ".out"));
      return Files.write(path, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path output(Path input) {
    return input.resolveSibling(input.getFileName() + ".out");
  }

  static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A refused input must say why: an empty message is a finding too. */
  static void checkMessage(BinaryFormatException e) {
    if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().endsWith(": null")) {
      throw new AssertionError("BinaryFormatException without a message", e);
    }
  }

  /** A refused edit must say why and leave {@code written}, this input's file, as it was. */
  void checkRefusal(BinaryFormatException e, Path written) {
    checkMessage(e);
    if (!Arrays.equals(read(written), file)) {
      throw violated("a refused edit changed the file");
    }
  }

  /** An oracle violation: the fuzzer reports it as a finding. */
  static AssertionError violated(String what) {
    return new AssertionError(what);
  }
}
