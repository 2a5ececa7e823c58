package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.RegistryLogin;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.ImageStep;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;

// <code>, not {@code ...}: the goal pages and pbs:help end {@code at the first closing brace.
/**
 * The release's multi-platform container image (one platform per Linux row of matrix.yaml, over its
 * {@code image.base}): an OCI layout in {@code target/pbs-dist/oci/} and, beside the other
 * artifacts, the oci-archive <code>{name}-{version}_oci.tar</code>, attached with classifier {@code
 * oci}. With {@code pbs.image.push=true} it is pushed to {@code image.repository}, logging in with
 * the settings.xml {@code <server>} whose id is the registry's host (else ~/.docker/config.json).
 * Bind it to package after pbs:package.
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ImageMojo extends AbstractFetchingMojo {

  @Component private MavenProjectHelper helper;

  @Component private SettingsDecrypter decrypter;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession mavenSession;

  /** Debian copyright file shipped in the image ({@code /usr/share/doc/APP/copyright}). */
  @Parameter(property = PropertyNames.COPYRIGHT, defaultValue = "${project.basedir}/copyright")
  private File copyright;

  /** Pushes the image to matrix.yaml's {@code image.repository}, its tags set last. */
  @Parameter(property = PropertyNames.IMAGE_PUSH, defaultValue = "false")
  private boolean push;

  /** Plain HTTP to registries not on this machine (loopback registries may always use it). */
  @Parameter(property = PropertyNames.IMAGE_ALLOW_HTTP, defaultValue = "false")
  private boolean allowHttp;

  /** The source revision the image is annotated with (org.opencontainers.image.revision). */
  @Parameter(property = PropertyNames.IMAGE_REVISION)
  private String revision;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.IMAGE_SKIP, defaultValue = "false")
  private boolean skipImage;

  @Override
  protected boolean skipGoal() {
    return skipImage;
  }

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    return super.settings()
        .copyright(copyright.toPath())
        .imagePush(push)
        .imageAllowHttp(allowHttp)
        .imageRevision(revision)
        .registryLogins(logins());
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    ImageStep.run(release, console)
        .ifPresent(
            image ->
                helper.attachArtifact(
                    project,
                    image.archive().type(),
                    image.archive().classifier(),
                    image.archive().file().toFile()));
  }

  /** settings.xml servers with a user name and password, decrypted; the id names the registry. */
  private List<RegistryLogin> logins() {
    List<RegistryLogin> logins = new ArrayList<>();
    if (mavenSession.getSettings() == null) {
      return logins;
    }
    for (Server server : mavenSession.getSettings().getServers()) {
      if (server.getId() == null || server.getUsername() == null || server.getPassword() == null) {
        continue;
      }
      Server plain = server;
      var decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      if (decrypted.getServer() != null) {
        plain = decrypted.getServer();
      }
      // A problem names the server only: its password is never printed.
      decrypted
          .getProblems()
          .forEach(
              p ->
                  getLog()
                      .warn(
                          "Cannot decrypt the password of settings.xml server '"
                              + server.getId()
                              + "'; it is used as written"));
      logins.add(new RegistryLogin(server.getId(), plain.getUsername(), plain.getPassword()));
    }
    return logins;
  }
}
