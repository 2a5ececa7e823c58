package dev.pbstoolchain.oci.testing;

import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.image.BuiltImage;
import dev.pbstoolchain.oci.image.ImageBuilder;
import dev.pbstoolchain.oci.image.ImageRequest;
import dev.pbstoolchain.oci.image.ImageSettings;
import dev.pbstoolchain.testing.LocalCPython;
import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The release the image tests ship, built once per test run: the app {@code demo-app} for x86_64
 * (embedding this machine's real CPython 3.11, with a trimmed standard library) and for aarch64
 * (against a stand-in libpython cross-built with aarch64-linux-gnu-gcc), each with a PBS-shaped
 * {@code python/} tree and the RUNPATH the deb layout needs.
 */
public final class DemoRelease {

  public static final String APP = "demo-app";
  public static final String AMD64 = "x86_64-unknown-linux-gnu";
  public static final String ARM64 = "aarch64-unknown-linux-gnu";
  static final String RUNPATH = "$ORIGIN/python/lib:$ORIGIN/../lib/" + APP + "/python/lib";

  /**
   * Parts of the standard library the embedded interpreter never loads, beyond those {@link
   * LocalCPython} leaves out: small layers, fast tests.
   */
  private static final Set<String> SKIPPED =
      Set.of(
          "asyncio",
          "email",
          "xml",
          "multiprocessing",
          "http",
          "urllib",
          "xmlrpc",
          "sqlite3",
          "curses",
          "dbm",
          "concurrent",
          "ctypes",
          "wsgiref",
          "venv",
          "zoneinfo",
          "tomllib");

  private static DemoRelease built;

  private final Path dir;

  private DemoRelease(Path dir) {
    this.dir = dir;
  }

  public static synchronized DemoRelease get() {
    if (built == null) {
      try {
        Path dir = Files.createTempDirectory("pbs-oci-release-");
        build(dir);
        built = new DemoRelease(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return built;
  }

  public Path binary(String triple) {
    return dir.resolve(triple).resolve(APP);
  }

  public Path python(String triple) {
    return dir.resolve(triple).resolve("python");
  }

  /**
   * An image request for the app at version 1.2.0 on {@code triples} ({@link #AMD64}, {@link
   * #ARM64}) from {@code base}, laid out in {@code layoutDir}.
   */
  public ImageRequest.Builder image(String base, Path layoutDir, String... triples) {
    ImageRequest.Builder request = ImageRequest.builder().app(APP, "1.2.0");
    for (String triple : triples) {
      request.row(triple, binary(triple), python(triple));
    }
    return request.base(base, Path.of(".")).layoutDir(layoutDir);
  }

  /** The smaller image: the aarch64 build alone. */
  public ImageRequest.Builder arm64Image(String base, Path layoutDir) {
    return image(base, layoutDir, ARM64);
  }

  /**
   * Builds {@link #arm64Image} from the multi-platform base into {@code layoutDir}, tagged {@code
   * tags}: the small image the registry tests push.
   */
  public BuiltImage buildArm64(Path layoutDir, String... tags) throws OciException {
    return new ImageBuilder(ImageConsole.silent())
        .build(
            arm64Image(BaseImages.multiPlatform(), layoutDir)
                .settings(ImageSettings.builder().tags(List.of(tags)).build())
                .build());
  }

  public Path dir() {
    return dir;
  }

  private static void build(Path dir) throws IOException {
    Path sources = Path.of("src/test/resources/dev/pbstoolchain/oci/testing").toAbsolutePath();
    // x86_64: the machine's CPython.
    Path amd64 = dir.resolve(AMD64);
    Path python = amd64.resolve("python");
    LocalCPython.copyRuntime(python, SKIPPED);
    Files.writeString(
        python.resolve("LICENSE.md"), "# Licences\n\nCPython: PSF-2.0 (test release)\n");
    buildApp(
        "gcc",
        amd64.resolve(APP),
        sources.resolve("demo-app.c"),
        python.resolve("lib"),
        "-I" + LocalCPython.INCLUDE,
        "-I" + LocalCPython.MULTIARCH_PYCONFIG.getParent());
    // aarch64: a stand-in libpython.
    Path arm64 = dir.resolve(ARM64);
    Path armPython = arm64.resolve("python");
    Files.createDirectories(armPython.resolve("lib/python3.11"));
    Sh.ok(
        "aarch64-linux-gnu-gcc",
        "-shared",
        "-fPIC",
        "-Wl,-soname,libpython3.11.so.1.0",
        "-o",
        armPython.resolve("lib/libpython3.11.so.1.0").toString(),
        sources.resolve("stand-in-python.c").toString());
    Files.createSymbolicLink(
        armPython.resolve("lib/libpython3.11.so"), Path.of("libpython3.11.so.1.0"));
    Files.writeString(armPython.resolve("lib/python3.11/os.py"), "# stdlib stand-in\n");
    Files.writeString(armPython.resolve("LICENSE.md"), "# Licences\n\nstand-in\n");
    buildApp(
        "aarch64-linux-gnu-gcc",
        arm64.resolve(APP),
        sources.resolve("demo-app.c"),
        armPython.resolve("lib"),
        "-DSTAND_IN");
    // What a deb of the app carries besides the program.
    Path packaging = Files.createDirectories(dir.resolve("packaging"));
    Files.writeString(
        packaging.resolve("copyright"),
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nLicense: Apache-2.0\n");
    Files.writeString(
        packaging.resolve("demo-app.service"), "[Service]\nExecStart=/usr/bin/demo-app\n");
    Files.writeString(packaging.resolve("demo.conf"), "listen = 8080\n");
  }

  /**
   * Compiles {@code source} into {@code app} with {@code gcc} and {@code flags}, linked against the
   * libpython in {@code pythonLib}, with the RUNPATH of both layouts.
   */
  private static void buildApp(String gcc, Path app, Path source, Path pythonLib, String... flags) {
    List<String> command = new ArrayList<>(List.of(gcc, "-O2", "-s"));
    command.addAll(List.of(flags));
    command.addAll(
        List.of(
            "-o",
            app.toString(),
            source.toString(),
            "-L" + pythonLib,
            "-lpython3.11",
            "-Wl,-rpath," + RUNPATH));
    Sh.ok(command.toArray(String[]::new));
  }

  public Path packaging(String file) {
    return dir.resolve("packaging").resolve(file);
  }
}
