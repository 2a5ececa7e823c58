package dev.pbstoolchain.core.release;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.format.Format;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.PackageVersion;
import java.util.HashMap;
import java.util.Map;

/**
 * The file name of each artifact: matrix.yaml's {@code names:} templates, else the usual
 * conventions ({@code APP-VERSION_linux_amd64.tar.gz}, {@code APP_VERSION-1_amd64.deb}, {@code
 * APP-VERSION-1.x86_64.rpm}, {@code APP-VERSION-windows_amd64.zip}). pbs:package writes these names
 * and pbs:verify opens exactly these files, so neither guesses from a directory listing.
 */
public final class ArtifactNames {

  private final Map<String, String> templates = new HashMap<>();

  /**
   * @param overrides templates by format, from matrix.yaml
   */
  public ArtifactNames(Map<String, String> overrides) {
    for (Format format : Format.values()) {
      templates.put(format.id(), format.defaultName());
    }
    templates.putAll(overrides);
  }

  public String of(String format, ReleaseTarget target, AppInfo app) throws PbsException {
    String template = templates.get(format);
    if (template == null) {
      throw PbsException.configuration("Unknown format " + format + " for " + target.triple());
    }
    PackageVersion version;
    try {
      version = PackageVersion.from(app.version());
    } catch (PackagingException e) {
      throw PbsException.configuration(e.getMessage());
    }
    PackageInfo arch = PackageInfo.builder(app.name(), app.version(), target.triple(), 0).build();
    String platform = target.platform();
    Map<String, String> values =
        Map.of(
            "name", app.name(),
            "version", app.version(),
            "platform", platform,
            "os", platform.substring(0, platform.indexOf('_')),
            "arch", platform.substring(platform.indexOf('_') + 1),
            "debVersion", version.deb(),
            "debArch", arch.debArch(),
            "rpmVersion", version.rpm(),
            "rpmRelease", version.release(),
            "rpmArch", arch.rpmArch());
    String name = template;
    for (var value : values.entrySet()) {
      name = name.replace("{" + value.getKey() + "}", value.getValue());
    }
    return name;
  }
}
