package dev.pbstoolchain.publishing.signing;

/** The digests our signatures use (RFC 4880 9.4 ids), named as clear-signed text announces them. */
public enum HashAlgorithm {
  SHA256(8, "SHA256"),
  SHA512(10, "SHA512");

  private final int id;
  private final String armorName;

  HashAlgorithm(int id, String armorName) {
    this.id = id;
    this.armorName = armorName;
  }

  /** The OpenPGP hash algorithm id. */
  public int id() {
    return id;
  }

  /** The name in a clear-signed message's {@code Hash:} header and gpg's --digest-algo. */
  public String armorName() {
    return armorName;
  }
}
