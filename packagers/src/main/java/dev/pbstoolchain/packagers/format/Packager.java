package dev.pbstoolchain.packagers.format;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deb.DebWriter;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.rpm.RpmWriter;
import dev.pbstoolchain.packagers.tar.TarGzWriter;
import dev.pbstoolchain.packagers.zip.ZipWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes a release in several formats at once: every file of the layouts is deflated once (on every
 * core) for all formats that splice, each with the digests its formats record, and the formats are
 * written side by side, each to a temp file renamed into place.
 */
public final class Packager {

  private Packager() {}

  /**
   * Writes every artifact of the request. When one fails, the others still finish (each is whole or
   * absent), then the first failure is thrown.
   */
  public static void writeAll(PackagingRequest request) throws PackagingException {
    List<PackagingRequest.Artifact> artifacts = request.artifacts();
    if (artifacts.isEmpty()) {
      return;
    }
    List<Layout> spliced = new ArrayList<>();
    Set<DeflatedBodies.Digest> digests = EnumSet.noneOf(DeflatedBodies.Digest.class);
    for (PackagingRequest.Artifact artifact : artifacts) {
      if (artifact.format().splices(request.compression())) {
        spliced.add(artifact.layout());
        digests.addAll(artifact.format().digests());
      }
    }
    // The spill of deflated bodies lies beside the first artifact, on the same file system.
    Path dir = artifacts.get(0).output().toAbsolutePath().getParent();
    try (DeflatedBodies bodies =
        DeflatedBodies.of(spliced, dir, digests, request.bodyCache().orElse(null))) {
      if (artifacts.size() == 1) {
        write(artifacts.get(0), request, bodies);
      } else {
        writeSideBySide(artifacts, request, bodies);
      }
    } catch (IOException e) {
      throw new PackagingException("Cannot write to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void writeSideBySide(
      List<PackagingRequest.Artifact> artifacts, PackagingRequest request, DeflatedBodies bodies)
      throws PackagingException {
    // Not the deflate pool: these threads wait for it.
    ExecutorService pool =
        Executors.newFixedThreadPool(
            artifacts.size(),
            r -> {
              Thread t = new Thread(r, "pbs-package");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Void>> jobs = new ArrayList<>();
      for (PackagingRequest.Artifact artifact : artifacts) {
        jobs.add(
            pool.submit(
                () -> {
                  write(artifact, request, bodies);
                  return null;
                }));
      }
      Throwable first = null;
      for (Future<Void> job : jobs) {
        try {
          job.get();
        } catch (ExecutionException e) {
          first = first == null ? e.getCause() : first;
        }
      }
      if (first instanceof PackagingException failed) {
        throw failed;
      } else if (first instanceof RuntimeException bug) {
        throw bug;
      } else if (first instanceof Error error) {
        throw error;
      } else if (first != null) {
        throw new IllegalStateException(first);
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      awaitQuietly(pool);
      Thread.currentThread().interrupt();
      throw new PackagingException(
          "Interrupted while writing "
              + artifacts.stream().map(a -> a.output().getFileName().toString()).toList(),
          e);
    } finally {
      pool.shutdown();
    }
  }

  /** Waits for interrupted writers to stop before the shared bodies close under them. */
  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException again) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(
      PackagingRequest.Artifact artifact, PackagingRequest request, DeflatedBodies bodies)
      throws PackagingException {
    long epoch = request.info().epochSeconds();
    switch (artifact.format()) {
      case TAR_GZ -> TarGzWriter.write(artifact.layout(), artifact.output(), epoch, bodies);
      case DEB ->
          DebWriter.write(
              artifact.layout(),
              request.info(),
              request.compression(),
              artifact.output(),
              bodies,
              request.signer());
      case RPM ->
          RpmWriter.write(
              artifact.layout(),
              request.info(),
              request.compression(),
              request.rpmOwnedDirectories(),
              artifact.output(),
              bodies,
              request.signer());
      case ZIP -> ZipWriter.write(artifact.layout(), artifact.output(), epoch, bodies);
    }
  }
}
