package dev.pbstoolchain.packagers.layout;

/** The shapes a release takes, one per family of formats ({@link ReleaseLayouts} builds each). */
public enum LayoutKind {
  /** {@code APP-VERSION/APP} and {@code APP-VERSION/python/...}, unpacked anywhere. */
  TARBALL,
  /** {@code usr/bin/APP}, {@code usr/lib/APP/python/...} and the package's extras. */
  LINUX_PACKAGE,
  /** {@code APP.exe}, {@code python/...} and the DLLs beside the exe. */
  WINDOWS_ZIP
}
