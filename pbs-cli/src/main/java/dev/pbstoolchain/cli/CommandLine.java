package dev.pbstoolchain.cli;

import dev.pbstoolchain.core.Credentials;
import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.fetch.HttpSettings;
import dev.pbstoolchain.core.release.PublishSettings;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.release.SigningSettings;
import dev.pbstoolchain.publishing.signing.Passphrase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The parsed arguments: commands in the order given, and the options, which may stand anywhere.
 * Each option is the flag {@link dev.pbstoolchain.core.PropertyNames} gives its Maven property.
 */
record CommandLine(
    List<Step> steps,
    ReleaseSettings settings,
    boolean help,
    boolean printVersion,
    boolean verbose) {

  /** Flags that take a value, with where the value goes. */
  private static final Map<String, BiConsumer<Parsed, String>> VALUE_FLAGS = valueFlags();

  private static final class Parsed {
    Path project = Path.of("");
    final Map<String, String> values = new LinkedHashMap<>();
    final List<String> sysroots = new ArrayList<>();
    final List<Step> steps = new ArrayList<>();
    boolean offline;
    boolean offlineFallback;
    boolean noVerifyChecksums;
    boolean help;
    boolean printVersion;
    boolean verbose;
    boolean imagePush;
    boolean imageAllowHttp;
  }

  static CommandLine parse(String[] args) throws PbsException {
    Parsed p = new Parsed();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "-h", "--help", "help" -> p.help = true;
        case "--version" -> p.printVersion = true;
        case "--offline" -> p.offline = true;
        case "--offline-fallback" -> p.offlineFallback = true;
        case "--no-verify-checksums" -> p.noVerifyChecksums = true;
        case "-v", "--verbose" -> p.verbose = true;
        case "--image-push" -> p.imagePush = true;
        case "--image-allow-http" -> p.imageAllowHttp = true;
        default -> {
          BiConsumer<Parsed, String> option = VALUE_FLAGS.get(arg);
          if (option != null) {
            if (value == null) {
              if (i + 1 >= args.length) {
                throw PbsException.configuration(arg + " needs a value\n" + Usage.text());
              }
              value = args[++i];
            }
            option.accept(p, value);
          } else if (arg.startsWith("-")) {
            throw PbsException.configuration("Unknown option " + arg + "\n" + Usage.text());
          } else {
            String word = arg;
            Step step =
                Step.named(word)
                    .orElseThrow(
                        () ->
                            PbsException.configuration(
                                "Unknown command " + word + "\n" + Usage.text()));
            p.steps.addAll(step.expanded());
          }
        }
      }
    }
    return new CommandLine(List.copyOf(p.steps), settings(p), p.help, p.printVersion, p.verbose);
  }

  private static ReleaseSettings settings(Parsed p) throws PbsException {
    Path project = p.project.toAbsolutePath().normalize();
    Map<String, String> v = p.values;
    ReleaseSettings.Builder b =
        ReleaseSettings.builder(FrontEnd.CLI, project)
            .projectVersion(v.get("--app-version"))
            .date(v.get("--date"))
            .version(v.get("--python-version"))
            .targets(v.get("--targets"))
            .flavor(v.get("--flavor"))
            .outputTimestamp(v.get("--output-timestamp"))
            .mirror(v.get("--mirror"))
            .pinnedSha256(v.get("--sha256"))
            .verifyChecksums(!p.noVerifyChecksums && !"false".equals(v.get("--verify-checksums")))
            .offline(p.offline)
            .offlineFallback(p.offlineFallback)
            .http(http(v, System.getenv()))
            .maxUnpackedSize(v.get("--max-unpacked-size"))
            .maxUnpackedEntries(v.get("--max-unpacked-entries"))
            .rpath(v.get("--rpath"))
            .licencesFlavor(v.get("--licenses-flavor"))
            .deny(v.get("--licenses-deny"))
            .allow(v.get("--licenses-allow"))
            .maxGlibc(v.get("--max-glibc"))
            .imagePush(p.imagePush)
            .imageAllowHttp(p.imageAllowHttp)
            .imageRevision(v.get("--image-revision"));
    path(v, "--matrix", project).ifPresent(b::matrixFile);
    path(v, "--output-dir", project).ifPresent(b::outputDir);
    path(v, "--stage-dir", project).ifPresent(b::stageDir);
    path(v, "--dist-dir", project).ifPresent(b::distDir);
    path(v, "--cache-dir", project).ifPresent(b::cacheDir);
    path(v, "--copyright", project).ifPresent(b::copyright);
    for (String sysroot : p.sysroots) {
      int eq = sysroot.indexOf('=');
      if (eq <= 0 || eq == sysroot.length() - 1) {
        throw PbsException.configuration(
            "--smoke-sysroot " + sysroot + ": give CPU=DIR, e.g. aarch64=/srv/sysroots/arm64");
      }
      b.smokeSysroot(sysroot.substring(0, eq), project.resolve(sysroot.substring(eq + 1)));
    }
    b.signing(
        new SigningSettings(
            path(v, "--signing-key-file", project).orElse(null),
            v.get("--signing-gpg-key"),
            Passphrase.fromEnvironment()));
    List<Path> from = new ArrayList<>();
    String fromList = v.get("--publish-from");
    if (fromList != null) {
      for (String dir : fromList.split(",")) {
        if (!dir.isBlank()) {
          from.add(project.resolve(dir.strip()));
        }
      }
    }
    b.publish(
        new PublishSettings(
            from,
            path(v, "--publish-to", project).orElse(null),
            path(v, "--publish-apt", project).orElse(null),
            path(v, "--publish-yum", project).orElse(null),
            v.get("--publish-suite"),
            v.get("--publish-component")));
    return b.build();
  }

  /** Timeouts and limits from their flags; credentials from --token or the environment. */
  static HttpSettings http(Map<String, String> v, Map<String, String> env) throws PbsException {
    HttpSettings defaults = HttpSettings.defaults();
    return defaults.toBuilder()
        .timeouts(
            seconds(v, "--connect-timeout", defaults.connectTimeout()),
            seconds(v, "--stall-timeout", defaults.stallTimeout()))
        .lowSpeed(
            number(v, "--low-speed-limit", defaults.lowSpeedLimit()),
            seconds(v, "--low-speed-time", defaults.lowSpeedTime()))
        .credentials(credentials(v.get("--token"), env))
        .build();
  }

  /**
   * {@code --token}, else {@code PBS_TOKEN}, as a bearer token; else {@code PBS_USERNAME} and
   * {@code PBS_PASSWORD} for Basic authentication. The environment keeps secrets out of the process
   * list, where command-line arguments show.
   */
  private static Credentials credentials(String token, Map<String, String> env) {
    if (token != null && !token.isBlank()) {
      return Credentials.bearer(token.strip(), "--token");
    }
    String fromEnv = env.get("PBS_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Credentials.bearer(fromEnv.strip(), "the PBS_TOKEN environment variable");
    }
    String user = env.get("PBS_USERNAME");
    if (user != null && !user.isBlank()) {
      return Credentials.basic(
          user.strip(),
          env.getOrDefault("PBS_PASSWORD", ""),
          "the PBS_USERNAME and PBS_PASSWORD environment variables");
    }
    return Credentials.none(
        "set PBS_TOKEN (a bearer token), or PBS_USERNAME and PBS_PASSWORD (Basic), in the"
            + " environment");
  }

  private static Duration seconds(Map<String, String> v, String flag, Duration otherwise)
      throws PbsException {
    return Duration.ofSeconds(number(v, flag, otherwise.toSeconds()));
  }

  private static long number(Map<String, String> v, String flag, long otherwise)
      throws PbsException {
    String value = v.get(flag);
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw PbsException.configuration(flag + " '" + value + "' is not a whole number >= 0");
  }

  private static Optional<Path> path(Map<String, String> values, String flag, Path base) {
    String value = values.get(flag);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(base.resolve(value));
  }

  private static Map<String, BiConsumer<Parsed, String>> valueFlags() {
    Map<String, BiConsumer<Parsed, String>> flags = new LinkedHashMap<>();
    flags.put("--project", (p, v) -> p.project = Path.of(v));
    flags.put("--smoke-sysroot", (p, v) -> p.sysroots.add(v));
    for (String flag :
        List.of(
            "--matrix",
            "--app-version",
            "--date",
            "--python-version",
            "--targets",
            "--flavor",
            "--output-dir",
            "--stage-dir",
            "--dist-dir",
            "--cache-dir",
            "--output-timestamp",
            "--mirror",
            "--sha256",
            "--verify-checksums",
            "--token",
            "--connect-timeout",
            "--stall-timeout",
            "--low-speed-limit",
            "--low-speed-time",
            "--max-unpacked-size",
            "--max-unpacked-entries",
            "--rpath",
            "--licenses-flavor",
            "--licenses-deny",
            "--licenses-allow",
            "--copyright",
            "--max-glibc",
            "--image-revision",
            "--signing-key-file",
            "--signing-gpg-key",
            "--publish-from",
            "--publish-to",
            "--publish-apt",
            "--publish-yum",
            "--publish-suite",
            "--publish-component")) {
      flags.put(flag, (p, v) -> p.values.put(flag, v));
    }
    return flags;
  }
}
