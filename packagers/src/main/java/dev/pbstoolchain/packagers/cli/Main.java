package dev.pbstoolchain.packagers.cli;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.format.Format;
import dev.pbstoolchain.packagers.format.Packager;
import dev.pbstoolchain.packagers.format.PackagingRequest;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.nio.file.Path;

/**
 * {@code FORMAT[,FORMAT...] APP BINARY PYTHON_DIR OUT_DIR}: packages one release in the given
 * formats (tar.gz, deb, rpm, zip) as {@code OUT_DIR/APP.FORMAT}: each file deflated once for all of
 * them, the formats written side by side. For scripts and benchmarks.
 */
public final class Main {

  private static final String VERSION = "1.0.0";
  private static final long EPOCH = 1_764_000_000L;

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: FORMAT[,FORMAT...] APP BINARY PYTHON_DIR OUT_DIR");
      System.exit(2);
    }
    String app = args[1];
    Path binary = Path.of(args[2]);
    Path out = Path.of(args[4]);
    PackageInfo info =
        PackageInfo.builder(app, VERSION, "x86_64-unknown-linux-gnu", EPOCH)
            .maintainer("bench <bench@example.com>")
            .build();
    // One walk of the tree serves every format.
    Layout tree = Layout.tree(Path.of(args[3]));
    PackagingRequest.Builder request = PackagingRequest.builder(info);
    for (String id : args[0].split(",")) {
      Format format = Format.of(id);
      request.artifact(format, layout(format, app, binary, tree), out.resolve(app + "." + id));
    }
    Packager.writeAll(request.build());
  }

  private static Layout layout(Format format, String app, Path binary, Layout tree)
      throws PackagingException {
    return switch (format.layout()) {
      case TARBALL -> ReleaseLayouts.tarball(app, VERSION, binary, tree);
      case LINUX_PACKAGE ->
          ReleaseLayouts.linuxPackage(app, binary, tree, ReleaseLayouts.LinuxExtras.NONE);
      case WINDOWS_ZIP -> ReleaseLayouts.windowsZip(app, binary, tree);
    };
  }
}
