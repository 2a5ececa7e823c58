package dev.pbstoolchain.packagers.deflate;

import java.util.Arrays;

/** A canonical Huffman code with lengths limited to a maximum, reversed for LSB-first output. */
final class HuffmanCode {

  /** Each symbol's code length, 0 for a symbol without a code. */
  final byte[] lengths;

  /** Each symbol's code, bit-reversed so that it can be written least significant bit first. */
  final int[] codes;

  private final int maxBits;
  private final long[] nodes;
  private final long[] internal;
  private final int[] parent;
  private final int[] depth;
  private final int[] perLength = new int[16];

  HuffmanCode(int symbols, int maxBits) {
    this.maxBits = maxBits;
    lengths = new byte[symbols];
    codes = new int[symbols];
    nodes = new long[symbols];
    internal = new long[symbols];
    parent = new int[2 * symbols];
    depth = new int[2 * symbols];
  }

  static HuffmanCode fixed(byte[] lengths) {
    HuffmanCode h = new HuffmanCode(lengths.length, 15);
    System.arraycopy(lengths, 0, h.lengths, 0, lengths.length);
    h.assignCodes(lengths.length);
    return h;
  }

  /** How many symbols to transmit: up to the last with a code, at least {@code minimum}. */
  int used(int minimum) {
    int n = lengths.length;
    while (n > minimum && lengths[n - 1] == 0) {
      n--;
    }
    return n;
  }

  /** Builds code lengths for {@code freq[0, n)}; every code is complete (two symbols at least). */
  void build(int[] freq, int n) {
    Arrays.fill(lengths, (byte) 0);
    int leaves = sortedLeaves(freq, n);
    buildTree(leaves);
    Arrays.fill(perLength, 0);
    for (int leaf = 0; leaf < leaves; leaf++) {
      perLength[Math.min(depth[leaf], maxBits)]++;
    }
    limitLengths();
    // Longest codes to the rarest symbols: the leaves are sorted by rising weight.
    int leaf = 0;
    for (int length = maxBits; length >= 1; length--) {
      for (int k = 0; k < perLength[length]; k++) {
        lengths[(int) nodes[leaf++]] = (byte) length;
      }
    }
    assignCodes(n);
  }

  /**
   * The used symbols into {@link #nodes} as weight and symbol, sorted by rising weight; a code
   * needs two symbols to be complete, so unused ones pad it to two.
   */
  private int sortedLeaves(int[] freq, int n) {
    int leaves = 0;
    for (int s = 0; s < n; s++) {
      if (freq[s] > 0) {
        nodes[leaves++] = (long) freq[s] << 32 | s;
      }
    }
    for (int s = 0; s < n && leaves < 2; s++) {
      if (leaves == 0 || (int) nodes[0] != s) {
        nodes[leaves++] = 1L << 32 | s;
      }
    }
    Arrays.sort(nodes, 0, leaves);
    return leaves;
  }

  private int leafNext;
  private int internalNext;
  private int internalCount;
  private long taken;

  /**
   * Huffman's merging with two queues -- the sorted leaves, and the internal nodes, which are made
   * in order of weight -- then every leaf's depth, parents being numbered after children.
   */
  private void buildTree(int leaves) {
    leafNext = 0;
    internalNext = 0;
    internalCount = 0;
    for (int k = 0; k < leaves - 1; k++) {
      int a = takeLightest(leaves);
      long weight = taken;
      int b = takeLightest(leaves);
      weight += taken;
      parent[a] = leaves + internalCount;
      parent[b] = leaves + internalCount;
      internal[internalCount++] = weight;
    }
    int root = leaves + internalCount - 1;
    depth[root] = 0;
    for (int node = root - 1; node >= 0; node--) {
      depth[node] = depth[parent[node]] + 1;
    }
  }

  /** The lighter head of the two queues (a leaf on a tie); its weight in {@link #taken}. */
  private int takeLightest(int leaves) {
    if (leafNext < leaves
        && (internalNext >= internalCount || (nodes[leafNext] >>> 32) <= internal[internalNext])) {
      taken = nodes[leafNext] >>> 32;
      return leafNext++;
    }
    taken = internal[internalNext];
    return leaves + internalNext++;
  }

  /** Moves codes between lengths until the Kraft sum is exactly one at most maxBits. */
  private void limitLengths() {
    long one = 1L << maxBits;
    long kraft = 0;
    for (int length = 1; length <= maxBits; length++) {
      kraft += (long) perLength[length] << (maxBits - length);
    }
    while (kraft > one) {
      int length = maxBits - 1;
      while (perLength[length] == 0) {
        length--;
      }
      perLength[length]--;
      perLength[length + 1]++;
      kraft -= 1L << (maxBits - length - 1);
    }
    while (kraft < one) {
      int length = maxBits;
      while (perLength[length] == 0 || (1L << (maxBits - length)) > one - kraft) {
        length--;
      }
      perLength[length]--;
      perLength[length - 1]++;
      kraft += 1L << (maxBits - length);
    }
  }

  private void assignCodes(int n) {
    int[] next = new int[17];
    int[] count = new int[17];
    for (int s = 0; s < n; s++) {
      count[lengths[s]]++;
    }
    count[0] = 0;
    int code = 0;
    for (int length = 1; length <= 16; length++) {
      code = (code + count[length - 1]) << 1;
      next[length] = code;
    }
    for (int s = 0; s < n; s++) {
      int length = lengths[s];
      if (length != 0) {
        codes[s] = Integer.reverse(next[length]++) >>> (32 - length);
      }
    }
  }
}
