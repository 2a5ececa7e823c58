package dev.pbstoolchain.binarypatcher.macho;

import dev.pbstoolchain.binarypatcher.io.PositionalRead;
import dev.pbstoolchain.binarypatcher.io.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded code signature: a SuperBlob holding a CodeDirectory (SHA-256 hashes of every 4 KiB
 * page of the image up to the signature), an empty Requirements blob, and any entitlements the old
 * signature carried. What {@code codesign -s -} writes; all fields big-endian.
 */
public final class CodeSignature {

  static final int SUPERBLOB = 0xfade0cc0;
  static final int CODE_DIRECTORY = 0xfade0c02;
  static final int REQUIREMENTS = 0xfade0c01;
  static final int ENTITLEMENTS = 0xfade7171;
  static final int DER_ENTITLEMENTS = 0xfade7172;
  static final int BLOB_WRAPPER = 0xfade0b01;
  static final int SLOT_CODE_DIRECTORY = 0;
  static final int SLOT_REQUIREMENTS = 2;
  static final int SLOT_ENTITLEMENTS = 5;
  static final int SLOT_DER_ENTITLEMENTS = 7;
  static final int SLOT_SIGNATURE = 0x10000;
  static final int CS_ADHOC = 0x2;
  static final int CS_LINKER_SIGNED = 0x20000;
  static final int PAGE = 4096;
  static final int HASH = 32;
  static final byte[] EMPTY_REQUIREMENTS = {
    (byte) 0xfa, (byte) 0xde, 0x0c, 0x01, 0, 0, 0, 12, 0, 0, 0, 0
  };

  /** What an existing signature says, read from its SuperBlob. */
  public record Parsed(
      String identifier,
      int flags,
      long codeLimit,
      Map<Integer, byte[]> blobs,
      byte[] codeDirectory,
      boolean hasIdentity) {

    public boolean isAdhoc() {
      return (flags & CS_ADHOC) != 0 && !hasIdentity;
    }
  }

  private CodeSignature() {}

  /**
   * A signature that cannot be read; {@link #zeroFilled} when it is a linker's zero placeholder.
   */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean zeroFilled;

    Malformed(String message, boolean zeroFilled) {
      super(message);
      this.zeroFilled = zeroFilled;
    }

