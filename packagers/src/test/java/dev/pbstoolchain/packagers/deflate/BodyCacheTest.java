package dev.pbstoolchain.packagers.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.tar.TarGzWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk cache of deflated bodies shared by pbs:package and pbs:image: the archive bytes are
 * the same without it, with it cold and with it warm; a warm build deflates nothing new; broken
 * packs and dead builds' temps are left out; the cache stays within its bound.
 */
class BodyCacheTest {

  private static final long EPOCH = 1_700_000_000L;

  @TempDir Path dir;

  @Test
  void coldAndWarmCacheGiveTheBytesOfNoCacheAndAWarmBuildAddsNoPack() throws Exception {
    Layout layout = Layout.tree(tree(dir.resolve("tree")));
    Path cache = dir.resolve("cache");

    byte[] plain = tarGz(layout, null, "plain.tar.gz");
    byte[] cold = tarGz(layout, cache, "cold.tar.gz");
    List<Path> packsAfterCold = packs(cache);
    byte[] warm = tarGz(layout, cache, "warm.tar.gz");

    assertThat(cold).isEqualTo(plain);
    assertThat(warm).isEqualTo(plain);
    assertThat(packsAfterCold).hasSize(1);
    assertThat(packs(cache)).isEqualTo(packsAfterCold);
    try (BodyCache opened = BodyCache.open(cache, Gzip.LEVEL, BodyCache.DEFAULT_MAX_BYTES)) {
      assertThat(opened.size()).isEqualTo(6); // seven files, two with the same content
    }
    // The spill lives in the cache, never beside the artifacts, and no temp is left anywhere.
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
          .isEmpty();
    }
  }

  @Test
  void aChangedFileIsDeflatedAgainAndOnlyItGoesIntoTheNewPack() throws Exception {
    Path tree = tree(dir.resolve("tree"));
    Path cache = dir.resolve("cache");
    tarGz(Layout.tree(tree), cache, "first.tar.gz");
    Files.writeString(tree.resolve("lib/small.py"), "changed = True\n");
    Layout changed = Layout.tree(tree);

    assertThat(tarGz(changed, cache, "second.tar.gz"))
        .isEqualTo(tarGz(changed, null, "plain.tar.gz"));
    List<Path> packs = packs(cache);
    assertThat(packs).hasSize(2);
    try (BodyCache opened = BodyCache.open(cache, Gzip.LEVEL, BodyCache.DEFAULT_MAX_BYTES)) {
      assertThat(opened.size()).isEqualTo(7);
    }
  }

  @Test
  void brokenPacksAndDeadTempsAreLeftOutAndTheBytesStayTheSame() throws Exception {
    Layout layout = Layout.tree(tree(dir.resolve("tree")));
    Path cache = dir.resolve("cache");
    byte[] plain = tarGz(layout, null, "plain.tar.gz");
    tarGz(layout, cache, "cold.tar.gz");
    Path pack = packs(cache).get(0);
    Path keyDir = pack.getParent();
    // A pack whose index no longer matches its trailer's CRC (a flipped bit) reads as no pack.
    byte[] bytes = Files.readAllBytes(pack);
    bytes[bytes.length - 30] ^= 1;
    Files.write(pack, bytes);
    Files.write(keyDir.resolve("pack-truncated.bodies"), new byte[] {1, 2, 3});
    // A temp no process holds a lock on is a dead build's.
    Path dead = keyDir.resolve(".pack-dead.tmp");
    Files.write(dead, new byte[100]);

    try (BodyCache opened = BodyCache.open(cache, Gzip.LEVEL, BodyCache.DEFAULT_MAX_BYTES)) {
      assertThat(opened.size()).isZero();
      assertThat(dead).doesNotExist();
    }
    assertThat(tarGz(layout, cache, "again.tar.gz")).isEqualTo(plain);
  }

  @Test
  void aTempThisJvmIsWritingIsNotCleanedAsStale() throws Exception {
    Path cache = dir.resolve("cache");
    try (BodyCache first = BodyCache.open(cache, Gzip.LEVEL, BodyCache.DEFAULT_MAX_BYTES)) {
      Path temp = first.newTemp();
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.lock();
        try (BodyCache second = BodyCache.open(cache, Gzip.LEVEL, BodyCache.DEFAULT_MAX_BYTES)) {
          assertThat(temp).exists();
        }
      }
      first.discard(temp);
      assertThat(temp).doesNotExist();
    }
  }

  @Test
  void theLeastRecentlyUsedPacksGoPastTheBound() throws Exception {
    Path cache = dir.resolve("cache");
    Path keyDir;
    try (BodyCache opened = BodyCache.open(cache, Gzip.LEVEL, BodyCache.DEFAULT_MAX_BYTES)) {
      keyDir = opened.dir();
    }
    Path old = keyDir.resolve("pack-old.bodies");
    Path recent = keyDir.resolve("pack-recent.bodies");
    Files.write(old, new byte[600]);
    Files.write(recent, new byte[600]);
    Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L));
    Files.setLastModifiedTime(recent, FileTime.fromMillis(2_000_000L));

    try (BodyCache opened = BodyCache.open(cache, Gzip.LEVEL, 1000)) {
      assertThat(opened.dir()).isEqualTo(keyDir);
    }

    assertThat(old).doesNotExist();
    assertThat(recent).exists();
  }

  @Test
  void theDirectoryNamesTheLevelAndTheEncodersOutput() throws Exception {
    try (BodyCache six = BodyCache.open(dir, 6, BodyCache.DEFAULT_MAX_BYTES);
        BodyCache nine = BodyCache.open(dir, 9, BodyCache.DEFAULT_MAX_BYTES)) {
      assertThat(six.dir().getFileName().toString()).startsWith("v1-l6-b131072-d32768-");
      assertThat(nine.dir()).isNotEqualTo(six.dir());
    }
  }

  private byte[] tarGz(Layout layout, Path cache, String name) throws IOException {
    Path out = dir.resolve("out").resolve(name);
    Files.createDirectories(out.getParent());
    try (DeflatedBodies bodies =
        DeflatedBodies.of(
            List.of(layout), out.getParent(), Set.of(DeflatedBodies.Digest.MD5), cache)) {
      TarGzWriter.write(layout, out, EPOCH, bodies);
    } catch (dev.pbstoolchain.packagers.PackagingException e) {
      throw new IOException(e);
    }
    return Files.readAllBytes(out);
  }

  @Test
  void anotherJvmReadsTheFingerprintFromTheMemoInsteadOfProbing() throws Exception {
    Path cache = dir.resolve("cache");
    String probed = BodyCache.fingerprint(Gzip.LEVEL);

    assertThat(BodyCache.memoised(cache, Gzip.LEVEL)).isEqualTo(probed);
    List<Path> memos;
    try (Stream<Path> all = Files.list(cache.resolve(".encoders"))) {
      memos = all.toList();
    }
    assertThat(memos).hasSize(1);
    assertThat(memos.get(0).getFileName().toString()).matches("l" + Gzip.LEVEL + "-[0-9a-f]{32}");
    assertThat(Files.readString(memos.get(0))).isEqualTo(probed);

    // What the memo says is taken without probing (a JVM with the same encoder classes wrote it).
    Files.writeString(memos.get(0), "0123456789ab");
    assertThat(BodyCache.memoised(cache, Gzip.LEVEL)).isEqualTo("0123456789ab");
    // A memo that is no fingerprint is probed past and rewritten.
    Files.writeString(memos.get(0), "not hex");
    assertThat(BodyCache.memoised(cache, Gzip.LEVEL)).isEqualTo(probed);
    assertThat(Files.readString(memos.get(0))).isEqualTo(probed);
    // Another level has a memo of its own.
    assertThat(BodyCache.memoised(cache, 9)).isEqualTo(BodyCache.fingerprint(9));
    try (Stream<Path> all = Files.list(cache.resolve(".encoders"))) {
      assertThat(all.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
          .isEmpty();
    }
  }

  private static List<Path> packs(Path cache) throws IOException {
    try (Stream<Path> all = Files.walk(cache)) {
      return all.filter(p -> p.getFileName().toString().endsWith(".bodies")).sorted().toList();
    }
  }

  /**
   * Seven files: one of several blocks (the dictionary carries over), an empty one, two with the
   * same content, text and random bytes.
   */
  private static Path tree(Path root) throws IOException {
    Files.createDirectories(root.resolve("lib"));
    Random random = new Random(7);
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i % 7 == 0 ? random.nextInt() : 'a' + (i / 13) % 26);
    }
    Files.write(root.resolve("lib/libbig.so"), big);
    Files.write(root.resolve("lib/empty.txt"), new byte[0]);
    Files.writeString(root.resolve("lib/small.py"), "import os\n".repeat(200));
    Files.writeString(root.resolve("lib/copy-a.txt"), "same\n".repeat(100));
    Files.writeString(root.resolve("lib/copy-b.txt"), "same\n".repeat(100));
    byte[] noise = new byte[5000];
    random.nextBytes(noise);
    Files.write(root.resolve("noise.bin"), noise);
    Files.writeString(root.resolve("README"), "readme\n", StandardCharsets.UTF_8);
    return root;
  }
}
