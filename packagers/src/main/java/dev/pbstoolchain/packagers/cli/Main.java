package dev.pbstoolchain.packagers.cli;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deb.DebWriter;
import dev.pbstoolchain.packagers.io.Compression;
import dev.pbstoolchain.packagers.io.DeflatedBodies;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.packagers.rpm.RpmWriter;
import dev.pbstoolchain.packagers.tar.TarGzWriter;
import dev.pbstoolchain.packagers.zip.ZipWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code FORMAT[,FORMAT...] APP BINARY PYTHON_DIR OUT_DIR}: packages one release in the given
 * formats (tar.gz, deb, rpm, zip): each file deflated once for all of them, the formats written in
 * parallel. For scripts and benchmarks.
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
    List<String> formats = List.of(args[0].split(","));
    Map<String, Layout> layouts = new LinkedHashMap<>();
    Layout tree = Layout.tree(python);
    for (String format : formats) {
      layouts.put(
          format,
          switch (format) {
            case "tar.gz" -> ReleaseLayouts.tarball(app, "1.0.0", binary, tree);
            case "deb", "rpm" ->
                ReleaseLayouts.linuxPackage(app, binary, tree, List.of(), List.of());
            case "zip" -> ReleaseLayouts.windowsZip(app, binary, tree);
            default -> throw new PackagingException("unknown format " + format);
          });
    }
    // Every file is deflated once, then each format splices the bodies it needs.
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    Set<DeflatedBodies.Digest> digests = EnumSet.noneOf(DeflatedBodies.Digest.class);
    if (layouts.containsKey("deb")) {
      digests.add(DeflatedBodies.Digest.MD5);
    }
    if (layouts.containsKey("rpm")) {
      digests.add(DeflatedBodies.Digest.SHA256);
    }
    try (DeflatedBodies bodies =
        DeflatedBodies.of(layouts.values(), out, TarGzWriter.LEVEL, digests)) {
      List<Future<Object>> jobs = new ArrayList<>();
      layouts.forEach(
          (format, layout) ->
              jobs.add(
                  pool.submit(
                      () -> {
                        switch (format) {
                          case "tar.gz" ->
                              TarGzWriter.write(
                                  layout, out.resolve(app + ".tar.gz"), epoch, bodies);
                          case "deb" ->
                              DebWriter.write(
                                  layout,
                                  info,
                                  Compression.GZIP,
                                  out.resolve(app + ".deb"),
                                  bodies);
                          case "rpm" ->
                              RpmWriter.write(
                                  layout,
                                  info,
                                  Compression.GZIP,
                                  ReleaseLayouts.rpmOwnedDirectories(app, List.of(), List.of()),
                                  out.resolve(app + ".rpm"),
                                  bodies);
                          default ->
                              ZipWriter.write(layout, out.resolve(app + ".zip"), epoch, bodies);
                        }
                        return null;
                      })));
      for (Future<Object> job : jobs) {
        job.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
