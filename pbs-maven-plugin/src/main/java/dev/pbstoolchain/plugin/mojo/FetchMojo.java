package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.pbs.FetchedArchive;
import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.pbs.PbsFetcher;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Resolves, downloads, verifies, caches and unpacks python-build-standalone for every target, and
 * sets {@code pbs.<triple>.home} to each unpacked Python home.
 */
@Mojo(name = "fetch", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class FetchMojo extends AbstractFetchingMojo {

  /**
   * Flavour: {@code install_only_stripped}, {@code install_only}, {@code *-full}...; by default
   * {@code install_only_stripped}, or {@code install_only} for releases that predate it.
   */
  @Parameter(property = PropertyNames.FLAVOR)
  private String flavor;

  /** A pinned SHA-256 for a single target, checked instead of the release's SHA256SUMS. */
  @Parameter(property = PropertyNames.SHA256)
  private String sha256;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.FETCH_SKIP, defaultValue = "false")
  private boolean skipFetch;

  @Override
  protected boolean skipGoal() {
    return skipFetch;
  }

  @Override
  protected String goal() {
    return "pbs:fetch";
  }

  @Override
  protected void run() throws PbsException {
    List<FetchedArchive> fetched =
        new PbsFetcher(new MavenConsole(getLog()))
            .fetch(
                fetchRequest()
                    .triples(resolvedTriples())
                    .flavor(flavor)
                    .pinnedSha256(blankToNull(sha256))
                    .build());
    for (FetchedArchive archive : fetched) {
      String triple = archive.resolved().asset().triple();
      archive
          .home()
          .ifPresent(
              home -> {
                project.getProperties().setProperty(PropertyNames.home(triple), home.toString());
                getLog().info(PropertyNames.home(triple) + " = " + home);
              });
    }
  }
}
