package dev.pbstoolchain.packagers.layout;

import java.util.List;
import java.util.Map;

/**
 * What deb control files and rpm headers say about a package.
 *
 * @param name package name (also the binary's name)
 * @param version the Maven version; {@link PackageVersion} maps it per format
 * @param summary one line
 * @param description the extended description (may be empty: the deb then has none, the rpm's
 *     %description is the summary); paragraphs are separated by blank lines, lines starting with a
 *     space are kept as written, others are wrapped at {@value #DESCRIPTION_WIDTH} columns
 * @param maintainer {@code Name <email>}
 * @param homepage project URL
 * @param license SPDX expression of the app
 * @param vendor organisation
 * @param section deb Section (e.g. {@code utils})
 * @param group rpm Group (e.g. {@code Applications/System})
 * @param depends deb Depends entries (e.g. {@code libc6 (>= 2.23)})
 * @param requires rpm Requires entries (e.g. {@code libcrypt.so.1()(64bit)})
 * @param recommends deb Recommends / rpm Recommends
 * @param conflicts deb Conflicts / rpm Conflicts
 * @param provides deb Provides / rpm Provides
 * @param scripts maintainer scripts by deb name: {@code preinst}, {@code postinst}, {@code prerm},
 *     {@code postrm} (rpm gets them as %pre, %post, %preun, %postun)
 * @param triple the target triple, which gives the architecture
 * @param epochSeconds the one timestamp every mtime and the build time use
 * @param changelog the deb changelog and rpm %changelog, or {@link Changelog#NONE} for one entry
 *     "Release VERSION." at {@code epochSeconds}
 */
public record PackageInfo(
    String name,
    String version,
    String summary,
    String description,
    String maintainer,
    String homepage,
    String license,
    String vendor,
    String section,
    String group,
    List<String> depends,
    List<String> requires,
    List<String> recommends,
    List<String> conflicts,
    List<String> provides,
    Map<String, String> scripts,
    String triple,
    long epochSeconds,
    Changelog changelog) {

  /** Columns of a wrapped description line: lintian and rpmlint want at most 80 and 79. */
  public static final int DESCRIPTION_WIDTH = 79;

  public PackageInfo {
    depends = List.copyOf(depends);
    requires = List.copyOf(requires);
    recommends = List.copyOf(recommends);
    conflicts = List.copyOf(conflicts);
    provides = List.copyOf(provides);
    scripts = Map.copyOf(scripts);
  }

  /**
   * A package of these four; the rest defaults to empty (summary: the name; deb Section {@code
   * utils}, rpm Group {@code Applications/System}) until set.
   */
  public static Builder builder(String name, String version, String triple, long epochSeconds) {
    return new Builder(name, version, triple, epochSeconds);
  }

  /** Sets what a {@link PackageInfo} says, one field at a time. */
  public static final class Builder {
    private final String name;
    private final String version;
    private final String triple;
    private final long epochSeconds;
    private String summary;
    private String description = "";
    private String maintainer = "";
    private String homepage = "";
    private String license = "";
    private String vendor = "";
    private String section = "utils";
    private String group = "Applications/System";
    private List<String> depends = List.of();
    private List<String> requires = List.of();
    private List<String> recommends = List.of();
    private List<String> conflicts = List.of();
    private List<String> provides = List.of();
    private Map<String, String> scripts = Map.of();
    private Changelog changelog = Changelog.NONE;

    private Builder(String name, String version, String triple, long epochSeconds) {
      this.name = name;
      this.version = version;
      this.triple = triple;
      this.epochSeconds = epochSeconds;
      this.summary = name;
    }

    public Builder summary(String text) {
      summary = text;
      return this;
    }

    public Builder description(String text) {
      description = text;
      return this;
    }

    public Builder maintainer(String nameAndEmail) {
      maintainer = nameAndEmail;
      return this;
    }

    public Builder homepage(String url) {
      homepage = url;
      return this;
    }

    public Builder license(String spdx) {
      license = spdx;
      return this;
    }

    public Builder vendor(String organisation) {
      vendor = organisation;
      return this;
    }

    /** deb Section, e.g. {@code net}. */
    public Builder section(String debSection) {
      section = debSection;
      return this;
    }

    /** rpm Group, e.g. {@code Applications/Internet}. */
    public Builder group(String rpmGroup) {
      group = rpmGroup;
      return this;
    }

    public Builder depends(List<String> debDepends) {
      depends = debDepends;
      return this;
    }

    public Builder requires(List<String> rpmRequires) {
      requires = rpmRequires;
      return this;
    }

    public Builder recommends(List<String> packages) {
      recommends = packages;
      return this;
    }

    public Builder conflicts(List<String> packages) {
      conflicts = packages;
      return this;
    }

    public Builder provides(List<String> names) {
      provides = names;
      return this;
    }

    /** Maintainer scripts by deb name ({@code preinst}, {@code postinst}, ...). */
    public Builder scripts(Map<String, String> textsByName) {
      scripts = textsByName;
      return this;
    }

    /** The changelog both packages carry, newest entry first. */
    public Builder changelog(Changelog entries) {
      changelog = entries;
      return this;
    }

    public PackageInfo build() {
      return new PackageInfo(
          name,
          version,
          summary,
          description,
          maintainer,
          homepage,
          license,
          vendor,
          section,
          group,
          depends,
          requires,
          recommends,
          conflicts,
          provides,
          scripts,
          triple,
          epochSeconds,
          changelog);
    }
  }

  /**
   * The extended description's lines ({@code ""} between paragraphs), none when it is empty: a line
   * that starts with a space is kept as written (Debian shows it verbatim), any other is wrapped at
   * word boundaries to {@value #DESCRIPTION_WIDTH} columns, so a YAML folded paragraph becomes
   * several lines.
   */
  public List<String> descriptionLines() {
    List<String> lines = new java.util.ArrayList<>();
    if (description.isBlank()) {
      return lines;
    }
    for (String line : description.strip().split("\n", -1)) {
      String text = line.stripTrailing();
      if (text.isEmpty()) {
        if (!lines.isEmpty() && !lines.get(lines.size() - 1).isEmpty()) {
          lines.add("");
        }
      } else if (text.startsWith(" ")) {
        lines.add(text);
      } else {
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" +")) {
          if (current.length() > 0 && current.length() + 1 + word.length() > DESCRIPTION_WIDTH) {
            lines.add(current.toString());
            current.setLength(0);
          }
          current.append(current.length() > 0 ? " " : "").append(word);
        }
        lines.add(current.toString());
      }
    }
    return lines;
  }

  /**
   * Debian architecture of the triple's CPU (dpkg's names). Never {@code all}: the package holds
   * native code, and dpkg must refuse it on another machine.
   */
  public String debArch() {
    String cpu = cpu();
    return switch (cpu) {
      case "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      case "i686" -> "i386";
      case "armv7" -> triple.endsWith("eabihf") ? "armhf" : "armel";
      case "ppc64le" -> "ppc64el";
      default -> cpu;
    };
  }

  /** rpm architecture of the triple's CPU (rpm's names); never {@code noarch}, as above. */
  public String rpmArch() {
    String cpu = cpu();
    return switch (cpu) {
      case "armv7" -> triple.endsWith("eabihf") ? "armv7hl" : "armv7l";
      default -> cpu;
    };
  }

  /** The triple's CPU, with x86_64's micro-architecture levels (x86_64_v3) folded in. */
  private String cpu() {
    String cpu = triple.substring(0, Math.max(0, triple.indexOf('-')));
    return cpu.startsWith("x86_64") ? "x86_64" : cpu;
  }
}
