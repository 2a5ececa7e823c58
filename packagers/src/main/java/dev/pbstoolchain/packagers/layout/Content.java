package dev.pbstoolchain.packagers.layout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a file entry's bytes come from: a file on disk (the tree being packaged, streamed when
 * written), or bytes a writer made itself (control files, a changelog), kept small.
 */
public sealed interface Content {

  /** The bytes, from the start. */
  InputStream open() throws IOException;

  /** A file on disk; two are the same content when they are the same absolute path. */
  record OnDisk(Path file) implements Content {

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(file);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof OnDisk disk
          && disk.file.toAbsolutePath().equals(file.toAbsolutePath());
    }

    @Override
    public int hashCode() {
      return file.toAbsolutePath().hashCode();
    }

    @Override
    public String toString() {
      return file.toString();
    }
  }

  /** Bytes in memory; the same content when the bytes are equal. */
  final class InMemory implements Content {

    private final String name;
    private final byte[] bytes;

    /**
     * @param name what the bytes are, for messages (e.g. {@code control})
     */
    public InMemory(String name, byte[] bytes) {
      this.name = name;
      this.bytes = bytes.clone();
    }

    public int size() {
      return bytes.length;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof InMemory memory && Arrays.equals(memory.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "the generated " + name;
    }
  }
}
