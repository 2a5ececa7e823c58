package dev.pbstoolchain.oci.cli;

import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.image.BuiltImage;
import dev.pbstoolchain.oci.image.ImageBuilder;
import dev.pbstoolchain.oci.image.ImageRequest;
import dev.pbstoolchain.oci.image.ImageSettings;
import dev.pbstoolchain.oci.layout.LayoutReader;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.registry.Credentials;
import dev.pbstoolchain.oci.registry.ImagePusher;
import dev.pbstoolchain.oci.registry.ImageReference;
import dev.pbstoolchain.oci.registry.RegistrySettings;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line:
 *
 * <pre>
 * build --app NAME --version V --base REF --row TRIPLE BINARY PYTHON_DIR [--row ...]
 *       --layout DIR [--archive FILE] [--docker-archives DIR] [--tag T]... [--repository R]
 *       [--entrypoint ARG]... [--cmd ARG]... [--env K=V]... [--user U] [--workdir DIR]
 *       [--port P]... [--volume DIR]... [--label K=V]... [--uid NAME=ID]... [--gid NAME=ID]...
 *       [--file SRC DEST MODE]... [--dir PATH OWNER GROUP MODE]... [--copyright FILE]
 *       [--revision R] [--source URL] [--licenses SPDX] [--epoch SECONDS]
 *       [--runtime-epoch SECONDS] [--cache DIR]
 *       [--push] [--allow-http] [--username U]
 * push LAYOUT_DIR[:TAG] REPOSITORY [--tag T]... [--allow-http] [--username U]
 * </pre>
 *
 * The registry password comes from the environment variable PBS_REGISTRY_PASSWORD (never an
 * argument, which other users of the machine can read); without --username, logins come from the
 * docker config.
 */
public final class Main {

  private static final String PASSWORD_ENV = "PBS_REGISTRY_PASSWORD";

  private Main() {}

