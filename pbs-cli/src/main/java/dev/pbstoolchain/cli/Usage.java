package dev.pbstoolchain.cli;

import dev.pbstoolchain.core.Toolchain;

/** The help text: commands, then options with the Maven property each stands for. */
final class Usage {

  private Usage() {}

  static String text() {
    StringBuilder s =
        new StringBuilder(
            "usage: java -jar pbs-cli-"
                + Toolchain.version()
                + "-cli.jar [OPTIONS] COMMAND [COMMAND...]\n\n"
                + "Releases a native program that embeds CPython with its own Python from\n"
                + "python-build-standalone, as `mvn package` with pbs-maven-plugin does: run\n"
                + "`prepare`, then your native build (cargo build with PYO3_CONFIG_FILE set to\n"
                + "target/pbs/<triple>/pyo3-config.txt), then `release`.\n\nCommands:\n");
    for (Step step : Step.values()) {
      s.append(String.format("  %-13s %s%n", step.command(), step.summary()));
    }
    s.append(
        "\nOptions (each stands for the Maven property in brackets):\n"
            + "  --project DIR            project directory (default: the current one)\n"
            + "  --matrix FILE            release matrix (default DIR/matrix.yaml) [pbs.matrix]\n"
            + "  --app-version V          app version when matrix.yaml's app.version is empty\n"
            + "  --output-timestamp T     build time, ISO-8601 or epoch seconds (default\n"
            + "                           SOURCE_DATE_EPOCH, else 1980-01-01)\n"
            + "  --date YYYYMMDD          PBS release [pbs.date]\n"
            + "  --python-version X.Y.Z   CPython version [pbs.version]\n"
            + "  --targets T1,T2          target triples (default: every matrix row)"
            + " [pbs.targets]\n"
            + "  --flavor F               PBS flavour [pbs.flavor]\n"
            + "  --mirror URL|DIR         PBS mirror instead of GitHub [pbs.mirror]\n"
            + "  --sha256 HEX             pinned archive hash for one target [pbs.sha256]\n"
            + "  --offline                cache only [pbs.offline]\n"
            + "  --offline-fallback       use the cache when the mirror cannot be reached"
            + " [pbs.offlineFallback]\n"
            + "  --no-verify-checksums    skip SHA-256 verification [pbs.verifyChecksums]\n"
            + "  --token TOKEN            bearer token for the mirror (better: PBS_TOKEN, or\n"
            + "                           PBS_USERNAME and PBS_PASSWORD, in the environment)\n"
            + "  --connect-timeout S      connect timeout (default 10) [pbs.connectTimeout]\n"
            + "  --stall-timeout S        wait for a response or the next byte (default 20)"
            + " [pbs.stallTimeout]\n"
            + "  --low-speed-limit B      bytes/s below which a download fails (default 10240)"
            + " [pbs.lowSpeedLimit]\n"
            + "  --low-speed-time S       ... once it stays below for S seconds (default 30)"
            + " [pbs.lowSpeedTime]\n"
            + "  --max-unpacked-size N    largest unpacked archive, e.g. 2g (default 1g)"
            + " [pbs.maxUnpackedSize]\n"
            + "  --max-unpacked-entries N most entries in an archive (default 100000)"
            + " [pbs.maxUnpackedEntries]\n"
            + "  --cache-dir DIR          archive cache (default ~/.m2/repository/.cache/pbs)"
            + " [pbs.cacheDir]\n"
            + "  --output-dir DIR         unpacked PBS (default DIR/target/pbs) [pbs.outputDir]\n"
            + "  --stage-dir DIR          patched binaries (default DIR/target/pbs-stage)"
            + " [pbs.stageDir]\n"
            + "  --dist-dir DIR           artifacts (default DIR/target/pbs-dist) [pbs.distDir]\n"
            + "  --rpath PATH             RUNPATH override [pbs.rpath]\n"
            + "  --licenses-flavor F      full flavour for licences [pbs.licenses.flavor]\n"
            + "  --licenses-deny IDS      SPDX ids that must not ship [pbs.licenses.deny]\n"
            + "  --licenses-allow IDS     SPDX ids that alone may ship [pbs.licenses.allow]\n"
            + "  --copyright FILE         deb/rpm copyright file (default DIR/copyright)"
            + " [pbs.copyright]\n"
            + "  --max-glibc X.Y          highest glibc the release may need (default 2.23)"
            + " [pbs.maxGlibc]\n"
            + "  --smoke-sysroot CPU=DIR  glibc tree for smoke runs of CPU under qemu"
            + " [pbs.smoke.sysroot.CPU]\n"
            + "  --image-push             push the image to matrix.yaml's image.repository"
            + " [pbs.image.push]\n"
            + "  --image-allow-http       plain HTTP to a registry not on this machine"
            + " [pbs.image.allowHttp]\n"
            + "  --image-revision R       source revision the image is annotated with"
            + " [pbs.image.revision]\n"
            + "  --signing-key-file FILE  armored OpenPGP secret key that signs debs, rpms,\n"
            + "                           SHA256SUMS and repositories; its passphrase comes from\n"
            + "                           PBS_SIGNING_PASSPHRASE [pbs.signing.keyFile]\n"
            + "  --signing-gpg-key KEY    sign with this key of gpg (its agent) instead\n"
            + "                           [pbs.signing.gpgKey]\n"
            + "  --publish-from D1,D2     the build jobs' dist directories (default: the dist\n"
            + "                           directory) [pbs.publish.from]\n"
            + "  --publish-to DIR         the release (default DIR/target/pbs-release)"
            + " [pbs.publish.to]\n"
            + "  --publish-apt DIR        APT repository to add to (default TO/apt)"
            + " [pbs.publish.apt]\n"
            + "  --publish-yum DIR        YUM repository to add to (default TO/yum)"
            + " [pbs.publish.yum]\n"
            + "  --publish-suite S        APT suite (default stable) [pbs.publish.suite]\n"
            + "  --publish-component C    APT component (default main) [pbs.publish.component]\n"
            + "  -v, --verbose            debug output\n"
            + "  -h, --help               this text\n"
            + "  --version                pbs-cli's version\n\n"
            + "Exit status: 0 done, 1 the release failed (network, archive, verification),\n"
            + "2 the command line or configuration is wrong, 3 internal error (a bug).\n");
    return s.toString();
  }
}
