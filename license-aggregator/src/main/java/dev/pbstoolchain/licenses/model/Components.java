package dev.pbstoolchain.licenses.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Groups PYTHON.json's per-extension licence data into components, each listed once. */
public final class Components {

  private static final String PREFIX = "LICENSE.";
  private static final String SUFFIX = ".txt";

  private Components() {}

  /** CPython first, then the bundled libraries by name. */
  public static List<Component> from(PythonJson json) {
    return from(json, module -> true);
  }

  /**
   * CPython first, then the libraries the {@code shipped} extension modules pull in, by name: a
   * library only excluded modules use is not listed.
   */
  public static List<Component> from(PythonJson json, Predicate<String> shipped) {
    List<Component> result = new ArrayList<>();
    result.add(
        new Component(
            "CPython",
            json.coreLicenses(),
            json.coreLicensePath().map(List::of).orElse(List.of()),
            false,
            Set.of()));
    Map<String, Builder> byName = new TreeMap<>();
    for (var extension : json.buildInfo().extensions().entrySet()) {
      if (!shipped.test(extension.getKey())) {
        continue;
      }
      for (PythonJson.Variant variant : extension.getValue()) {
        if (variant.licenses().isEmpty()
            && variant.licensePaths().isEmpty()
            && !variant.publicDomain()) {
          continue;
        }
        String name = name(variant, extension.getKey());
        Builder b = byName.computeIfAbsent(name, Builder::new);
        b.spdx.addAll(variant.licenses());
        b.paths.addAll(variant.licensePaths());
        b.publicDomain |= variant.publicDomain();
        b.users.add(extension.getKey());
      }
    }
    byName.values().forEach(b -> result.add(b.build()));
    return result;
  }

  /** {@code licenses/LICENSE.openssl-3.txt} -> {@code openssl-3}; else the first linked library. */
  static String name(PythonJson.Variant variant, String extension) {
    for (String path : variant.licensePaths()) {
      String file = path.substring(path.lastIndexOf('/') + 1);
      if (file.startsWith(PREFIX)
          && file.endsWith(SUFFIX)
          && file.length() > PREFIX.length() + SUFFIX.length()) {
        return file.substring(PREFIX.length(), file.length() - SUFFIX.length());
      }
      return file;
    }
    for (PythonJson.Link link : variant.links()) {
      if (!link.system() && !link.framework()) {
        return link.name();
      }
    }
    return extension;
  }

  private static final class Builder {
    final String name;
    final Set<String> spdx = new LinkedHashSet<>();
    final Set<String> paths = new TreeSet<>();
    final Set<String> users = new TreeSet<>();
    boolean publicDomain;

    Builder(String name) {
      this.name = name;
    }

    Component build() {
      return new Component(name, List.copyOf(spdx), List.copyOf(paths), publicDomain, users);
    }
  }
}
