package dev.pbstoolchain.core.packaging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deb's Depends and an rpm's Requires as the native tools compute them, plus what the matrix
 * declares: the ELF files' own needs (libc6, libgcc-s1; elfdeps), the Debian packages of the system
 * libraries the bundled Python needs, the system libraries the app is declared to take from the
 * system, then the relations written out in matrix.yaml.
 *
 * @param debDepends the deb's Depends, computed ones sorted by package name as dpkg-shlibdeps sorts
 *     them, then the declared ones in their order
 * @param rpmRequires the rpm's Requires, sorted, then the declared ones
 */
public record PackageRelations(List<String> debDepends, List<String> rpmRequires) {

  public PackageRelations {
    debDepends = List.copyOf(debDepends);
    rpmRequires = List.copyOf(rpmRequires);
  }

  /**
   * @param elf what the package's ELF files need
   * @param pythonNeeds sonames the bundled Python needs from the system
   * @param systemLibraries sonames the app takes from the system, each with its Debian package
   * @param is64 whether rpm marks the target's libraries {@code ()(64bit)}
   * @param depends deb Depends written in matrix.yaml
   * @param requires rpm Requires written in matrix.yaml
   */
  public static PackageRelations of(
      NativeDependencies elf,
      Set<String> pythonNeeds,
      Map<String, String> systemLibraries,
      boolean is64,
      List<String> depends,
      List<String> requires) {
    List<String> computed = new ArrayList<>(elf.debDepends());
    computed.addAll(SystemDependencies.debDepends(pythonNeeds));
    computed.addAll(systemLibraries.values());
    List<String> deb = new ArrayList<>(distinctByPackage(computed));
    deb.sort(Comparator.comparing(PackageRelations::packageName));
    Set<String> rpm = new TreeSet<>(elf.rpmRequires());
    rpm.addAll(SystemDependencies.rpmRequires(pythonNeeds, is64));
    rpm.addAll(SystemDependencies.rpmRequires(systemLibraries.keySet(), is64));
    return new PackageRelations(union(deb, depends), union(List.copyOf(rpm), requires));
  }

  /** The first relation naming each package (libcrypto and libssl are both libssl3). */
  private static Set<String> distinctByPackage(List<String> relations) {
    Set<String> names = new LinkedHashSet<>();
    Set<String> kept = new LinkedHashSet<>();
    for (String relation : relations) {
      if (names.add(packageName(relation))) {
        kept.add(relation);
      }
    }
    return kept;
  }

  static String packageName(String relation) {
    int space = relation.indexOf(' ');
    return space < 0 ? relation : relation.substring(0, space);
  }

  private static List<String> union(List<String> found, List<String> declared) {
    Set<String> all = new LinkedHashSet<>(found);
    all.addAll(declared);
    return List.copyOf(all);
  }
}
