package dev.pbstoolchain.core.release;

import java.nio.file.Path;
import java.util.List;

/**
 * What pbs:publish gathers and where it writes.
 *
 * @param from the per-target output directories of the build jobs ({@code pbs.publish.from}); empty
 *     for this build's dist directory
 * @param to the release directory ({@code pbs.publish.to}); null for {@code target/pbs-release}
 * @param apt the APT repository to add the debs to ({@code pbs.publish.apt}); null for {@code
 *     TO/apt}
 * @param yum the YUM repository to add the rpms to ({@code pbs.publish.yum}); null for {@code
 *     TO/yum}
 * @param suite the APT suite ({@code pbs.publish.suite}, default {@code stable})
 * @param component the APT component ({@code pbs.publish.component}, default {@code main})
 */
public record PublishSettings(
    List<Path> from, Path to, Path apt, Path yum, String suite, String component) {

  public static final PublishSettings DEFAULTS =
      new PublishSettings(List.of(), null, null, null, "", "");

  public PublishSettings {
    from = List.copyOf(from);
    suite = suite == null || suite.isBlank() ? "stable" : suite.strip();
    component = component == null || component.isBlank() ? "main" : component.strip();
  }
}
