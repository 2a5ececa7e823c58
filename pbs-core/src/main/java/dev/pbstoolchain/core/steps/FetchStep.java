package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.fetch.FetchedArchive;
import dev.pbstoolchain.core.fetch.PbsFetcher;
import dev.pbstoolchain.core.release.Release;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** pbs:fetch: every PBS build of the release, verified, cached and unpacked. */
public final class FetchStep {

  private FetchStep() {}

  /** Returns each fetched triple's Python home, in target order. */
  public static Map<String, Path> run(Release release, PbsConsole console) throws PbsException {
    Map<String, Path> homes = new LinkedHashMap<>();
    for (FetchedArchive archive : new PbsFetcher(console).fetch(release.fetchRequest())) {
      String triple = archive.resolved().asset().triple();
      archive.home().ifPresent(home -> homes.put(triple, home));
    }
    return homes;
  }
}
