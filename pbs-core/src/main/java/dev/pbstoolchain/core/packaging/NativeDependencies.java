package dev.pbstoolchain.core.packaging;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.ElfFile;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.packagers.layout.Content;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the native packaging tools would declare for the ELF files of a deb or rpm layout, in one
 * pass over them: dpkg-shlibdeps' {@code libc6 (>= X)} and {@code libgcc-s1 (>= Y)}, and rpmbuild's
 * elfdeps requirements. Libraries the package ships itself (the bundled libpython, its extension
 * modules) are private: they are neither required from the system nor provided to it.
 */
public final class NativeDependencies {

  private final List<String> debDepends;
  private final SortedSet<String> rpmRequires;
  private final Optional<String> glibc;

  private NativeDependencies(
      List<String> debDepends, SortedSet<String> rpmRequires, Optional<String> glibc) {
    this.debDepends = List.copyOf(debDepends);
    this.rpmRequires = rpmRequires;
    this.glibc = glibc;
  }

  /** Reads every ELF file of {@code layout} (modes as the package will install them). */
  public static NativeDependencies scan(Layout layout) throws PbsException {
    DebShlibs deb = new DebShlibs();
    SortedSet<String> rpm = new TreeSet<>();
    Set<String> shipped = new HashSet<>();
    for (Entry entry : layout.entries()) {
      if (entry.isFile() || entry.isSymlink()) {
        shipped.add(entry.name());
      }
      // Files the writers generate (control files, a changelog) are never ELF.
      if (!entry.isFile() || !(entry.content() instanceof Content.OnDisk disk)) {
        continue;
      }
      Path source = disk.file();
      if (!SystemDependencies.isElf(source)) {
        continue;
      }
      try {
        ElfFile elf = ElfFile.read(source);
        elf.soname().ifPresent(shipped::add);
        deb.add(elf);
        rpm.addAll(RpmElfRequires.of(elf, (entry.mode() & 0111) != 0));
      } catch (BinaryFormatException e) {
        throw PbsException.failure(
            "Cannot read " + source + " (/" + entry.path() + "): " + e.getMessage(), e);
      }
    }
    rpm.removeIf(requirement -> shipped.contains(RpmElfRequires.soname(requirement)));
    return new NativeDependencies(deb.depends(), rpm, deb.glibc());
  }

  /** {@code libc6 (>= 2.34)} and {@code libgcc-s1 (>= 3.0)} as far as the files need them. */
  public List<String> debDepends() {
    return debDepends;
  }

  /** elfdeps' requirements of every file, sorted, without the package's own libraries. */
  public SortedSet<String> rpmRequires() {
    return rpmRequires;
  }

  /** The highest glibc release any file needs. */
  public Optional<String> glibc() {
    return glibc;
  }
}
