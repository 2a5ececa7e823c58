package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.licenses.LicenseAggregator;
import dev.pbstoolchain.licenses.LicenseException;
import dev.pbstoolchain.licenses.Upstream;
import dev.pbstoolchain.licenses.report.Policy;
import dev.pbstoolchain.plugin.pbs.FetchedArchive;
import dev.pbstoolchain.plugin.pbs.Flavors;
import dev.pbstoolchain.plugin.pbs.PbsDate;
import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.pbs.PbsFetcher;
import dev.pbstoolchain.plugin.release.ReleaseTarget;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fetches each target's full archive (verified and cached like pbs:fetch, never unpacked), and
 * writes {@code LICENSE.md}, {@code PYTHON.json} and {@code licenses/} into the shipped {@code
 * python/}, plus a CycloneDX SBOM beside the artifacts; applies the licence policy.
 */
@Mojo(name = "licenses", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class LicensesMojo extends AbstractFetchingMojo {

  /** The full flavour to read licence data from; default: the best one the release has. */
  @Parameter(property = "pbs.licenses.flavor")
  private String fullFlavor;

  /** Comma-separated SPDX ids that must not ship (e.g. {@code GPL-3.0-only}). */
  @Parameter(property = "pbs.licenses.deny")
  private String deny;

  /** Comma-separated SPDX ids that alone may ship. */
  @Parameter(property = "pbs.licenses.allow")
  private String allow;

  /** The flavour of the shipped archive, for provenance (default as pbs:fetch's). */
  @Parameter(property = PropertyNames.FLAVOR)
  private String flavor;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.LICENSES_SKIP, defaultValue = "false")
  private boolean skipLicenses;

  @Override
  protected boolean skipGoal() {
    return skipLicenses;
  }

  @Override
  protected String goal() {
    return "pbs:licenses";
  }

  @Override
  protected void run() throws PbsException {
    PbsFetcher fetcher = new PbsFetcher(new MavenConsole(getLog()));
    Policy policy = new Policy(ids(deny), ids(allow));
    int day = PbsDate.parse(resolvedDate());
    String shippedFlavor = Flavors.shipped(flavor, day);
    for (ReleaseTarget target : releaseTargets()) {
      String full =
          fullFlavor != null && !fullFlavor.isBlank()
              ? fullFlavor
              : Flavors.licenceSource(day, target.triple(), shippedFlavor)
                  .orElseThrow(
                      () ->
                          PbsException.configuration(
                              "No full archive is published for "
                                  + target.triple()
                                  + "; set pbs.licenses.flavor"));
      FetchedArchive archive =
          fetcher
              .fetch(
                  fetchRequest()
                      .triples(List.of(target.triple()))
                      .flavor(full)
                      .unpack(false)
                      .build())
              .get(0);
      FetchedArchive shipped =
          fetcher
              .fetch(fetchRequest().triples(List.of(target.triple())).flavor(shippedFlavor).build())
              .get(0);
      Path sbom =
          distDir
              .toPath()
              .resolve(
                  appInfo().name()
                      + "-"
                      + project.getVersion()
                      + "_"
                      + target.platform()
                      + ".cdx.json");
      try {
        LicenseAggregator.Result result =
            LicenseAggregator.run(
                LicenseAggregator.Request.builder(archive.archive(), target.home())
                    // The canonical release URL whatever mirror served it, so the bytes do not
                    // depend on the mirror; the hashes were verified by the fetches above.
                    .upstream(
                        Upstream.releaseUrl(
                            archive.resolved().asset().date(),
                            archive.resolved().asset().fileName()),
                        archive.sha256())
                    .installArchive(shipped.archive(), shipped.sha256())
                    .policy(policy)
                    .sbom(sbom)
                    .build());
        // Each target reads its own full archive: say which one a warning is about.
        result.warnings().forEach(w -> getLog().warn(target.triple() + ": " + w));
        result.verdict().warnings().forEach(w -> getLog().warn(target.triple() + ": " + w));
        if (!result.verdict().passed()) {
          throw PbsException.configuration(
              "Licence policy violated for "
                  + target.triple()
                  + ":\n  "
                  + String.join("\n  ", result.verdict().violations())
                  + "\nDrop the extension modules named, or change pbs.licenses.deny/allow.");
        }
        getLog()
            .info(
                target.triple()
                    + ": wrote "
                    + target.home().resolve("LICENSE.md")
                    + " and "
                    + sbom);
      } catch (LicenseException e) {
        throw PbsException.failure(e.getMessage(), e);
      }
    }
  }

  private static Set<String> ids(String list) {
    Set<String> ids = new LinkedHashSet<>();
    if (list != null) {
      Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(ids::add);
    }
    return ids;
  }
}
