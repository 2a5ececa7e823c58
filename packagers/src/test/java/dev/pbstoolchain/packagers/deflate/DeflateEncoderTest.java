package dev.pbstoolchain.packagers.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our deflate is read back by zlib's inflate (the JDK's), whole and spliced the way the packagers
 * splice bodies, at every level, across block, window and stored-block edges.
 */
class DeflateEncoderTest {

  /** The first MiB of the running JVM's own libjvm: real machine code and tables. */
  private static byte[] realBinary() throws Exception {
    Path libjvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
    try (InputStream in = Files.newInputStream(libjvm)) {
      return in.readNBytes(1 << 20);
    }
  }

  /** This module's own sources, one after the other: real text wherever the test runs. */
  private static byte[] realText() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.walk(Path.of("src"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        text.write(Files.readAllBytes(file));
      }
    }
    assertThat(text.size()).isGreaterThan(100_000);
    return text.toByteArray();
  }

  private static byte[] text(int size) {
    StringBuilder s = new StringBuilder();
    Random random = new Random(7);
    String[] words = {"import", "def", "self", "return", "python", "the", "(", ")", ":", "\n    "};
    while (s.length() < size) {
      s.append(words[random.nextInt(words.length)]).append(random.nextInt(50)).append(' ');
    }
    return Arrays.copyOf(s.toString().getBytes(StandardCharsets.US_ASCII), size);
  }

  private static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  private static List<byte[]> samples() throws Exception {
    List<byte[]> samples = new ArrayList<>();
    samples.add(new byte[0]);
    samples.add(new byte[] {42});
    samples.add("abc".getBytes(StandardCharsets.US_ASCII));
    samples.add("abcd".getBytes(StandardCharsets.US_ASCII));
    samples.add("abcabcabcabcabcabcabcabcabcabcabcabc".getBytes(StandardCharsets.US_ASCII));
    samples.add(new byte[100_000]); // one byte repeated: 258-byte matches at distance 1
    samples.add(text(200_000)); // more symbols than one block holds
    samples.add(randomBytes(200_000)); // incompressible: several stored blocks of 65535
    byte[] binary = realBinary();
    samples.add(Arrays.copyOf(binary, Math.min(binary.length, 128 * 1024)));
    return samples;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
  void zlibInflatesEveryLevelWhetherFinalOrFlushed(int level) throws Exception {
    DeflateEncoder encoder = new DeflateEncoder();
    for (byte[] data : samples()) {
      byte[] last = encoder.deflate(data, data.length, null, level, true);
      assertThat(inflate(last, null, data.length)).isEqualTo(data);

      byte[] flushed = encoder.deflate(data, data.length, null, level, false);
      // A sync flush ends on an empty stored block, so the body can be followed by anything.
      assertThat(Arrays.copyOfRange(flushed, flushed.length - 4, flushed.length))
          .containsExactly(0, 0, 0xff, 0xff);
      assertThat(inflate(flushed, null, data.length)).isEqualTo(data);
    }
  }

  @Test
  void onlyTheGivenPartOfTheInputIsCompressed() throws Exception {
    byte[] data = text(50_000);
    byte[] body = new DeflateEncoder().deflate(data, 1000, null, 6, true);
    assertThat(inflate(body, null, 1000)).isEqualTo(Arrays.copyOf(data, 1000));
  }

  @Test
  void matchesReachIntoTheDictionary() throws Exception {
    byte[] dictionary = text(32 * 1024);
    byte[] data = Arrays.copyOfRange(dictionary, 1000, 21_000);
    DeflateEncoder encoder = new DeflateEncoder();
    byte[] with = encoder.deflate(data, data.length, dictionary, 6, false);
    byte[] without = encoder.deflate(data, data.length, null, 6, false);
    assertThat(with.length).isLessThan(without.length / 20);
    assertThat(inflate(with, dictionary, data.length)).isEqualTo(data);
  }

  @Test
  void blocksSplicedWithTheirDictionariesMakeOneStream() throws Exception {
    // What the packagers do: a file cut in 128 KiB blocks, each deflated on its own with the 32 KiB
    // before it, joined, and a final block added by whatever follows.
    byte[] binary = realBinary();
    byte[] data = Arrays.copyOf(binary, Math.min(binary.length, 5 * 128 * 1024 + 12345));
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    DeflateEncoder encoder = new DeflateEncoder();
    for (int at = 0; at < data.length; at += 128 * 1024) {
      int size = Math.min(128 * 1024, data.length - at);
      byte[] block = Arrays.copyOfRange(data, at, at + size);
      byte[] dictionary = at == 0 ? null : Arrays.copyOfRange(data, at - 32 * 1024, at);
      stream.write(encoder.deflate(block, size, dictionary, 6, false));
    }
    stream.write(encoder.deflate(new byte[0], 0, null, 6, true));
    assertThat(inflate(stream.toByteArray(), null, data.length)).isEqualTo(data);
  }

  @Test
  void theOutputDependsOnlyOnTheInput() throws Exception {
    byte[] data = text(300_000);
    byte[] fresh = new DeflateEncoder().deflate(data, data.length, null, 6, false);
    DeflateEncoder used = new DeflateEncoder();
    used.deflate(realBinary(), 100_000, null, 6, false);
    used.deflate(data, data.length, null, 9, true);
    assertThat(used.deflate(data, data.length, null, 6, false)).isEqualTo(fresh);
    // Enough calls that the tables' position offset wraps round and is reset.
    byte[] small = text(3000);
    byte[] expected = new DeflateEncoder().deflate(small, small.length, null, 6, true);
    for (int i = 0; i < 40_000; i++) {
      used.deflate(small, 100, null, 1, true);
    }
    assertThat(used.deflate(small, small.length, null, 6, true)).isEqualTo(expected);
  }

  @Test
  void level6IsAsSmallAsZlibsWithinTwoPercent() throws Exception {
    // The packagers' level: trading speed for size the way zlib's default does.
    for (byte[] data : List.of(realText(), realBinary())) {
      int ours = new DeflateEncoder().deflate(data, data.length, null, 6, true).length;
      Deflater zlib = new Deflater(6, true);
      zlib.setInput(data);
      zlib.finish();
      byte[] buffer = new byte[data.length + 1024];
      int theirs = 0;
      while (!zlib.finished()) {
        theirs += zlib.deflate(buffer);
      }
      zlib.end();
      assertThat((double) ours).isLessThanOrEqualTo(theirs * 1.02);
    }
  }

  @Test
  void inputsPastTheTablesReachAreRefusedNotCorrupted() {
    DeflateEncoder encoder = new DeflateEncoder();
    assertThatThrownBy(
            () -> encoder.deflate(new byte[1], DeflateEncoder.MAX_INPUT + 1, null, 6, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deflate input of 268435457 bytes: blocks are 0 to 268435456 bytes");
  }

  @Test
  void levelsOutsideOneToNineAreRefused() {
    DeflateEncoder encoder = new DeflateEncoder();
    assertThatThrownBy(() -> encoder.deflate(new byte[1], 1, null, 0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level 0");
    assertThatThrownBy(() -> encoder.deflate(new byte[1], 1, null, 10, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] inflate(byte[] deflated, byte[] dictionary, int size)
      throws DataFormatException {
    Inflater inflater = new Inflater(true);
    if (dictionary != null) {
      inflater.setDictionary(dictionary);
    }
    inflater.setInput(deflated);
    byte[] out = new byte[size + 1];
    int n = 0;
    while (n < out.length) {
      int got = inflater.inflate(out, n, out.length - n);
      if (got == 0) {
        break;
      }
      n += got;
    }
    assertThat(inflater.getRemaining()).as("bytes after the data").isZero();
    inflater.end();
    return Arrays.copyOf(out, n);
  }
}
