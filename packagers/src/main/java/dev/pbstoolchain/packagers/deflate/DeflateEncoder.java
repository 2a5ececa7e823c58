package dev.pbstoolchain.packagers.deflate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A raw deflate (RFC 1951) encoder of our own, so that an artifact's bytes depend only on its
 * content and on this class -- not on the zlib the JVM happens to link (Debian's 1.2.13, a JDK's
 * bundled 1.3, Fedora's zlib-ng or Apple's each deflate differently) -- and so that it can be
 * faster than zlib's level 6 at about its ratio: hash chains over 4-byte prefixes, one step of lazy
 * matching, dynamic, fixed or stored blocks, whichever is smallest.
 *
 * <p>One instance per thread: it keeps its tables between calls and is not thread-safe.
 */
final class DeflateEncoder {

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final int WINDOW = 32 * 1024;
  private static final int WINDOW_MASK = WINDOW - 1;
  private static final int HASH_BITS = 15;
  private static final int MIN_MATCH = 4;
  private static final int HASH3_BITS = 14;

  /** A 3-byte match further back than this costs more bits than three literals. */
  private static final int SHORT_MATCH_REACH = 4096;

  private static final int MAX_MATCH = 258;

  /** Literals and matches per block: long enough for good codes, short enough to adapt. */
  private static final int BLOCK_SYMBOLS = 1 << 14;

  private static final int STORED_MAX = 65535;

  /**
   * Table entries hold positions plus {@link #base}, an int: one call's input must leave room for
   * them (callers pass 128 KiB blocks and archive headers).
   */
  static final int MAX_INPUT = 1 << 28;

