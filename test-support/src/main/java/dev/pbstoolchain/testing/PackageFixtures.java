package dev.pbstoolchain.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Packages built by the distributions' own tools (dpkg-deb, rpmbuild): each installs {@code
 * /usr/bin/NAME}, a script that prints "NAME VERSION works".
 */
public final class PackageFixtures {

  /** The time every fixture carries (SOURCE_DATE_EPOCH), so rebuilt fixtures are identical. */
  public static final String EPOCH = "1764000000";

  private PackageFixtures() {}

  /** A deb built by dpkg-deb. */
  public static Path deb(Path dir, String name, String version, String arch) throws IOException {
    return deb(dir, name, version, arch, "");
  }

  /** A deb built by dpkg-deb whose script also carries {@code comment} (another build). */
  public static Path deb(Path dir, String name, String version, String arch, String comment)
      throws IOException {
    return deb(dir, name, version, arch, comment, "gzip");
  }

  /** A deb whose members dpkg-deb compresses with {@code compression} (gzip, xz, zstd, none). */
  public static Path deb(
      Path dir, String name, String version, String arch, String comment, String compression)
      throws IOException {
    Path tree =
        dir.resolve("deb-" + name + "-" + version + "-" + arch + comment.hashCode() + compression);
    Path bin = tree.resolve("usr/bin");
    Files.createDirectories(bin);
    Files.createDirectories(tree.resolve("DEBIAN"));
    script(bin.resolve(name), name, version);
    if (!comment.isEmpty()) {
      Files.writeString(
          bin.resolve(name), "# " + comment + "\n", java.nio.file.StandardOpenOption.APPEND);
    }
    Files.writeString(
        tree.resolve("DEBIAN/control"),
        "Package: "
            + name
            + "\nVersion: "
            + version
            + "\nArchitecture: "
            + arch
            + "\nMaintainer: PBS Tests <tests@example.com>\nInstalled-Size: 1\nSection: utils\n"
            + "Priority: optional\nHomepage: https://example.com/"
            + name
            + "\nDescription: prints that it works\n A test package for the APT writer.\n .\n"
            + " Second paragraph.\n");
    Path deb =
        dir.resolve(
            name
                + "_"
                + version.replaceFirst("^\\d+:", "")
                + "_"
                + arch
                + (compression.equals("gzip") ? "" : "." + compression)
                + ".deb");
    Sh.run(
            null,
            Map.of("SOURCE_DATE_EPOCH", EPOCH),
            "dpkg-deb",
            "--root-owner-group",
            "-Z" + compression,
            "--build",
            tree.toString(),
            deb.toString())
        .ok();
    return deb;
  }

  /** An rpm built by rpmbuild (no dependencies beyond what rpm adds itself). */
  public static Path rpm(Path dir, String name, String version, String release, String arch)
      throws IOException {
    Path top = dir.resolve("rpmbuild-" + name + "-" + version + "-" + arch);
    Path sources = top.resolve("SOURCES");
    Files.createDirectories(sources);
    script(sources.resolve(name), name, version);
    String spec =
        "Name: "
            + name
            + "\nVersion: "
            + version
            + "\nRelease: "
            + release
            + "\nSummary: prints that it works\nLicense: Apache-2.0\nURL: https://example.com/"
            + name
            + "\nBuildArch: "
            + arch
            + "\nSource0: "
            + name
            + "\nAutoReqProv: no\n\n%description\nA test package for the YUM writer.\n\n"
            + "%install\nmkdir -p %{buildroot}/usr/bin\n"
            + "install -m 0755 %{SOURCE0} %{buildroot}/usr/bin/"
            + name
            + "\n\n%files\n/usr/bin/"
            + name
            + "\n\n%changelog\n* Mon Nov 24 2025 PBS Tests <tests@example.com> - "
            + version
            + "-"
            + release
            + "\n- First build\n";
    return rpmFromSpec(dir, top, spec, name + "-" + version + "-" + release + "." + arch, arch);
  }

  /**
   * Builds {@code spec} with rpmbuild in {@code top} (its SOURCES already filled) and copies the
   * binary rpm {@code nvra}.rpm into {@code dir}.
   */
  public static Path rpmFromSpec(Path dir, Path top, String spec, String nvra, String arch)
      throws IOException {
    Files.createDirectories(top.resolve("SOURCES"));
    Path specFile = top.resolve("package.spec");
    Files.writeString(specFile, spec);
    Sh.run(
            null,
            Map.of("SOURCE_DATE_EPOCH", EPOCH),
            "rpmbuild",
            "-bb",
            "--quiet",
            "--define",
            "_topdir " + top,
            "--define",
            "_build_id_links none",
            "--define",
            "use_source_date_epoch_as_buildtime 1",
            "--define",
            "clamp_mtime_to_source_date_epoch 1",
            "--define",
            "_buildhost pbs-tests",
            "--target",
            arch,
            specFile.toString())
        .ok();
    Path rpm = top.resolve("RPMS").resolve(arch).resolve(nvra + ".rpm");
    Path out = dir.resolve(rpm.getFileName());
    Files.copy(rpm, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return out;
  }

  /**
   * Runs {@code /usr/bin/NAME} as a fixture package installed it under {@code root} (an apt or dnf
   * client's scratch root), which must exit 0; returns what it printed ("NAME VERSION works\n").
   */
  private static String runInstalled(Path root, String name) {
    return Sh.run(root.resolve("usr/bin").resolve(name).toString()).ok().out();
  }

  /**
   * The version the installed fixture {@code name} under {@code root} says it is ("NAME VERSION
   * works"), or what it printed instead, whole, when that is not its line.
   */
  public static String installedVersion(Path root, String name) {
    String printed = runInstalled(root, name);
    String prefix = name + " ";
    String suffix = " works\n";
    return printed.startsWith(prefix) && printed.endsWith(suffix)
        ? printed.substring(prefix.length(), printed.length() - suffix.length())
        : "not the fixture's line: " + printed;
  }

  private static void script(Path file, String name, String version) throws IOException {
    Files.writeString(file, "#!/bin/sh\necho \"" + name + " " + version + " works\"\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
