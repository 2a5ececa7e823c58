package dev.pbstoolchain.core.verify;

import dev.pbstoolchain.core.Triples;
import dev.pbstoolchain.core.fetch.Directories;
import dev.pbstoolchain.core.release.SmokeSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the app of one unpacked artifact as its users get it, where only the artifact's own Python
 * can serve it: the environment cleared (PATH, HOME in a scratch directory, LANG=C.UTF-8), the
 * host's Pythons hidden in a private mount namespace, the loader's own trace saying which libpython
 * it mapped. Other Linux CPUs run under qemu-user against a glibc sysroot, Windows programs under
 * Wine in a prefix of our own.
 */
public final class SmokeRunner {

  /** What the app output is cut to (the end of it) in reports. */
  static final int OUTPUT_LIMIT = 64 * 1024;

  /** Exit status of the wrapper when it could not hide a directory. */
  static final int HIDE_FAILED = 125;

  static final String PATH = "/usr/local/bin:/usr/bin:/bin";

  /**
   * Binds an empty directory over each directory to hide, turns on the loader trace and becomes the
   * app: {@code sh -c SCRIPT pbs-smoke EMPTY TRACE DIR... -- APP ARGS...}.
   */
  static final String SCRIPT =
      String.join(
          "\n",
          "empty=$1 trace=$2",
          "shift 2",
          "while [ \"$1\" != -- ]; do",
          "  mount --bind \"$empty\" \"$1\" || { echo \"pbs-smoke: cannot hide $1\" >&2; exit "
              + HIDE_FAILED
              + "; }",
          "  shift",
          "done",
          "shift",
          "unset PWD OLDPWD",
          "export LD_DEBUG=libs LD_DEBUG_OUTPUT=\"$trace\"",
          "exec \"$@\"");

