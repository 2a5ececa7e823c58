package dev.pbstoolchain.packagers.rpm;

import dev.pbstoolchain.packagers.ChannelIo;
import dev.pbstoolchain.packagers.Digests;
import dev.pbstoolchain.packagers.PackageSigner;
import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.PackageVersion;
import dev.pbstoolchain.packagers.output.AtomicOutput;
import dev.pbstoolchain.packagers.output.Compression;
import dev.pbstoolchain.packagers.output.SplicingGzipSink;
import dev.pbstoolchain.packagers.output.StreamingSink;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
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

  private static final int LEAD = 96;
  private static final String ZERO_DIGEST = "0".repeat(64);

  private RpmWriter() {}

  /**
   * Writes the package; with a gzip payload, file contents are spliced from {@code bodies}
   * (deflated once for every format of a release), which must then carry SHA-256s.
   *
   * <p>Signed, when {@code signer} is present, as {@code rpmsign --addsign --rpmv3} signs it: the
   * signer's signature of the main header, and of the main header and the compressed payload, take
   * their room from the signature header's reserved space (see {@link SignatureHeader#signWith}).
   *
   * @param ownedDirectories directories (and everything below) that belong to the package, e.g.
   *     {@code usr/lib/APP}; other directories of the layout are assumed to exist already
   */
  public static void write(
      Layout layout,
      PackageInfo info,
      Compression compression,
      Set<String> ownedDirectories,
      Path output,
      DeflatedBodies bodies,
      Optional<PackageSigner> signer)
      throws PackagingException {
    if (compression == Compression.GZIP) {
      bodies.require(Set.of(DeflatedBodies.Digest.SHA256), output.getFileName().toString());
    }
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
        MainHeader.of(files, standInDigests, info, version, compression, ZERO_DIGEST, ZERO_DIGEST);
    long headerAt = LEAD + SignatureHeader.SPACE;
    long payloadAt = headerAt + standInHeader.length;
    AtomicOutput.writeChannel(
        output,
        channel -> {
          MessageDigest compressedDigest = Digests.sha256();
          MessageDigest plainDigest = Digests.sha256();
          channel.position(payloadAt);
          OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
          DigestOutputStream compressedOut = new DigestOutputStream(file, compressedDigest);
          Payload written =
              writePayload(
                  files, info.epochSeconds(), compression, compressedOut, plainDigest, bodies);
          compressedOut.flush();
          long payloadSize = channel.position() - payloadAt;
          byte[] header =
              MainHeader.of(
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
          SignatureHeader signature = new SignatureHeader(header, payloadSize, written.plainSize());
          if (signer.isPresent()) {
            InputStream payload =
                new BufferedInputStream(
                    ChannelIo.inputStream(channel, payloadAt, payloadSize, "the rpm's payload"),
                    1 << 16);
            signature.signWith(signer.get(), payload);
          }
          ByteBuffer front = ByteBuffer.allocate((int) payloadAt);
          front.put(lead(info, version));
          front.put(signature.toBytes());
          front.put(header);
          front.flip();
          ChannelIo.writeFully(channel, front, 0);
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
      List<Entry> files,
      long epoch,
      Compression compression,
      OutputStream out,
      MessageDigest plainDigest,
      DeflatedBodies bodies)
      throws IOException {
    if (compression == Compression.GZIP) {
      SplicingGzipSink sink = new SplicingGzipSink(out, bodies, plainDigest);
      List<String> digests = Cpio.write(files, epoch, sink);
      sink.finish();
      return new Payload(digests, sink.count());
    }
    // Closing the compressor finishes its stream; the shield keeps the rpm file open for the
    // headers that are written in front of the payload afterwards.
    OutputStream compressor = compression.wrap(CloseShieldOutputStream.wrap(out));
    StreamingSink sink = new StreamingSink(new DigestOutputStream(compressor, plainDigest));
    List<String> digests = Cpio.write(files, epoch, sink);
    sink.finish();
    compressor.close();
    return new Payload(digests, sink.count());
  }

  /** rpm's lead: magic, version 3.0, binary, the NEVR, Linux, header-style signature. */
  private static byte[] lead(PackageInfo info, PackageVersion version) {
    ByteBuffer lead = ByteBuffer.allocate(LEAD);
    lead.put(new byte[] {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb, 3, 0});
    lead.putShort((short) 0); // RPMLEAD_BINARY
    lead.putShort((short) 1); // archnum, which rpm no longer reads
    byte[] name = MainHeader.nevr(info, version).getBytes(StandardCharsets.UTF_8);
    lead.put(name, 0, Math.min(name.length, 65));
    lead.position(76);
    lead.putShort((short) 1); // osnum: Linux
    lead.putShort((short) 5); // RPMSIGTYPE_HEADERSIG
    return lead.array();
  }
}
