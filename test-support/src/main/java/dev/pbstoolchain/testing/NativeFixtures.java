package dev.pbstoolchain.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PBS-shaped install_only trees for the targets this Linux host cannot run natively: Linux arm64,
 * macOS arm64 (built with clang-16 + ld64.lld-16, libpython keeping PBS's {@code /install/lib/...}
 * install name) and Windows x64 (built with mingw-w64: python311.dll, its import library,
 * python3.dll, vcruntime). The libraries are stand-ins with one real symbol; the layout and names
 * are PBS's.
 */
public final class NativeFixtures {

  /** The target and platform of the macOS arm64 stand-ins: macOS 11, PBS's own minimum. */
  private static final String[] MACOS_ARM64 = {
    "-arch", "arm64", "-platform_version", "macos", "11.0", "11.0"
  };

  private NativeFixtures() {}

  public static TarEntries darwin(Path sources, Path work) throws IOException {
    Files.createDirectories(work);
    clangObject(work, sources.resolve("libsystem_stub.c"), "sys.o");
    clangObject(work, sources.resolve("libpython_stub.c"), "py.o");
    darwinDylib(work, "/usr/lib/libSystem.B.dylib", "sys.o", "libSystem.B.dylib");
    darwinDylib(
        work,
        "/install/lib/libpython3.11.dylib",
        "py.o",
        "libpython3.11.dylib",
        "-L.",
        "-lSystem.B");
    TarEntries tar = new TarEntries();
    tar.file("python/lib/libpython3.11.dylib", work.resolve("libpython3.11.dylib"), 0755);
    tar.file("python/bin/python3.11", work.resolve("libpython3.11.dylib"), 0755);
    tar.symlink("python/bin/python3", "python3.11");
    tar.text("python/lib/python3.11/os.py", "# stdlib stand-in\n", 0644);
    // ncurses' terminfo as a case-sensitive build host writes it: names that collide on APFS.
    tar.text("python/share/terminfo/n/ncr260", "terminfo entry\n", 0644);
    tar.symlink("python/share/terminfo/N/NCR260", "../n/ncr260");
    return tar;
  }

  /**
   * Linux arm64 (built with aarch64-linux-gnu-gcc; runs here under qemu-aarch64-static): a shared
   * stand-in libpython with PBS's soname and file names.
   */
  public static TarEntries linuxArm64(Path sources, Path work) throws IOException {
    Files.createDirectories(work);
    run(
        work,
        "aarch64-linux-gnu-gcc",
        "-shared",
        "-fPIC",
        "-Wl,-soname,libpython3.11.so.1.0",
        "-o",
        "libpython3.11.so.1.0",
        sources.resolve("libpython_stub.c").toString());
    TarEntries tar = new TarEntries();
    tar.file("python/lib/libpython3.11.so.1.0", work.resolve("libpython3.11.so.1.0"), 0755);
    tar.symlink("python/lib/libpython3.11.so", "libpython3.11.so.1.0");
    tar.file("python/bin/python3.11", work.resolve("libpython3.11.so.1.0"), 0755);
    tar.symlink("python/bin/python3", "python3.11");
    tar.text("python/lib/python3.11/os.py", "# stdlib stand-in\n", 0644);
    return tar;
  }

  public static TarEntries windows(Path sources, Path work) throws IOException {
    Files.createDirectories(work);
    Path stub = sources.resolve("libpython_stub.c");
    mingw(work, Map.of(), "python311.dll", stub, "-Wl,--out-implib,python311.lib");
    mingw(work, Map.of(), "python3.dll", stub);
    mingw(work, Map.of(), "vcruntime140.dll", sources.resolve("libsystem_stub.c"));
    TarEntries tar = new TarEntries();
    tar.file("python/python311.dll", work.resolve("python311.dll"), 0755);
    tar.file("python/python3.dll", work.resolve("python3.dll"), 0755);
    tar.file("python/vcruntime140.dll", work.resolve("vcruntime140.dll"), 0755);
    tar.file("python/python.exe", work.resolve("python3.dll"), 0755);
    tar.file("python/libs/python311.lib", work.resolve("python311.lib"), 0644);
    tar.text("python/Lib/os.py", "# stdlib stand-in\n", 0644);
    return tar;
  }

  private static String[] concat(String tool, String[] platform, String... rest) {
    String[] all = new String[1 + platform.length + rest.length];
    all[0] = tool;
    System.arraycopy(platform, 0, all, 1, platform.length);
    System.arraycopy(rest, 0, all, 1 + platform.length, rest.length);
    return all;
  }

  /**
   * A DLL linked by mingw's GNU ld from the libpython stand-in, with extra gcc arguments and
   * environment (GNU ld takes SOURCE_DATE_EPOCH as the PE link time).
   */
  public static Path mingwDll(
      Path sources, Path work, String name, Map<String, String> env, String... extra)
      throws IOException {
    Files.createDirectories(work);
    return mingw(work, env, name, sources.resolve("libpython_stub.c"), extra);
  }

  /** {@code x86_64-w64-mingw32-gcc -shared -o NAME SOURCE EXTRA...} in {@code work}. */
  private static Path mingw(
      Path work, Map<String, String> env, String name, Path source, String... extra)
      throws IOException {
    run(
        work,
        env,
        concat(
            "x86_64-w64-mingw32-gcc",
            new String[] {"-shared", "-o", name, source.toString()},
            extra));
    return work.resolve(name);
  }

  /** An arm64 macOS object file compiled by clang-16. */
  private static void clangObject(Path work, Path source, String object) throws IOException {
    run(work, "clang-16", "-target", "arm64-apple-macos11", "-c", source.toString(), "-o", object);
  }

  /** An arm64 macOS dylib linked by ld64.lld-16 from {@code object}, then {@code libraries}. */
  private static void darwinDylib(
      Path work, String installName, String object, String dylib, String... libraries)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("-dylib", "-install_name", installName, object));
    args.addAll(List.of("-o", dylib));
    args.addAll(List.of(libraries));
    run(work, concat("ld64.lld-16", MACOS_ARM64, args.toArray(String[]::new)));
  }

  private static void run(Path dir, String... command) throws IOException {
    run(dir, Map.of(), command);
  }

  private static void run(Path dir, Map<String, String> env, String... command) throws IOException {
    Sh.Result result = Sh.run(dir, env, command);
    if (result.code() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + result.out());
    }
  }
}
