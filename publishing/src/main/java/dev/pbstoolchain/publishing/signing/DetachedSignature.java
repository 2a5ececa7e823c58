package dev.pbstoolchain.publishing.signing;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** {@code FILE.asc} beside a file: its armored detached signature, as gpg --armor --detach-sign. */
public final class DetachedSignature {

  private DetachedSignature() {}

  /**
   * Signs {@code file} (streamed) and writes {@code FILE.asc} beside it (temp file, rename).
   *
   * @param mtime the signature file's modification time, or null for now
   * @return the signature file
   */
  public static Path write(Path file, Signer signer, Instant mtime) throws PublishingException {
    Path asc = file.resolveSibling(file.getFileName() + ".asc");
    String signature;
    try (InputStream in = Files.newInputStream(file)) {
      signature = signer.armoredSignature(in);
    } catch (IOException e) {
      throw PublishingException.failure("Cannot sign " + file + ": " + e.getMessage(), e);
    }
    AtomicFiles.writeString(asc, mtime, signature);
    return asc;
  }
}