    boolean zeroFilled() {
      return zeroFilled;
    }
  }

  /** CodeDirectory fields up to and including codeLimit (the version 0x20100 header). */
  private static final int CODE_DIRECTORY_MIN = 44;

  /**
   * Reads the SuperBlob at {@code dataoff} (relative to the image at {@code imageBase}) of {@code
   * datasize} bytes, checking each offset and length against the image before using it.
   */
  static Parsed parse(
      FileChannel channel, long imageBase, long imageSize, long dataoff, long datasize)
      throws IOException, Malformed {
    if (dataoff < 0 || datasize < 12 || dataoff > imageSize || datasize > imageSize - dataoff) {
      throw new Malformed(
          "the code signature (dataoff "
              + dataoff
              + ", datasize "
              + datasize
              + ") lies outside the image ("
              + imageSize
              + " bytes)",
          false);
    }
    ByteBuffer b = ByteBuffer.allocate((int) datasize);
    PositionalRead.readFully(channel, b, imageBase + dataoff);
    if (b.getInt(0) != SUPERBLOB) {
      boolean zeros = true;
      for (int i = 0; i < b.limit() && zeros; i++) {
        zeros = b.get(i) == 0;
      }
      throw new Malformed(
          "the code signature does not start with a SuperBlob (0xfade0cc0)"
              + (zeros ? ": it is all zeros" : ""),
          zeros);
    }
    long count = Integer.toUnsignedLong(b.getInt(8));
    if (12 + 8 * count > datasize) {
      throw new Malformed(
          "the code signature's SuperBlob lists " + count + " blobs, more than fit in it", false);
    }
    Map<Integer, byte[]> blobs = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int type = b.getInt(12 + 8 * i);
      long at = Integer.toUnsignedLong(b.getInt(16 + 8 * i));
      if (at + 8 > datasize) {
        throw new Malformed("code signature blob " + i + " lies outside the signature", false);
      }
      long length = Integer.toUnsignedLong(b.getInt((int) at + 4));
      if (length < 8 || at + length > datasize) {
        throw new Malformed("code signature blob " + i + " has a bad length " + length, false);
      }
      byte[] blob = new byte[(int) length];
      b.get((int) at, blob);
      blobs.put(type, blob);
    }
    byte[] cd = blobs.get(SLOT_CODE_DIRECTORY);
    if (cd == null
        || cd.length < CODE_DIRECTORY_MIN
        || ByteBuffer.wrap(cd).getInt(0) != CODE_DIRECTORY) {
      throw new Malformed("the code signature has no CodeDirectory", false);
    }
    ByteBuffer c = ByteBuffer.wrap(cd);
    int flags = c.getInt(12);
    long identOffset = Integer.toUnsignedLong(c.getInt(20));
    if (identOffset >= cd.length) {
      throw new Malformed(
          "the CodeDirectory's identifier offset " + identOffset + " lies outside it", false);
    }
    int end = (int) identOffset;
    while (end < cd.length && cd[end] != 0) {
      end++;
    }
    String identifier =
        new String(cd, (int) identOffset, end - (int) identOffset, StandardCharsets.UTF_8);
    byte[] cms = blobs.get(SLOT_SIGNATURE);
    boolean identity = cms != null && cms.length > 8;
    return new Parsed(identifier, flags, Integer.toUnsignedLong(c.getInt(32)), blobs, cd, identity);
  }

  /** The signature's size before hashing, so the header can say it. */
  static int size(String identifier, long codeLimit, List<byte[]> extraBlobs) {
    return superBlobLength(identifier, codeLimit, extraBlobs);
  }

  private static int specialSlots(List<byte[]> extraBlobs) {
    int slots = SLOT_REQUIREMENTS;
    for (byte[] blob : extraBlobs) {
      int magic = ByteBuffer.wrap(blob).getInt(0);
      slots =
          Math.max(slots, magic == DER_ENTITLEMENTS ? SLOT_DER_ENTITLEMENTS : SLOT_ENTITLEMENTS);
    }
    return slots;
  }

  private static int codeDirectoryLength(String identifier, long codeLimit, int special) {
    long pages = (codeLimit + PAGE - 1) / PAGE;
    return 88
        + identifier.getBytes(StandardCharsets.UTF_8).length
        + 1
        + (int) ((special + pages) * HASH);
  }

  private static int superBlobLength(String identifier, long codeLimit, List<byte[]> extra) {
    int count = 2 + extra.size();
    int length =
        12 + 8 * count + codeDirectoryLength(identifier, codeLimit, specialSlots(extra)) + 12;
    for (byte[] blob : extra) {
      length += blob.length;
    }
    return length;
  }

  /**
   * Builds the SuperBlob for the image whose bytes {@code [imageBase, imageBase + codeLimit)} are
   * in {@code channel}.
   */
  static byte[] build(
      FileChannel channel,
      long imageBase,
      long codeLimit,
      String identifier,
      List<byte[]> extraBlobs,
      long execSegBase,
      long execSegLimit,
      boolean mainBinary)
      throws IOException {
    int special = specialSlots(extraBlobs);
    byte[] ident = identifier.getBytes(StandardCharsets.UTF_8);
    int pages = (int) ((codeLimit + PAGE - 1) / PAGE);
    int hashOffset = 88 + ident.length + 1 + special * HASH;
    int cdLength = codeDirectoryLength(identifier, codeLimit, special);
    ByteBuffer cd = ByteBuffer.allocate(cdLength);
    cd.putInt(0, CODE_DIRECTORY)
        .putInt(4, cdLength)
        .putInt(8, 0x20400)
        .putInt(12, CS_ADHOC)
        .putInt(16, hashOffset)
        .putInt(20, 88)
        .putInt(24, special)
        .putInt(28, pages)
        .putInt(32, (int) codeLimit);
    cd.put(36, (byte) HASH).put(37, (byte) 2).put(38, (byte) 0).put(39, (byte) 12);
    // spare2 40, scatterOffset 44, teamOffset 48, spare3 52, codeLimit64 56, execSeg* 64/72/80.
    cd.putLong(56, 0)
        .putLong(64, execSegBase)
        .putLong(72, execSegLimit)
        .putLong(80, mainBinary ? 1 : 0);
    cd.put(88, ident);
    Map<Integer, byte[]> specials = new LinkedHashMap<>();
    specials.put(SLOT_REQUIREMENTS, EMPTY_REQUIREMENTS);
    for (byte[] blob : extraBlobs) {
      int magic = ByteBuffer.wrap(blob).getInt(0);
      specials.put(magic == DER_ENTITLEMENTS ? SLOT_DER_ENTITLEMENTS : SLOT_ENTITLEMENTS, blob);
    }
    MessageDigest sha = Sha256.newDigest();
    for (var e : specials.entrySet()) {
      cd.put(hashOffset - e.getKey() * HASH, sha.digest(e.getValue()));
    }
    byte[][] hashes = pageHashes(channel, imageBase, codeLimit);
    for (int i = 0; i < pages; i++) {
      cd.put(hashOffset + i * HASH, hashes[i]);
    }
    List<byte[]> blobs = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    types.add(SLOT_CODE_DIRECTORY);
    blobs.add(cd.array());
    types.add(SLOT_REQUIREMENTS);
    blobs.add(EMPTY_REQUIREMENTS);
    for (var e : specials.entrySet()) {
      if (e.getKey() != SLOT_REQUIREMENTS) {
        types.add(e.getKey());
        blobs.add(e.getValue());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int headerLength = 12 + 8 * blobs.size();
    int total = headerLength;
    for (byte[] blob : blobs) {
      total += blob.length;
    }
    ByteBuffer header = ByteBuffer.allocate(headerLength);
    header.putInt(SUPERBLOB).putInt(total).putInt(blobs.size());
    int at = headerLength;
    for (int i = 0; i < blobs.size(); i++) {
      header.putInt(types.get(i)).putInt(at);
      at += blobs.get(i).length;
    }
    out.writeBytes(header.array());
    blobs.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** Pages hashed per chunk of reading, chunks spread over the cores (positional reads). */
  private static final int CHUNK_PAGES = 256;

  static byte[][] pageHashes(FileChannel channel, long imageBase, long codeLimit)
      throws IOException {
    int pages = (int) ((codeLimit + PAGE - 1) / PAGE);
    byte[][] hashes = new byte[pages][];
    int chunks = (pages + CHUNK_PAGES - 1) / CHUNK_PAGES;
    try {
      java.util.stream.IntStream.range(0, chunks)
          .parallel()
          .forEach(
              chunk -> {
                MessageDigest sha = Sha256.newDigest();
                long start = (long) chunk * CHUNK_PAGES * PAGE;
                int length = (int) Math.min((long) CHUNK_PAGES * PAGE, codeLimit - start);
                ByteBuffer buffer = ByteBuffer.allocate(length);
                try {
                  PositionalRead.readFully(channel, buffer, imageBase + start);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                for (int at = 0; at < length; at += PAGE) {
                  sha.update(buffer.array(), at, Math.min(PAGE, length - at));
                  hashes[chunk * CHUNK_PAGES + at / PAGE] = sha.digest();
                }
              });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return hashes;
  }

  /** Problems with the signature of the image, empty when it is valid. */
  static List<String> verify(
      FileChannel channel, long imageBase, long imageSize, long dataoff, long datasize)
      throws IOException {
    List<String> problems = new ArrayList<>();
    Parsed parsed;
    try {
      parsed = parse(channel, imageBase, imageSize, dataoff, datasize);
    } catch (Malformed e) {
      problems.add(e.getMessage());
      return problems;
    }
    byte[] cdBytes = parsed.codeDirectory();
    ByteBuffer cd = ByteBuffer.wrap(cdBytes);
    int version = cd.getInt(8);
    long hashOffset = Integer.toUnsignedLong(cd.getInt(16));
    long special = Integer.toUnsignedLong(cd.getInt(24));
    long pages = Integer.toUnsignedLong(cd.getInt(28));
    long codeLimit = Integer.toUnsignedLong(cd.getInt(32));
    int hashSize = cd.get(36);
    int hashType = cd.get(37);
    int pageShift = cd.get(39);
    if (version < 0x20400) {
      problems.add(
          "CodeDirectory version 0x" + Integer.toHexString(version) + " is older than 0x20400");
    }
    if (hashType != 2 || hashSize != HASH || pageShift != 12) {
      problems.add(
          "CodeDirectory is not SHA-256 over 4 KiB pages (type "
              + hashType
              + ", size "
              + hashSize
              + ", page 2^"
              + pageShift
              + ")");
      return problems;
    }
    if (codeLimit != dataoff) {
      problems.add(
          "codeLimit " + codeLimit + " does not end where the signature starts (" + dataoff + ")");
    }
    if (pages != (codeLimit + PAGE - 1) / PAGE) {
      problems.add("nCodeSlots " + pages + " does not cover codeLimit " + codeLimit);
    }
    if (hashOffset < special * HASH || hashOffset + pages * HASH > cdBytes.length) {
      problems.add(
          "the CodeDirectory's hash slots (offset "
              + hashOffset
              + ", "
              + special
              + " special, "
              + pages
              + " pages) lie outside it");
      return problems;
    }
    if (codeLimit > dataoff) {
      // Hashing what the header describes would read past the code into the signature.
      return problems;
    }
    if (parsed.identifier().isEmpty()) {
      problems.add("the identifier is empty");
    }
    MessageDigest sha = Sha256.newDigest();
    byte[] requirements = parsed.blobs().get(SLOT_REQUIREMENTS);
    boolean linkerSigned = (parsed.flags() & CS_LINKER_SIGNED) != 0;
    if (requirements == null && !linkerSigned) {
      problems.add("no Requirements blob (slot 2): validation fails without one");
    } else if (requirements != null
        && special >= SLOT_REQUIREMENTS
        && !java.util.Arrays.equals(
            sha.digest(requirements), slot(cd, (int) hashOffset, -SLOT_REQUIREMENTS))) {
      problems.add("the Requirements hash (special slot -2) does not match the blob");
    }
    byte[] entitlements = parsed.blobs().get(SLOT_ENTITLEMENTS);
    if (entitlements != null
        && (special < SLOT_ENTITLEMENTS
            || !java.util.Arrays.equals(
                sha.digest(entitlements), slot(cd, (int) hashOffset, -SLOT_ENTITLEMENTS)))) {
      problems.add("the entitlements hash (special slot -5) does not match the blob");
    }
    ByteBuffer page = ByteBuffer.allocate(PAGE);
    for (int i = 0; i < pages; i++) {
      page.clear();
      long start = (long) i * PAGE;
      page.limit((int) Math.min(PAGE, codeLimit - start));
      PositionalRead.readFully(channel, page, imageBase + start);
      sha.update(page.array(), 0, page.limit());
      if (!java.util.Arrays.equals(sha.digest(), slot(cd, (int) hashOffset, i))) {
        problems.add(
            "page "
                + i
                + " (bytes "
                + start
                + "..) does not match its hash: the file was modified after signing");
        break;
      }
    }
    return problems;
  }

  private static byte[] slot(ByteBuffer cd, int hashOffset, int index) {
    byte[] hash = new byte[HASH];
    cd.get(hashOffset + index * HASH, hash);
    return hash;
  }
}
