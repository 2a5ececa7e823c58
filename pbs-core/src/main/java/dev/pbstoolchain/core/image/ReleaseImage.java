package dev.pbstoolchain.core.image;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.matrix.ImageBlock;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.RegistryLogin;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.image.BuiltImage;
import dev.pbstoolchain.oci.image.ImageBuilder;
import dev.pbstoolchain.oci.image.ImageRequest;
import dev.pbstoolchain.oci.image.ImageSettings;
import dev.pbstoolchain.oci.registry.Credentials;
import dev.pbstoolchain.oci.registry.ImagePusher;
import dev.pbstoolchain.oci.registry.ImageReference;
import dev.pbstoolchain.oci.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the release's container image with oci-image: one platform per Linux row over matrix.yaml's
 * {@code image.base}, the same files as the deb, written as an OCI layout and an oci-archive, and
 * pushed when asked. Registry logins go only to the registry they name.
 */
public final class ReleaseImage {

  /**
   * What was made.
   *
   * @param image the build (layout, index digest, tags, platforms)
   * @param pushed the push, when one was asked for
   */
  public record Result(BuiltImage image, Optional<ImagePusher.Pushed> pushed) {}

  private final ReleaseSettings settings;
  private final PbsConsole console;

  public ReleaseImage(ReleaseSettings settings, PbsConsole console) {
    this.settings = settings;
    this.console = console;
  }

