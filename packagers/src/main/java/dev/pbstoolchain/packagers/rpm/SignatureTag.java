package dev.pbstoolchain.packagers.rpm;

/**
 * The signature header's tags (rpm's {@code rpmSigTag}, names without {@code RPMSIGTAG_}), each
 * with its value's type: the sizes and digests this writer sets, and the OpenPGP signature tags a
 * signer adds.
 */
enum SignatureTag implements HeaderTag {
  /** The region tag of the signature header. */
  HEADERSIGNATURES(62, RpmType.BIN),
  /** OpenPGP signature of the main header by an RSA key. */
  RSA(268, RpmType.BIN),
  /** OpenPGP signature of the main header by a DSA or EdDSA key (where rpm 4.18 puts Ed25519's). */
  DSA(267, RpmType.BIN),
  /** OpenPGP signature of the main header and the compressed payload by an RSA key (v3). */
  PGP(1002, RpmType.BIN),
  /** OpenPGP signature of the main header and the compressed payload by a DSA or EdDSA key (v3). */
  GPG(1005, RpmType.BIN),
  /** MD5 of the main header and the compressed payload, which rpmsign --rpmv3 adds. */
  MD5(1004, RpmType.BIN),
  /** Header plus compressed payload length, below 4 GiB; {@link #LONGSIZE} from there. */
  SIZE(1000, RpmType.INT32),
  /** Uncompressed payload length, below 4 GiB; {@link #LONGARCHIVESIZE} from there. */
  PAYLOADSIZE(1007, RpmType.INT32),
  /** Zeros rpmsign replaces with signatures, so signing rewrites no byte of the payload. */
  RESERVEDSPACE(1008, RpmType.BIN),
  /** Hex SHA-1 of the main header. */
  SHA1(269, RpmType.STRING),
  LONGSIZE(270, RpmType.INT64),
  LONGARCHIVESIZE(271, RpmType.INT64),
  /** Hex SHA-256 of the main header. */
  SHA256(273, RpmType.STRING);

  private final int number;
  private final RpmType type;

  SignatureTag(int number, RpmType type) {
    this.number = number;
    this.type = type;
  }

  @Override
  public int number() {
    return number;
  }

  @Override
  public RpmType type() {
    return type;
  }

  @Override
  public String toString() {
    return "RPMSIGTAG_" + name();
  }
}
