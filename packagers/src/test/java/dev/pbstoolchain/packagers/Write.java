package dev.pbstoolchain.packagers;

import dev.pbstoolchain.packagers.format.Format;
import dev.pbstoolchain.packagers.format.Packager;
import dev.pbstoolchain.packagers.format.PackagingRequest;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.output.Compression;
import java.nio.file.Path;
import java.util.Set;

/** One artifact through {@link Packager#writeAll}, the way a release writes it. */
final class Write {

  private Write() {}

  static void tarGz(Layout layout, Path output, long epoch) throws PackagingException {
    Packager.writeAll(request(epoch).artifact(Format.TAR_GZ, layout, output).build());
  }

  static void zip(Layout layout, Path output, long epoch) throws PackagingException {
    Packager.writeAll(request(epoch).artifact(Format.ZIP, layout, output).build());
  }

  static void deb(Layout layout, PackageInfo info, Compression compression, Path output)
      throws PackagingException {
    Packager.writeAll(
        PackagingRequest.builder(info)
            .compression(compression)
            .artifact(Format.DEB, layout, output)
            .build());
  }

  /** An rpm with a gzip payload, owning the app's own directories. */
  static void rpm(Layout layout, PackageInfo info, Path output) throws PackagingException {
    Packager.writeAll(PackagingRequest.builder(info).artifact(Format.RPM, layout, output).build());
  }

  static void rpm(
      Layout layout,
      PackageInfo info,
      Compression compression,
      Set<String> ownedDirectories,
      Path output)
      throws PackagingException {
    Packager.writeAll(
        PackagingRequest.builder(info)
            .compression(compression)
            .rpmOwnedDirectories(ownedDirectories)
            .artifact(Format.RPM, layout, output)
            .build());
  }

  private static PackagingRequest.Builder request(long epoch) {
    return PackagingRequest.builder(
        PackageInfo.builder("app", "1.0.0", "x86_64-unknown-linux-gnu", epoch).build());
  }
}