  /**
   * Builds (and pushes, with {@code pbs.image.push}) the image of {@code rows}.
   *
   * @param block matrix.yaml's {@code image:}
   * @param pbsDate the PBS release tag: the Python runtime layer's time
   * @param layoutDir the OCI layout to write
   * @param archive the oci-archive to write
   */
  public Result make(
      ImageBlock block,
      AppInfo app,
      String pbsDate,
      List<ReleaseTarget> rows,
      Path layoutDir,
      Path archive)
      throws PbsException {
    String where = " in " + settings.matrixFile();
    if (block.base().isEmpty()) {
      throw PbsException.configuration(
          "image.base is missing"
              + where
              + ": give the image to build on, a registry reference pinned by digest (e.g."
              + " docker.io/library/debian:bookworm-slim@sha256:...), oci-layout:DIR[:TAG] or"
              + " oci-archive:FILE");
    }
    if (settings.imagePush() && block.repository().isEmpty()) {
      throw PbsException.configuration(
          PropertyNames.IMAGE_PUSH
              + "=true needs image.repository"
              + where
              + " (where to push, e.g. registry.example.com/acme/"
              + app.name()
              + ")");
    }
    ImageRequest.Builder request =
        ImageRequest.builder()
            .app(app.name(), app.version())
            .base(block.base(), settings.projectDir())
            .settings(imageSettings(block, app))
            .epochSeconds(app.epochSeconds())
            .runtimeEpochSeconds(startOf(pbsDate))
            .layoutDir(layoutDir)
            .archive(archive)
            .cacheDir(settings.cacheDir().resolve("oci-blobs"))
            .bodyCache(settings.bodyCache())
            .registry(registry(registryOf(block.base())));
    ReleaseTarget first = rows.get(0);
    for (ReleaseTarget row : rows) {
      request.row(row.triple(), row.stagedBinary(), row.home());
    }
    // The image carries what the deb carries; rows differing in packaging would need one image
    // each, so the first Linux row's files and directories stand for all.
    request.extras(first.extras().files()).directories(first.extras().directories());
    if (Files.isRegularFile(settings.copyright())) {
      request.copyright(settings.copyright());
    }
    try {
      ImagePusher pusher = null;
      ImageReference repository = null;
      if (settings.imagePush()) {
        // The registry is reached (HTTP client, /v2/) while the image is built.
        repository = ImageReference.parse(block.repository());
        pusher = new ImagePusher(registry(repository.registry()), console);
        pusher.connectEarly(repository, mountSources(block.base(), repository));
      }
      EarlyPush early = pusher != null ? new EarlyPush(pusher, repository, layoutDir) : null;
      try {
        BuiltImage image =
            (early != null ? new ImageBuilder(console, early) : new ImageBuilder(console))
                .build(request.build());
        Optional<ImagePusher.Pushed> pushed = Optional.empty();
        if (early != null) {
          pushed = Optional.of(push(early, image));
        }
        return new Result(image, pushed);
      } finally {
        if (early != null) {
          early.close();
        }
      }
    } catch (OciException e) {
      throw e.isConfigurationProblem()
          ? PbsException.configuration(e.getMessage())
          : PbsException.failure(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw PbsException.configuration("image.repository" + where + ": " + e.getMessage());
    }
  }

  private static ImagePusher.Pushed push(EarlyPush early, BuiltImage image)
      throws OciException, PbsException {
    try {
      // The pusher reports what it uploaded, mounted and found.
      return early.push(image);
    } catch (IOException e) {
      throw PbsException.failure(
          "Cannot read the image layout " + image.layoutDir() + ": " + e.getMessage(), e);
    }
  }

  private ImageSettings imageSettings(ImageBlock block, AppInfo app) {
    ImageSettings.Builder b =
        ImageSettings.builder()
            .tags(block.tags())
            .entrypoint(block.entrypoint())
            .cmd(block.cmd())
            .env(block.env())
            .ports(block.ports())
            .volumes(block.volumes())
            .labels(block.labels())
            .uids(block.uids())
            .gids(block.gids());
    if (!block.repository().isEmpty()) {
      b.repository(block.repository());
    }
    if (!block.user().isEmpty()) {
      b.user(block.user());
    }
    if (!block.workdir().isEmpty()) {
      b.workdir(block.workdir());
    }
    if (!settings.imageRevision().isEmpty()) {
      b.revision(settings.imageRevision());
    }
    if (!app.homepage().isBlank()) {
      b.source(app.homepage());
    }
    if (!app.license().isBlank()) {
      b.licenses(app.license());
    }
    return b.build();
  }

  /**
   * Where the push may mount the base's blobs from: the base's repository when it lives in the
   * registry pushed to (as the pusher finds from the manifests' base annotation), else none.
   */
  private static Set<String> mountSources(String base, ImageReference repository) {
    String registry = registryOf(base);
    if (registry == null || !registry.equals(repository.registry())) {
      return Set.of();
    }
    return Set.of(ImageReference.parse(base).repository());
  }

  /** The registry host of a base reference, or null for a layout or archive on disk. */
  private static String registryOf(String base) {
    if (base.startsWith("oci-layout:") || base.startsWith("oci-archive:")) {
      return null;
    }
    try {
      return ImageReference.parse(base).registry();
    } catch (IllegalArgumentException e) {
      return null; // the builder names the bad reference
    }
  }

  /**
   * HTTP where allowed, the user's docker config, and the settings.xml login for {@code registry}
   * only: a login never travels to another registry.
   */
  private RegistrySettings registry(String registry) {
    RegistrySettings registrySettings =
        RegistrySettings.defaults().withAllowHttp(settings.imageAllowHttp());
    if (registry == null) {
      return registrySettings;
    }
    for (RegistryLogin login : settings.registryLogins()) {
      if (login.registry().equals(registry)) {
        return registrySettings.withCredentials(new Credentials(login.username(), login.secret()));
      }
    }
    return registrySettings;
  }

  /** The start (UTC) of a PBS release day, e.g. 20241016. */
  private static long startOf(String pbsDate) throws PbsException {
    try {
      return LocalDate.parse(pbsDate, DateTimeFormatter.BASIC_ISO_DATE)
          .atStartOfDay(ZoneOffset.UTC)
          .toEpochSecond();
    } catch (RuntimeException e) {
      throw PbsException.configuration(
          "PBS release tag '" + pbsDate + "' is no date like 20241016 (pbs.date)");
    }
  }
}
