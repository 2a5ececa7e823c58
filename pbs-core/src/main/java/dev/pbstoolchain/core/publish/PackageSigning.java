package dev.pbstoolchain.core.publish;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.io.AtomicFiles;
import dev.pbstoolchain.publishing.io.FileDigests;
import dev.pbstoolchain.publishing.packages.DebSigner;
import dev.pbstoolchain.publishing.packages.RpmSigner;
import dev.pbstoolchain.publishing.signing.DetachedSignature;
import dev.pbstoolchain.publishing.signing.Signer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs the debs and rpms of a release (debsigs' origin signature; rpm's header and header+payload
 * signatures) and SHA256SUMS (SHA256SUMS.asc), refreshing each artifact's SHA-256 and its {@code
 * .sha256} file. Signing twice with the same key and time changes nothing.
 */
public final class PackageSigning {

  private PackageSigning() {}

  /** Signs every deb and rpm in place; returns the artifacts with their new SHA-256. */
  public static List<Artifact> signPackages(
      List<Artifact> artifacts, Signer signer, PbsConsole console) throws PbsException {
    List<Artifact> signed = new ArrayList<>();
    for (Artifact a : artifacts) {
      if (!a.type().equals("deb") && !a.type().equals("rpm")) {
        signed.add(a);
        continue;
      }
      try {
        // By the artifact's format: matrix.yaml's names: may give a package any file name.
        if (a.type().equals("rpm")) {
          RpmSigner.sign(a.file(), a.file(), signer, null);
        } else {
          DebSigner.sign(a.file(), a.file(), signer, null);
        }
        String sha = FileDigests.of(a.file()).sha256();
        AtomicFiles.writeString(
            a.file().resolveSibling(a.file().getFileName() + ".sha256"),
            null,
            sha + "  " + a.file().getFileName() + "\n");
        console.info("Signed " + a.file() + " (sha256 " + sha + ")");
        signed.add(new Artifact(a.file(), a.type(), a.classifier(), a.triple(), sha));
      } catch (PublishingException e) {
        throw ReleaseSigning.translate(e);
      } catch (IOException e) {
        throw PbsException.failure("Cannot read " + a.file() + ": " + e.getMessage(), e);
      }
    }
    return signed;
  }

  /** Writes {@code sums}.asc, the armored detached signature of SHA256SUMS. */
  public static Path signSums(Path sums, Signer signer) throws PbsException {
    try {
      return DetachedSignature.write(sums, signer, null);
    } catch (PublishingException e) {
      throw ReleaseSigning.translate(e);
    }
  }
}
