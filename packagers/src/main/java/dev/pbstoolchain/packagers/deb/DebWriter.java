package dev.pbstoolchain.packagers.deb;

import dev.pbstoolchain.packagers.PackageSigner;
import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.deflate.Gzip;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.PackageVersion;
import dev.pbstoolchain.packagers.output.ArchiveSink;
import dev.pbstoolchain.packagers.output.AtomicOutput;
import dev.pbstoolchain.packagers.output.Compression;
import dev.pbstoolchain.packagers.output.SplicingGzipSink;
import dev.pbstoolchain.packagers.output.StreamingSink;
import dev.pbstoolchain.packagers.tar.TarGzWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;

/**
 * Writes a {@code .deb} directly: an {@code ar} archive of {@code debian-binary}, {@code
 * control.tar.gz} (control, md5sums, conffiles, maintainer scripts) and {@code data.tar.*} from the
 * layout. Written with commons-compress rather than jdeb: jdeb's directory producer follows
 * symlinks and drops modes, has no zstd, and drags Maven/Ant classes into a library.
 */
public final class DebWriter {

  /** The member debsig-verify reads the origin signature from. */
  public static final String ORIGIN = "_gpgorigin";

  private static final List<String> SCRIPTS = List.of("preinst", "postinst", "prerm", "postrm");

  /** debian-binary: the format version. */
  private static final byte[] BINARY = "2.0\n".getBytes(StandardCharsets.US_ASCII);

  private DebWriter() {}

  /**
   * Writes the deb; with a gzip payload, file contents are spliced from {@code bodies} (deflated
   * once for every format of a release), which must then carry MD5s.
   *
   * <p>Signed, when {@code signer} is present, as {@code debsigs --sign=origin} signs it: the
   * signer's detached signature of debian-binary, control.tar.gz and data.tar.* (their contents, in
   * that order) as the last member, {@value #ORIGIN}, which {@code debsig-verify} checks and dpkg
   * skips.
   */
  public static void write(
      Layout layout,
      PackageInfo info,
      Compression compression,
      Path output,
      DeflatedBodies bodies,
      Optional<PackageSigner> signer)
      throws PackagingException {
    if (compression == Compression.GZIP) {
      bodies.require(Set.of(DeflatedBodies.Digest.MD5), output.getFileName().toString());
    }
    PackageVersion version = PackageVersion.from(info.version());
    Path data = null;
    try {
      Layout content = withChangelog(layout, info, version);
      Path dir = output.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      data = Files.createTempFile(dir, "." + output.getFileName() + ".data.", ".tmp");
      Map<String, String> md5sums = new TreeMap<>();
      writeData(content, info.epochSeconds(), compression, data, bodies)
          .forEach((path, d) -> md5sums.put(path, HexFormat.of().formatHex(d.md5())));
      byte[] control = controlTar(content, info, version, md5sums);
      Path dataFile = data;
      Optional<byte[]> origin =
          signer.isPresent()
              ? Optional.of(originSignature(signer.get(), control, dataFile))
              : Optional.empty();
      AtomicOutput.write(
          output,
          out -> {
            ArArchiveOutputStream ar = new ArArchiveOutputStream(out);
            ar.setLongFileMode(ArArchiveOutputStream.LONGFILE_BSD);
            put(ar, "debian-binary", BINARY.length, info.epochSeconds());
            ar.write(BINARY);
            ar.closeArchiveEntry();
            put(ar, "control.tar.gz", control.length, info.epochSeconds());
            ar.write(control);
            ar.closeArchiveEntry();
            put(
                ar,
                "data.tar." + compression.debSuffix(),
                Files.size(dataFile),
                info.epochSeconds());
            Files.copy(dataFile, ar);
            ar.closeArchiveEntry();
            if (origin.isPresent()) {
              put(ar, ORIGIN, origin.get().length, info.epochSeconds());
              ar.write(origin.get());
              ar.closeArchiveEntry();
            }
            ar.finish();
          });
    } catch (IOException e) {
      throw new PackagingException("Cannot write " + output + ": " + e.getMessage(), e);
    } finally {
      if (data != null) {
        try {
          Files.deleteIfExists(data);
        } catch (IOException ignored) {
          // Hidden temp file beside the artifact; nothing else to do.
        }
      }
    }
  }

