package dev.pbstoolchain.packagers.cli;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deb.DebWriter;
import dev.pbstoolchain.packagers.io.Compression;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.packagers.rpm.RpmWriter;
import dev.pbstoolchain.packagers.tar.TarGzWriter;
import dev.pbstoolchain.packagers.zip.ZipWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code FORMAT[,FORMAT...] APP BINARY PYTHON_DIR OUT_DIR}: packages one release in the given
 * formats (tar.gz, deb, rpm, zip), several formats in parallel. For scripts and benchmarks.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: FORMAT[,FORMAT...] APP BINARY PYTHON_DIR OUT_DIR");
      System.exit(2);
    }
    String app = args[1];
    Path binary = Path.of(args[2]);
    Path python = Path.of(args[3]);
    Path out = Path.of(args[4]);
    long epoch = 1_764_000_000L;
    PackageInfo info =
        PackageInfo.of(
            app, "1.0.0", app, "bench <bench@example.com>", "x86_64-unknown-linux-gnu", epoch);
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    List<Future<Object>> jobs = new ArrayList<>();
    for (String format : args[0].split(",")) {
      jobs.add(
          pool.submit(
              () -> {
                switch (format) {
                  case "tar.gz" ->
                      TarGzWriter.write(
                          ReleaseLayouts.tarball(app, "1.0.0", binary, python),
                          out.resolve(app + ".tar.gz"),
                          epoch);
                  case "deb" ->
                      DebWriter.write(
                          linux(app, binary, python),
                          info,
                          Compression.GZIP,
                          out.resolve(app + ".deb"));
                  case "rpm" ->
                      RpmWriter.write(
                          linux(app, binary, python),
                          info,
                          Compression.GZIP,
                          ReleaseLayouts.rpmOwnedDirectories(app, List.of(), List.of()),
                          out.resolve(app + ".rpm"));
                  case "zip" ->
                      ZipWriter.write(
                          ReleaseLayouts.windowsZip(app, binary, python),
                          out.resolve(app + ".zip"),
                          epoch);
                  default -> throw new PackagingException("unknown format " + format);
                }
                return null;
              }));
    }
    try {
      for (Future<Object> job : jobs) {
        job.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static Layout linux(String app, Path binary, Path python) throws PackagingException {
    return ReleaseLayouts.linuxPackage(app, binary, python, List.of(), List.of());
  }
}
