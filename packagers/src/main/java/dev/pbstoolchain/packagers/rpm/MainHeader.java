package dev.pbstoolchain.packagers.rpm;

import dev.pbstoolchain.packagers.layout.Changelog;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.PackageVersion;
import dev.pbstoolchain.packagers.output.Compression;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main header of an rpm, in four parts: what the package is, its files, its dependencies, and
 * how its payload is stored.
 */
final class MainHeader {

  /** Maintainer scripts by deb name, with rpm's script and interpreter tags and sense bit. */
  private record Script(String debName, RpmTag body, RpmTag interpreter, int sense) {}

  private static final List<Script> SCRIPTS =
      List.of(
          new Script("preinst", RpmTag.PREIN, RpmTag.PREINPROG, 1 << 9),
          new Script("postinst", RpmTag.POSTIN, RpmTag.POSTINPROG, 1 << 10),
          new Script("prerm", RpmTag.PREUN, RpmTag.PREUNPROG, 1 << 11),
          new Script("postrm", RpmTag.POSTUN, RpmTag.POSTUNPROG, 1 << 12));

  private static final String SHELL = "/bin/sh";

  // RPMSENSE_* flags of a dependency.
  private static final int SENSE_LESS = 2;
  private static final int SENSE_EQUAL = 8;
  private static final int SENSE_INTERP = 1 << 8;
  private static final int SENSE_RPMLIB = 1 << 24;

  // RPMFILE_* flags.
  private static final int CONFIG = 1;
  private static final int DOC = 2;
  private static final int NOREPLACE = 16;
  private static final int LICENSE = 128;

  /** rpm's PGPHASHALGO_SHA256, for the file and payload digests. */
  private static final int SHA256 = 8;

  /** st_size rpm records for a directory. */
  private static final int DIRECTORY_SIZE = 4096;

  /** rpm's version this header claims to be written by (the features it uses are older). */
  private static final String RPM_VERSION = "4.18.0";

  private MainHeader() {}

  /**
   * The header's bytes.
   *
   * @param files the entries in payload order
   * @param fileDigests their SHA-256s in hex ("" for non-files)
   * @param payloadDigest SHA-256 of the compressed payload, hex
   * @param payloadDigestAlt SHA-256 of the uncompressed payload, hex
   */
  static byte[] of(
      List<Entry> files,
      List<String> fileDigests,
      PackageInfo info,
      PackageVersion version,
      Compression compression,
      String payloadDigest,
      String payloadDigestAlt) {
    RpmHeader<RpmTag> h = RpmHeader.main();
    describe(h, info, version, files);
    files(h, files, fileDigests, info.epochSeconds());
    dependencies(h, info, version, compression, Cpio.hasLargeFiles(files));
    payload(h, info, compression, payloadDigest, payloadDigestAlt);
    return h.toBytes();
  }

  /** What the package is: names, texts, build facts, scripts and one changelog entry. */
  private static void describe(
      RpmHeader<RpmTag> h, PackageInfo info, PackageVersion version, List<Entry> files) {
    h.strings(RpmTag.HEADERI18NTABLE, List.of("C"));
    h.string(RpmTag.NAME, info.name());
    h.string(RpmTag.VERSION, version.rpm());
    h.string(RpmTag.RELEASE, version.release());
    h.i18n(RpmTag.SUMMARY, info.summary());
    // rpm wants a %description: without an extended one, the summary serves.
    h.i18n(
        RpmTag.DESCRIPTION,
        info.description().isBlank() ? info.summary() : String.join("\n", info.descriptionLines()));
    h.int32(RpmTag.BUILDTIME, info.epochSeconds());
    h.string(RpmTag.BUILDHOST, "localhost");
    long total = files.stream().filter(Entry::isFile).mapToLong(Entry::size).sum();
    if (total >= Cpio.UINT32_MAX) {
      h.int64(RpmTag.LONGSIZE, total);
    } else {
      h.int32(RpmTag.SIZE, total);
    }
    if (!info.vendor().isBlank()) {
      h.string(RpmTag.VENDOR, info.vendor());
    }
    h.string(RpmTag.LICENSE, info.license().isBlank() ? "Proprietary" : info.license());
    h.string(RpmTag.PACKAGER, info.maintainer());
    h.i18n(RpmTag.GROUP, info.group());
    if (!info.homepage().isBlank()) {
      h.string(RpmTag.URL, info.homepage());
    }
    h.string(RpmTag.OS, "linux");
    h.string(RpmTag.ARCH, info.rpmArch());
    h.string(RpmTag.SOURCERPM, nevr(info, version) + ".src.rpm");
    h.string(RpmTag.RPMVERSION, RPM_VERSION);
    h.string(RpmTag.PLATFORM, info.rpmArch() + "-pc-linux");
    h.string(RpmTag.ENCODING, "utf-8");
    for (Script script : SCRIPTS) {
      String body = info.scripts().get(script.debName());
      if (body != null) {
        h.string(script.body(), body);
        h.string(script.interpreter(), SHELL);
      }
    }
    changelog(h, info, version);
  }

