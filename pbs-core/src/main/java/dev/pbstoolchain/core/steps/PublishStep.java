package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.publish.JobOutputs;
import dev.pbstoolchain.core.publish.ReleaseDirectory;
import dev.pbstoolchain.core.publish.ReleaseSigning;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.PublishSettings;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.publishing.signing.Signer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * pbs:publish: gathers the outputs of the release's build jobs (one per target, or one full build),
 * checks them against their build manifests and each other, and writes the signed release: the
 * artifacts, SHA256SUMS and SHA256SUMS.asc, KEY.asc, and the APT and YUM repositories.
 */
public final class PublishStep {

  private PublishStep() {}

  public static ReleaseDirectory.Result run(Release release, PbsConsole console)
      throws PbsException {
    // Key first: a wrong passphrase or an expired key stops here, before anything is read.
    Signer signer =
        ReleaseSigning.signer(release)
            .orElseThrow(
                () ->
                    PbsException.configuration(
                        "pbs:publish signs the release: set "
                            + PropertyNames.SIGNING_KEY_FILE
                            + " (its passphrase from "
                            + PropertyNames.SIGNING_SERVER_ID
                            + " or PBS_SIGNING_PASSPHRASE) or "
                            + PropertyNames.SIGNING_GPG_KEY
                            + "."));
    AppInfo app = release.app("pbs:publish");
    List<String> targets =
        release.targets("pbs:publish").stream().map(ReleaseTarget::triple).toList();
    List<Path> from = release.settings().publishFrom();
    JobOutputs outputs = JobOutputs.gather(from, targets, console);
    Path dir = release.settings().publishDir();
    PublishSettings publish = release.settings().publish();
    ReleaseDirectory.Result result =
        ReleaseDirectory.write(
            outputs,
            signer,
            new ReleaseDirectory.Layout(
                dir,
                publish.apt() != null ? publish.apt() : dir.resolve("apt"),
                publish.yum() != null ? publish.yum() : dir.resolve("yum"),
                publish.suite(),
                publish.component(),
                app.name(),
                Instant.ofEpochSecond(app.epochSeconds())),
            console);
    console.info(
        "Published "
            + app.name()
            + " "
            + app.version()
            + " ("
            + result.artifacts().size()
            + " artifacts of "
            + targets.size()
            + " targets) to "
            + dir
            + ", signed by "
            + signer.fingerprint());
    return result;
  }
}
