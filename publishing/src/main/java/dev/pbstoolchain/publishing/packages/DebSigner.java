package dev.pbstoolchain.publishing.packages;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.deb.ArArchive;
import dev.pbstoolchain.publishing.deb.DebFile;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import dev.pbstoolchain.publishing.signing.SignatureMode;
import dev.pbstoolchain.publishing.signing.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Signs a deb the way {@code debsigs --sign=origin} does: a detached binary OpenPGP signature over
 * the contents of debian-binary, control.tar* and data.tar* (in that order), appended as the ar
 * member {@code _gpgorigin}, which {@code debsig-verify} checks against a policy for the key. The
 * package's own members are copied unchanged (dpkg ignores members starting with '_'); an earlier
 * origin signature is replaced. Same deb, key and time: same bytes.
 */
public final class DebSigner {

  /** The member debsig-verify reads the origin signature from. */
  public static final String ORIGIN = "_gpgorigin";

  private DebSigner() {}

  /**
   * Writes {@code deb} signed to {@code output} (which may be {@code deb} itself), temp file then
   * rename; the signature member carries the signer's time as its mtime.
   */
  public static void sign(Path deb, Path output, Signer signer, Instant mtime)
      throws PublishingException {
    List<ArArchive.Member> members = ArArchive.members(deb);
    DebFile.control(deb); // a deb we can read, not just an ar archive
    List<ArArchive.Member> kept = new ArrayList<>();
    List<ArArchive.Member> signed = new ArrayList<>();
    for (ArArchive.Member m : members) {
      if (!m.name().equals(ORIGIN)) {
        kept.add(m);
      }
      if (m.name().equals("debian-binary")
          || m.name().startsWith("control.tar")
          || m.name().startsWith("data.tar")) {
        signed.add(m);
      }
    }
    byte[] signature;
    try {
      List<InputStream> parts = new ArrayList<>();
      try {
        for (ArArchive.Member m : signed) {
          parts.add(ArArchive.open(deb, m));
        }
        signature =
            signer.sign(
                new SequenceInputStream(Collections.enumeration(parts)), SignatureMode.BINARY);
      } finally {
        for (InputStream part : parts) {
          part.close();
        }
      }
    } catch (IOException e) {
      throw PublishingException.failure("Cannot read " + deb + ": " + e.getMessage(), e);
    }
    long time = signer.signatureTime().getEpochSecond();
    AtomicFiles.write(
        output,
        mtime,
        out -> {
          out.write("!<arch>\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          for (ArArchive.Member m : kept) {
            try (InputStream in = ArArchive.openWithHeader(deb, m)) {
              if (in.transferTo(out) % 2 == 1) {
                out.write('\n'); // a last member written without its padding byte
              }
            }
          }
          out.write(ArArchive.header(ORIGIN, time, signature.length));
          out.write(signature);
          if (signature.length % 2 == 1) {
            out.write('\n');
          }
        });
  }
}