  /** The origin signature over the members' contents, as debsigs signs them. */
  private static byte[] originSignature(PackageSigner signer, byte[] control, Path data)
      throws IOException {
    try (InputStream dataIn = new BufferedInputStream(Files.newInputStream(data), 1 << 16)) {
      return signer.sign(
          new SequenceInputStream(
              Collections.enumeration(
                  List.of(
                      new ByteArrayInputStream(BINARY),
                      new ByteArrayInputStream(control),
                      dataIn))));
    }
  }

  /**
   * The layout with what a deb has besides the rpm: Debian's changelog (policy wants one, lintian
   * reports its absence as an error) compressed as gzip -9n would, and lintian overrides for the
   * tags that do not apply to a package made this way, unless the layout has them already.
   */
  private static Layout withChangelog(Layout layout, PackageInfo info, PackageVersion version)
      throws IOException {
    String changelogPath = "usr/share/doc/" + info.name() + "/changelog.Debian.gz";
    String overridesPath = "usr/share/lintian/overrides/" + info.name();
    Layout copy = new Layout();
    layout.entries().forEach(copy::add);
    if (layout.get(changelogPath).isEmpty()) {
      ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
      try (OutputStream gz = Gzip.stream(gzipped, Gzip.MAX_LEVEL)) {
        gz.write(changelog(info, version).getBytes(StandardCharsets.UTF_8));
      }
      copy.add(Entry.generated(changelogPath, gzipped.toByteArray(), 0644));
    }
    String overrides = lintianOverrides(layout, info);
    if (layout.get(overridesPath).isEmpty() && !overrides.isEmpty()) {
      copy.add(text(overridesPath, overrides, 0644));
    }
    return copy;
  }

  /**
   * lintian overrides, each with its reason, for what is right in a package built outside Debian: a
   * one-entry changelog that closes no Debian bug (the package was never an upload to Debian), and
   * a program without a manual page when the layout brings none (pbs cannot write one; a file under
   * /usr/share/man given with packaging.files removes the override).
   */
  static String lintianOverrides(Layout layout, PackageInfo info) {
    StringBuilder o = new StringBuilder();
    String changelog =
        info.changelog().entries().isEmpty()
            ? "closes nothing"
            : info.changelog().debianText().toLowerCase(java.util.Locale.ROOT);
    if (info.changelog().entries().size() <= 1 && !changelog.contains("closes:")) {
      o.append("# Not an upload to Debian: there is no Debian bug (ITP) for it to close.\n");
      o.append(info.name()).append(": initial-upload-closes-no-bugs\n");
    }
    String program = "usr/bin/" + info.name();
    boolean manual =
        layout.entries().stream()
            .anyMatch(
                e ->
                    e.path().startsWith("usr/share/man/")
                        && e.name().startsWith(info.name() + "."));
    if (layout.get(program).isPresent() && !manual) {
      o.append("# The release brings no manual page for its program (packaging.files may add\n");
      o.append("# one under /usr/share/man/man1); its documentation is its homepage.\n");
      o.append(info.name()).append(": no-manual-page [").append(program).append("]\n");
    }
    return o.toString();
  }

