package dev.pbstoolchain.publishing.yum;

import dev.pbstoolchain.publishing.yum.RpmPackage.Changelog;
import dev.pbstoolchain.publishing.yum.RpmPackage.Dependency;
import dev.pbstoolchain.publishing.yum.RpmPackage.DependencyKind;
import dev.pbstoolchain.publishing.yum.RpmPackage.PackageFile;
import java.util.List;

/**
 * The {@code <package>} entries of primary.xml, filelists.xml and other.xml, written the way
 * createrepo_c writes them (libxml2's two-space indentation and escaping), so the same rpm gives
 * the same entry whichever tool made the repository.
 */
final class RepoXml {

  static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  static final String PRIMARY_OPEN =
      "<metadata xmlns=\"http://linux.duke.edu/metadata/common\""
          + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"%d\">\n";
  static final String PRIMARY_CLOSE = "</metadata>";
  static final String FILELISTS_OPEN =
      "<filelists xmlns=\"http://linux.duke.edu/metadata/filelists\" packages=\"%d\">\n";
  static final String FILELISTS_CLOSE = "</filelists>";
  static final String OTHER_OPEN =
      "<otherdata xmlns=\"http://linux.duke.edu/metadata/other\" packages=\"%d\">\n";
  static final String OTHER_CLOSE = "</otherdata>";

  private RepoXml() {}

  /** Where an rpm is and what its file looks like (repodata's pkgid, time, size, location). */
  record Location(String sha256, long fileTime, long fileSize, String href) {}

  static String primary(RpmPackage p, Location where) {
    StringBuilder x = new StringBuilder(4096);
    x.append("<package type=\"rpm\">\n");
    text(x, 1, "name", p.name());
    text(x, 1, "arch", p.arch());
    version(x, p);
    x.append("  <checksum type=\"sha256\" pkgid=\"YES\">")
        .append(escapeText(where.sha256()))
        .append("</checksum>\n");
    text(x, 1, "summary", p.summary());
    text(x, 1, "description", p.description());
    text(x, 1, "packager", p.packager());
    text(x, 1, "url", p.url());
    x.append("  <time file=\"")
        .append(where.fileTime())
        .append("\" build=\"")
        .append(p.buildTime())
        .append("\"/>\n");
    x.append("  <size package=\"")
        .append(where.fileSize())
        .append("\" installed=\"")
        .append(p.installedSize())
        .append("\" archive=\"")
        .append(p.archiveSize())
        .append("\"/>\n");
    x.append("  <location href=\"").append(escapeAttribute(where.href())).append("\"/>\n");
    x.append("  <format>\n");
    text(x, 2, "rpm:license", p.license());
    text(x, 2, "rpm:vendor", p.vendor());
    text(x, 2, "rpm:group", p.group());
    text(x, 2, "rpm:buildhost", p.buildHost());
    text(x, 2, "rpm:sourcerpm", p.sourceRpm());
    x.append("    <rpm:header-range start=\"")
        .append(p.headerStart())
        .append("\" end=\"")
        .append(p.headerEnd())
        .append("\"/>\n");
    for (DependencyKind kind : DependencyKind.values()) {
      dependencies(x, kind, p.dependencies().getOrDefault(kind, List.of()));
    }
    for (PackageFile f : p.files()) {
      if (RpmPackage.isPrimaryFile(f.path())) {
        file(x, 2, f);
      }
    }
    x.append("  </format>\n");
    x.append("</package>\n");
    return x.toString();
  }

  static String filelists(RpmPackage p, Location where) {
    StringBuilder x = new StringBuilder(1024 + 64 * p.files().size());
    packageOpen(x, p, where);
    version(x, p);
    for (PackageFile f : p.files()) {
      file(x, 1, f);
    }
    x.append("</package>\n");
    return x.toString();
  }

  static String other(RpmPackage p, Location where) {
    StringBuilder x = new StringBuilder(1024);
    packageOpen(x, p, where);
    version(x, p);
    for (Changelog c : p.changelogs()) {
      x.append("  <changelog author=\"")
          .append(escapeAttribute(c.author()))
          .append("\" date=\"")
          .append(c.date())
          .append("\">")
          .append(escapeText(c.text()))
          .append("</changelog>\n");
    }
    x.append("</package>\n");
    return x.toString();
  }

  private static void packageOpen(StringBuilder x, RpmPackage p, Location where) {
    x.append("<package pkgid=\"")
        .append(escapeAttribute(where.sha256()))
        .append("\" name=\"")
        .append(escapeAttribute(p.name()))
        .append("\" arch=\"")
        .append(escapeAttribute(p.arch()))
        .append("\">\n");
  }

  private static void version(StringBuilder x, RpmPackage p) {
    x.append("  <version epoch=\"")
        .append(escapeAttribute(p.epoch()))
        .append("\" ver=\"")
        .append(escapeAttribute(p.version()))
        .append("\" rel=\"")
        .append(escapeAttribute(p.release()))
        .append("\"/>\n");
  }

  private static void dependencies(StringBuilder x, DependencyKind kind, List<Dependency> list) {
    boolean any = false;
    for (Dependency d : list) {
      if (d.name() == null || d.name().isEmpty()) {
        continue;
      }
      if (!any) {
        x.append("    <").append(kind.element).append(">\n");
        any = true;
      }
      x.append("      <rpm:entry name=\"").append(escapeAttribute(d.name())).append('"');
      if (d.flags() != null) {
        x.append(" flags=\"").append(d.flags()).append('"');
        attribute(x, "epoch", d.epoch());
        attribute(x, "ver", d.version());
        attribute(x, "rel", d.release());
      }
      if (kind == DependencyKind.REQUIRES && d.pre()) {
        x.append(" pre=\"1\"");
      }
      x.append("/>\n");
    }
    if (any) {
      x.append("    </").append(kind.element).append(">\n");
    }
  }

  private static void attribute(StringBuilder x, String name, String value) {
    if (value != null && !value.isEmpty()) {
      x.append(' ').append(name).append("=\"").append(escapeAttribute(value)).append('"');
    }
  }

  private static void file(StringBuilder x, int depth, PackageFile f) {
    x.append("  ".repeat(depth)).append("<file");
    if (!f.type().isEmpty()) {
      x.append(" type=\"").append(f.type()).append('"');
    }
    x.append('>').append(escapeText(f.path())).append("</file>\n");
  }

  private static void text(StringBuilder x, int depth, String element, String value) {
    x.append("  ".repeat(depth))
        .append('<')
        .append(element)
        .append('>')
        .append(escapeText(value == null ? "" : value))
        .append("</")
        .append(element)
        .append(">\n");
  }

  /** libxml2's escaping of text content: &amp; &lt; &gt; and CR. */
  static String escapeText(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String replacement =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '\r' -> "&#13;";
            default -> null;
          };
      if (replacement != null && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }

  /**
   * libxml2's escaping of attribute values when serializing without a document encoding: the markup
   * characters, CR, LF and TAB, and every non-ASCII character as a hex reference.
   */
  static String escapeAttribute(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\n' -> out.append("&#10;");
        case '\r' -> out.append("&#13;");
        case '\t' -> out.append("&#9;");
        default -> {
          if (c >= 0x80) {
            out.append("&#x")
                .append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT))
                .append(';');
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    }
    return out.toString();
  }
}
