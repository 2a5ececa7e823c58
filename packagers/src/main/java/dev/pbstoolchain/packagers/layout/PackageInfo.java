package dev.pbstoolchain.packagers.layout;

import java.util.List;
import java.util.Map;

/**
 * What deb control files and rpm headers say about a package.
 *
 * @param name package name (also the binary's name)
 * @param version the Maven version; {@link PackageVersion} maps it per format
 * @param summary one line
 * @param description longer text (may be empty)
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
    long epochSeconds) {

  public PackageInfo {
    depends = List.copyOf(depends);
    requires = List.copyOf(requires);
    recommends = List.copyOf(recommends);
    conflicts = List.copyOf(conflicts);
    provides = List.copyOf(provides);
    scripts = Map.copyOf(scripts);
  }

  /** A minimal package; the rest can be set with the {@code with*} methods. */
  public static PackageInfo of(
      String name, String version, String summary, String maintainer, String triple, long epoch) {
    return new PackageInfo(
        name,
        version,
        summary,
        "",
        maintainer,
        "",
        "",
        "",
        "utils",
        "Applications/System",
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Map.of(),
        triple,
        epoch);
  }

  public PackageInfo withDescription(String text, String url, String spdx, String org) {
    return new PackageInfo(
        name,
        version,
        summary,
        text,
        maintainer,
        url,
        spdx,
        org,
        section,
        group,
        depends,
        requires,
        recommends,
        conflicts,
        provides,
        scripts,
        triple,
        epochSeconds);
  }

  public PackageInfo withRelations(
      List<String> newDepends,
      List<String> newRequires,
      List<String> newRecommends,
      List<String> newConflicts,
      List<String> newProvides) {
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
        newDepends,
        newRequires,
        newRecommends,
        newConflicts,
        newProvides,
        scripts,
        triple,
        epochSeconds);
  }

  /** deb Section and rpm Group, e.g. {@code net} and {@code Applications/Internet}. */
  public PackageInfo withCategory(String newSection, String newGroup) {
    return new PackageInfo(
        name,
        version,
        summary,
        description,
        maintainer,
        homepage,
        license,
        vendor,
        newSection,
        newGroup,
        depends,
        requires,
        recommends,
        conflicts,
        provides,
        scripts,
        triple,
        epochSeconds);
  }

  public PackageInfo withScripts(Map<String, String> newScripts) {
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
        newScripts,
        triple,
        epochSeconds);
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
