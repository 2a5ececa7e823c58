package dev.pbstoolchain.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * dnf as a user would run it against one repository given by URL, with package and repository
 * signature checks on (gpgcheck=1, repo_gpgcheck=1, the key from gpgkey=), installing into a
 * scratch root with its own rpm database; none of the host's repositories or plugins.
 */
public final class DnfJudge {

  private final Path base;
  private final Path root;
  private final String url;
  private final String keyUrl;

  public DnfJudge(Path base, String url, String keyUrl) throws IOException {
    this.base = base;
    this.root = base.resolve("root");
    this.url = url;
    this.keyUrl = keyUrl;
    Files.createDirectories(root);
    Files.createDirectories(base.resolve("cache"));
    Files.writeString(base.resolve("dnf.conf"), "[main]\n");
  }

  public Path root() {
    return root;
  }

  /** Runs dnf with the repository enabled and checked. */
  public Sh.Result dnf(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "dnf",
                "-y",
                "--quiet",
                "--installroot=" + root,
                "--config=" + base.resolve("dnf.conf"),
                "--setopt=cachedir=" + base.resolve("cache"),
                "--setopt=reposdir=" + base.resolve("no-repos.d"),
                "--setopt=logdir=" + base,
                "--setopt=install_weak_deps=False",
                "--noplugins",
                "--releasever=1",
                "--repofrompath=pbs," + url,
                "--repo=pbs",
                "--setopt=pbs.gpgcheck=1",
                "--setopt=pbs.repo_gpgcheck=1",
                "--setopt=pbs.gpgkey=" + keyUrl));
    command.addAll(List.of(args));
    return Sh.run(base, Map.of("LC_ALL", "C.UTF-8"), command.toArray(String[]::new));
  }
}
