package dev.pbstoolchain.publishing.signing;

/** What a signature covers (RFC 4880 5.2.1 signature types). */
public enum SignatureMode {
  /** 0x00: the exact bytes (packages, SHA256SUMS, repomd.xml, Release.gpg). */
  BINARY(0x00),
  /** 0x01: canonical text, lines ending CRLF (clear-signed InRelease). */
  TEXT(0x01);

  private final int type;

  SignatureMode(int type) {
    this.type = type;
  }

  /** The signature type octet. */
  public int type() {
    return type;
  }
}
