package dev.pbstoolchain.licenses.archive;

import com.github.luben.zstd.ZstdDirectBufferDecompressingStreamNoFinalizer;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A zstd file's decompressed bytes, a chunk at a time, decoded by native code from one direct
 * buffer into another: no byte passes through the Java heap unless somebody reads it.
 */
final class ZstdChunks implements TarReader.Source, AutoCloseable {

  private final FileChannel file;
  private final ByteBuffer compressed = ByteBuffer.allocateDirect(1 << 17);
  private final ByteBuffer decompressed = ByteBuffer.allocateDirect(1 << 20);
  private final ZstdDirectBufferDecompressingStreamNoFinalizer zstd;
  private boolean fileEnded;

  ZstdChunks(FileChannel file) throws IOException {
    this.file = file;
    fill(compressed);
    compressed.flip();
    this.zstd =
        new ZstdDirectBufferDecompressingStreamNoFinalizer(compressed) {
          @Override
          protected ByteBuffer refill(ByteBuffer buffer) {
            buffer.compact();
            try {
              fill(buffer);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return buffer.flip();
          }
        };
  }

  @Override
  public ByteBuffer next() throws IOException {
    try {
      while (zstd.hasRemaining()) {
        decompressed.clear();
        if (zstd.read(decompressed) > 0) {
          return decompressed.flip();
        }
        // A read can end the stream without output (a final skippable or empty frame).
        if (fileEnded && !compressed.hasRemaining() && zstd.hasRemaining()) {
          throw new EOFException("the zstd stream ends early: the file is truncated");
        }
      }
      return null;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void fill(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining() && !fileEnded) {
      fileEnded = file.read(buffer) < 0;
    }
  }

  @Override
  public void close() {
    zstd.close();
  }
}
