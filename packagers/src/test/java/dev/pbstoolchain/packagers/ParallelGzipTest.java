package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.packagers.deflate.ParallelGzipOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parallel gzip stream is read back by the real gzip, byte for byte, at block edges too. */
class ParallelGzipTest {

  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 131071, 131072, 131073, 1_000_000, 3 * 131072})
  void gunzipRestoresTheInputAndTheOutputIsStable(int size) throws Exception {
    byte[] data = new byte[size];
    Random random = new Random(size);
    for (int i = 0; i < size; i++) {
      // Compressible but not trivial: short repeats across block boundaries.
      data[i] = (byte) (i % 97 < 50 ? random.nextInt(4) : 'a' + i % 13);
    }
    byte[] first = gzip(data);
    assertThat(gzip(data)).isEqualTo(first);
    Path file = Files.write(work.resolve("x.gz"), first);
    var p = new ProcessBuilder("gzip", "-dc", file.toString()).start();
    byte[] back = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    assertThat(back).isEqualTo(data);
    assertThat(new ProcessBuilder("gzip", "-t", file.toString()).start().waitFor()).isZero();
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream out = new ParallelGzipOutputStream(bytes, 6)) {
      // Odd-sized writes so block edges fall mid-write.
      for (int at = 0; at < data.length; at += 7777) {
        out.write(data, at, Math.min(7777, data.length - at));
      }
    }
    return bytes.toByteArray();
  }
}
