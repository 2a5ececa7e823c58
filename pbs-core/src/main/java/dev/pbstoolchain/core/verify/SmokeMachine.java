package dev.pbstoolchain.core.verify;

import dev.pbstoolchain.core.Triples;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What this machine offers smoke runs: its own CPU, a private mount namespace to hide the host's
 * Pythons in ({@code unshare --user --map-root-user --mount}), qemu-user and a glibc for other
 * Linux CPUs, and Wine for Windows programs.
 *
 * @param hostCpu the first part of the host's triple ({@code x86_64})
 * @param unshare the unshare program, when it can make the namespace here
 * @param isolationProblem why it cannot, when it cannot
 * @param sysroots glibc trees given per CPU ({@code pbs.smoke.sysroot.aarch64})
 * @param path the directories searched for qemu and Wine
 */
public record SmokeMachine(
    String hostCpu,
    Optional<Path> unshare,
    String isolationProblem,
    Map<String, Path> sysroots,
    List<Path> path) {

  /** Where Debian's wine64 package puts its loader when the {@code wine} wrapper is absent. */
  static final Path DEBIAN_WINE64 = Path.of("/usr/lib/wine/wine64");

  public SmokeMachine {
    sysroots = Map.copyOf(sysroots);
    path = List.copyOf(path);
  }

  /** Probes this machine: makes one namespace to see that it can. */
  public static SmokeMachine probe(Map<String, Path> sysroots) {
    List<Path> path =
        java.util.Arrays.stream(
                Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin").split(":"))
            .filter(p -> !p.isEmpty())
            .map(Path::of)
            .toList();
    String cpu = Triples.host();
    cpu = cpu.substring(0, cpu.indexOf('-'));
    Optional<Path> unshare = find(path, "unshare");
    String problem = "";
    if (unshare.isEmpty()) {
      problem = "unshare is not on PATH (apt-get install util-linux)";
    } else {
      problem = tryNamespace(unshare.get());
      if (!problem.isEmpty()) {
        unshare = Optional.empty();
      }
    }
    return new SmokeMachine(cpu, unshare, problem, sysroots, path);
  }

  /** Empty when unshare made a user and mount namespace and bound a directory in it. */
  static String tryNamespace(Path unshare) {
    try {
      Path empty = Files.createTempDirectory("pbs-smoke-probe");
      try {
        Process p =
            new ProcessBuilder(
                    unshare.toString(),
                    "--user",
                    "--map-root-user",
                    "--mount",
                    "/bin/sh",
                    "-c",
                    "mount --bind \"$1\" \"$1\"",
                    "pbs-smoke",
                    empty.toString())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return unshare + " did not return within 30 s";
        }
        return p.exitValue() == 0
            ? ""
            : unshare
                + " --user --map-root-user --mount failed ("
                + (out.isEmpty() ? "exit " + p.exitValue() : out)
                + "): user namespaces are off here (containers often forbid them;"
                + " sysctl kernel.unprivileged_userns_clone=1 or run the container with"
                + " --security-opt seccomp=unconfined)";
      } finally {
        Files.deleteIfExists(empty);
      }
    } catch (IOException e) {
      return "cannot run " + unshare + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  static Optional<Path> find(List<Path> path, String name) {
    for (Path dir : path) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether binaries for {@code cpu} run here natively. */
  boolean runsNatively(String cpu) {
    return cpu.equals(hostCpu) || (cpu.startsWith("x86_64") && hostCpu.equals("x86_64"));
  }

  /** qemu-user for a triple's CPU: {@code qemu-aarch64-static}, else {@code qemu-aarch64}. */
  Optional<Path> qemu(String triple) {
    String name = "qemu-" + qemuCpu(triple);
    return find(path, name + "-static").or(() -> find(path, name));
  }

  static String qemuCpu(String triple) {
    String cpu = cpu(triple);
    if (cpu.startsWith("x86_64")) {
      return "x86_64";
    }
    if (cpu.matches("i[3-6]86")) {
      return "i386";
    }
    if (cpu.startsWith("armv") || cpu.equals("arm")) {
      return "arm";
    }
    return cpu;
  }

  /**
   * The glibc for a triple's CPU: {@code pbs.smoke.sysroot.CPU}, else the Debian cross libc ({@code
   * /usr/aarch64-linux-gnu}) when it holds the loader.
   */
  Optional<Path> sysroot(String triple) {
    Path given = sysroots.get(cpu(triple));
    if (given != null) {
      return Optional.of(given);
    }
    Path debian = Path.of("/usr", debianCrossTriple(triple));
    return Files.isDirectory(debian.resolve("lib")) ? Optional.of(debian) : Optional.empty();
  }

  /** What Debian's cross toolchains call the target ({@code arm-linux-gnueabihf}). */
  static String debianCrossTriple(String triple) {
    String cpu = cpu(triple);
    if (cpu.startsWith("x86_64")) {
      return "x86_64-linux-gnu";
    }
    if (cpu.matches("i[3-6]86")) {
      return "i686-linux-gnu";
    }
    if (cpu.startsWith("arm")) {
      return triple.endsWith("hf") ? "arm-linux-gnueabihf" : "arm-linux-gnueabi";
    }
    if (cpu.equals("ppc64le")) {
      return "powerpc64le-linux-gnu";
    }
    return cpu + "-linux-gnu";
  }

  static String cpu(String triple) {
    int dash = triple.indexOf('-');
    return dash < 0 ? triple : triple.substring(0, dash);
  }

  /** Wine: {@code wine} or {@code wine64} on PATH, else Debian's {@code /usr/lib/wine/wine64}. */
  Optional<Path> wine() {
    return find(path, "wine")
        .or(() -> find(path, "wine64"))
        .or(
            () ->
                Files.isExecutable(DEBIAN_WINE64) ? Optional.of(DEBIAN_WINE64) : Optional.empty());
  }

  /** A description of this machine's search path for messages. */
  String pathText() {
    return String.join(File.pathSeparator, path.stream().map(Path::toString).toList());
  }
}
