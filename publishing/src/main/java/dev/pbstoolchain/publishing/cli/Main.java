package dev.pbstoolchain.publishing.cli;

import dev.pbstoolchain.publishing.PublishingConsole;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.apt.AptRepository;
import dev.pbstoolchain.publishing.apt.AptRequest;
import dev.pbstoolchain.publishing.io.Parallel;
import dev.pbstoolchain.publishing.packages.PackageSigner;
import dev.pbstoolchain.publishing.signing.DetachedSignature;
import dev.pbstoolchain.publishing.signing.GpgSigner;
import dev.pbstoolchain.publishing.signing.OpenPgpSigner;
import dev.pbstoolchain.publishing.signing.Passphrase;
import dev.pbstoolchain.publishing.signing.Signer;
import dev.pbstoolchain.publishing.yum.YumRepository;
import dev.pbstoolchain.publishing.yum.YumRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The publishing library from a shell: {@code sign}, {@code apt}, {@code yum} and {@code
 * export-key}. The key is a file ({@code --key}, passphrase from PBS_SIGNING_PASSPHRASE, never an
 * argument: arguments show in ps) or gpg's ({@code --gpg NAME}). Exit 0 done, 1 failed, 2 usage or
 * configuration.
 */
public final class Main {

  static final String USAGE =
      String.join(
          "\n",
          "usage: publishing COMMAND (--key FILE | --gpg NAME [--gnupg-home DIR]) [--time T] ...",
          "  sign FILE...            write FILE.asc (armored detached signature) beside each",
          "  sign-packages FILE...   sign each .rpm (header and header+payload signatures) and",
          "                          .deb (debsigs' _gpgorigin) in place",
          "  apt --repo DIR [--suite S] [--component C] [--origin O] [--label L] DEB...",
          "  yum --repo DIR RPM...",
          "  export-key              print the public key (KEY.asc)",
          "  release [--apt DIR] [--yum DIR] [--suite S] [--component C] FILE...",
          "                          all of it in one process: sign-packages for the .rpm/.deb,",
          "                          sign for the other files, then the debs into the APT and",
          "                          the rpms into the YUM repository, concurrently",
          "--time: ISO-8601 instant or epoch seconds the signatures and indexes carry (default:",
          "SOURCE_DATE_EPOCH, else now). The key file's passphrase comes from the environment",
          "variable " + Passphrase.ENVIRONMENT_VARIABLE + ".");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String command = args[0];
    Map<String, String> options = new HashMap<>();
    List<Path> files = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          err.println(args[i] + " needs a value\n" + USAGE);
          return 2;
        }
        options.put(args[i].substring(2), args[++i]);
      } else {
        files.add(Path.of(args[i]));
      }
    }
    PublishingConsole console = PublishingConsole.printing(err);
    try {
      Instant time = time(options.get("time"), env);
      Signer signer = signer(options, time, env);
      switch (command) {
        case "sign" -> {
          for (Path file : files) {
            DetachedSignature.write(file, signer, time);
            err.println("signed " + file);
          }
        }
        case "sign-packages" -> {
          for (Path file : files) {
            if (!PackageSigner.isPackage(file)) {
              throw PublishingException.configuration(
                  file + " is neither a .rpm nor a .deb; sign other files with 'sign'.");
            }
            PackageSigner.signInPlace(file, signer, time);
            err.println("signed " + file);
          }
        }
        case "apt" ->
            AptRepository.publish(
                aptRequest(repository(options), files, options, signer, time), console);
        case "yum" ->
            YumRepository.publish(
                new YumRequest(repository(options), files, time, signer), console);
        case "export-key" -> out.print(signer.armoredPublicKey());
        case "release" -> release(files, options, signer, time, console);
        default -> {
          err.println("unknown command " + command + "\n" + USAGE);
          return 2;
        }
      }
      return 0;
    } catch (PublishingException e) {
      err.println("error: " + e.getMessage());
      return e.isConfigurationProblem() ? 2 : 1;
    }
  }

  /**
   * sign-packages, sign, apt and yum in one JVM: packages and other files signed in parallel (one
   * per core), then the two repositories written at the same time (each reads its packages in
   * parallel too). Nothing is read twice from a cold JVM, which is what four CLI starts cost.
   */
  private static void release(
      List<Path> files,
      Map<String, String> options,
      Signer signer,
      Instant time,
      PublishingConsole console)
      throws PublishingException {
    List<Path> debs = files.stream().filter(f -> f.toString().endsWith(".deb")).toList();
    List<Path> rpms = files.stream().filter(f -> f.toString().endsWith(".rpm")).toList();
    Parallel.map(
        files,
        file -> {
          if (PackageSigner.isPackage(file)) {
            PackageSigner.signInPlace(file, signer, time);
          } else {
            DetachedSignature.write(file, signer, time);
          }
          console.info("signed " + file);
          return file;
        });
    List<Parallel.Work<Integer, Void>> repositories = new ArrayList<>();
    if (options.containsKey("apt") && !debs.isEmpty()) {
      AptRequest apt = aptRequest(Path.of(options.get("apt")), debs, options, signer, time);
      repositories.add(
          i -> {
            AptRepository.publish(apt, console);
            return null;
          });
    }
    if (options.containsKey("yum") && !rpms.isEmpty()) {
      YumRequest yum = new YumRequest(Path.of(options.get("yum")), rpms, time, signer);
      repositories.add(
          i -> {
            YumRepository.publish(yum, console);
            return null;
          });
    }
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < repositories.size(); i++) {
      indexes.add(i);
    }
    Parallel.map(indexes, i -> repositories.get(i).apply(i));
  }

  /**
   * The APT repository {@code repo} with {@code debs}, named by the suite/component/origin/label
   * options.
   */
  private static AptRequest aptRequest(
      Path repo, List<Path> debs, Map<String, String> options, Signer signer, Instant time) {
    return AptRequest.builder(repo, signer, time)
        .debs(debs)
        .suite(options.getOrDefault("suite", "stable"))
        .component(options.getOrDefault("component", "main"))
        .origin(options.getOrDefault("origin", "pbs-toolchain"))
        .label(options.get("label"))
        .build();
  }

  private static Path repository(Map<String, String> options) throws PublishingException {
    String repo = options.get("repo");
    if (repo == null) {
      throw PublishingException.configuration("--repo DIR is required\n" + USAGE);
    }
    return Path.of(repo);
  }

  private static Signer signer(Map<String, String> options, Instant time, Map<String, String> env)
      throws PublishingException {
    if (options.containsKey("gpg")) {
      String home = options.get("gnupg-home");
      return GpgSigner.open(
          "gpg", home == null ? null : Path.of(home), options.get("gpg"), time, Instant.now());
    }
    String key = options.get("key");
    if (key == null) {
      throw PublishingException.configuration("give --key FILE or --gpg NAME\n" + USAGE);
    }
    String value = env.get(Passphrase.ENVIRONMENT_VARIABLE);
    String source = "the environment variable " + Passphrase.ENVIRONMENT_VARIABLE;
    try (Passphrase passphrase =
        value == null ? Passphrase.none(source) : Passphrase.of(value.toCharArray(), source)) {
      return OpenPgpSigner.load(Path.of(key), passphrase, time, Instant.now());
    }
  }

  private static Instant time(String option, Map<String, String> env) throws PublishingException {
    String value = option != null ? option : env.get("SOURCE_DATE_EPOCH");
    if (value == null) {
      return Instant.now();
    }
    try {
      return value.chars().allMatch(Character::isDigit)
          ? Instant.ofEpochSecond(Long.parseLong(value))
          : Instant.parse(value);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw PublishingException.configuration(
          "'"
              + value
              + "' is no time: give an ISO-8601 instant (2026-11-24T00:00:00Z) or epoch"
              + " seconds.");
    }
  }
}
