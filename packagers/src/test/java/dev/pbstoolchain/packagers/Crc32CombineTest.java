package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.packagers.deflate.Crc32Combine;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class Crc32CombineTest {

  @Test
  void combinedCrcEqualsTheCrcOfTheConcatenation() {
    Random random = new Random(42);
    byte[] data = new byte[300_000];
    random.nextBytes(data);
    int[] cuts = {0, 1, 7, 8, 511, 512, 4096, 131_072, 131_073, 299_999, 300_000};
    for (int cut : cuts) {
      assertThat(
              Crc32Combine.combine(
                  crc(data, 0, cut), crc(data, cut, data.length), data.length - cut))
          .as("cut at %d", cut)
          .isEqualTo(crc(data, 0, data.length));
    }
  }

  @Test
  void combiningManyPiecesInTurnEqualsOneCrc() {
    Random random = new Random(7);
    byte[] data = new byte[1 << 20];
    random.nextBytes(data);
    long crc = 0;
    int offset = 0;
    while (offset < data.length) {
      int length = Math.min(data.length - offset, random.nextInt(5000));
      crc = Crc32Combine.combine(crc, crc(data, offset, offset + length), length);
      offset += length;
    }
    assertThat(crc).isEqualTo(crc(data, 0, data.length));
  }

  private static long crc(byte[] data, int from, int to) {
    CRC32 crc = new CRC32();
    crc.update(data, from, to - from);
    return crc.getValue();
  }
}
