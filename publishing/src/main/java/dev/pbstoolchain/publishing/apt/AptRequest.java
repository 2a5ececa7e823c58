package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.signing.Signer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to publish into an APT repository: the debs, where (an existing repository keeps what it
 * has), under which suite and component, signed by whom, dated when.
 *
 * @param repository the repository's root (holds {@code dists/} and {@code pool/}); created when
 *     missing
 * @param debs the packages to add
 * @param suite {@code dists/SUITE} and the Release's Suite (default {@code stable})
 * @param codename the Release's Codename (default: the suite)
 * @param component the component the debs go into (default {@code main})
 * @param origin the Release's Origin (users may pin on it)
 * @param label the Release's Label
 * @param description the Release's Description, or null for none
 * @param date the Release's Date (the build's outputTimestamp, for reproducible indexes)
 * @param signer signs InRelease and Release.gpg
 */
public record AptRequest(
    Path repository,
    List<Path> debs,
    String suite,
    String codename,
    String component,
    String origin,
    String label,
    String description,
    Instant date,
    Signer signer) {

  public AptRequest {
    Objects.requireNonNull(repository, "repository");
    debs = List.copyOf(debs);
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(codename, "codename");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(signer, "signer");
  }

  public static Builder builder(Path repository, Signer signer, Instant date) {
    return new Builder(repository, signer, date);
  }

  /** Builds a request; only the repository, signer and date are required. */
  public static final class Builder {
    private final Path repository;
    private final Signer signer;
    private final Instant date;
    private final List<Path> debs = new ArrayList<>();
    private String suite = "stable";
    private String codename;
    private String component = "main";
    private String origin = "pbs-toolchain";
    private String label;
    private String description;

    private Builder(Path repository, Signer signer, Instant date) {
      this.repository = repository;
      this.signer = signer;
      this.date = date;
    }

    public Builder debs(List<Path> more) {
      debs.addAll(more);
      return this;
    }

    public Builder suite(String value) {
      suite = value;
      return this;
    }

    public Builder codename(String value) {
      codename = value;
      return this;
    }

    public Builder component(String value) {
      component = value;
      return this;
    }

    public Builder origin(String value) {
      origin = value;
      return this;
    }

    public Builder label(String value) {
      label = value;
      return this;
    }

    public Builder description(String value) {
      description = value;
      return this;
    }

    public AptRequest build() {
      return new AptRequest(
          repository,
          debs,
          suite,
          codename == null ? suite : codename,
          component,
          origin,
          label == null ? origin : label,
          description,
          date,
          signer);
    }
  }
}
