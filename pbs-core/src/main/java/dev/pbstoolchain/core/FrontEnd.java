package dev.pbstoolchain.core;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who the user is talking to. The core writes its messages once, naming options by their Maven
 * property ({@code -Dpbs.mirror=URL}, {@code pbs.sha256}); a front end presents them in its own
 * spelling, so a {@code pbs-cli} user reads {@code --mirror URL} and {@code --sha256}.
 */
public enum FrontEnd {
  /** {@code mvn -Dpbs.x=...} and the plugin configuration: messages as written. */
  MAVEN,
  /** {@code java -jar pbs-cli.jar ... --x ...}. */
  CLI;

  private static final Set<String> MATRIX_KEYS = Set.of(PropertyNames.DATE, PropertyNames.VERSION);

  private static final Pattern PROPERTY =
      Pattern.compile("(-D)?(pbs\\.[A-Za-z0-9.]*[A-Za-z0-9])(=)?");

  /** The message in this front end's spelling of options. */
  public String render(String message) {
    if (this == MAVEN || message == null) {
      return message;
    }
    Matcher m = PROPERTY.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String flag = PropertyNames.CLI_FLAGS.get(m.group(2));
      // pbs.smoke.sysroot.aarch64=DIR is --smoke-sysroot aarch64=DIR.
      if (m.group(2).startsWith(PropertyNames.SMOKE_SYSROOT_PREFIX) && m.group(3) != null) {
        String cpu = m.group(2).substring(PropertyNames.SMOKE_SYSROOT_PREFIX.length());
        m.appendReplacement(out, Matcher.quoteReplacement("--smoke-sysroot " + cpu + "="));
        continue;
      }
      // A bare pbs.date or pbs.version may be matrix.yaml's key of that name: only the -D form
      // certainly means the option.
      boolean option = m.group(1) != null || !MATRIX_KEYS.contains(m.group(2));
      String replacement =
          flag == null || !option ? m.group() : flag + (m.group(3) != null ? " " : "");
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
