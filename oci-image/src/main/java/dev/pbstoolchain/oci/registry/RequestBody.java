package dev.pbstoolchain.oci.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a request sends: its length and a way to open its bytes afresh for every attempt.
 *
 * @param length the number of bytes {@link #open()} gives
 * @param opener opens the bytes from their start
 */
record RequestBody(long length, Opener opener) {

  /** Opens the body's bytes. */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  private static final RequestBody EMPTY = new RequestBody(0, () -> InputStream.nullInputStream());

  static RequestBody empty() {
    return EMPTY;
  }

  static RequestBody of(byte[] bytes) {
    return new RequestBody(bytes.length, () -> new ByteArrayInputStream(bytes));
  }

  /** {@code length} bytes of a file from {@code offset} on. */
  static RequestBody slice(Path file, long offset, long length) {
    return new RequestBody(
        length,
        () -> {
          FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
          try {
            channel.position(offset);
          } catch (IOException e) {
            channel.close();
            throw e;
          }
          return Channels.newInputStream(channel);
        });
  }

  InputStream open() throws IOException {
    return opener.open();
  }
}
