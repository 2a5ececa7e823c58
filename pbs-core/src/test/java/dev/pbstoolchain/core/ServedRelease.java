package dev.pbstoolchain.core;

/**
 * The PBS release the core's tests publish and serve from loopback (test-support's PbsRelease): its
 * date, the Linux x86_64 triple, that target's install_only_stripped asset, and where a mirror
 * serves the asset and SHA256SUMS.
 */
public final class ServedRelease {

  public static final String DATE = "20241016";
  public static final String VERSION = "3.11.10";
  public static final String LINUX = "x86_64-unknown-linux-gnu";
  public static final String ASSET =
      "cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz";
  public static final String ASSET_PATH = "/" + DATE + "/" + ASSET;
  public static final String SUMS_PATH = "/" + DATE + "/SHA256SUMS";

  private ServedRelease() {}
}