  private static final int LITLEN_CODES = 286;
  private static final int DIST_CODES = 30;
  private static final int END_OF_BLOCK = 256;
  private static final int[] CODE_LENGTH_ORDER = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
  };

  private static final int[] LENGTH_INDEX = new int[MAX_MATCH + 1];
  private static final int[] LENGTH_EXTRA = new int[29];
  private static final int[] LENGTH_BASE = new int[29];
  private static final int[] DIST_EXTRA = new int[DIST_CODES];
  private static final int[] DIST_BASE = new int[DIST_CODES];
  private static final byte[] FIXED_LITLEN_LENGTHS = new byte[288];
  private static final byte[] FIXED_DIST_LENGTHS = new byte[DIST_CODES];

  static {
    for (int i = 0; i < 29; i++) {
      LENGTH_EXTRA[i] = i < 8 || i == 28 ? 0 : i / 4 - 1;
      LENGTH_BASE[i] = i < 8 ? i + 3 : i == 28 ? 258 : ((4 | (i & 3)) << (i / 4 - 1)) + 3;
    }
    for (int i = 0; i < 29; i++) {
      int top = i == 27 ? 257 : i == 28 ? 258 : LENGTH_BASE[i] + (1 << LENGTH_EXTRA[i]) - 1;
      for (int len = LENGTH_BASE[i]; len <= top; len++) {
        LENGTH_INDEX[len] = i;
      }
    }
    for (int c = 0; c < DIST_CODES; c++) {
      DIST_EXTRA[c] = c < 4 ? 0 : c / 2 - 1;
      DIST_BASE[c] = c < 4 ? c + 1 : ((2 | (c & 1)) << (c / 2 - 1)) + 1;
    }
    Arrays.fill(FIXED_LITLEN_LENGTHS, 0, 144, (byte) 8);
    Arrays.fill(FIXED_LITLEN_LENGTHS, 144, 256, (byte) 9);
    Arrays.fill(FIXED_LITLEN_LENGTHS, 256, 280, (byte) 7);
    Arrays.fill(FIXED_LITLEN_LENGTHS, 280, 288, (byte) 8);
    Arrays.fill(FIXED_DIST_LENGTHS, (byte) 5);
  }

  /**
   * How hard a level looks for matches, the way zlib's levels trade speed for size.
   *
   * @param chain candidates tried per position
   * @param good a match this long already: try only a quarter of the chain for a longer one
   * @param lazy a match shorter than this is second-guessed by a look at the next position
   * @param nice a match this long is taken at once
   */
  private record Effort(int chain, int good, int lazy, int nice) {}

  private static final Effort[] EFFORT = {
    null,
    new Effort(4, 4, 0, 16),
    new Effort(8, 4, 0, 32),
    new Effort(12, 4, 0, 32),
    new Effort(12, 8, 16, 64),
    new Effort(16, 8, 16, 64),
    new Effort(24, 8, 24, 96),
    new Effort(48, 16, 32, 128),
    new Effort(96, 32, 64, MAX_MATCH),
    new Effort(256, 32, MAX_MATCH, MAX_MATCH)
  };

  private Effort effort = EFFORT[6];

  /**
   * Hash heads and chain links hold positions plus {@link #base}, which grows by every call's
   * window, so entries of earlier calls read as out of range without clearing the tables.
   */
  private final int[] head = new int[1 << HASH_BITS];

  private final int[] prev = new int[WINDOW];

  /** The last position of each 3-byte prefix, for the short matches the 4-byte chains miss. */
  private final int[] head3 = new int[1 << HASH3_BITS];

  private int base;

  private byte[] window = new byte[0];

  /** The block's literals (0-255) and matches (length << 16 | distance). */
  private final int[] symbols = new int[BLOCK_SYMBOLS];

  private final int[] litlenFreq = new int[LITLEN_CODES];
  private final int[] distFreq = new int[DIST_CODES];
  private final BitWriter bits = new BitWriter();
  private final HuffmanCode litlenCode = new HuffmanCode(288, 15);
  private final HuffmanCode distCode = new HuffmanCode(DIST_CODES, 15);
  private final HuffmanCode lengthCode = new HuffmanCode(19, 7);
  private final HuffmanCode fixedLitlen = HuffmanCode.fixed(FIXED_LITLEN_LENGTHS);
  private final HuffmanCode fixedDist = HuffmanCode.fixed(FIXED_DIST_LENGTHS);
  private final int[] runs = new int[LITLEN_CODES + DIST_CODES];
  private final byte[] allLengths = new byte[LITLEN_CODES + DIST_CODES];

  /**
   * Raw deflate of {@code input[0, size)}, which follows {@code dictionary} (or nothing) in the
   * stream; ends on a byte-aligned empty stored block (a sync flush), or, when {@code last}, with
   * the final block. Levels 1 to 9 trade speed for size as zlib's do (0, storing only, is not
   * offered).
   */
  byte[] deflate(byte[] input, int size, byte[] dictionary, int level, boolean last) {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("deflate level " + level + " is not 1 to 9");
    }
    if (size < 0 || size > MAX_INPUT) {
      throw new IllegalArgumentException(
          "deflate input of " + size + " bytes: blocks are 0 to " + MAX_INPUT + " bytes");
    }
    effort = EFFORT[level];
    int dictLength = dictionary == null ? 0 : Math.min(dictionary.length, WINDOW);
    int total = dictLength + size;
    if (window.length < total + 8) {
      window = new byte[Math.max(total + 8, window.length * 3 / 2)];
    }
    if (dictLength > 0) {
      System.arraycopy(dictionary, dictionary.length - dictLength, window, 0, dictLength);
    }
    System.arraycopy(input, 0, window, dictLength, size);
    if (base > Integer.MAX_VALUE / 2) {
      Arrays.fill(head, 0);
      Arrays.fill(head3, 0);
      base = 0;
    }
    base += WINDOW + 1;
    bits.reset(size + size / 16 + 64);
    for (int p = 0; p + MIN_MATCH <= total && p < dictLength; p++) {
      insert(p);
    }
    if (size > 0 || last) {
      compress(dictLength, total, last);
    }
    if (!last) {
      // A sync flush: an empty stored block, which ends byte-aligned.
      writeStored(total, total, false);
    }
    bits.alignToByte();
    base += total;
    return bits.toByteArray();
  }

  /** Puts position p at the head of its 4-byte chain and in the 3-byte table. */
  private void insert(int p) {
    int prefix = (int) INT.get(window, p);
    int h = hash4(prefix);
    prev[p & WINDOW_MASK] = head[h];
    head[h] = p + base;
    head3[hash3(prefix)] = p + base;
  }

  private static int hash4(int prefix) {
    return (prefix * 0x9E3779B1) >>> (32 - HASH_BITS);
  }

  /** The hash of the low three bytes of a 4-byte prefix. */
  private static int hash3(int prefix) {
    return ((prefix << 8) * 0x9E3779B1) >>> (32 - HASH3_BITS);
  }

  private int matchLength;
  private int matchDistance;

  /**
   * Finds the longest match at {@code p} longer than {@code atLeast} (in {@link #matchLength} and
   * {@link #matchDistance}, 0 when none) and inserts {@code p}.
   */
  private void findMatch(int p, int end, int atLeast) {
    byte[] w = window;
    int first = (int) INT.get(w, p);
    int candidate = head[hash4(first)] - base;
    int short3 = head3[hash3(first)] - base;
    insert(p);
    int max = Math.min(MAX_MATCH, end - p);
    int best = Math.max(atLeast, MIN_MATCH - 1);
    int bestDistance = 0;
    int chain = atLeast >= effort.good() ? effort.chain() >> 2 : effort.chain();
    // Under a full window, not up to it: p itself has just taken the chain slot of p - WINDOW.
    while (candidate >= 0 && p - candidate < WINDOW && chain-- > 0 && best < max) {
      if (w[candidate + best] == w[p + best] && (int) INT.get(w, candidate) == first) {
        int length = MIN_MATCH;
        while (length < max) {
          long diff = (long) LONG.get(w, p + length) ^ (long) LONG.get(w, candidate + length);
          if (diff != 0) {
            length += Long.numberOfTrailingZeros(diff) >>> 3;
            break;
          }
          length += 8;
        }
        if (length > max) {
          length = max;
        }
        if (length > best) {
          best = length;
          bestDistance = p - candidate;
          if (length >= effort.nice()) {
            break;
          }
        }
      }
      candidate = prev[candidate & WINDOW_MASK] - base;
    }
    if (bestDistance == 0
        && best < MIN_MATCH
        && max >= 3
        && short3 >= 0
        && p - short3 <= SHORT_MATCH_REACH
        && w[short3] == w[p]
        && w[short3 + 1] == w[p + 1]
        && w[short3 + 2] == w[p + 2]) {
      best = 3;
      bestDistance = p - short3;
    }
    if (bestDistance == 0) {
      matchLength = 0;
    } else {
      matchLength = best;
      matchDistance = bestDistance;
    }
  }

  private void compress(int start, int end, boolean last) {
    int count = 0;
    int blockStart = start;
    int p = start;
    int inserted = start;
    // Bytes past the end are never read as data, but the 8-byte loads may touch them.
    Arrays.fill(window, end, Math.min(window.length, end + 8), (byte) 0);
    while (p < end) {
      if (end - p < MIN_MATCH) {
        literal(count++, window[p++]);
      } else {
        // Every position before p is in the chains, p is not yet.
        findMatch(p, end, 0);
        inserted = p + 1;
        int length = matchLength;
        int distance = matchDistance;
        while (length > 0 && length < effort.lazy() && end - (p + 1) >= MIN_MATCH) {
          findMatch(p + 1, end, length);
          inserted = p + 2;
          if (matchLength > length) {
            literal(count++, window[p++]);
            length = matchLength;
            distance = matchDistance;
            if (count == BLOCK_SYMBOLS) {
              writeBlock(count, blockStart, p, false);
              count = 0;
              blockStart = p;
            }
          } else {
            break;
          }
        }
        if (length == 0) {
          literal(count++, window[p++]);
        } else {
          symbols[count++] = length << 16 | distance;
          litlenFreq[257 + LENGTH_INDEX[length]]++;
          distFreq[distanceCode(distance)]++;
          int next = p + length;
          for (int q = Math.max(inserted, p + 1); q < next && q + MIN_MATCH <= end; q++) {
            insert(q);
          }
          inserted = Math.max(inserted, next);
          p = next;
        }
      }
      if (count == BLOCK_SYMBOLS) {
        writeBlock(count, blockStart, p, last && p == end);
        count = 0;
        blockStart = p;
        if (p == end) {
          return;
        }
      }
    }
    writeBlock(count, blockStart, end, last);
  }

  private void literal(int at, byte value) {
    symbols[at] = value & 0xff;
    litlenFreq[value & 0xff]++;
  }

  private static int distanceCode(int distance) {
    int x = distance - 1;
    if (x < 4) {
      return x;
    }
    int n = 31 - Integer.numberOfLeadingZeros(x);
    return 2 * n + ((x >>> (n - 1)) & 1);
  }

  /**
   * Emits the block of {@code count} symbols covering {@code window[from, to)} as a dynamic, fixed
   * or stored block, whichever is smallest. Kept in small methods: the JIT recompiles this path
   * several times as blocks of each kind turn up, and one big method made that dearer than the
   * compression it serves.
   */
  private void writeBlock(int count, int from, int to, boolean last) {
    litlenFreq[END_OF_BLOCK]++;
    long extra = extraBits();
    int headerBits = buildDynamicCodes();
    long dynamicBits = headerBits + extra + codedBits(litlenCode, distCode);
    long fixedBits = 3 + extra + codedBits(fixedLitlen, fixedDist);
    int raw = to - from;
    long storedBits = (raw == 0 ? 1 : (raw + STORED_MAX - 1) / STORED_MAX) * 40L + 8L * raw + 7;
    if (storedBits < dynamicBits && storedBits < fixedBits) {
      writeStored(from, to, last);
    } else if (fixedBits <= dynamicBits) {
      bits.write(last ? 3 : 2, 3);
      writeSymbols(count, fixedLitlen, fixedDist);
    } else {
      writeDynamicHeader(last);
      writeSymbols(count, litlenCode, distCode);
    }
    Arrays.fill(litlenFreq, 0);
    Arrays.fill(distFreq, 0);
  }

  /** The extra bits of the block's lengths and distances, the same under any code. */
  private long extraBits() {
    long extra = 0;
    for (int i = 0; i < 29; i++) {
      extra += (long) litlenFreq[257 + i] * LENGTH_EXTRA[i];
    }
    for (int i = 0; i < DIST_CODES; i++) {
      extra += (long) distFreq[i] * DIST_EXTRA[i];
    }
    return extra;
  }

  /** The bits of the block's symbols (without extra bits) under the given codes. */
  private long codedBits(HuffmanCode litlen, HuffmanCode dist) {
    long total = 0;
    for (int i = 0; i < LITLEN_CODES; i++) {
      total += (long) litlenFreq[i] * litlen.lengths[i];
    }
    for (int i = 0; i < DIST_CODES; i++) {
      total += (long) distFreq[i] * dist.lengths[i];
    }
    return total;
  }

  private int litlenUsed;
  private int distUsed;
  private int runCount;
  private int lengthCodesUsed;
  private final int[] lengthFreq = new int[19];

  /**
   * Builds the block's own codes and the run-length coded description of them; returns the bits of
   * the block header that carries it.
   */
  private int buildDynamicCodes() {
    litlenCode.build(litlenFreq, LITLEN_CODES);
    distCode.build(distFreq, DIST_CODES);
    litlenUsed = litlenCode.used(257);
    distUsed = distCode.used(1);
    System.arraycopy(litlenCode.lengths, 0, allLengths, 0, litlenUsed);
    System.arraycopy(distCode.lengths, 0, allLengths, litlenUsed, distUsed);
    runCount = runLengths(litlenUsed + distUsed);
    Arrays.fill(lengthFreq, 0);
    for (int i = 0; i < runCount; i++) {
      lengthFreq[runs[i] & 0xff]++;
    }
    lengthCode.build(lengthFreq, 19);
    lengthCodesUsed = 19;
    while (lengthCodesUsed > 4 && lengthCode.lengths[CODE_LENGTH_ORDER[lengthCodesUsed - 1]] == 0) {
      lengthCodesUsed--;
    }
    int headerBits = 3 + 5 + 5 + 4 + 3 * lengthCodesUsed;
    for (int i = 0; i < runCount; i++) {
      int symbol = runs[i] & 0xff;
      headerBits += lengthCode.lengths[symbol] + repeatBits(symbol);
    }
    return headerBits;
  }

  /** The extra bits of a code-length symbol: the repeat count of 16, 17 and 18. */
  private static int repeatBits(int symbol) {
    return symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0;
  }

  private void writeDynamicHeader(boolean last) {
    bits.write(last ? 5 : 4, 3);
    bits.write(litlenUsed - 257, 5);
    bits.write(distUsed - 1, 5);
    bits.write(lengthCodesUsed - 4, 4);
    for (int i = 0; i < lengthCodesUsed; i++) {
      bits.write(lengthCode.lengths[CODE_LENGTH_ORDER[i]], 3);
    }
    for (int i = 0; i < runCount; i++) {
      int symbol = runs[i] & 0xff;
      bits.write(lengthCode.codes[symbol], lengthCode.lengths[symbol]);
      if (symbol >= 16) {
        bits.write(runs[i] >>> 8, repeatBits(symbol));
      }
    }
  }

  private void writeSymbols(int count, HuffmanCode litlen, HuffmanCode dist) {
    int[] litlenCodes = litlen.codes;
    byte[] litlenLengths = litlen.lengths;
    int[] distCodes = dist.codes;
    byte[] distLengths = dist.lengths;
    BitWriter out = bits;
    for (int i = 0; i < count; i++) {
      int symbol = symbols[i];
      if (symbol < 256) {
        out.write(litlenCodes[symbol], litlenLengths[symbol]);
      } else {
        int length = symbol >>> 16;
        int distance = symbol & 0xffff;
        int li = LENGTH_INDEX[length];
        out.write(
            litlenCodes[257 + li] | (length - LENGTH_BASE[li]) << litlenLengths[257 + li],
            litlenLengths[257 + li] + LENGTH_EXTRA[li]);
        int dc = distanceCode(distance);
        out.write(
            distCodes[dc] | (distance - DIST_BASE[dc]) << distLengths[dc],
            distLengths[dc] + DIST_EXTRA[dc]);
      }
    }
    out.write(litlenCodes[END_OF_BLOCK], litlenLengths[END_OF_BLOCK]);
  }

  private void writeStored(int from, int to, boolean last) {
    int p = from;
    do {
      int n = Math.min(STORED_MAX, to - p);
      boolean end = p + n == to;
      bits.write(last && end ? 1 : 0, 3);
      bits.alignToByte();
      bits.write(n | (~n & 0xffff) << 16, 32);
      bits.writeBytes(window, p, n);
      p += n;
    } while (p < to);
  }

  /**
   * Run-length codes of {@link #allLengths} into {@link #runs}: symbol in the low byte, the repeat
   * count's extra bits above it.
   */
  private int runLengths(int n) {
    int count = 0;
    int i = 0;
    while (i < n) {
      int length = allLengths[i];
      int run = 1;
      while (i + run < n && allLengths[i + run] == length) {
        run++;
      }
      i += run;
      if (length == 0) {
        while (run >= 11) {
          int r = Math.min(run, 138);
          runs[count++] = 18 | (r - 11) << 8;
          run -= r;
        }
        if (run >= 3) {
          runs[count++] = 17 | (run - 3) << 8;
          run = 0;
        }
      } else {
        runs[count++] = length;
        run--;
        while (run >= 3) {
          int r = Math.min(run, 6);
          runs[count++] = 16 | (r - 3) << 8;
          run -= r;
        }
      }
      while (run-- > 0) {
        runs[count++] = length;
      }
    }
    return count;
  }
}
