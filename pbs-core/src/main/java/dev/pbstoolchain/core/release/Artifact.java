package dev.pbstoolchain.core.release;

import java.nio.file.Path;

/**
 * One produced release output, as install and deploy publish it: a package, an SBOM, SHA256SUMS or
 * the verify report.
 *
 * @param file the artifact
 * @param type Maven type / extension: {@code tar.gz}, {@code deb}, {@code rpm}, {@code zip}
 * @param classifier Maven classifier, e.g. {@code linux_amd64}
 * @param triple the target it is for
 * @param sha256 its SHA-256
 */
public record Artifact(Path file, String type, String classifier, String triple, String sha256) {

  /** A target's CycloneDX SBOM: classifier {@code <platform>-cyclonedx}, type {@code json}. */
  public static Artifact sbom(Path file, ReleaseTarget target) {
    return new Artifact(file, "json", target.platform() + "-cyclonedx", target.triple(), "");
  }

  /** The release's SHA256SUMS: classifier {@code sha256sums}, type {@code txt}. */
  public static Artifact sums(Path file) {
    return new Artifact(file, "txt", "sha256sums", "", "");
  }

  /** pbs:verify's report: classifier {@code verify-report}, type {@code json}. */
  public static Artifact verifyReport(Path file) {
    return new Artifact(file, "json", "verify-report", "", "");
  }
}