  /**
   * Where a Wine prefix of our own is kept between builds: {@code $XDG_CACHE_HOME/pbs-toolchain},
   * else {@code ~/.cache/pbs-toolchain}.
   */
  public static Path defaultCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("pbs-toolchain");
  }

  private final SmokeMachine machine;
  private final Path scratchRoot;
  private final Path wineCache;

  /**
   * @param machine what this machine offers
   * @param scratchRoot where each run gets its scratch directory (HOME, trace), removed after it
   * @param wineCache where the Wine prefix of our own is kept between builds
   */
  public SmokeRunner(SmokeMachine machine, Path scratchRoot, Path wineCache) {
    this.machine = machine;
    this.scratchRoot = scratchRoot;
    this.wineCache = wineCache;
  }

  /**
   * Runs the app of one artifact.
   *
   * @param artifact the artifact's file name, for the report
   * @param triple the target it was built for
   * @param root the unpacked artifact (a tar.gz's contents, a deb's or rpm's scratch root)
   * @param binary the app inside it
   * @param pythonHome the bundled Python inside it
   */
  public SmokeRun run(
      String artifact, String triple, Path root, Path binary, Path pythonHome, SmokeSpec spec)
      throws IOException {
    if (Triples.isDarwin(triple)) {
      return SmokeRun.skipped(artifact, "macOS programs cannot run on this Linux host");
    }
    if (Triples.isWindows(triple)) {
      Optional<Path> wine = machine.wine();
      if (wine.isEmpty()) {
        return SmokeRun.skipped(
            artifact, "Wine is not installed (apt-get install wine64): the zip was not run");
      }
      return runWindows(artifact, wine.get(), root, binary, spec);
    }
    List<String> inner = new ArrayList<>();
    String runner;
    Optional<Path> sysroot = Optional.empty();
    String cpu = SmokeMachine.cpu(triple);
    if (machine.runsNatively(cpu)) {
      runner = "native " + machine.hostCpu();
    } else {
      Optional<Path> qemu = machine.qemu(triple);
      if (qemu.isEmpty()) {
        String name = "qemu-" + SmokeMachine.qemuCpu(triple);
        return SmokeRun.skipped(
            artifact,
            name
                + "-static or "
                + name
                + " is not on PATH, so this "
                + cpu
                + " program was not run (apt-get install qemu-user-static)");
      }
      sysroot = machine.sysroot(triple);
      if (sysroot.isEmpty()) {
        return SmokeRun.skipped(
            artifact,
            "no glibc for "
                + cpu
                + " to run it under qemu: give one with -Dpbs.smoke.sysroot."
                + cpu
                + "=DIR, or apt-get install libc6-"
                + debianArch(triple)
                + "-cross (/usr/"
                + SmokeMachine.debianCrossTriple(triple)
                + ")");
      }
      inner.addAll(List.of(qemu.get().toString(), "-L", sysroot.get().toString()));
      runner = qemu.get().getFileName() + " -L " + sysroot.get();
    }
    inner.add(binary.toString());
    inner.addAll(spec.args());
    return runLinux(artifact, runner, root, pythonHome, sysroot, inner, spec);
  }

  private SmokeRun runLinux(
      String artifact,
      String runner,
      Path root,
      Path pythonHome,
      Optional<Path> sysroot,
      List<String> inner,
      SmokeSpec spec)
      throws IOException {
    Files.createDirectories(scratchRoot);
    Path scratch = Files.createTempDirectory(scratchRoot, "smoke-");
    try {
      Path home = Files.createDirectories(scratch.resolve("home"));
      Path empty = Files.createDirectories(scratch.resolve("empty"));
      Path trace = scratch.resolve("ld-trace");
      List<Path> hidden =
          machine.unshare().isPresent() ? HiddenPythons.of(root, pythonHome, sysroot) : List.of();
      List<String> command = new ArrayList<>();
      machine
          .unshare()
          .ifPresent(
              unshare ->
                  command.addAll(
                      List.of(unshare.toString(), "--user", "--map-root-user", "--mount")));
      command.addAll(
          List.of("/bin/sh", "-c", SCRIPT, "pbs-smoke", empty.toString(), trace.toString()));
      hidden.forEach(h -> command.add(h.toString()));
      command.add("--");
      command.addAll(inner);
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", PATH);
      env.put("HOME", home.toString());
      env.put("LANG", "C.UTF-8");
      Finished finished = execute(command, env, home, spec);
      List<String> loaded = LoaderTrace.glibcLibpython(scratch, "ld-trace");
      String isolation =
          machine.unshare().isPresent()
              ? "private mount namespace; hidden: "
                  + (hidden.isEmpty()
                      ? "nothing (no Python found on this host)"
                      : hidden.stream().map(Path::toString).collect(Collectors.joining(", ")))
              : "NOT isolated: " + machine.isolationProblem();
      return judge(
          artifact,
          runner,
          machine.unshare().isPresent(),
          isolation,
          inner,
          finished,
          root,
          loaded.stream().map(Path::of).toList(),
          spec);
    } finally {
      Directories.deleteQuietly(scratch);
    }
  }

  private SmokeRun runWindows(String artifact, Path wine, Path root, Path exe, SmokeSpec spec)
      throws IOException {
    Path prefix = WinePrefix.ensure(wine, wineCache);
    Files.createDirectories(scratchRoot);
    Path scratch = Files.createTempDirectory(scratchRoot, "smoke-");
    try {
      Path home = Files.createDirectories(scratch.resolve("home"));
      List<String> command = new ArrayList<>(List.of(wine.toString(), exe.toString()));
      command.addAll(spec.args());
      Map<String, String> env = new LinkedHashMap<>(WinePrefix.environment(prefix));
      env.put("HOME", home.toString());
      env.put("WINEDEBUG", "-all,+loaddll");
      Finished raw = execute(command, env, home, spec);
      List<Path> loaded = new ArrayList<>();
      for (String dll : LoaderTrace.wineLibpython(raw.output())) {
        loaded.add(unixPath(dll));
      }
      Finished finished =
          new Finished(
              raw.exitCode(),
              LoaderTrace.withoutWineTrace(raw.output()),
              raw.millis(),
              raw.timedOut());
      return judge(
          artifact,
          wine.getFileName().toString(),
          true,
          "Wine prefix of our own (" + prefix + "), with no Windows Python in it",
          command,
          finished,
          root,
          loaded,
          spec);
    } finally {
      Directories.deleteQuietly(scratch);
    }
  }

  /** Wine's {@code Z:\dir\file} (Z: is the Unix root) as the Unix path. */
  static Path unixPath(String windows) {
    String path = windows.startsWith("\\\\?\\") ? windows.substring(4) : windows;
    if (path.length() > 2
        && Character.toUpperCase(path.charAt(0)) == 'Z'
        && path.charAt(1) == ':') {
      return Path.of(path.substring(2).replace('\\', '/'));
    }
    return Path.of(path);
  }

  private SmokeRun judge(
      String artifact,
      String runner,
      boolean isolated,
      String isolation,
      List<String> command,
      Finished finished,
      Path root,
      List<Path> loaded,
      SmokeSpec spec)
      throws IOException {
    Path realRoot = root.toRealPath();
    List<String> problems = new ArrayList<>();
    String libpython = "";
    if (finished.timedOut()) {
      problems.add("did not finish within " + seconds(spec.timeout().toMillis()));
    } else if (finished.exitCode() != 0) {
      problems.add("exited with status " + finished.exitCode());
    }
    if (!finished.timedOut() && !spec.expect().matcher(finished.output()).find()) {
      problems.add("its output does not match /" + spec.expect().pattern() + "/");
    }
    if (loaded.isEmpty()) {
      problems.add("the loader mapped no libpython (it must come from the artifact)");
    }
    for (Path path : loaded) {
      Path real = Files.exists(path) ? path.toRealPath() : path.normalize();
      if (real.startsWith(realRoot)) {
        libpython = realRoot.relativize(real).toString();
      } else {
        problems.add("it loaded " + path + ", which is not inside the artifact");
        libpython = path.toString();
      }
    }
    String timing = seconds(finished.millis());
    SmokeRun.Outcome outcome =
        problems.isEmpty() ? SmokeRun.Outcome.PASSED : SmokeRun.Outcome.FAILED;
    String detail;
    if (problems.isEmpty()) {
      detail =
          "exit 0 in "
              + timing
              + ", output matched /"
              + spec.expect().pattern()
              + "/, libpython from "
              + libpython
              + "; "
              + isolation;
    } else {
      detail =
          String.join("; ", problems)
              + " (after "
              + timing
              + "; "
              + isolation
              + "). Command: "
              + String.join(" ", command)
              + "\n"
              + indent(lastLines(finished.output(), 40));
    }
    return new SmokeRun(
        artifact,
        runner,
        outcome,
        isolated,
        isolation,
        command,
        finished.exitCode(),
        finished.output(),
        libpython,
        finished.millis(),
        detail);
  }

  /** How a process ended. */
  record Finished(int exitCode, String output, long millis, boolean timedOut) {}

  static Finished execute(List<String> command, Map<String, String> env, Path cwd, SmokeSpec spec)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(cwd.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> tail(process.getInputStream()));
    boolean done;
    try {
      done = process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    String text;
    try {
      text = output.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // A child that kept the pipe open after the app ended: report what is known.
      text = "(output unavailable: " + e + ")";
    }
    return new Finished(done ? process.exitValue() : -1, text, millis, !done);
  }

  /** All of a stream, keeping only its last {@link #OUTPUT_LIMIT} bytes. */
  private static String tail(InputStream in) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean cut = false;
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        kept.write(buffer, 0, n);
        if (kept.size() > 2 * OUTPUT_LIMIT) {
          byte[] all = kept.toByteArray();
          kept.reset();
          kept.write(all, all.length - OUTPUT_LIMIT, OUTPUT_LIMIT);
          cut = true;
        }
      }
    } catch (IOException e) {
      // The process ended; what was read is the output.
    }
    String text = kept.toString(StandardCharsets.UTF_8);
    return cut ? "[...]\n" + text : text;
  }

  private static String lastLines(String text, int count) {
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - count);
    String shown = String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    return (from > 0 ? "[... " + from + " lines]\n" : "")
        + (shown.isEmpty() ? "(no output)" : shown);
  }

  private static String indent(String text) {
    return text.lines().map(l -> "        | " + l).collect(Collectors.joining("\n"));
  }

  static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  /** Debian's architecture name for a triple's CPU (for the cross libc package's name). */
  static String debianArch(String triple) {
    String cpu = SmokeMachine.cpu(triple);
    if (cpu.startsWith("x86_64")) {
      return "amd64";
    }
    if (cpu.matches("i[3-6]86")) {
      return "i386";
    }
    if (cpu.startsWith("arm") && !cpu.equals("aarch64")) {
      return triple.endsWith("hf") ? "armhf" : "armel";
    }
    return switch (cpu) {
      case "aarch64" -> "arm64";
      case "ppc64le" -> "ppc64el";
      default -> cpu;
    };
  }
}
