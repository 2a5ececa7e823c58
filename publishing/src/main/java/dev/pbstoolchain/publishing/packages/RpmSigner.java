package dev.pbstoolchain.publishing.packages;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import dev.pbstoolchain.publishing.rpm.RpmFile;
import dev.pbstoolchain.publishing.rpm.RpmHeader;
import dev.pbstoolchain.publishing.rpm.RpmHeaderWriter;
import dev.pbstoolchain.publishing.signing.SignatureMode;
import dev.pbstoolchain.publishing.signing.Signer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Signs an rpm the way {@code rpmsign --addsign --rpmv3} does: an OpenPGP signature of the main
 * header (RPMSIGTAG_RSA for RSA keys, RPMSIGTAG_DSA for DSA and EdDSA keys, which rpm 4.16+ checks)
 * and one of the main header and the compressed payload (RPMSIGTAG_PGP or RPMSIGTAG_GPG, which
 * older rpm checks), in the signature header. The reserved space rpmbuild leaves there shrinks by
 * what the signatures take, so the main header and the payload keep their offsets; a signature
 * header without room grows. The main header and the payload are copied unchanged: the package's
 * digests stay valid. Same rpm, key and time: same bytes.
 */
public final class RpmSigner {

  // Signature header tags (rpm's rpmSigTag).
  static final int HEADER_SIGNATURES = 62;
  static final int DSA = 267;
  static final int RSA = 268;
  static final int PGP = 1002;
  static final int GPG = 1005;
  static final int RESERVED_SPACE = 1008;

  private static final Set<Integer> REPLACED = Set.of(DSA, RSA, PGP, GPG, RESERVED_SPACE);
  // RFC 4880 9.1 public-key algorithms.
  private static final int RSA_GENERAL = 1;
  private static final int RSA_SIGN = 3;

  private RpmSigner() {}

  /**
   * Writes {@code rpm} signed to {@code output} (which may be {@code rpm} itself), temp file then
   * rename.
   */
  public static void sign(Path rpm, Path output, Signer signer, Instant mtime)
      throws PublishingException {
    RpmFile file = RpmFile.read(rpm);
    byte[] header = range(rpm, file.headerStart(), file.headerEnd());
    byte[] headerOnly;
    byte[] headerAndPayload;
    try (InputStream payload = from(rpm, file.headerEnd())) {
      headerOnly = signer.sign(new ByteArrayInputStream(header), SignatureMode.BINARY);
      headerAndPayload =
          signer.sign(
              new SequenceInputStream(new ByteArrayInputStream(header), payload),
              SignatureMode.BINARY);
    } catch (IOException e) {
      throw PublishingException.failure("Cannot read " + rpm + ": " + e.getMessage(), e);
    }
    boolean rsa = signer.keyAlgorithm() == RSA_GENERAL || signer.keyAlgorithm() == RSA_SIGN;
    byte[] signature =
        signatureHeader(
            file,
            new RpmHeader.Entry(rsa ? RSA : DSA, RpmHeader.BIN, headerOnly.length, headerOnly),
            new RpmHeader.Entry(
                rsa ? PGP : GPG, RpmHeader.BIN, headerAndPayload.length, headerAndPayload));
    long expected =
        RpmFile.LEAD
            + signature.length
            + RpmFile.padding(signature.length)
            + (file.size() - file.headerStart());
    AtomicFiles.write(
        output,
        mtime,
        out -> {
          out.write(file.lead());
          out.write(signature);
          out.write(new byte[RpmFile.padding(signature.length)]);
          try (InputStream rest = from(rpm, file.headerStart())) {
            long copied = rest.transferTo(out);
            if (RpmFile.LEAD + signature.length + RpmFile.padding(signature.length) + copied
                != expected) {
              throw PublishingException.configuration(
                  rpm + " changed while it was being signed; sign it again.");
            }
          }
        });
  }

  /**
   * The signature header with the two signatures in place of any earlier ones, the same size as
   * before when the reserved space allows it.
   */
  static byte[] signatureHeader(RpmFile file, RpmHeader.Entry headerOnly, RpmHeader.Entry both) {
    List<RpmHeader.Entry> entries = new ArrayList<>();
    long oldReserved = -1;
    for (RpmHeader.Entry e : file.signature().entries()) {
      if (e.tag() == RESERVED_SPACE) {
        oldReserved = e.count();
      }
      if (!REPLACED.contains(e.tag())) {
        entries.add(e);
      }
    }
    entries.add(headerOnly);
    entries.add(both);
    byte[] bare = RpmHeaderWriter.write(HEADER_SIGNATURES, entries);
    if (oldReserved < 0) {
      return bare;
    }
    // The reserved space's own index entry takes 16 bytes; what is left keeps the size (it is the
    // last entry, a byte array: no alignment after it).
    long room = file.signatureLength() - bare.length - RpmHeader.INDEX_ENTRY;
    if (room < 0) {
      return bare;
    }
    entries.add(
        new RpmHeader.Entry(RESERVED_SPACE, RpmHeader.BIN, (int) room, new byte[(int) room]));
    return RpmHeaderWriter.write(HEADER_SIGNATURES, entries);
  }

  private static byte[] range(Path rpm, long from, long to) throws PublishingException {
    try (InputStream in = from(rpm, from)) {
      return in.readNBytes((int) (to - from));
    } catch (IOException e) {
      throw PublishingException.failure("Cannot read " + rpm + ": " + e.getMessage(), e);
    }
  }

  private static InputStream from(Path rpm, long offset) throws IOException {
    FileChannel channel = FileChannel.open(rpm, StandardOpenOption.READ);
    channel.position(offset);
    return new java.io.BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
  }
}
