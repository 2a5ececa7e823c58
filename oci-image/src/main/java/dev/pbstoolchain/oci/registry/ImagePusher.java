package dev.pbstoolchain.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.layout.LayoutReader;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import dev.pbstoolchain.oci.model.MediaTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pushes an image index from an OCI layout: every blob the registry lacks (mounted from the base's
 * repository when the base lives in the same registry, else uploaded), each platform manifest by
 * digest, the index by digest, and only then the tags, so a failure at any step leaves no tag
 * pointing at a half-pushed image. Afterwards the first tag is read back: the registry's digest
 * must be the layout's.
 */
public final class ImagePusher {

  /** The manifest annotation that names the base (written when it came from a registry). */
  static final String BASE_NAME = "org.opencontainers.image.base.name";

  private final RegistrySettings settings;
  private final ImageConsole console;
  private Early early;

  /** Uploads begun by {@link #uploadEarly}, by digest: the push waits for them. */
  private final Map<Digest, CompletableFuture<Outcome>> begun = new ConcurrentHashMap<>();

  private ExecutorService earlyUploads;

  /** A connection started by {@link #connectEarly}: for this repository and these mounts. */
  private record Early(
      ImageReference repository,
      Set<String> mountSources,
      CompletableFuture<RegistryClient> made) {}

  public ImagePusher(RegistrySettings settings, ImageConsole console) {
    this.settings = settings;
    this.console = console;
  }

