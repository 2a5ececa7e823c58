package dev.pbstoolchain.packagers.rpm;

import dev.pbstoolchain.packagers.Digests;
import dev.pbstoolchain.packagers.PackageSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signature header, always {@link #SPACE} bytes: the package's sizes, the main header's SHA-1
 * and SHA-256, any OpenPGP signatures, and RPMSIGTAG_RESERVEDSPACE filling the rest -- the room
 * rpmbuild also leaves so that {@code rpmsign} can add a signature in place. Its fixed size keeps
 * the main header's and the payload's offsets fixed whatever it holds.
 *
 * <p>A signature is one more entry: {@link #sign} takes the bytes a signer made over the main
 * header ({@link SignatureTag#RSA} for RSA keys, {@link SignatureTag#DSA} for DSA and EdDSA keys)
 * or over the main header and the compressed payload ({@link SignatureTag#PGP}, {@link
 * SignatureTag#GPG}), and the reserved space shrinks by what it takes.
 */
final class SignatureHeader {

  /**
   * 4 KiB of reserved space like rpmbuild's, plus the largest sizes and digests; a multiple of 8,
   * so the main header needs no padding before it.
   */
  static final int SPACE = 4096 + 256;

  private static final int INDEX_ENTRY = 16;

  private final byte[] mainHeader;
  private final long payloadSize;
  private final long plainSize;
  private final Map<SignatureTag, byte[]> signatures = new LinkedHashMap<>();

  /**
   * @param mainHeader the main header's bytes
   * @param payloadSize the compressed payload's length
   * @param plainSize the uncompressed payload's length
   */
  SignatureHeader(byte[] mainHeader, long payloadSize, long plainSize) {
    this.mainHeader = mainHeader.clone();
    this.payloadSize = payloadSize;
    this.plainSize = plainSize;
  }

  /** Adds an OpenPGP signature packet (or rpm v3's MD5) under its tag. */
  SignatureHeader sign(SignatureTag tag, byte[] openPgpSignature) {
    if (tag.type() != RpmType.BIN
        || tag == SignatureTag.RESERVEDSPACE
        || tag == SignatureTag.HEADERSIGNATURES) {
      throw new IllegalArgumentException(tag + " holds no signature");
    }
    signatures.put(tag, openPgpSignature.clone());
    return this;
  }

  /**
   * Adds {@code signer}'s two signatures where {@code rpmsign --addsign --rpmv3} (rpm 4.18) puts
   * them: an RSA key's in {@link SignatureTag#RSA} (main header) and {@link SignatureTag#PGP} (main
   * header and compressed payload), a DSA, ECDSA or EdDSA key's in {@link SignatureTag#DSA} and
   * {@link SignatureTag#GPG}.
   *
   * @param payload the compressed payload, read once
   */
  SignatureHeader signWith(PackageSigner signer, InputStream payload) throws IOException {
    SignatureTag headerOnly;
    SignatureTag headerAndPayload;
    switch (signer.keyAlgorithm()) {
      case PackageSigner.RSA, PackageSigner.RSA_SIGN_ONLY -> {
        headerOnly = SignatureTag.RSA;
        headerAndPayload = SignatureTag.PGP;
      }
      case PackageSigner.DSA, PackageSigner.ECDSA, PackageSigner.EDDSA -> {
        headerOnly = SignatureTag.DSA;
        headerAndPayload = SignatureTag.GPG;
      }
      default ->
          throw new IllegalArgumentException(
              "rpm has no signature tag for OpenPGP key algorithm " + signer.keyAlgorithm());
    }
    sign(headerOnly, signer.sign(new ByteArrayInputStream(mainHeader)));
    sign(
        headerAndPayload,
        signer.sign(new SequenceInputStream(new ByteArrayInputStream(mainHeader), payload)));
    return this;
  }

  /** The header's {@link #SPACE} bytes. */
  byte[] toBytes() {
    int bare = build(-1).length;
    // The reserved space's own index entry takes 16 bytes of the room.
    byte[] sig = build(SPACE - bare - INDEX_ENTRY);
    if (sig.length != SPACE) {
      throw new IllegalStateException(
          "the rpm signature header is " + sig.length + " bytes, not " + SPACE);
    }
    return sig;
  }

  private byte[] build(int reservedSpace) {
    RpmHeader<SignatureTag> sig = RpmHeader.signature();
    long total = mainHeader.length + payloadSize;
    if (total >= Cpio.UINT32_MAX || plainSize >= Cpio.UINT32_MAX) {
      sig.int64(SignatureTag.LONGSIZE, total);
      sig.int64(SignatureTag.LONGARCHIVESIZE, plainSize);
    } else {
      sig.int32(SignatureTag.SIZE, total);
      sig.int32(SignatureTag.PAYLOADSIZE, plainSize);
    }
    sig.string(SignatureTag.SHA1, Digests.hex(Digests.sha1(), mainHeader));
    sig.string(SignatureTag.SHA256, Digests.hex(Digests.sha256(), mainHeader));
    signatures.forEach(sig::binary);
    if (reservedSpace >= 0) {
      sig.binary(SignatureTag.RESERVEDSPACE, new byte[reservedSpace]);
    }
    return sig.toBytes();
  }
}
