package dev.pbstoolchain.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every user property the {@code pbs:*} goals read or set, in one place, with the command-line flag
 * that stands for it in {@code pbs-cli}. Core messages name options by property; {@link FrontEnd}
 * turns them into what the user actually typed.
 */
public final class PropertyNames {

  public static final String DATE = "pbs.date";
  public static final String VERSION = "pbs.version";
  public static final String TARGETS = "pbs.targets";
  public static final String FLAVOR = "pbs.flavor";
  public static final String MIRROR = "pbs.mirror";
  public static final String OFFLINE = "pbs.offline";
  public static final String SHA256 = "pbs.sha256";
  public static final String VERIFY_CHECKSUMS = "pbs.verifyChecksums";
  public static final String TOKEN = "pbs.token";
  public static final String SERVER_ID = "pbs.serverId";
  public static final String OFFLINE_FALLBACK = "pbs.offlineFallback";
  public static final String CONNECT_TIMEOUT = "pbs.connectTimeout";
  public static final String STALL_TIMEOUT = "pbs.stallTimeout";
  public static final String LOW_SPEED_LIMIT = "pbs.lowSpeedLimit";
  public static final String LOW_SPEED_TIME = "pbs.lowSpeedTime";
  public static final String MAX_UNPACKED_SIZE = "pbs.maxUnpackedSize";
  public static final String MAX_UNPACKED_ENTRIES = "pbs.maxUnpackedEntries";
  public static final String CACHE_DIR = "pbs.cacheDir";
  public static final String MATRIX = "pbs.matrix";
  public static final String SKIP = "pbs.skip";
  public static final String OUTPUT_DIR = "pbs.outputDir";
  public static final String STAGE_DIR = "pbs.stageDir";
  public static final String DIST_DIR = "pbs.distDir";
  public static final String RPATH = "pbs.rpath";
  public static final String COPYRIGHT = "pbs.copyright";
  public static final String MAX_GLIBC = "pbs.maxGlibc";
  public static final String LICENSES_FLAVOR = "pbs.licenses.flavor";
  public static final String LICENSES_DENY = "pbs.licenses.deny";
  public static final String LICENSES_ALLOW = "pbs.licenses.allow";
  public static final String SIGNING_KEY_FILE = "pbs.signing.keyFile";
  public static final String SIGNING_SERVER_ID = "pbs.signing.serverId";
  public static final String SIGNING_GPG_KEY = "pbs.signing.gpgKey";
  public static final String PUBLISH_FROM = "pbs.publish.from";
  public static final String PUBLISH_TO = "pbs.publish.to";
  public static final String PUBLISH_APT = "pbs.publish.apt";
  public static final String PUBLISH_YUM = "pbs.publish.yum";
  public static final String PUBLISH_SUITE = "pbs.publish.suite";
  public static final String PUBLISH_COMPONENT = "pbs.publish.component";

  /** {@code pbs.smoke.sysroot.CPU}: a glibc tree to run that CPU's programs against under qemu. */
  public static final String SMOKE_SYSROOT_PREFIX = "pbs.smoke.sysroot.";

  public static final String FETCH_SKIP = "pbs.fetch.skip";
  public static final String PYO3_CONFIG_SKIP = "pbs.pyo3-config.skip";
  public static final String PATCH_SKIP = "pbs.patch.skip";
  public static final String LICENSES_SKIP = "pbs.licenses.skip";
  public static final String PACKAGE_SKIP = "pbs.package.skip";
  public static final String VERIFY_SKIP = "pbs.verify.skip";
  public static final String IMAGE_SKIP = "pbs.image.skip";
  public static final String IMAGE_PUSH = "pbs.image.push";
  public static final String IMAGE_ALLOW_HTTP = "pbs.image.allowHttp";
  public static final String IMAGE_REVISION = "pbs.image.revision";
  public static final String PUBLISH_SKIP = "pbs.publish.skip";
  public static final String CI_MATRIX_SKIP = "pbs.ci-matrix.skip";

  /** The pbs-cli flag of each property a command-line user can set. */
  static final Map<String, String> CLI_FLAGS = cliFlags();

  private PropertyNames() {}

  /** The project property holding a target's unpacked Python home. */
  public static String home(String triple) {
    return "pbs." + triple + ".home";
  }

  /** The project property holding a target's PyO3 build configuration file. */
  public static String pyo3ConfigFile(String triple) {
    return "pbs." + triple + ".pyo3ConfigFile";
  }

  private static Map<String, String> cliFlags() {
    Map<String, String> flags = new TreeMap<>();
    flags.put(DATE, "--date");
    flags.put(VERSION, "--python-version");
    flags.put(TARGETS, "--targets");
    flags.put(FLAVOR, "--flavor");
    flags.put(MIRROR, "--mirror");
    flags.put(OFFLINE, "--offline");
    flags.put(SHA256, "--sha256");
    flags.put(VERIFY_CHECKSUMS, "--verify-checksums");
    flags.put(TOKEN, "--token");
    flags.put(OFFLINE_FALLBACK, "--offline-fallback");
    flags.put(CONNECT_TIMEOUT, "--connect-timeout");
    flags.put(STALL_TIMEOUT, "--stall-timeout");
    flags.put(LOW_SPEED_LIMIT, "--low-speed-limit");
    flags.put(LOW_SPEED_TIME, "--low-speed-time");
    flags.put(MAX_UNPACKED_SIZE, "--max-unpacked-size");
    flags.put(MAX_UNPACKED_ENTRIES, "--max-unpacked-entries");
    flags.put(CACHE_DIR, "--cache-dir");
    flags.put(MATRIX, "--matrix");
    flags.put(OUTPUT_DIR, "--output-dir");
    flags.put(STAGE_DIR, "--stage-dir");
    flags.put(DIST_DIR, "--dist-dir");
    flags.put(RPATH, "--rpath");
    flags.put(COPYRIGHT, "--copyright");
    flags.put(MAX_GLIBC, "--max-glibc");
    flags.put(LICENSES_FLAVOR, "--licenses-flavor");
    flags.put(LICENSES_DENY, "--licenses-deny");
    flags.put(LICENSES_ALLOW, "--licenses-allow");
    flags.put(IMAGE_PUSH, "--image-push");
    flags.put(IMAGE_ALLOW_HTTP, "--image-allow-http");
    flags.put(IMAGE_REVISION, "--image-revision");
    flags.put(SIGNING_KEY_FILE, "--signing-key-file");
    flags.put(SIGNING_GPG_KEY, "--signing-gpg-key");
    flags.put(PUBLISH_FROM, "--publish-from");
    flags.put(PUBLISH_TO, "--publish-to");
    flags.put(PUBLISH_APT, "--publish-apt");
    flags.put(PUBLISH_YUM, "--publish-yum");
    flags.put(PUBLISH_SUITE, "--publish-suite");
    flags.put(PUBLISH_COMPONENT, "--publish-component");
    return Collections.unmodifiableMap(flags);
  }
}
