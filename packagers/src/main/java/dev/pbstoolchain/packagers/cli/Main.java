package dev.pbstoolchain.packagers.cli;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.format.Format;
import dev.pbstoolchain.packagers.format.Packager;
import dev.pbstoolchain.packagers.format.PackagingRequest;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * {@code FORMAT[,FORMAT...] APP BINARY PYTHON_DIR OUT_DIR}: packages one release in the given
 * formats (tar.gz, deb, rpm, zip) as {@code OUT_DIR/APP.FORMAT}: each file deflated once for all of
 * them, the formats written side by side. For scripts and benchmarks.
 */
public final class Main {

  private static final String VERSION = "1.0.0";
  private static final long EPOCH = 1_764_000_000L;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command and returns its exit status: 0 written (or --help, -h, --version), 1 the
   * packaging failed, 2 a usage error. Never calls {@link System#exit}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && List.of("--help", "-h", "help").contains(args[0])) {
      out.print(usage());
      return 0;
    }
    if (args.length == 1 && args[0].equals("--version")) {
      out.println("packagers " + version());
      return 0;
    }
    if (args.length != 5) {
      err.print(usage());
      return 2;
    }
    try {
      write(args);
      return 0;
    } catch (PackagingException | IOException e) {
      err.println("packagers: " + e.getMessage());
      return 1;
    }
  }

  private static void write(String[] args) throws PackagingException, IOException {
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

  /** This jar's version, as Maven built it. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // A jar that cannot read its own resource: say unknown rather than fail --version.
    }
    return properties.getProperty("version", "unknown");
  }

  /** The jar users put on the class path, e.g. {@code packagers-0.1.0.jar}. */
  static String jarName() {
    try {
      var source = Main.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path location = Path.of(source.getLocation().toURI());
        String name = location.getFileName() == null ? "" : location.getFileName().toString();
        if (name.endsWith(".jar")) {
          return name;
        }
      }
    } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
      // Fall through to the name Maven gives the jar.
    }
    return "packagers-" + version() + ".jar";
  }

  static String usage() {
    return "usage: java -cp "
        + jarName()
        + ":DEPENDENCIES "
        + Main.class.getName()
        + " FORMAT[,FORMAT...] APP BINARY PYTHON_DIR OUT_DIR\n"
        + "  writes OUT_DIR/APP.FORMAT for each FORMAT (tar.gz, deb, rpm, zip), every file of\n"
        + "  PYTHON_DIR deflated once for all of them; DEPENDENCIES: commons-compress, commons-io,\n"
        + "  zstd-jni and xz (mvn -pl packagers dependency:build-classpath)\n"
        + "  --help, -h    this text\n"
        + "  --version     the packagers' version\n"
        + "exit status: 0 written; 1 packaging failed (the message says why); 2 usage error.\n";
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
