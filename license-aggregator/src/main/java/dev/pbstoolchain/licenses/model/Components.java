package dev.pbstoolchain.licenses.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Groups PYTHON.json's per-extension licence data into components, each listed once. */
public final class Components {

  private Components() {}

  /** CPython first, then the bundled libraries by name. */
  public static List<Component> from(PythonJson json) {
    List<Component> result = new ArrayList<>();
    String corePath = json.coreLicensePath();
    result.add(
        new Component(
            "CPython",
            json.coreLicenses(),
            corePath == null ? List.of() : List.of(corePath),
            false,
            Set.of()));
    Map<String, Builder> byName = new TreeMap<>();
    for (var extension : json.buildInfo().extensions().entrySet()) {
      for (PythonJson.Variant variant : extension.getValue()) {
        if (variant.licensesOrEmpty().isEmpty()
            && variant.licensePathsOrEmpty().isEmpty()
            && !variant.publicDomain()) {
          continue;
        }
        String name = name(variant, extension.getKey());
        Builder b = byName.computeIfAbsent(name, Builder::new);
        b.spdx.addAll(variant.licensesOrEmpty());
        b.paths.addAll(variant.licensePathsOrEmpty());
        b.publicDomain |= variant.publicDomain();
        b.users.add(extension.getKey());
      }
    }
    byName.values().forEach(b -> result.add(b.build()));
    return result;
  }

  /** {@code licenses/LICENSE.openssl-3.txt} -> {@code openssl-3}; else the first linked library. */
  static String name(PythonJson.Variant variant, String extension) {
    for (String path : variant.licensePathsOrEmpty()) {
      String file = path.substring(path.lastIndexOf('/') + 1);
      if (file.startsWith("LICENSE.") && file.endsWith(".txt")) {
        return file.substring("LICENSE.".length(), file.length() - ".txt".length());
      }
      return file;
    }
    if (variant.links() != null) {
      for (PythonJson.Link link : variant.links()) {
        if (!Boolean.TRUE.equals(link.system()) && !Boolean.TRUE.equals(link.framework())) {
          return link.name();
        }
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