  /**
   * %changelog: the given entries (newest first, as rpmbuild stores them), each named {@code
   * Maintainer - VERSION} like a {@code * date Maintainer - VERSION} line; else one entry for the
   * release, which rpmlint wants.
   */
  private static void changelog(RpmHeader<RpmTag> h, PackageInfo info, PackageVersion version) {
    List<Changelog.Entry> entries = info.changelog().entries();
    if (entries.isEmpty()) {
      h.int32(RpmTag.CHANGELOGTIME, info.epochSeconds());
      h.strings(
          RpmTag.CHANGELOGNAME,
          List.of(info.maintainer() + " - " + version.rpm() + "-" + version.release()));
      h.strings(RpmTag.CHANGELOGTEXT, List.of("- Release " + info.version() + "."));
      return;
    }
    h.int32(
        RpmTag.CHANGELOGTIME, entries.stream().mapToLong(Changelog.Entry::epochSeconds).toArray());
    h.strings(
        RpmTag.CHANGELOGNAME,
        entries.stream().map(e -> e.maintainer() + " - " + e.version()).toList());
    h.strings(RpmTag.CHANGELOGTEXT, entries.stream().map(Changelog::rpmText).toList());
  }

  /** The file list: one value per entry in every file tag. */
  private static void files(
      RpmHeader<RpmTag> h, List<Entry> files, List<String> fileDigests, long epoch) {
    int n = files.size();
    long[] sizes = new long[n];
    int[] modes = new int[n];
    long[] mtimes = new long[n];
    long[] flags = new long[n];
    long[] verify = new long[n];
    long[] devices = new long[n];
    long[] inodes = new long[n];
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
              : e.isDirectory()
                  ? DIRECTORY_SIZE
                  : e.linkTarget().getBytes(StandardCharsets.UTF_8).length;
      modes[i] = Cpio.typeBits(e) | e.mode();
      mtimes[i] = epoch;
      flags[i] = (e.config() ? CONFIG | NOREPLACE : 0) | documentation(e);
      verify[i] = Cpio.UINT32_MAX; // RPMVERIFY_ALL
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
    if (Cpio.hasLargeFiles(files)) {
      h.int64(RpmTag.LONGFILESIZES, sizes);
    } else {
      h.int32(RpmTag.FILESIZES, sizes);
    }
    h.int16(RpmTag.FILEMODES, modes);
    h.int16(RpmTag.FILERDEVS, new int[n]);
    h.int32(RpmTag.FILEMTIMES, mtimes);
    h.strings(RpmTag.FILEDIGESTS, fileDigests);
    h.strings(RpmTag.FILELINKTOS, links);
    h.int32(RpmTag.FILEFLAGS, flags);
    h.strings(RpmTag.FILEUSERNAME, users);
    h.strings(RpmTag.FILEGROUPNAME, groups);
    h.int32(RpmTag.FILEVERIFYFLAGS, verify);
    h.int32(RpmTag.FILEDEVICES, devices);
    h.int32(RpmTag.FILEINODES, inodes);
    h.strings(RpmTag.FILELANGS, langs);
    h.int32(RpmTag.DIRINDEXES, dirIndexes);
    h.strings(RpmTag.BASENAMES, baseNames);
    h.strings(RpmTag.DIRNAMES, dirNames);
    h.int32(RpmTag.FILECOLORS, new long[n]);
    h.int32(RpmTag.FILEDIGESTALGO, SHA256);
  }

