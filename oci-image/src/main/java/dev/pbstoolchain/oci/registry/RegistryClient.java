package dev.pbstoolchain.oci.registry;

import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import dev.pbstoolchain.oci.model.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The OCI distribution API for one repository: manifests and blobs pulled and verified against
 * their digests, blobs checked (HEAD), mounted from another repository of the registry or uploaded
 * (POST, a streamed PATCH resumed where the registry says it stopped, PUT with the digest), and
 * manifests put by digest or tag.
 */
public final class RegistryClient {

  private static final int RANGE_LIMIT = 16 * 1024;

  private final ImageReference repository;
  private final RegistryTransport transport;
  private final RegistrySettings settings;
  private final ImageConsole console;

  private RegistryClient(
      ImageReference repository,
      List<String> scopes,
      RegistrySettings settings,
      ImageConsole console,
      Supplier<HttpTransport> makeHttps) {
    this.repository = repository;
    this.settings = settings;
    this.console = console;
    this.transport = new RegistryTransport(repository, scopes, settings, console, makeHttps);
  }

  /** A client that reads from the reference's repository. */
  public static RegistryClient pulling(
      ImageReference reference, RegistrySettings settings, ImageConsole console) {
    return new RegistryClient(
        reference.repositoryOnly(),
        List.of("repository:" + reference.repository() + ":pull"),
        settings,
        console,
        JdkHttp::new);
  }

  /**
   * A client that pushes to the target's repository and may mount blobs from the given repositories
   * of the same registry.
   */
  public static RegistryClient pushing(
      ImageReference target,
      Collection<String> mountSources,
      RegistrySettings settings,
      ImageConsole console) {
    return pushing(target, mountSources, settings, console, JdkHttp::new);
  }

  /** As above, HTTPS going through the client {@code makeHttps} makes (tests count it). */
  static RegistryClient pushing(
      ImageReference target,
      Collection<String> mountSources,
      RegistrySettings settings,
      ImageConsole console,
      Supplier<HttpTransport> makeHttps) {
    List<String> scopes = new ArrayList<>();
    scopes.add("repository:" + target.repository() + ":pull,push");
    for (String source : mountSources) {
      if (!source.equals(target.repository())) {
        scopes.add("repository:" + source + ":pull");
      }
    }
    return new RegistryClient(target.repositoryOnly(), scopes, settings, console, makeHttps);
  }

  public ImageReference repository() {
    return repository;
  }

  /**
   * A manifest or index as the registry holds it.
   *
   * @param bytes its exact bytes (what its digest is taken of)
   * @param mediaType from the document, else the Content-Type
   * @param digest the SHA-256 of the bytes
   */
  public record FetchedManifest(byte[] bytes, String mediaType, Digest digest) {}

  /** GET a manifest by tag or digest; a digest is verified against the bytes. */
  public FetchedManifest manifest(String reference) throws OciException {
    String what = "Reading the manifest " + repository.withTagOrDigest(reference);
    RegistryResponse response =
        transport.send(
            RegistryTransport.Call.of(what, "GET", manifestUri(reference))
                .header("Accept", MediaTypes.ACCEPT_ANY_MANIFEST));
    if (response.status() != 200) {
      throw transport.rejected(what, response);
    }
    byte[] bytes = RegistryTransport.read(response, Json.MAX_DOCUMENT);
    Digest digest = Digest.sha256(bytes);
    if (Digest.isDigest(reference) && !Digest.parse(reference).equals(digest)) {
      throw OciException.failure(
          what + ": the registry sent bytes whose digest is " + digest + ", not the one asked for");
    }
    String mediaType;
    try {
      mediaType =
          Json.parse(bytes, what)
              .path("mediaType")
              .asText(response.header("Content-Type").orElse(""));
    } catch (IOException e) {
      throw OciException.failure(what + ": " + e.getMessage(), e);
    }
    return new FetchedManifest(bytes, mediaType, digest);
  }

  /**
   * Downloads a blob to {@code target} (through a temp file beside it), verifying its length and
   * digest; a broken download is tried again from the start.
   */
  public void downloadBlob(Descriptor blob, Path target) throws OciException {
    String what = "Downloading " + blob.digest() + " from " + repository;
    for (int attempt = 1; ; attempt++) {
      RegistryResponse response =
          transport.send(RegistryTransport.Call.of(what, "GET", blobUri(blob.digest())));
      if (response.status() != 200) {
        throw transport.rejected(what, response);
      }
      try {
        write(response.body(), blob, target);
        return;
      } catch (IOException e) {
        if (attempt >= settings.attempts()) {
          throw OciException.failure(what + ": " + RegistryTransport.describe(e), e);
        }
        console.warn(what + ": " + RegistryTransport.describe(e) + "; trying again");
      }
    }
  }

