package dev.pbstoolchain.core.packaging;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.ElfAudit;
import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Libraries the bundled tree needs from the system beyond the allow-list (PBS 3.11's {@code _crypt}
 * needs {@code libcrypt.so.1}), and how deb and rpm name them.
 */
public final class SystemDependencies {

  /** soname -> Debian package providing it, for the ones PBS trees are known to need. */
  private static final Map<String, String> DEBIAN =
      Map.ofEntries(
          Map.entry("libcrypt.so.1", "libcrypt1"),
          Map.entry("libz.so.1", "zlib1g"),
          Map.entry("libstdc++.so.6", "libstdc++6"),
          Map.entry("libnsl.so.2", "libnsl2"),
          Map.entry("libbz2.so.1.0", "libbz2-1.0"),
          Map.entry("liblzma.so.5", "liblzma5"),
          Map.entry("libffi.so.8", "libffi8"),
          Map.entry("libssl.so.3", "libssl3"),
          Map.entry("libcrypto.so.3", "libssl3"),
          Map.entry("libsqlite3.so.0", "libsqlite3-0"),
          Map.entry("libexpat.so.1", "libexpat1"),
          Map.entry("libmpdec.so.3", "libmpdec3"),
          Map.entry("libuuid.so.1", "libuuid1"),
          Map.entry("libncursesw.so.6", "libncursesw6"),
          Map.entry("libpanelw.so.6", "libncursesw6"),
          Map.entry("libformw.so.6", "libncursesw6"),
          Map.entry("libmenuw.so.6", "libncursesw6"),
          Map.entry("libtinfo.so.6", "libtinfo6"),
          Map.entry("libreadline.so.8", "libreadline8"),
          Map.entry("libgdbm.so.6", "libgdbm6"),
          Map.entry("libgdbm_compat.so.4", "libgdbm-compat4"),
          Map.entry("libdb-5.3.so", "libdb5.3"),
          Map.entry("libtirpc.so.3", "libtirpc3"));

  private SystemDependencies() {}

  /** soname -> the files needing it, for every ELF under {@code root}. */
  public static Map<String, Set<String>> scan(Path root) throws PbsException {
    Map<String, Set<String>> needs = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> files = walk.sorted().toList();
      // A library shipped anywhere in the tree counts as bundled (e.g. libpython for extensions).
      Set<String> shipped =
          files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet());
      for (Path file : files) {
        if (!Files.isRegularFile(file) || !isElf(file)) {
          continue;
        }
        ElfAudit.Report report = ElfAudit.audit(file, ElfAudit.Options.defaults(root));
        for (String missing : report.missing()) {
          if (!shipped.contains(missing)) {
            needs
                .computeIfAbsent(missing, k -> new TreeSet<>())
                .add(root.relativize(file).toString());
          }
        }
      }
    } catch (IOException e) {
      throw PbsException.failure("Cannot scan " + root + ": " + e.getMessage(), e);
    } catch (BinaryFormatException e) {
      throw PbsException.failure(e.getMessage(), e);
    }
    return needs;
  }

  /** The highest GLIBC_ version any ELF under {@code root} needs, with the file that needs it. */
  public static Optional<Map.Entry<String, String>> glibcFloor(Path root) throws PbsException {
    Map.Entry<String, String> highest = null;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file :
          files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
        if (!isElf(file)) {
          continue;
        }
        Optional<String> glibc = ElfAudit.audit(file, ElfAudit.Options.defaults(root)).maxGlibc();
        if (glibc.isPresent()
            && (highest == null || ElfAudit.compareVersions(glibc.get(), highest.getKey()) > 0)) {
          highest = Map.entry(glibc.get(), root.relativize(file).toString());
        }
      }
    } catch (IOException e) {
      throw PbsException.failure("Cannot scan " + root + ": " + e.getMessage(), e);
    } catch (BinaryFormatException e) {
      throw PbsException.failure(e.getMessage(), e);
    }
    return Optional.ofNullable(highest);
  }

  static boolean isElf(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && magic[0] == 0x7f
          && magic[1] == 'E'
          && magic[2] == 'L'
          && magic[3] == 'F';
    } catch (IOException e) {
      return false;
    }
  }

  /** Debian packages for the sonames; ones with no known package are left to {@link #unmapped}. */
  public static List<String> debDepends(Set<String> sonames) {
    return sonames.stream()
        .filter(DEBIAN::containsKey)
        .map(DEBIAN::get)
        .distinct()
        .sorted()
        .toList();
  }

  /** Sonames no Debian package is known for: the target system must provide them. */
  public static List<String> unmapped(Set<String> sonames) {
    return sonames.stream().filter(s -> !DEBIAN.containsKey(s)).sorted().toList();
  }

  public static List<String> rpmRequires(Set<String> sonames, boolean is64) {
    return sonames.stream().map(s -> s + (is64 ? "()(64bit)" : "")).sorted().toList();
  }
}
