package dev.pbstoolchain.licenses.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZstdChunksTest {

  @TempDir Path work;

  /** Several frames back to back, as multi-threaded or appending compressors write them. */
  @Test
  void readsEveryFrameOfAFileAcrossBufferRefills() throws Exception {
    byte[] data = new byte[3_000_000];
    new Random(1).nextBytes(data);
    Arrays.fill(data, 1_000_000, 2_000_000, (byte) 'a');
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int from = 0; from < data.length; from += 700_000) {
      file.write(
          Zstd.compress(Arrays.copyOfRange(data, from, Math.min(data.length, from + 700_000))));
    }
    assertThat(decompress(Files.write(work.resolve("multi.zst"), file.toByteArray())))
        .isEqualTo(data);
  }

  @Test
  void aFileCutShortIsReportedNotTakenForTheEnd() throws Exception {
    byte[] data = new byte[2_000_000];
    new Random(2).nextBytes(data);
    byte[] compressed = Zstd.compress(data);
    Path cut =
        Files.write(work.resolve("cut.zst"), Arrays.copyOf(compressed, compressed.length / 2));
    assertThatThrownBy(() -> decompress(cut))
        .isInstanceOf(EOFException.class)
        .hasMessage("the zstd stream ends early: the file is truncated");
  }

  /** Valid files whose last read yields nothing: they end, they are not cut short. */
  @Test
  void aFinalSkippableOrEmptyFrameEndsTheStream() throws Exception {
    byte[] data = new byte[300_000];
    new Random(3).nextBytes(data);
    byte[] skippable = {0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 'a', 'b', 'c', 'd'};
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(skippable);
    file.write(Zstd.compress(data));
    file.write(Zstd.compress(new byte[0]));
    file.write(skippable);
    assertThat(decompress(Files.write(work.resolve("framed.zst"), file.toByteArray())))
        .isEqualTo(data);
    assertThat(decompress(Files.write(work.resolve("empty.zst"), Zstd.compress(new byte[0]))))
        .isEmpty();
  }

  private static byte[] decompress(Path file) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FileChannel channel = FileChannel.open(file);
        ZstdChunks chunks = new ZstdChunks(channel)) {
      ByteBuffer chunk;
      while ((chunk = chunks.next()) != null) {
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        out.write(bytes);
      }
    }
    return out.toByteArray();
  }
}
