package dev.pbstoolchain.binarypatcher.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Applies a {@link PatchPlan}: copies the input to a temp file beside the output (kernel-side
 * {@code transferTo}, nothing in the heap), writes the planned bytes, then renames it over the
 * output. On any failure the temp file is removed and the input and output are untouched.
 */
public final class AtomicPatcher {

  private AtomicPatcher() {}

  /** Last writes that need the patched bytes (e.g. a code signature hashing them). */
  @FunctionalInterface
  public interface Finisher {
    void finish(FileChannel patched) throws IOException;
  }

  // A class, not a lambda: bootstrapping the first lambda costs ~5 ms of a ~50 ms CLI run.
  private static final Finisher NOTHING_MORE =
      new Finisher() {
        @Override
        public void finish(FileChannel patched) {}
      };

  public static void apply(Path input, Path output, PatchPlan plan) throws IOException {
    apply(input, output, plan, NOTHING_MORE);
  }

  public static void apply(Path input, Path output, PatchPlan plan, Finisher finisher)
      throws IOException {
    Path target = output.toAbsolutePath();
    // A device such as /dev/null is written through, never renamed over (that would replace it).
    boolean special =
        Files.exists(target)
            && !Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && !Files.isSymbolicLink(target);
    Path dir = special ? Path.of(System.getProperty("java.io.tmpdir")) : target.getParent();
    Path temp = SiblingTempFile.create(dir, target.getFileName().toString());
    boolean done = false;
    try {
      try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ);
          FileChannel out =
              FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long size = in.size();
        long copied = 0;
        out.position(plan.shift());
        while (copied < size) {
          copied += in.transferTo(copied, size - copied, out);
        }
        size += plan.shift();
        if (plan.truncateTo() >= 0 && plan.truncateTo() < size) {
          out.truncate(plan.truncateTo());
        }
        if (plan.newLength() > size) {
          // Zero-fill up to the new length: write one byte at the end, the hole reads as zeros.
          out.write(ByteBuffer.wrap(new byte[1]), plan.newLength() - 1);
        }
        for (PatchPlan.Write w : plan.writes()) {
          if (w.bytes() == null) {
            writeZeros(out, w.offset(), w.zeros());
            continue;
          }
          ByteBuffer b = ByteBuffer.wrap(w.bytes());
          long at = w.offset();
          while (b.hasRemaining()) {
            at += out.write(b, at);
          }
        }
        finisher.finish(out);
        // No fsync: like patchelf, install_name_tool and cp, we leave durability to the file
        // system; the rename alone is what keeps readers from ever seeing a half-written file.
      }
      if (special) {
        try (var out = Files.newOutputStream(target)) {
          Files.copy(temp, out);
        }
        Files.delete(temp);
        done = true;
        return;
      }
      copyPermissions(input, temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void writeZeros(FileChannel out, long offset, long length) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, 1 << 16));
    long at = offset;
    long end = offset + length;
    while (at < end) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), end - at));
      at += out.write(zeros, at);
    }
  }

  private static void copyPermissions(Path from, Path to) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
    if (view != null) {
      Set<PosixFilePermission> permissions = view.readAttributes().permissions();
      Files.setPosixFilePermissions(to, permissions);
    }
  }
}