  /**
   * Starts connecting to {@code repository}'s registry now, on a thread of its own (the HTTP
   * client, the {@code /v2/} ping), so that this overlaps the image's build: the next {@link #push}
   * to the same repository with the same mounts finds the connection made, or the error that kept
   * it from being made (reported by the push, as if it had connected itself).
   *
   * @param mountSources the repositories of the registry the push may mount blobs from
   * @return completes when the connection is made or has failed
   */
  public CompletableFuture<Void> connectEarly(
      ImageReference repository, Collection<String> mountSources) {
    Set<String> mounts = Set.copyOf(mountSources);
    CompletableFuture<RegistryClient> made = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                RegistryClient client =
                    RegistryClient.pushing(repository, mounts, settings, console);
                client.connect();
                made.complete(client);
              } catch (OciException | RuntimeException e) {
                made.completeExceptionally(e);
              }
            },
            "pbs-push-connect");
    thread.setDaemon(true);
    thread.start();
    early = new Early(repository.repositoryOnly(), mounts, made);
    return made.handle((client, failure) -> null);
  }

  /**
   * Starts uploading a blob of the image being built (a layer or config, as soon as it is written)
   * over the connection {@link #connectEarly} is making, so that the upload overlaps the rest of
   * the build; up to {@value #PARALLEL_BLOBS} at a time, so that small blobs do not wait for a
   * large one; the next {@link #push} waits for it instead of uploading the blob. Nothing is
   * visible in the repository before the push's manifests and tags. If this upload fails, the push
   * uploads the blob itself (and reports what fails then); without an early connection this does
   * nothing.
   *
   * @param file the blob's bytes, which must stay readable at this path until the push
   */
  public void uploadEarly(Descriptor blob, Path file) {
    Early started = early;
    if (started == null || begun.containsKey(blob.digest())) {
      return;
    }
    if (earlyUploads == null) {
      earlyUploads =
          Executors.newFixedThreadPool(
              PARALLEL_BLOBS,
              r -> {
                Thread thread = new Thread(r, "pbs-push-early");
                thread.setDaemon(true);
                return thread;
              });
    }
    Descriptor plain = plain(blob);
    begun.put(
        blob.digest(),
        started
            .made()
            .thenApplyAsync(
                client -> {
                  try {
                    if (client.hasBlob(plain)) {
                      return Outcome.PRESENT;
                    }
                    announce(plain, started.repository());
                    client.upload(plain, file);
                    return Outcome.UPLOADED;
                  } catch (OciException e) {
                    throw new CompletionException(e);
                  }
                },
                earlyUploads));
  }

  /**
   * The connection {@link #connectEarly} made for this push, else a new one. When it could not
   * connect, its error is the push's (trying again would wait for the same timeouts twice).
   */
  private RegistryClient client(ImageReference repository, Set<String> mountSources)
      throws OciException {
    Early started = early;
    early = null;
    if (started != null
        && started.repository().equals(repository.repositoryOnly())
        && started.mountSources().equals(mountSources)) {
      try {
        return started.made().join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof OciException failure) {
          throw failure;
        }
        // Anything else: connect again, here, where it is reported.
      }
    }
    // Early uploads (if any) went elsewhere or failed with the connection: upload here.
    begun.clear();
    return RegistryClient.pushing(repository, mountSources, settings, console);
  }

  /** What a push did. */
  public record Pushed(Digest digest, int uploaded, int mounted, int present, List<String> tags) {}

  /**
   * An image in the registry by digest, every blob and manifest of it, but no tag yet: {@link #tag}
   * makes it visible.
   */
  public static final class Staged {
    private final ImageReference repository;
    private final Descriptor index;
    private final byte[] indexBytes;
    private final RegistryClient client;
    private final int uploaded;
    private final int mounted;
    private final int present;

    private Staged(
        ImageReference repository,
        Descriptor index,
        byte[] indexBytes,
        RegistryClient client,
        int uploaded,
        int mounted,
        int present) {
      this.repository = repository;
      this.index = index;
      this.indexBytes = indexBytes;
      this.client = client;
      this.uploaded = uploaded;
      this.mounted = mounted;
      this.present = present;
    }
  }

  /**
   * @param layout the layout holding the index and everything it references
   * @param index the index (or single manifest) to push
   * @param repository the target repository (a tag or digest in it is ignored)
   * @param tags the tags to set, last
   */
  public Pushed push(
      LayoutReader layout, Descriptor index, ImageReference repository, List<String> tags)
      throws OciException {
    if (tags.isEmpty()) {
      throw OciException.configuration("Nothing to push to " + repository + ": no tags given");
    }
    return tag(stage(layout, index, repository), tags);
  }

  /**
   * The first part of {@link #push}: every blob the registry lacks, each manifest and the index by
   * digest. Nothing is tagged, so nothing new is visible under a tag.
   */
  public Staged stage(LayoutReader layout, Descriptor index, ImageReference repository)
      throws OciException {
    try {
      byte[] indexBytes = layout.document(index);
      Map<Descriptor, byte[]> manifests = new LinkedHashMap<>();
      Set<Descriptor> blobs = new LinkedHashSet<>();
      Set<String> mountSources = new LinkedHashSet<>();
      List<Descriptor> entries = new ArrayList<>();
      if (MediaTypes.isIndex(index.mediaType())) {
        ObjectNode json = Json.parse(indexBytes, "the index " + index.digest());
        int i = 0;
        for (JsonNode node : json.path("manifests")) {
          entries.add(Descriptor.fromJson(node, "the index's manifests[" + i++ + "]"));
        }
      } else {
        entries.add(index);
      }
      for (Descriptor entry : entries) {
        byte[] bytes = layout.document(entry);
        ObjectNode manifest = Json.parse(bytes, "the manifest " + entry.digest());
        blobs.add(plain(Descriptor.fromJson(manifest.path("config"), "its config")));
        for (JsonNode layer : manifest.path("layers")) {
          blobs.add(plain(Descriptor.fromJson(layer, "a layer of " + entry.digest())));
        }
        String baseName = manifest.path("annotations").path(BASE_NAME).asText("");
        if (!baseName.isEmpty()) {
          try {
            ImageReference base = ImageReference.parse(baseName);
            if (base.registry().equals(repository.registry())) {
              mountSources.add(base.repository());
            }
          } catch (IllegalArgumentException ignored) {
            // Not a reference we can mount from.
          }
        }
        manifests.put(entry, bytes);
      }
      RegistryClient client = client(repository, mountSources);
      Map<Outcome, Integer> outcomes;
      try {
        outcomes = pushBlobs(client, layout, blobs, mountSources, repository);
      } finally {
        if (earlyUploads != null) {
          earlyUploads.shutdownNow();
          earlyUploads = null;
        }
        begun.clear();
      }
      int uploaded = outcomes.getOrDefault(Outcome.UPLOADED, 0);
      int mounted = outcomes.getOrDefault(Outcome.MOUNTED, 0);
      int present = outcomes.getOrDefault(Outcome.PRESENT, 0);
      for (var manifest : manifests.entrySet()) {
        client.putManifest(
            manifest.getKey().digest().toString(),
            manifest.getKey().mediaType(),
            manifest.getValue());
      }
      if (MediaTypes.isIndex(index.mediaType())) {
        client.putManifest(index.digest().toString(), index.mediaType(), indexBytes);
      }
      return new Staged(repository, index, indexBytes, client, uploaded, mounted, present);
    } catch (IOException e) {
      throw OciException.failure(
          "Cannot push " + index.digest() + " from " + layout.dir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The last part of {@link #push}: sets the tags on a staged image, then reads the first back: the
   * registry's digest must be the pushed one.
   */
  public Pushed tag(Staged staged, List<String> tags) throws OciException {
    ImageReference repository = staged.repository;
    Descriptor index = staged.index;
    if (tags.isEmpty()) {
      throw OciException.configuration("Nothing to push to " + repository + ": no tags given");
    }
    RegistryClient client = staged.client;
    for (String tag : tags) {
      client.putManifest(tag, index.mediaType(), staged.indexBytes);
    }
    Optional<Digest> stored = client.manifestDigest(tags.get(0));
    if (stored.isPresent() && !stored.get().equals(index.digest())) {
      throw OciException.failure(
          repository.withTag(tags.get(0))
              + " points at "
              + stored.get()
              + " after the push, not at the pushed "
              + index.digest()
              + ": another push to the same tag ran at the same time?");
    }
    console.info(
        "Pushed "
            + repository.repositoryOnly()
            + "@"
            + index.digest()
            + " as "
            + String.join(", ", tags)
            + " ("
            + staged.uploaded
            + " blobs uploaded, "
            + staged.mounted
            + " mounted, "
            + staged.present
            + " already there)");
    return new Pushed(
        index.digest(), staged.uploaded, staged.mounted, staged.present, List.copyOf(tags));
  }

  /** What became of a blob. */
  private enum Outcome {
    PRESENT,
    MOUNTED,
    UPLOADED
  }

  /** Blobs go up a few at a time: registries serve parallel uploads, and layers are large. */
  private static final int PARALLEL_BLOBS = 3;

  private Map<Outcome, Integer> pushBlobs(
      RegistryClient client,
      LayoutReader layout,
      Set<Descriptor> blobs,
      Set<String> mountSources,
      ImageReference repository)
      throws OciException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(PARALLEL_BLOBS, blobs.size())),
            r -> {
              Thread thread = new Thread(r, "pbs-push");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Outcome>> pushes = new ArrayList<>();
      for (Descriptor blob : blobs) {
        pushes.add(pool.submit(() -> pushBlob(client, layout, blob, mountSources, repository)));
      }
      Map<Outcome, Integer> counts = new java.util.EnumMap<>(Outcome.class);
      for (Future<Outcome> push : pushes) {
        counts.merge(await(push), 1, Integer::sum);
      }
      return counts;
    } finally {
      pool.shutdownNow();
    }
  }

  private Outcome pushBlob(
      RegistryClient client,
      LayoutReader layout,
      Descriptor blob,
      Set<String> mountSources,
      ImageReference repository)
      throws OciException {
    CompletableFuture<Outcome> early = begun.get(blob.digest());
    if (early != null) {
      try {
        return early.join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        // Uploaded again below, where a lasting failure is reported.
      }
    }
    if (client.hasBlob(blob)) {
      return Outcome.PRESENT;
    }
    if (!blob.mediaType().equals(MediaTypes.OCI_CONFIG)) {
      for (String source : mountSources) {
        if (client.mount(blob, source)) {
          return Outcome.MOUNTED;
        }
      }
    }
    announce(blob, repository);
    client.upload(blob, layout.blobPath(blob.digest()));
    return Outcome.UPLOADED;
  }

  private void announce(Descriptor blob, ImageReference repository) {
    console.info(
        "Uploading "
            + blob.digest().shortHex()
            + " ("
            + blob.size()
            + " bytes) to "
            + repository.repositoryOnly());
  }

  private static Outcome await(Future<Outcome> push) throws OciException {
    try {
      return push.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw OciException.failure("Interrupted while pushing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OciException oci) {
        throw oci;
      }
      throw OciException.failure("Pushing a blob failed: " + e.getCause(), e.getCause());
    }
  }

  private static Descriptor plain(Descriptor d) {
    return new Descriptor(d.mediaType(), d.digest(), d.size());
  }
}
