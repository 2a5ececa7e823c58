package dev.pbstoolchain.publishing.signing;

import java.util.Base64;

/**
 * OpenPGP ASCII armor (RFC 4880 section 6): a header line, no armor headers (a version header would
 * make the bytes depend on the library's release), base64 in 64-column lines, the CRC-24 checksum
 * line gpg still writes, and the footer.
 */
public final class Armor {

  /** The armor's label for a detached or clear-text signature. */
  public static final String SIGNATURE = "PGP SIGNATURE";

  /** The armor's label for a certificate (public key, user IDs, self-signatures). */
  public static final String PUBLIC_KEY = "PGP PUBLIC KEY BLOCK";

  private static final int LINE = 64;
  // RFC 4880 6.1: CRC-24 with this initial value and generator.
  private static final int CRC24_INIT = 0xB704CE;
  private static final int CRC24_POLY = 0x1864CFB;

  private Armor() {}

  /** The armored text of {@code packets}, ending with a newline. */
  public static String armor(String label, byte[] packets) {
    String body = Base64.getEncoder().encodeToString(packets);
    StringBuilder out = new StringBuilder(body.length() + body.length() / LINE + 100);
    out.append("-----BEGIN ").append(label).append("-----\n\n");
    for (int i = 0; i < body.length(); i += LINE) {
      out.append(body, i, Math.min(body.length(), i + LINE)).append('\n');
    }
    int crc = crc24(packets);
    byte[] crcBytes = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
    out.append('=').append(Base64.getEncoder().encodeToString(crcBytes)).append('\n');
    out.append("-----END ").append(label).append("-----\n");
    return out.toString();
  }

  static int crc24(byte[] data) {
    int crc = CRC24_INIT;
    for (byte b : data) {
      crc ^= (b & 0xff) << 16;
      for (int i = 0; i < 8; i++) {
        crc <<= 1;
        if ((crc & 0x1000000) != 0) {
          crc ^= CRC24_POLY;
        }
      }
    }
    return crc & 0xFFFFFF;
  }
}
