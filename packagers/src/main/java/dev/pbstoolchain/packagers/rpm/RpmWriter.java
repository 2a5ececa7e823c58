package dev.pbstoolchain.packagers.rpm;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.io.ArchiveSink;
import dev.pbstoolchain.packagers.io.AtomicOutput;
import dev.pbstoolchain.packagers.io.Compression;
import dev.pbstoolchain.packagers.io.DeflatedBodies;
import dev.pbstoolchain.packagers.io.SplicingGzipSink;
import dev.pbstoolchain.packagers.io.StreamingSink;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.PackageVersion;
import dev.pbstoolchain.packagers.tar.TarGzWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * Writes a binary {@code .rpm} without rpmbuild: lead, signature header (header SHA-1/SHA-256,
 * sizes), main header (metadata, file list with SHA-256 digests, dependencies, payload digests over
 * the compressed and the uncompressed payload) and a cpio payload. As with rpmbuild, a payload of 4
 * GiB or more has its total sizes in the 64-bit tags (LONGSIZE, LONGARCHIVESIZE) and stays a plain
 * "newc" cpio archive while every file is below 4 GiB; a file of 4 GiB or more switches the package
 * to rpm's large-file form: per-file sizes in LONGFILESIZES, {@code rpmlib(LargeFiles)}, and a
 * payload whose entries carry only their index in the header's file list. Only the package's own
 * directories are listed, so it does not claim {@code /usr/bin} or {@code /usr/lib}.
 */
public final class RpmWriter {

  // rpm's bound: sizes below it go in the 32-bit tags.
  private static final long UINT32_MAX = 0xffffffffL;
  private static final int LEAD = 96;
  private static final byte[] NEWC_MAGIC = "070701".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STRIPPED_MAGIC = "07070X".getBytes(StandardCharsets.US_ASCII);
  // 4 KiB of reserved space like rpmbuild's, plus the largest sizes and digests; a multiple of 8,
  // so the main header needs no padding before it.
  private static final int SIGNATURE_SPACE = 4096 + 256;
  private static final String ZERO_DIGEST = "0".repeat(64);
  private static final int SENSE_LESS = 2;
  private static final int SENSE_EQUAL = 8;
  private static final int SENSE_RPMLIB = 1 << 24;
  private static final int SENSE_INTERP = 1 << 8;
  // RPMFILE_* flags.
  private static final int CONFIG = 1;
  private static final int DOC = 2;
  private static final int NOREPLACE = 16;
  private static final int LICENSE = 128;
  private static final Map<String, int[]> SCRIPT_TAGS =
      Map.of(
          "preinst", new int[] {1023, 1085, 1 << 9},
          "postinst", new int[] {1024, 1086, 1 << 10},
          "prerm", new int[] {1025, 1087, 1 << 11},
          "postrm", new int[] {1026, 1088, 1 << 12});

  private RpmWriter() {}

  /**
   * Writes the package.
   *
   * @param ownedDirectories directories (and everything below) that belong to the package, e.g.
   *     {@code usr/lib/APP}; other directories of the layout are assumed to exist already
   */
  public static void write(
      Layout layout,
      PackageInfo info,
      Compression compression,
      Set<String> ownedDirectories,
      Path output)
      throws PackagingException {
    write(layout, info, compression, ownedDirectories, output, null);
  }

