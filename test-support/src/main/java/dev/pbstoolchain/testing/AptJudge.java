package dev.pbstoolchain.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * apt-get as a user would run it, but in a private world: its own sources.list (one {@code deb
 * [signed-by=KEY] URL SUITE COMPONENT} line), state, cache and configuration (none of the host's
 * apt.conf.d or keyrings), installing through dpkg into a scratch root with its own dpkg database.
 */
public final class AptJudge {

  private final Path base;
  private final Path root;
  private final Path config;

  /** Sets up the private directories under {@code base} for the given source line. */
  public AptJudge(Path base, String sourceLine) throws IOException {
    this.base = base;
    this.root = base.resolve("root");
    Path etc = base.resolve("etc");
    for (String dir :
        List.of(
            "etc/apt.conf.d",
            "etc/sources.list.d",
            "etc/preferences.d",
            "etc/trusted.gpg.d",
            "state/lists/partial",
            "cache/archives/partial",
            "log")) {
      Files.createDirectories(base.resolve(dir));
    }
    Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
    Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.createDirectories(root.resolve("var/lib/dpkg/triggers"));
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    Files.writeString(etc.resolve("sources.list"), sourceLine + "\n");
    config = base.resolve("apt.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Dir \"" + base + "/\";",
            "Dir::Etc \"" + etc + "/\";",
            "Dir::Etc::main \"/dev/null\";",
            "Dir::Etc::parts \"" + etc + "/apt.conf.d\";",
            "Dir::Etc::sourcelist \"" + etc + "/sources.list\";",
            "Dir::Etc::sourceparts \"" + etc + "/sources.list.d\";",
            "Dir::Etc::preferencesparts \"" + etc + "/preferences.d\";",
            "Dir::Etc::trusted \"" + etc + "/trusted.gpg\";",
            "Dir::Etc::trustedparts \"" + etc + "/trusted.gpg.d\";",
            "Dir::State \"" + base + "/state/\";",
            "Dir::State::status \"" + root + "/var/lib/dpkg/status\";",
            "Dir::Cache \"" + base + "/cache/\";",
            "Dir::Log \"" + base + "/log/\";",
            "Dir::Bin::dpkg \"/usr/bin/dpkg\";",
            "APT::Architecture \"amd64\";",
            "APT::Architectures { \"amd64\"; };",
            "APT::Sandbox::User \"root\";",
            "APT::Get::Assume-Yes \"true\";",
            "Acquire::Languages \"none\";",
            "Acquire::http::Proxy \"DIRECT\";",
            "Acquire::Retries \"0\";",
            "DPkg::Options { \"--root=" + root + "\"; \"--log=" + base + "/log/dpkg.log\"; };",
            "DPkg::Use-Pty \"false\";",
            ""));
  }

  /** The scratch root dpkg installs into. */
  public Path root() {
    return root;
  }

  /** Runs apt-get with this world's configuration. */
  public Sh.Result aptGet(String... args) {
    List<String> command = new ArrayList<>(List.of("apt-get", "-q"));
    command.addAll(List.of(args));
    return Sh.run(
        base,
        Map.of(
            "APT_CONFIG", config.toString(),
            "DEBIAN_FRONTEND", "noninteractive",
            "LC_ALL", "C"),
        command.toArray(String[]::new));
  }

  /** Forgets the downloaded indexes (a fresh client). */
  public void forgetLists() throws IOException {
    Path lists = base.resolve("state/lists");
    try (var files = Files.list(lists)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          Files.delete(p);
        }
      }
    }
  }
}