  private static final String USAGE =
      "usage: build --app NAME --version V --base REF --row TRIPLE BINARY PYTHON_DIR ..."
          + " --layout DIR [--archive FILE] [--push] ...\n"
          + "       push LAYOUT_DIR[:TAG] REPOSITORY [--tag T]... [--allow-http] [--username U]";

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /**
   * Runs one command; returns the exit status: 0 done, 1 failed, 2 bad usage or configuration.
   *
   * @param out where the digest goes (one line, for scripts)
   * @param err where progress, warnings and errors go
   * @param env the environment (SOURCE_DATE_EPOCH, PBS_REGISTRY_PASSWORD)
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    ImageConsole console = ImageConsole.printing(err, false);
    try {
      if (args.length == 0) {
        throw new IllegalArgumentException(USAGE);
      }
      switch (args[0]) {
        case "build" -> build(new Args(args, 1), out, console, env);
        case "push" -> push(new Args(args, 1), out, console, env);
        default -> throw new IllegalArgumentException(USAGE);
      }
      return 0;
    } catch (OciException e) {
      err.println("error: " + e.getMessage());
      return e.isConfigurationProblem() ? 2 : 1;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }

  private static void build(Args a, PrintStream out, ImageConsole console, Map<String, String> env)
      throws OciException {
    ImageRequest.Builder request = ImageRequest.builder();
    ImageSettings.Builder settings = ImageSettings.builder();
    List<String> tags = new ArrayList<>();
    List<String> entrypoint = null;
    List<String> cmd = null;
    Map<String, String> variables = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, Long> uids = new LinkedHashMap<>();
    Map<String, Long> gids = new LinkedHashMap<>();
    List<String> ports = new ArrayList<>();
    List<String> volumes = new ArrayList<>();
    List<ReleaseLayouts.Extra> files = new ArrayList<>();
    List<ReleaseLayouts.OwnedDirectory> dirs = new ArrayList<>();
    String app = null;
    String version = null;
    boolean push = false;
    String epoch = env.get("SOURCE_DATE_EPOCH");
    RegistrySettings registry = RegistrySettings.defaults();
    while (a.more()) {
      String flag = a.next();
      switch (flag) {
        case "--app" -> app = a.value(flag);
        case "--version" -> version = a.value(flag);
        case "--base" -> request.base(a.value(flag), Path.of("."));
        case "--row" -> request.row(a.value(flag), Path.of(a.value(flag)), Path.of(a.value(flag)));
        case "--layout" -> request.layoutDir(Path.of(a.value(flag)));
        case "--archive" -> request.archive(Path.of(a.value(flag)));
        case "--docker-archives" -> request.dockerArchiveDir(Path.of(a.value(flag)));
        case "--cache" -> request.cacheDir(Path.of(a.value(flag)));
        case "--tag" -> tags.add(a.value(flag));
        case "--repository" -> settings.repository(a.value(flag));
        case "--entrypoint" ->
            (entrypoint = entrypoint == null ? new ArrayList<>() : entrypoint).add(a.value(flag));
        case "--cmd" -> (cmd = cmd == null ? new ArrayList<>() : cmd).add(a.value(flag));
        case "--env" -> pair(a.value(flag), flag, variables);
        case "--label" -> pair(a.value(flag), flag, labels);
        case "--uid" -> ids(a.value(flag), flag, uids);
        case "--gid" -> ids(a.value(flag), flag, gids);
        case "--user" -> settings.user(a.value(flag));
        case "--workdir" -> settings.workdir(a.value(flag));
        case "--port" -> ports.add(a.value(flag));
        case "--volume" -> volumes.add(a.value(flag));
        case "--file" ->
            files.add(
                new ReleaseLayouts.Extra(
                    Path.of(a.value(flag)), a.value(flag), mode(a.value(flag)), false));
        case "--dir" ->
            dirs.add(
                new ReleaseLayouts.OwnedDirectory(
                    a.value(flag), a.value(flag), a.value(flag), mode(a.value(flag))));
        case "--copyright" -> request.copyright(Path.of(a.value(flag)));
        case "--revision" -> settings.revision(a.value(flag));
        case "--source" -> settings.source(a.value(flag));
        case "--licenses" -> settings.licenses(a.value(flag));
        case "--epoch" -> epoch = a.value(flag);
        case "--runtime-epoch" -> request.runtimeEpochSeconds(seconds(a.value(flag), flag));
        case "--push" -> push = true;
        case "--allow-http" -> registry = registry.withAllowHttp(true);
        case "--username" -> registry = registry.withCredentials(login(a.value(flag), env));
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (app == null || version == null) {
      throw new IllegalArgumentException("--app and --version are required");
    }
    if (!tags.isEmpty()) {
      settings.tags(tags);
    }
    settings.entrypoint(entrypoint).cmd(cmd).env(variables).labels(labels).uids(uids).gids(gids);
    settings.ports(ports).volumes(volumes);
    ImageSettings imageSettings = settings.build();
    request.app(app, version).settings(imageSettings).extras(files).directories(dirs);
    request.registry(registry);
    request.epochSeconds(
        epoch == null || epoch.isBlank()
            ? 315532800L
            : seconds(epoch, "--epoch (or SOURCE_DATE_EPOCH)"));
    BuiltImage image = new ImageBuilder(console).build(request.build());
    out.println(image.index().digest());
    if (push) {
      if (imageSettings.repository() == null) {
        throw OciException.configuration("--push needs --repository (where to push)");
      }
      try {
        new ImagePusher(registry, console)
            .push(
                LayoutReader.open(image.layoutDir()),
                image.index().withAnnotations(Map.of()),
                ImageReference.parse(imageSettings.repository()),
                image.tags());
      } catch (IOException e) {
        throw OciException.failure(e.getMessage(), e);
      }
    }
  }

  private static void push(Args a, PrintStream out, ImageConsole console, Map<String, String> env)
      throws OciException {
    String source = a.next();
    String target = a.next();
    List<String> tags = new ArrayList<>();
    RegistrySettings registry = RegistrySettings.defaults();
    while (a.more()) {
      String flag = a.next();
      switch (flag) {
        case "--tag" -> tags.add(a.value(flag));
        case "--allow-http" -> registry = registry.withAllowHttp(true);
        case "--username" -> registry = registry.withCredentials(login(a.value(flag), env));
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    String dir = source;
    String tag = null;
    int colon = source.lastIndexOf(':');
    if (colon > 0 && source.indexOf('/', colon) < 0) {
      dir = source.substring(0, colon);
      tag = source.substring(colon + 1);
    }
    ImageReference repository = ImageReference.parse(target);
    try {
      LayoutReader layout = LayoutReader.open(Path.of(dir));
      List<Descriptor> entries = new ArrayList<>();
      for (var node : layout.index().path("manifests")) {
        entries.add(Descriptor.fromJson(node, dir + "/index.json"));
      }
      String wanted = tag;
      List<Descriptor> chosen =
          wanted == null
              ? entries
              : entries.stream()
                  .filter(d -> wanted.equals(d.annotations().get(Descriptor.REF_NAME)))
                  .toList();
      if (chosen.isEmpty()) {
        throw OciException.configuration(dir + " has no image tagged " + tag);
      }
      Descriptor index = chosen.get(0);
      if (tags.isEmpty()) {
        if (repository.tag() != null) {
          tags.add(repository.tag());
        } else {
          for (Descriptor d : chosen) {
            if (d.digest().equals(index.digest())
                && d.annotations().containsKey(Descriptor.REF_NAME)) {
              tags.add(d.annotations().get(Descriptor.REF_NAME));
            }
          }
        }
      }
      var pushed =
          new ImagePusher(registry, console)
              .push(layout, index.withAnnotations(Map.of()), repository, tags);
      out.println(pushed.digest());
    } catch (IOException e) {
      throw OciException.configuration("Cannot read the layout " + dir + ": " + e.getMessage());
    }
  }

  private static Credentials login(String user, Map<String, String> env) {
    String password = env.get(PASSWORD_ENV);
    if (password == null) {
      throw new IllegalArgumentException(
          "--username needs the password in the environment variable " + PASSWORD_ENV);
    }
    return new Credentials(user, password);
  }

  private static void pair(String value, String flag, Map<String, String> into) {
    int equals = value.indexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException(flag + " takes NAME=VALUE, got '" + value + "'");
    }
    into.put(value.substring(0, equals), value.substring(equals + 1));
  }

  private static void ids(String value, String flag, Map<String, Long> into) {
    int equals = value.indexOf('=');
    if (equals <= 0 || !value.substring(equals + 1).matches("\\d{1,10}")) {
      throw new IllegalArgumentException(flag + " takes NAME=ID, got '" + value + "'");
    }
    into.put(value.substring(0, equals), Long.parseLong(value.substring(equals + 1)));
  }

  private static long seconds(String value, String what) {
    if (!value.strip().matches("\\d{1,18}")) {
      throw new IllegalArgumentException(what + " takes seconds since 1970, got '" + value + "'");
    }
    return Long.parseLong(value.strip());
  }

  private static int mode(String octal) {
    if (!octal.matches("0?[0-7]{3,4}")) {
      throw new IllegalArgumentException("'" + octal + "' is no octal mode (e.g. 0644)");
    }
    return Integer.parseInt(octal, 8);
  }

  /** The arguments after the command. */
  private static final class Args {
    private final String[] args;
    private int next;

    Args(String[] args, int start) {
      this.args = args;
      this.next = start;
    }

    boolean more() {
      return next < args.length;
    }

    String next() {
      if (!more()) {
        throw new IllegalArgumentException(USAGE);
      }
      return args[next++];
    }

    String value(String flag) {
      if (!more()) {
        throw new IllegalArgumentException(flag + " needs a value; " + USAGE);
      }
      return args[next++];
    }
  }
}