  /**
   * Writes the rpm; with gzip, file contents are spliced from {@code shared} when given (several
   * formats of one release deflate each file once).
   */
  public static void write(
      Layout layout,
      PackageInfo info,
      Compression compression,
      Set<String> ownedDirectories,
      Path output,
      DeflatedBodies shared)
      throws PackagingException {
    PackageVersion version = PackageVersion.from(info.version());
    List<Entry> files = new ArrayList<>();
    for (Entry e : layout.entries()) {
      if (!e.isDirectory() || owned(e.path(), ownedDirectories)) {
        files.add(e);
      }
    }
    // The headers need the payload's digests, and they precede it: write same-sized stand-ins,
    // then the payload, then overwrite the stand-ins in place (as rpmbuild does).
    List<String> standInDigests = new ArrayList<>();
    for (Entry e : files) {
      standInDigests.add(e.isFile() ? ZERO_DIGEST : "");
    }
    byte[] standInHeader =
        mainHeader(files, standInDigests, info, version, compression, ZERO_DIGEST, ZERO_DIGEST);
    long headerAt = LEAD + SIGNATURE_SPACE;
    long payloadAt = headerAt + standInHeader.length;
    AtomicOutput.writeChannel(
        output,
        channel -> {
          MessageDigest compressedDigest = sha256();
          MessageDigest plainDigest = sha256();
          channel.position(payloadAt);
          OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
          DigestOutputStream compressedOut = new DigestOutputStream(file, compressedDigest);
          Payload written =
              writePayload(
                  layout,
                  files,
                  info.epochSeconds(),
                  compression,
                  compressedOut,
                  plainDigest,
                  output,
                  shared);
          compressedOut.flush();
          long payloadSize = channel.position() - payloadAt;
          byte[] header =
              mainHeader(
                  files,
                  written.fileDigests(),
                  info,
                  version,
                  compression,
                  HexFormat.of().formatHex(compressedDigest.digest()),
                  HexFormat.of().formatHex(plainDigest.digest()));
          if (header.length != standInHeader.length) {
            throw new IllegalStateException("the rpm header changed size once digests were in");
          }
          ByteBuffer front = ByteBuffer.allocate((int) payloadAt);
          front.put(lead(info, version));
          front.put(signature(header, payloadSize, written.plainSize()));
          front.put(header);
          front.flip();
          long position = 0;
          while (front.hasRemaining()) {
            position += channel.write(front, position);
          }
        });
  }

  static boolean owned(String path, Set<String> roots) {
    for (String root : roots) {
      if (path.equals(root) || path.startsWith(root + "/")) {
        return true;
      }
    }
    return false;
  }

  /** The cpio payload's file digests (in file order) and uncompressed length. */
  private record Payload(List<String> fileDigests, long plainSize) {}

  private static Payload writePayload(
      Layout layout,
      List<Entry> files,
      long epoch,
      Compression compression,
      OutputStream out,
      MessageDigest plainDigest,
      Path output,
      DeflatedBodies shared)
      throws IOException, PackagingException {
    List<String> digests = new ArrayList<>();
    long[] plainSize = new long[1];
    if (compression == Compression.GZIP) {
      DeflatedBodies.with(
          shared,
          layout,
          output,
          Set.of(DeflatedBodies.Digest.SHA256),
          bodies -> {
            SplicingGzipSink sink =
                new SplicingGzipSink(out, bodies, TarGzWriter.LEVEL, plainDigest);
            digests.addAll(writeCpio(files, epoch, sink));
            sink.finish();
            plainSize[0] = sink.count();
          });
    } else {
      // Closing the compressor finishes its stream; the shield keeps the rpm file open for the
      // headers that are written in front of the payload afterwards.
      OutputStream compressor = compression.wrap(CloseShieldOutputStream.wrap(out));
      StreamingSink sink = new StreamingSink(new DigestOutputStream(compressor, plainDigest));
      digests.addAll(writeCpio(files, epoch, sink));
      sink.finish();
      compressor.close();
      plainSize[0] = sink.count();
    }
    return new Payload(digests, plainSize[0]);
  }

  /** Whether a file needs rpm's large-file form (its size does not fit the 32-bit tags or cpio). */
  private static boolean hasLargeFiles(List<Entry> files) {
    return files.stream().anyMatch(e -> e.isFile() && e.size() >= UINT32_MAX);
  }

  /**
   * The cpio payload as rpm reads it, in header file order; returns each entry's SHA-256 ("" for
   * non-files). Entries have "newc" headers, or with large files rpm's stripped ones: magic {@code
   * 07070X} and the entry's index in the header, everything else being in the header already.
   */
  private static List<String> writeCpio(List<Entry> files, long epoch, ArchiveSink sink)
      throws IOException {
    List<String> digests = new ArrayList<>();
    boolean stripped = hasLargeFiles(files);
    for (int index = 0; index < files.size(); index++) {
      Entry e = files.get(index);
      byte[] link = e.isSymlink() ? e.linkTarget().getBytes(StandardCharsets.UTF_8) : new byte[0];
      long size = e.isFile() ? e.size() : link.length;
      sink.raw(
          stripped
              ? strippedHeader(index)
              : newcHeader(
                  "./" + e.path(),
                  index + 1,
                  typeBits(e) | e.mode(),
                  e.isDirectory() ? 2 : 1,
                  epoch,
                  size));
      if (e.isFile()) {
        digests.add(HexFormat.of().formatHex(sink.content(e).sha256()));
      } else {
        sink.raw(link);
        digests.add("");
      }
      sink.raw(new byte[(int) ((4 - size % 4) % 4)]);
    }
    sink.raw(newcHeader("TRAILER!!!", 0, 0, 1, 0, 0));
    int tail = (int) (sink.count() % 512);
    if (tail != 0) {
      sink.raw(new byte[512 - tail]);
    }
    return digests;
  }

