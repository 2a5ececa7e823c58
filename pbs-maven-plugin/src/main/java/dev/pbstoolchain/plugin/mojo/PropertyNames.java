package dev.pbstoolchain.plugin.mojo;

/** Every user property the {@code pbs:*} goals read or set, in one place. */
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
  public static final String CACHE_DIR = "pbs.cacheDir";
  public static final String MATRIX = "pbs.matrix";
  public static final String SKIP = "pbs.skip";

  public static final String FETCH_SKIP = "pbs.fetch.skip";
  public static final String PYO3_CONFIG_SKIP = "pbs.pyo3-config.skip";
  public static final String PATCH_SKIP = "pbs.patch.skip";
  public static final String LICENSES_SKIP = "pbs.licenses.skip";
  public static final String PACKAGE_SKIP = "pbs.package.skip";
  public static final String VERIFY_SKIP = "pbs.verify.skip";

  private PropertyNames() {}

  /** The project property holding a target's unpacked Python home. */
  public static String home(String triple) {
    return "pbs." + triple + ".home";
  }

  /** The project property holding a target's PyO3 build configuration file. */
  public static String pyo3ConfigFile(String triple) {
    return "pbs." + triple + ".pyo3ConfigFile";
  }
}
