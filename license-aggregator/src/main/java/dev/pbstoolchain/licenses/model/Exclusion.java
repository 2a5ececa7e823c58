package dev.pbstoolchain.licenses.model;

import dev.pbstoolchain.licenses.LicenseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What leaving extension modules out of one build means: which of them it has, and which paths of
 * the shipped install tree belong to them.
 *
 * @param modules the excluded modules this build has
 * @param absent excluded names this build has no module of (e.g. {@code readline} on Windows):
 *     nothing to do for them here, but a name absent from every build is likely misspelt
 * @param shippedPaths paths relative to the shipped {@code python/} directory (the install_only
 *     tree) to delete before packaging: each module's shared library (its {@code lib-dynload} or
 *     {@code DLLs} file), DLLs only excluded modules link, and for {@code _tkinter} the Tcl/Tk
 *     directories PYTHON.json names; a path ending in {@code /} is a directory, deleted with all it
 *     holds
 */
public record Exclusion(
    SortedSet<String> modules, SortedSet<String> absent, SortedSet<String> shippedPaths) {

  /** The full archive's install tree, which install_only archives ship as {@code python/}. */
  private static final String INSTALL = "install/";

  public Exclusion {
    modules = new TreeSet<>(modules);
    absent = new TreeSet<>(absent);
    shippedPaths = new TreeSet<>(shippedPaths);
  }

  public static Exclusion none() {
    return new Exclusion(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
  }

  /** True when the module ships: PYTHON.json lists it and it is not excluded. */
  public boolean ships(String module) {
    return !modules.contains(module);
  }

  /**
   * Plans excluding {@code names} from the build {@code json} describes.
   *
   * @param where names the archive in messages
   * @param option how the front end names the exclusion list, for messages
   * @throws LicenseException when a module cannot be left out: it is compiled into libpython (no
   *     {@code shared_lib}), or its shared library is not in the install tree
   */
  public static Exclusion plan(PythonJson json, Set<String> names, String where, String option)
      throws LicenseException {
    Map<String, List<PythonJson.Variant>> extensions = json.buildInfo().extensions();
    SortedSet<String> modules = new TreeSet<>();
    SortedSet<String> absent = new TreeSet<>();
    SortedSet<String> paths = new TreeSet<>();
    for (String name : names) {
      List<PythonJson.Variant> variants = extensions.get(name);
      if (variants == null) {
        absent.add(name);
        continue;
      }
      modules.add(name);
      for (int i = 0; i < variants.size(); i++) {
        PythonJson.Variant variant = variants.get(i);
        String pointer = "/build_info/extensions/" + name + "/" + i;
        if (variant.inCore() || variant.sharedLib().isEmpty()) {
          throw new LicenseException(
              where
                  + ": extension module "
                  + name
                  + " cannot be excluded: it is compiled into libpython in this build (PYTHON.json "
                  + pointer
                  + (variant.inCore() ? " is in_core" : " has no shared_lib")
                  + "), so its code and its licence ship with every binary. Remove "
                  + name
                  + " from "
                  + option
                  + " for this target.");
        }
        paths.add(shipped(variant.sharedLib().get(), where, pointer + "/shared_lib"));
      }
    }
    // DLLs only excluded modules link go too; one a shipped module or the core links stays.
    Set<String> kept = new TreeSet<>();
    json.buildInfo().core().links().forEach(link -> link.pathDynamic().ifPresent(kept::add));
    extensions.forEach(
        (name, variants) -> {
          if (!modules.contains(name)) {
            variants.forEach(
                v -> v.links().forEach(link -> link.pathDynamic().ifPresent(kept::add)));
          }
        });
    for (String name : modules) {
      for (PythonJson.Variant variant : extensions.get(name)) {
        for (PythonJson.Link link : variant.links()) {
          if (link.pathDynamic().isPresent()
              && !kept.contains(link.pathDynamic().get())
              && link.pathDynamic().get().startsWith(INSTALL)) {
            paths.add(link.pathDynamic().get().substring(INSTALL.length()));
          }
        }
      }
    }
    if (modules.contains("_tkinter") && json.tclLibraryPath().isPresent()) {
      String base = json.tclLibraryPath().get();
      if (base.startsWith(INSTALL)) {
        for (String dir : json.tclLibraryPaths()) {
          paths.add(base.substring(INSTALL.length()) + "/" + dir + "/");
        }
      }
    }
    return new Exclusion(modules, absent, paths);
  }

  private static String shipped(String path, String where, String pointer) throws LicenseException {
    if (!path.startsWith(INSTALL)) {
      throw new LicenseException(
          where
              + ": PYTHON.json "
              + pointer
              + " is '"
              + path
              + "', outside install/ (the tree install_only archives ship), so it cannot be"
              + " removed from the shipped tree. Use the release's unmodified *-full.tar.zst.");
    }
    return path.substring(INSTALL.length());
  }
}