  /** data.tar.* of the package; returns the files' digests by path. */
  private static Map<String, ArchiveSink.FileDigests> writeData(
      Layout layout, long epoch, Compression compression, Path data, DeflatedBodies bodies)
      throws IOException {
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(data), 1 << 16)) {
      if (compression == Compression.GZIP) {
        SplicingGzipSink sink = new SplicingGzipSink(file, bodies);
        Map<String, ArchiveSink.FileDigests> digests =
            TarGzWriter.writeTar(layout, sink, epoch, "./");
        sink.finish();
        return digests;
      }
      try (OutputStream compressed = compression.wrap(file)) {
        StreamingSink sink = new StreamingSink(compressed);
        Map<String, ArchiveSink.FileDigests> digests =
            TarGzWriter.writeTar(layout, sink, epoch, "./");
        sink.finish();
        return digests;
      }
    }
  }

  /** changelog.Debian: the given changelog, else one entry for the release. */
  static String changelog(PackageInfo info, PackageVersion version) {
    if (!info.changelog().entries().isEmpty()) {
      return info.changelog().debianText();
    }
    String date =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.Instant.ofEpochSecond(info.epochSeconds())
                .atOffset(java.time.ZoneOffset.UTC));
    return info.name()
        + " ("
        + version.deb()
        + ") unstable; urgency=medium\n\n  * Release "
        + info.version()
        + ".\n\n -- "
        + info.maintainer()
        + "  "
        + date.replace(" GMT", " +0000")
        + "\n";
  }

  private static void put(ArArchiveOutputStream ar, String name, long length, long epoch)
      throws IOException {
    ar.putArchiveEntry(new ArArchiveEntry(name, length, 0, 0, 0100644, epoch));
  }

  private static byte[] controlTar(
      Layout layout, PackageInfo info, PackageVersion version, Map<String, String> md5sums)
      throws IOException {
    Layout control = new Layout();
    control.add(text("control", controlFile(layout, info, version), 0644));
    StringBuilder sums = new StringBuilder();
    md5sums.forEach((path, md5) -> sums.append(md5).append("  ").append(path).append('\n'));
    control.add(text("md5sums", sums.toString(), 0644));
    StringBuilder conffiles = new StringBuilder();
    for (Entry e : layout.entries()) {
      if (e.config() && e.isFile()) {
        conffiles.append('/').append(e.path()).append('\n');
      }
    }
    if (conffiles.length() > 0) {
      control.add(text("conffiles", conffiles.toString(), 0644));
    }
    for (String script : SCRIPTS) {
      String body = info.scripts().get(script);
      if (body != null) {
        control.add(text(script, body, 0755));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gzip = Gzip.stream(bytes, Gzip.MAX_LEVEL)) {
      TarGzWriter.writeTar(control, gzip, info.epochSeconds(), "./");
    }
    return bytes.toByteArray();
  }

  private static Entry text(String name, String content, int mode) {
    return Entry.generated(name, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  static String controlFile(Layout layout, PackageInfo info, PackageVersion version) {
    StringBuilder c = new StringBuilder();
    c.append("Package: ").append(info.name()).append('\n');
    c.append("Version: ").append(version.deb()).append('\n');
    c.append("Architecture: ").append(info.debArch()).append('\n');
    c.append("Maintainer: ").append(info.maintainer()).append('\n');
    c.append("Installed-Size: ").append(installedSizeKib(layout)).append('\n');
    field(c, "Depends", info.depends());
    field(c, "Recommends", info.recommends());
    field(c, "Conflicts", info.conflicts());
    field(c, "Provides", info.provides());
    c.append("Section: ").append(info.section()).append('\n');
    c.append("Priority: optional\n");
    if (!info.homepage().isBlank()) {
      c.append("Homepage: ").append(info.homepage()).append('\n');
    }
    // The synopsis, then the extended description if there is one: repeating the synopsis there is
    // what lintian calls description-synopsis-is-duplicated.
    c.append("Description: ").append(info.summary()).append('\n');
    for (String line : info.descriptionLines()) {
      c.append(' ').append(line.isEmpty() ? "." : line).append('\n');
    }
    return c.toString();
  }

  private static void field(StringBuilder c, String name, List<String> values) {
    if (!values.isEmpty()) {
      c.append(name).append(": ").append(String.join(", ", values)).append('\n');
    }
  }

  /** What dpkg-gencontrol computes: 1 KiB per started KiB of each file, 1 per other entry. */
  static long installedSizeKib(Layout layout) {
    long kib = 0;
    for (Entry e : layout.entries()) {
      kib += e.isFile() ? (e.size() + 1023) / 1024 : 1;
    }
    return kib;
  }
}
