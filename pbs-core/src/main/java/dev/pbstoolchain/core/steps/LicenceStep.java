package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.exclude.ShippedExclusion;
import dev.pbstoolchain.core.fetch.FetchedArchive;
import dev.pbstoolchain.core.fetch.Flavors;
import dev.pbstoolchain.core.fetch.PbsFetcher;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.licenses.LicenseAggregator;
import dev.pbstoolchain.licenses.LicenseException;
import dev.pbstoolchain.licenses.Upstream;
import dev.pbstoolchain.licenses.report.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * pbs:licenses: for each target, the licence data of PBS's full archive (fetched and verified like
 * the shipped one, never unpacked) into the shipped {@code python/} ({@code LICENSE.md}, {@code
 * PYTHON.json}, {@code licenses/}) and a CycloneDX SBOM beside the artifacts; then the policy.
 */
public final class LicenceStep {

  private LicenceStep() {}

  /** Returns the SBOMs written, in target order, as outputs to attach. */
  public static List<Artifact> run(Release release, PbsConsole console) throws PbsException {
    PbsFetcher fetcher = new PbsFetcher(console);
    Policy policy = new Policy(release.settings().deny(), release.settings().allow());
    String shippedFlavor = release.shippedFlavor();
    AppInfo app = release.app("pbs:licenses");
    List<Artifact> sboms = new ArrayList<>();
    for (ReleaseTarget target : release.targets("pbs:licenses")) {
      FetchedArchive full = fetch(fetcher, release, target, fullFlavor(release, target), false);
      SortedSet<String> exclude = release.exclude(target);
      Path pbsDir = target.paths().pbsDir();
      if (ShippedExclusion.lacksWanted(pbsDir, exclude)) {
        // An earlier build left out a module this one ships: unpack the tree afresh.
        console.info(
            target.triple()
                + ": "
                + ShippedExclusion.removed(pbsDir)
                + " left out earlier, not all excluded now: unpacking "
                + target.home()
                + " again");
        try {
          PbsFetcher.forgetUnpacked(pbsDir);
        } catch (IOException e) {
          throw PbsException.failure("Cannot unpack " + target.home() + " again: " + e, e);
        }
      }
      // The shipped archive is in the cache already (pbs:fetch): its hash is the provenance.
      FetchedArchive shipped = fetch(fetcher, release, target, shippedFlavor, true);
      Path sbom = release.sbom(target, app);
      LicenseAggregator.Result result;
      try {
        result =
            LicenseAggregator.run(
                LicenseAggregator.Request.builder(full.archive(), target.home())
                    // The canonical release URL whatever mirror served it, so the bytes do not
                    // depend on the mirror; the hashes were verified by the fetches above.
                    .upstream(
                        Upstream.releaseUrl(
                            full.resolved().asset().date(), full.resolved().asset().fileName()),
                        full.sha256())
                    .installArchive(shipped.archive(), shipped.sha256())
                    .policy(policy)
                    .sbom(sbom)
                    .exclude(exclude)
                    .build());
      } catch (LicenseException e) {
        throw PbsException.failure(e.getMessage(), e);
      }
      if (!result.exclusion().modules().isEmpty()) {
        List<String> gone =
            ShippedExclusion.apply(
                pbsDir,
                target.home(),
                result.exclusion().modules(),
                result.exclusion().shippedPaths());
        console.info(
            target.triple()
                + ": left out "
                + String.join(", ", result.exclusion().modules())
                + " (exclude in matrix.yaml)"
                + (gone.isEmpty() ? "" : ": removed " + String.join(", ", gone)));
      }
      // Each target reads its own full archive: say which one a warning is about.
      result.warnings().forEach(w -> console.warn(target.triple() + ": " + w));
      result.verdict().warnings().forEach(w -> console.warn(target.triple() + ": " + w));
      if (!result.verdict().passed()) {
        throw PbsException.configuration(
            "Licence policy violated for "
                + target.triple()
                + ":\n  "
                + String.join("\n  ", result.verdict().violations())
                + "\nDrop the extension modules named, or change "
                + PropertyNames.LICENSES_DENY
                + " or "
                + PropertyNames.LICENSES_ALLOW
                + ".");
      }
      console.info(
          target.triple() + ": wrote " + target.home().resolve("LICENSE.md") + " and " + sbom);
      sboms.add(Artifact.sbom(sbom, target));
    }
    return sboms;
  }

  /** The full flavour to read: the setting, else the best one the release publishes. */
  private static String fullFlavor(Release release, ReleaseTarget target) throws PbsException {
    String chosen = release.settings().licencesFlavor();
    if (!chosen.isEmpty()) {
      return chosen;
    }
    return Flavors.licenceSource(release.day(), target.triple(), release.shippedFlavor())
        .orElseThrow(
            () ->
                PbsException.configuration(
                    "No full archive is published for "
                        + target.triple()
                        + "; set "
                        + PropertyNames.LICENSES_FLAVOR));
  }

  private static FetchedArchive fetch(
      PbsFetcher fetcher, Release release, ReleaseTarget target, String flavor, boolean unpack)
      throws PbsException {
    return fetcher.fetch(release.fetchRequest(List.of(target.triple()), flavor, unpack)).get(0);
  }
}