  /**
   * Provides (the package itself and the declared names), requires (the scripts' shell, the
   * declared ones, then the rpmlib() features the package uses), conflicts and recommends.
   */
  private static void dependencies(
      RpmHeader<RpmTag> h,
      PackageInfo info,
      PackageVersion version,
      Compression compression,
      boolean largeFiles) {
    List<String> provideNames = new ArrayList<>(List.of(info.name()));
    List<String> provideVersions =
        new ArrayList<>(List.of(version.rpm() + "-" + version.release()));
    List<Long> provideFlags = new ArrayList<>(List.of((long) SENSE_EQUAL));
    for (String p : info.provides()) {
      provideNames.add(p);
      provideVersions.add("");
      provideFlags.add(0L);
    }
    h.strings(RpmTag.PROVIDENAME, provideNames);
    h.strings(RpmTag.PROVIDEVERSION, provideVersions);
    h.int32(RpmTag.PROVIDEFLAGS, provideFlags.stream().mapToLong(Long::longValue).toArray());

    Map<String, Integer> requires = new LinkedHashMap<>();
    Map<String, String> requireVersions = new LinkedHashMap<>();
    for (Script script : SCRIPTS) {
      if (info.scripts().containsKey(script.debName())) {
        requires.merge(SHELL, SENSE_INTERP | script.sense(), (a, b) -> a | b);
        requireVersions.put(SHELL, "");
      }
    }
    for (String r : info.requires()) {
      requires.putIfAbsent(r, 0);
      requireVersions.putIfAbsent(r, "");
    }
    rpmlib(requires, requireVersions, "CompressedFileNames", "3.0.4-1");
    rpmlib(requires, requireVersions, "FileDigests", "4.6.0-1");
    rpmlib(requires, requireVersions, "PayloadFilesHavePrefix", "4.0-1");
    if (version.rpm().contains("~")) {
      rpmlib(requires, requireVersions, "TildeInVersions", "4.10.0-1");
    }
    if (largeFiles) {
      rpmlib(requires, requireVersions, "LargeFiles", "4.12.0-1");
    }
    switch (compression) {
      case ZSTD -> rpmlib(requires, requireVersions, "PayloadIsZstd", "5.4.18-1");
      case XZ -> rpmlib(requires, requireVersions, "PayloadIsXz", "5.2-1");
      case GZIP -> {}
    }
    h.strings(RpmTag.REQUIRENAME, List.copyOf(requires.keySet()));
    h.int32(
        RpmTag.REQUIREFLAGS, requires.values().stream().mapToLong(Integer::longValue).toArray());
    h.strings(RpmTag.REQUIREVERSION, requires.keySet().stream().map(requireVersions::get).toList());
    relation(
        h, RpmTag.CONFLICTNAME, RpmTag.CONFLICTFLAGS, RpmTag.CONFLICTVERSION, info.conflicts());
    relation(
        h, RpmTag.RECOMMENDNAME, RpmTag.RECOMMENDFLAGS, RpmTag.RECOMMENDVERSION, info.recommends());
  }

  /** How the payload is stored, and its digests. */
  private static void payload(
      RpmHeader<RpmTag> h,
      PackageInfo info,
      Compression compression,
      String payloadDigest,
      String payloadDigestAlt) {
    h.string(RpmTag.PAYLOADFORMAT, "cpio");
    h.string(RpmTag.PAYLOADCOMPRESSOR, compression.rpmName());
    h.string(RpmTag.PAYLOADFLAGS, payloadFlags(compression));
    h.strings(RpmTag.PAYLOADDIGEST, List.of(payloadDigest));
    h.int32(RpmTag.PAYLOADDIGESTALGO, SHA256);
    h.strings(RpmTag.PAYLOADDIGESTALT, List.of(payloadDigestAlt));
  }

  /** The compressor's level as rpm records it ("9" for gzip, as rpmbuild's default says). */
  private static String payloadFlags(Compression compression) {
    return switch (compression) {
      case ZSTD -> "19";
      case XZ -> "6";
      case GZIP -> "9";
    };
  }

  static String nevr(PackageInfo info, PackageVersion version) {
    return info.name() + "-" + version.rpm() + "-" + version.release();
  }

  /** Names with no version or flags: conflicts and recommends. */
  private static void relation(
      RpmHeader<RpmTag> h, RpmTag names, RpmTag flags, RpmTag versions, List<String> list) {
    if (list.isEmpty()) {
      return;
    }
    h.strings(names, list);
    h.int32(flags, new long[list.size()]);
    h.strings(versions, list.stream().map(x -> "").toList());
  }

  private static void rpmlib(
      Map<String, Integer> requires, Map<String, String> versions, String feature, String since) {
    String name = "rpmlib(" + feature + ")";
    requires.put(name, SENSE_RPMLIB | SENSE_LESS | SENSE_EQUAL);
    versions.put(name, since);
  }

  /** %doc for files under /usr/share/doc, and %license too for the copyright and licence files. */
  private static int documentation(Entry e) {
    if (!e.isFile() || !e.path().startsWith("usr/share/doc/")) {
      return 0;
    }
    String name = e.name().toLowerCase(Locale.ROOT);
    return name.equals("copyright") || name.startsWith("license") || name.startsWith("copying")
        ? DOC | LICENSE
        : DOC;
  }
}
