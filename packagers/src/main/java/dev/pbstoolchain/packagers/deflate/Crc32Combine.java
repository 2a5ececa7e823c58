package dev.pbstoolchain.packagers.deflate;

/**
 * The CRC-32 of two concatenated pieces from the CRC-32 of each and the length of the second, so a
 * spliced gzip stream gets its trailer without reading the spliced bytes again. Appending n zero
 * bytes to a message is a linear map on its CRC; the maps for 2^k bytes are precomputed as 32x32
 * bit matrices over GF(2), and n is applied bit by bit.
 */
public final class Crc32Combine {

  private static final int POLYNOMIAL = 0xedb88320;

  /** ZEROS[k]: the matrix that appends 2^k zero bytes, columns as ints. */
  private static final int[][] ZEROS = new int[64][];

  static {
    int[] oneBit = new int[32];
    oneBit[0] = POLYNOMIAL;
    for (int n = 1; n < 32; n++) {
      oneBit[n] = 1 << (n - 1);
    }
    int[] matrix = oneBit;
    for (int i = 0; i < 3; i++) {
      matrix = square(matrix);
    }
    ZEROS[0] = matrix;
    for (int k = 1; k < ZEROS.length; k++) {
      ZEROS[k] = square(ZEROS[k - 1]);
    }
  }

  private Crc32Combine() {}

  /** CRC-32 of A followed by B, from crc(A), crc(B) and the length of B. */
  public static long combine(long crcFirst, long crcSecond, long secondLength) {
    int crc = (int) crcFirst;
    for (int k = 0; secondLength != 0; k++, secondLength >>>= 1) {
      if ((secondLength & 1) != 0) {
        crc = times(ZEROS[k], crc);
      }
    }
    return (crc ^ (int) crcSecond) & 0xffffffffL;
  }

  private static int times(int[] matrix, int vector) {
    int sum = 0;
    for (int i = 0; vector != 0; i++, vector >>>= 1) {
      if ((vector & 1) != 0) {
        sum ^= matrix[i];
      }
    }
    return sum;
  }

  private static int[] square(int[] matrix) {
    int[] result = new int[32];
    for (int n = 0; n < 32; n++) {
      result[n] = times(matrix, matrix[n]);
    }
    return result;
  }
}