  private static void write(InputStream body, Descriptor blob, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), "." + blob.digest().hex(), ".tmp");
    try {
      MessageDigest hash = blob.digest().newMessageDigest();
      long total = 0;
      try (InputStream in = body;
          OutputStream out = Files.newOutputStream(temp)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          total += n;
          if (total > blob.size()) {
            throw new IOException(
                "the blob is longer than the " + blob.size() + " bytes its descriptor says");
          }
          hash.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      if (total != blob.size()) {
        throw new IOException("the blob ended after " + total + " of " + blob.size() + " bytes");
      }
      Digest got = Digest.of(hash);
      if (!got.equals(blob.digest())) {
        throw new IOException("the bytes received hash to " + got + ", not " + blob.digest());
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Finds how to reach the registry ({@code /v2/}) now rather than at the first request. */
  void connect() throws OciException {
    transport.base();
  }

  /** HEAD the blob: true when the repository has it already. */
  public boolean hasBlob(Descriptor blob) throws OciException {
    String what = "Checking " + blob.digest() + " in " + repository;
    RegistryResponse response =
        transport.send(RegistryTransport.Call.of(what, "HEAD", blobUri(blob.digest())));
    RegistryTransport.drain(response);
    return switch (response.status()) {
      case 200 -> true;
      case 404 -> false;
      default -> throw transport.rejected(what, response);
    };
  }

  /**
   * Asks the registry to mount the blob from another repository of it; true when it did. When it
   * does not (the source lacks the blob or may not be read), the session it opened is given back.
   */
  public boolean mount(Descriptor blob, String fromRepository) throws OciException {
    String what = "Mounting " + blob.digest() + " from " + fromRepository + " into " + repository;
    RegistryResponse response =
        transport.send(
            RegistryTransport.Call.of(
                what,
                "POST",
                transport.resolve(
                    "/v2/"
                        + repository.repository()
                        + "/blobs/uploads/?mount="
                        + blob.digest()
                        + "&from="
                        + fromRepository)));
    RegistryTransport.drain(response);
    if (response.status() == 201) {
      return true;
    }
    if (response.status() == 202) {
      Optional<String> location = response.header("Location");
      if (location.isPresent()) {
        cancel(location.get(), what);
      }
      return false;
    }
    throw transport.rejected(what, response);
  }

  /**
   * Uploads a blob from a file: a session (POST), the bytes in one streamed PATCH (resumed from the
   * registry's offset if the connection breaks), then PUT with the digest.
   */
  public void upload(Descriptor blob, Path file) throws OciException {
    String what = "Uploading " + blob.digest() + " (" + blob.size() + " bytes) to " + repository;
    int attempt = 1;
    String location = startUpload(what);
    long offset = 0;
    while (true) {
      try {
        location = patch(what, location, file, offset, blob.size());
        break;
      } catch (UploadInterrupted e) {
        if (attempt >= settings.attempts()) {
          throw OciException.failure(
              what + ": failed after " + attempt + " attempts: " + e.getMessage(), e.getCause());
        }
        console.warn(what + ": " + e.getMessage() + "; resuming (" + attempt + ")");
        attempt++;
        Optional<Long> kept = uploadedSoFar(location, what);
        if (kept.isPresent()) {
          offset = kept.get();
        } else {
          location = startUpload(what);
          offset = 0;
        }
      }
    }
    String separator = location.contains("?") ? "&" : "?";
    RegistryResponse response =
        transport.send(
            RegistryTransport.Call.of(
                    what,
                    "PUT",
                    transport.resolve(location + separator + "digest=" + blob.digest()))
                .header("Content-Type", "application/octet-stream"));
    if (response.status() != 201 && response.status() != 204) {
      throw transport.rejected(what, response);
    }
    RegistryTransport.drain(response);
  }

  /** Why a PATCH stopped; the upload resumes from what the registry kept. */
  private static final class UploadInterrupted extends Exception {
    private static final long serialVersionUID = 1L;

    UploadInterrupted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private String startUpload(String what) throws OciException {
    RegistryResponse response =
        transport.send(
            RegistryTransport.Call.of(
                what,
                "POST",
                transport.resolve("/v2/" + repository.repository() + "/blobs/uploads/")));
    if (response.status() != 202) {
      throw transport.rejected(what, response);
    }
    RegistryTransport.drain(response);
    return response
        .header("Location")
        .orElseThrow(
            () ->
                OciException.failure(
                    what + ": the registry opened an upload without saying where (no Location)"));
  }

  private String patch(String what, String location, Path file, long offset, long size)
      throws OciException, UploadInterrupted {
    long length = size - offset;
    RegistryTransport.Call call =
        RegistryTransport.Call.of(what, "PATCH", transport.resolve(location))
            .header("Content-Type", "application/octet-stream")
            .body(
                RequestBody.slice(file, offset, length),
                // A slow link still gets through: a minute plus one per 512 KiB.
                Duration.ofMinutes(1).plusSeconds(length / (512 * 1024)))
            .once();
    if (offset > 0) {
      call = call.header("Content-Range", offset + "-" + (size - 1));
    }
    RegistryResponse response;
    try {
      response = transport.send(call);
    } catch (OciException e) {
      throw new UploadInterrupted(e.getMessage(), e);
    }
    int status = response.status();
    if (status >= 500 || status == 408 || status == 429) {
      RegistryTransport.drain(response);
      throw new UploadInterrupted("the registry answered HTTP " + status, null);
    }
    if (status != 202 && status != 204) {
      throw transport.rejected(what, response);
    }
    RegistryTransport.drain(response);
    return response.header("Location").orElse(location);
  }

  /** How many bytes an interrupted upload kept (GET on the session), or empty if it is gone. */
  private Optional<Long> uploadedSoFar(String location, String what) throws OciException {
    RegistryResponse response =
        transport.send(RegistryTransport.Call.of(what, "GET", transport.resolve(location)));
    RegistryTransport.read(response, RANGE_LIMIT);
    if (response.status() != 204 && response.status() != 200) {
      return Optional.empty();
    }
    // Range: 0-<last byte kept>; "0-0" is ambiguous (nothing or one byte), so start over then.
    Optional<String> range = response.header("Range");
    if (range.isEmpty() || !range.get().matches("(bytes=)?0-\\d{1,18}")) {
      return Optional.empty();
    }
    long last = Long.parseLong(range.get().substring(range.get().indexOf('-') + 1));
    return last <= 0 ? Optional.empty() : Optional.of(last + 1);
  }

  private void cancel(String location, String what) {
    try {
      RegistryTransport.drain(
          transport.send(
              RegistryTransport.Call.of(what, "DELETE", transport.resolve(location)).once()));
    } catch (OciException ignored) {
      // Registries drop abandoned sessions themselves.
    }
  }

  /**
   * PUT a manifest or index under a digest or tag; returns the digest the registry reports, which
   * must equal the bytes' own.
   */
  public void putManifest(String reference, String mediaType, byte[] bytes) throws OciException {
    Digest digest = Digest.sha256(bytes);
    String what =
        "Pushing "
            + mediaTypeName(mediaType)
            + " "
            + digest
            + " as "
            + repository.withTagOrDigest(reference);
    RegistryResponse response =
        transport.send(
            RegistryTransport.Call.of(what, "PUT", manifestUri(reference))
                .header("Content-Type", mediaType)
                .body(RequestBody.of(bytes), Duration.ofMinutes(2)));
    if (response.status() != 201 && response.status() != 200) {
      throw transport.rejected(what, response);
    }
    RegistryTransport.drain(response);
    Optional<String> reported = response.header("Docker-Content-Digest");
    if (reported.isPresent() && !reported.get().strip().equals(digest.toString())) {
      throw OciException.failure(
          what
              + ": the registry stored it as "
              + reported.get().strip()
              + ", not "
              + digest
              + " (it rewrote the document): this registry cannot hold the image as built");
    }
  }

  /** The digest a tag or digest points at now (HEAD), or empty when there is none. */
  public Optional<Digest> manifestDigest(String reference) throws OciException {
    String what = "Looking up " + repository.withTagOrDigest(reference);
    RegistryResponse response =
        transport.send(
            RegistryTransport.Call.of(what, "HEAD", manifestUri(reference))
                .header("Accept", MediaTypes.ACCEPT_ANY_MANIFEST));
    RegistryTransport.drain(response);
    if (response.status() == 404) {
      return Optional.empty();
    }
    if (response.status() != 200) {
      throw transport.rejected(what, response);
    }
    return response
        .header("Docker-Content-Digest")
        .map(String::strip)
        .filter(Digest::isDigest)
        .map(Digest::parse);
  }

  private static String mediaTypeName(String mediaType) {
    return MediaTypes.isIndex(mediaType) ? "the index" : "the manifest";
  }

  private URI manifestUri(String reference) throws OciException {
    return transport.resolve("/v2/" + repository.repository() + "/manifests/" + reference);
  }

  private URI blobUri(Digest digest) throws OciException {
    return transport.resolve("/v2/" + repository.repository() + "/blobs/" + digest);
  }
}
