package dev.pbstoolchain.licenses.report;

import dev.pbstoolchain.licenses.model.Component;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code python/LICENSE.md}: provenance, a table of components, then each licence text once. The
 * same input always gives the same bytes (no dates, stable order).
 */
public final class LicenseMarkdown {

  private LicenseMarkdown() {}

  public static String render(Provenance p, List<Component> components, Map<String, byte[]> texts) {
    StringBuilder md = new StringBuilder();
    md.append("# Licenses of the bundled Python\n\n");
    md.append("This directory holds CPython ")
        .append(p.pythonVersion())
        .append(" built by python-build-standalone for `")
        .append(p.triple())
        .append("`. CPython and the libraries bundled with it are distributed under the licenses")
        .append(" below.\n\n");
    md.append("## Provenance\n\n");
    row(md, "python-build-standalone release", p.releaseDate());
    row(md, "CPython version", p.pythonVersion());
    row(md, "Target", p.triple());
    row(md, "Licence data from", "`" + p.fullArchive() + "`");
    row(md, "Its URL", p.upstreamUrl());
    row(md, "Its SHA-256", "`" + p.fullArchiveSha256() + "`");
    row(md, "Shipped archive", p.installArchive().isEmpty() ? "" : "`" + p.installArchive() + "`");
    row(
        md,
        "Its SHA-256",
        p.installArchiveSha256().isEmpty() ? "" : "`" + p.installArchiveSha256() + "`");
    md.append('\n');
    md.append("## Components\n\n");
    md.append("| Component | Licenses (all apply) | Used by | Licence file |\n");
    md.append("|---|---|---|---|\n");
    for (Component c : components) {
      String licences =
          c.publicDomain() && c.spdx().isEmpty()
              ? "public domain"
              : String.join(" AND ", c.spdx()) + (c.publicDomain() ? " (public domain)" : "");
      md.append("| ")
          .append(c.name())
          .append(" | ")
          .append(licences)
          .append(" | ")
          .append(c.usedBy().isEmpty() ? "core" : String.join(", ", c.sortedUsers()))
          .append(" | ")
          .append(String.join(", ", c.licensePaths()))
          .append(" |\n");
    }
    md.append('\n');
    md.append("## License texts\n");
    Map<String, String> shown = new TreeMap<>();
    for (Component c : components) {
      for (String path : c.licensePaths()) {
        byte[] text = texts.get(path);
        if (text != null && !shown.containsKey(path)) {
          shown.put(path, new String(text, StandardCharsets.UTF_8));
        }
      }
    }
    // CPython's text first, the rest by file name.
    for (Component c : components.subList(0, 1)) {
      for (String path : c.licensePaths()) {
        if (shown.containsKey(path)) {
          text(md, path, shown.remove(path));
        }
      }
    }
    shown.forEach((path, text) -> text(md, path, text));
    return md.toString();
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("- ")
        .append(key)
        .append(": ")
        .append(value.isEmpty() ? "(not given)" : value)
        .append('\n');
  }

  private static void text(StringBuilder md, String path, String text) {
    md.append("\n### ").append(path).append("\n\n```text\n");
    md.append(text.replace("```", "'''").stripTrailing()).append("\n```\n");
  }
}