  /** rpm's stripped header: the magic, the file's index as eight hex digits, padding to four. */
  private static byte[] strippedHeader(int index) {
    byte[] header = new byte[16];
    System.arraycopy(STRIPPED_MAGIC, 0, header, 0, STRIPPED_MAGIC.length);
    hex8(header, STRIPPED_MAGIC.length, index);
    return header;
  }

  /** The 110-byte header, the NUL-terminated name, and padding to four bytes. */
  private static byte[] newcHeader(
      String name, long inode, long mode, long links, long mtime, long size) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    int length = 110 + nameBytes.length + 1;
    byte[] header = new byte[length + (4 - length % 4) % 4];
    System.arraycopy(NEWC_MAGIC, 0, header, 0, NEWC_MAGIC.length);
    long[] fields = {inode, mode, 0, 0, links, mtime, size, 0, 0, 0, 0, nameBytes.length + 1, 0};
    for (int f = 0; f < fields.length; f++) {
      hex8(header, NEWC_MAGIC.length + 8 * f, fields[f]);
    }
    System.arraycopy(nameBytes, 0, header, 110, nameBytes.length);
    return header;
  }

  /**
   * Eight lower-case hex digits at {@code at}, written directly: String.format per field was a
   * visible cost over thousands of entries.
   */
  private static void hex8(byte[] out, int at, long value) {
    long rest = value;
    for (int digit = 7; digit >= 0; digit--) {
      out[at + digit] = (byte) Character.forDigit((int) (rest & 0xf), 16);
      rest >>>= 4;
    }
  }

  /** %doc for files under /usr/share/doc, and %license too for the copyright and licence files. */
  private static int documentation(Entry e) {
    if (!e.isFile() || !e.path().startsWith("usr/share/doc/")) {
      return 0;
    }
    String name = e.name().toLowerCase(java.util.Locale.ROOT);
    return name.equals("copyright") || name.startsWith("license") || name.startsWith("copying")
        ? DOC | LICENSE
        : DOC;
  }

  private static int typeBits(Entry e) {
    return switch (e.kind()) {
      case DIRECTORY -> 040000;
      case SYMLINK -> 0120000;
      default -> 0100000;
    };
  }

  private static byte[] mainHeader(
      List<Entry> files,
      List<String> fileDigests,
      PackageInfo info,
      PackageVersion version,
      Compression compression,
      String payloadDigest,
      String payloadDigestAlt) {
    RpmHeader h = new RpmHeader(63);
    h.strings(100, List.of("C"));
    h.string(1000, info.name());
    h.string(1001, version.rpm());
    h.string(1002, version.release());
    h.i18n(1004, info.summary());
    h.i18n(1005, info.description().isBlank() ? info.summary() : info.description().strip());
    h.int32(1006, info.epochSeconds());
    h.string(1007, "localhost");
    long total = files.stream().filter(Entry::isFile).mapToLong(Entry::size).sum();
    if (total >= UINT32_MAX) {
      h.int64(5009, total);
    } else {
      h.int32(1009, total);
    }
    if (!info.vendor().isBlank()) {
      h.string(1011, info.vendor());
    }
    h.string(1014, info.license().isBlank() ? "Proprietary" : info.license());
    h.string(1015, info.maintainer());
    h.i18n(1016, info.group());
    if (!info.homepage().isBlank()) {
      h.string(1020, info.homepage());
    }
    h.string(1021, "linux");
    h.string(1022, info.rpmArch());
    Map<String, Integer> requires = new LinkedHashMap<>();
    Map<String, String> requireVersions = new LinkedHashMap<>();
    for (String script : List.of("preinst", "postinst", "prerm", "postrm")) {
      String body = info.scripts().get(script);
      if (body != null) {
        int[] tags = SCRIPT_TAGS.get(script);
        h.string(tags[0], body);
        h.string(tags[1], "/bin/sh");
        requires.merge("/bin/sh", SENSE_INTERP | tags[2], (a, b) -> a | b);
        requireVersions.put("/bin/sh", "");
      }
    }
    int n = files.size();
    long[] sizes = new long[n];
    int[] modes = new int[n];
    int[] rdevs = new int[n];
    long[] mtimes = new long[n];
    long[] flags = new long[n];
    long[] verify = new long[n];
    long[] devices = new long[n];
    long[] inodes = new long[n];
    long[] colors = new long[n];
    List<String> links = new ArrayList<>();
    List<String> users = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String> langs = new ArrayList<>();
    List<String> dirNames = new ArrayList<>();
    List<String> baseNames = new ArrayList<>();
    long[] dirIndexes = new long[n];
    for (int i = 0; i < n; i++) {
      Entry e = files.get(i);
      sizes[i] =
          e.isFile()
              ? e.size()
              : e.isDirectory() ? 4096 : e.linkTarget().getBytes(StandardCharsets.UTF_8).length;
      modes[i] = typeBits(e) | e.mode();
      mtimes[i] = info.epochSeconds();
      flags[i] = (e.config() ? CONFIG | NOREPLACE : 0) | documentation(e);
      verify[i] = 0xffffffffL;
      devices[i] = 1;
      inodes[i] = i + 1;
      links.add(e.isSymlink() ? e.linkTarget() : "");
      users.add(e.owner());
      groups.add(e.group());
      langs.add("");
      String dirName = "/" + (e.parent().isEmpty() ? "" : e.parent() + "/");
      int index = dirNames.indexOf(dirName);
      if (index < 0) {
        index = dirNames.size();
        dirNames.add(dirName);
      }
      dirIndexes[i] = index;
      baseNames.add(e.name());
    }
    boolean largeFiles = hasLargeFiles(files);
    if (largeFiles) {
      h.int64(5008, sizes);
    } else {
      h.int32(1028, sizes);
    }
    h.int16(1030, modes);
    h.int16(1033, rdevs);
    h.int32(1034, mtimes);
    h.strings(1035, fileDigests);
    h.strings(1036, links);
    h.int32(1037, flags);
    h.strings(1039, users);
    h.strings(1040, groups);
    h.string(1044, info.name() + "-" + version.rpm() + "-" + version.release() + ".src.rpm");
    h.int32(1045, verify);
    // One changelog entry, as rpmbuild writes from %changelog; rpmlint wants it.
    h.int32(1080, new long[] {info.epochSeconds()});
    h.strings(1081, List.of(info.maintainer() + " - " + version.rpm() + "-" + version.release()));
    h.strings(1082, List.of("- Release " + info.version() + "."));
    h.int32(1095, devices);
    h.int32(1096, inodes);
    h.strings(1097, langs);
    h.int32(1116, dirIndexes);
    h.strings(1117, baseNames);
    h.strings(1118, dirNames);
    h.int32(1140, colors);
    h.int32(5011, 8);

    String evr = version.rpm() + "-" + version.release();
    List<String> provideNames = new ArrayList<>(List.of(info.name()));
    List<String> provideVersions = new ArrayList<>(List.of(evr));
    List<Long> provideFlags = new ArrayList<>(List.of((long) SENSE_EQUAL));
    for (String p : info.provides()) {
      provideNames.add(p);
      provideVersions.add("");
      provideFlags.add(0L);
    }
    h.strings(1047, provideNames);
    h.strings(1113, provideVersions);
    h.int32(1112, provideFlags.stream().mapToLong(Long::longValue).toArray());

    for (String r : info.requires()) {
      requires.putIfAbsent(r, 0);
      requireVersions.putIfAbsent(r, "");
    }
    rpmlib(requires, requireVersions, "rpmlib(CompressedFileNames)", "3.0.4-1");
    rpmlib(requires, requireVersions, "rpmlib(FileDigests)", "4.6.0-1");
    rpmlib(requires, requireVersions, "rpmlib(PayloadFilesHavePrefix)", "4.0-1");
    if (version.rpm().contains("~")) {
      rpmlib(requires, requireVersions, "rpmlib(TildeInVersions)", "4.10.0-1");
    }
    if (largeFiles) {
      rpmlib(requires, requireVersions, "rpmlib(LargeFiles)", "4.12.0-1");
    }
    if (compression == Compression.ZSTD) {
      rpmlib(requires, requireVersions, "rpmlib(PayloadIsZstd)", "5.4.18-1");
    } else if (compression == Compression.XZ) {
      rpmlib(requires, requireVersions, "rpmlib(PayloadIsXz)", "5.2-1");
    }
    h.strings(1049, List.copyOf(requires.keySet()));
    h.int32(1048, requires.values().stream().mapToLong(Integer::longValue).toArray());
    h.strings(1050, requires.keySet().stream().map(requireVersions::get).toList());
    relation(h, 1054, 1053, 1055, info.conflicts());
    relation(h, 5046, 5048, 5047, info.recommends());

    h.string(1064, "4.18.0");
    h.string(1124, "cpio");
    h.string(1125, compression.rpmName());
    h.string(
        1126, compression == Compression.ZSTD ? "19" : compression == Compression.XZ ? "6" : "9");
    h.string(1132, info.rpmArch() + "-pc-linux");
    h.strings(5092, List.of(payloadDigest));
    h.int32(5093, 8);
    h.strings(5097, List.of(payloadDigestAlt));
    h.string(5062, "utf-8");
    return h.toBytes();
  }

  private static void relation(
      RpmHeader h, int nameTag, int flagTag, int versionTag, List<String> list) {
    if (list.isEmpty()) {
      return;
    }
    h.strings(nameTag, list);
    h.int32(flagTag, new long[list.size()]);
    h.strings(versionTag, list.stream().map(x -> "").toList());
  }

  private static void rpmlib(
      Map<String, Integer> requires, Map<String, String> versions, String name, String version) {
    requires.put(name, SENSE_RPMLIB | SENSE_LESS | SENSE_EQUAL);
    versions.put(name, version);
  }

  /**
   * The signature header, always {@link #SIGNATURE_SPACE} bytes: what the sizes and digests do not
   * fill is RPMSIGTAG_RESERVEDSPACE, the room rpmbuild also leaves so that {@code rpmsign} can add
   * a signature in place. It keeps the payload's offset fixed whichever size tags are needed.
   */
  private static byte[] signature(byte[] header, long payloadSize, long plainSize) {
    int bare = signature(header, payloadSize, plainSize, -1).length;
    byte[] sig = signature(header, payloadSize, plainSize, SIGNATURE_SPACE - bare - 16);
    if (sig.length != SIGNATURE_SPACE) {
      throw new IllegalStateException("the rpm signature header is " + sig.length + " bytes");
    }
    return sig;
  }

  private static byte[] signature(
      byte[] header, long payloadSize, long plainSize, int reservedSpace) {
    RpmHeader sig = new RpmHeader(62);
    long total = header.length + payloadSize;
    if (total >= UINT32_MAX || plainSize >= UINT32_MAX) {
      sig.int64(270, total);
      sig.int64(271, plainSize);
    } else {
      sig.int32(1000, total);
      sig.int32(1007, plainSize);
    }
    sig.string(269, HexFormat.of().formatHex(digest("SHA-1", header)));
    sig.string(273, HexFormat.of().formatHex(digest("SHA-256", header)));
    if (reservedSpace >= 0) {
      sig.binary(1008, new byte[reservedSpace]);
    }
    return sig.toBytes();
  }

  private static byte[] lead(PackageInfo info, PackageVersion version) {
    ByteBuffer lead = ByteBuffer.allocate(96);
    lead.put(new byte[] {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb, 3, 0});
    lead.putShort((short) 0);
    lead.putShort((short) 1);
    byte[] name =
        (info.name() + "-" + version.rpm() + "-" + version.release())
            .getBytes(StandardCharsets.UTF_8);
    lead.put(name, 0, Math.min(name.length, 65));
    lead.position(76);
    lead.putShort((short) 1);
    lead.putShort((short) 5);
    return lead.array();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
