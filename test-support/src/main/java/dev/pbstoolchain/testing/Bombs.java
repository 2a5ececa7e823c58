package dev.pbstoolchain.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Decompression bombs, built in the test run: a few megabytes of {@code .tar.gz} that expand to
 * gigabytes of zeros, and tars whose headers alone would fill the heap.
 *
 * <p>A gigabyte of zeros is not deflated for real (that would take seconds per gigabyte): once the
 * 32 KiB window holds only zeros, zlib encodes each further mebibyte of zeros as the same block, so
 * that block is written again and again. The gzip stream stays valid ({@code gzip -t} accepts it,
 * CRC-32 and length included).
 */
public final class Bombs {

  private static final int MIB = 1 << 20;
  private static final int TAR_BLOCK = 512;

  private Bombs() {}

  /**
   * A {@code .tar.gz} of regular files full of zeros, in the order given (name to size).
   *
   * @return the number of bytes it expands to
   */
  public static long zeros(Path archive, Map<String, Long> files) throws IOException {
    Files.createDirectories(archive.toAbsolutePath().getParent());
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16)) {
      ZeroDeflater gzip = new ZeroDeflater(out);
      for (Map.Entry<String, Long> file : files.entrySet()) {
        gzip.bytes(header(file.getKey(), file.getValue()));
        gzip.zeros(file.getValue());
        long pad = (TAR_BLOCK - file.getValue() % TAR_BLOCK) % TAR_BLOCK;
        gzip.zeros(pad);
      }
      gzip.zeros(2 * TAR_BLOCK); // end of archive
      return gzip.finish();
    }
  }

  /**
   * A {@code .tar.gz} whose first entry has a GNU long name ({@code ././@LongLink}, type L) of
   * {@code bytes} bytes: a reader keeps such a name in memory whole. Written by hand, since
   * commons-compress takes quadratic time to shorten a name that long.
   */
  public static void longName(Path archive, int bytes) throws IOException {
    Files.createDirectories(archive.toAbsolutePath().getParent());
    try (OutputStream file = Files.newOutputStream(archive);
        OutputStream gzip = new java.util.zip.GZIPOutputStream(file, 1 << 16)) {
      TarArchiveEntry longLink =
          new TarArchiveEntry(TarConstants.GNU_LONGLINK, TarConstants.LF_GNUTYPE_LONGNAME);
      longLink.setSize(bytes + 1L);
      byte[] header = new byte[TAR_BLOCK];
      longLink.writeEntryHeader(header);
      gzip.write(header);
      byte[] name = new byte[(int) ((bytes + 1L + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK)];
      Arrays.fill(name, 0, bytes, (byte) 'a');
      System.arraycopy(
          "python/".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, name, 0, 7);
      gzip.write(name);
      gzip.write(header("python/short", 0));
      gzip.write(new byte[2 * TAR_BLOCK]);
    }
  }

  /** A ustar header for a regular file of {@code size} bytes (octal fits sizes below 8 GiB). */
  private static byte[] header(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0100644);
    entry.setModTime(TarEntries.MTIME_SECONDS * 1000);
    byte[] header = new byte[TAR_BLOCK];
    entry.writeEntryHeader(header);
    return header;
  }

  /** A gzip member written by deflating real bytes and repeating one block for long zero runs. */
  private static final class ZeroDeflater {
    private final OutputStream out;
    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final byte[] zeros = new byte[MIB];
    private final byte[] buffer = new byte[1 << 16];
    private long total;
    private long pendingZeros;
    private byte[] zeroBlock;

    ZeroDeflater(OutputStream out) throws IOException {
      this.out = out;
      out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
    }

    void bytes(byte[] data) throws IOException {
      flushZeros();
      crc.update(data);
      total += data.length;
      deflater.setInput(data);
      drain(Deflater.NO_FLUSH);
    }

    void zeros(long n) {
      pendingZeros += n;
    }

    /**
     * Deflates pending zeros: the first mebibytes for real until two sync-flushed blocks come out
     * the same, then that block once per further mebibyte.
     */
    private void flushZeros() throws IOException {
      while (pendingZeros >= MIB) {
        total += MIB;
        crc.update(zeros);
        pendingZeros -= MIB;
        if (zeroBlock != null) {
          out.write(zeroBlock);
          continue;
        }
        deflater.setInput(zeros);
        byte[] block = drain(Deflater.SYNC_FLUSH);
        zeroBlock = previous != null && Arrays.equals(previous, block) ? block : null;
        previous = block;
      }
      if (pendingZeros > 0) {
        byte[] rest = new byte[(int) pendingZeros];
        pendingZeros = 0;
        crc.update(rest);
        total += rest.length;
        deflater.setInput(rest);
        drain(Deflater.NO_FLUSH);
      }
    }

    private byte[] previous;

    /** Deflates what was given; returns (and writes) what came out. */
    private byte[] drain(int flush) throws IOException {
      ByteArrayOutputStream produced = new ByteArrayOutputStream();
      while (true) {
        int n = deflater.deflate(buffer, 0, buffer.length, flush);
        produced.write(buffer, 0, n);
        if (n < buffer.length && deflater.needsInput()) {
          break;
        }
      }
      byte[] block = produced.toByteArray();
      out.write(block);
      if (flush == Deflater.NO_FLUSH) {
        previous = null;
        zeroBlock = null;
      }
      return block;
    }

    long finish() throws IOException {
      flushZeros();
      deflater.finish();
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        out.write(buffer, 0, n);
      }
      deflater.end();
      long value = crc.getValue();
      byte[] trailer = new byte[8];
      for (int i = 0; i < 4; i++) {
        trailer[i] = (byte) (value >>> (8 * i));
        trailer[4 + i] = (byte) (total >>> (8 * i));
      }
      out.write(trailer);
      return total;
    }
  }
}
