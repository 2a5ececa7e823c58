package dev.pbstoolchain.publishing.yum;

import dev.pbstoolchain.publishing.signing.Signer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to publish into a YUM/DNF repository.
 *
 * @param repository the repository's root: the rpms and {@code repodata/}; created when missing,
 *     added to when it has a repodata/repomd.xml
 * @param rpms the packages to add (copied next to the ones already there)
 * @param date the repository's revision and every new file's time (the build's outputTimestamp)
 * @param signer signs repodata/repomd.xml (repomd.xml.asc), which dnf checks with repo_gpgcheck
 */
public record YumRequest(Path repository, List<Path> rpms, Instant date, Signer signer) {

  public YumRequest {
    Objects.requireNonNull(repository, "repository");
    rpms = List.copyOf(rpms);
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(signer, "signer");
  }
}
