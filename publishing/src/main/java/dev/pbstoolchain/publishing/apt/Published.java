package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.deb.ControlStanza;
import dev.pbstoolchain.publishing.deb.DebFile;
import dev.pbstoolchain.publishing.io.FileDigests;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One package as a Packages index lists it: its stanza (control fields, Filename, Size, hashes) and
 * the facts the repository writer compares.
 */
record Published(ControlStanza stanza) {

  String name() {
    return stanza.get("Package");
  }

  String version() {
    return stanza.get("Version");
  }

  String architecture() {
    return stanza.get("Architecture");
  }

  String filename() {
    return stanza.get("Filename");
  }

  String sha256() {
    return stanza.get("SHA256");
  }

  long size() {
    return Long.parseLong(stanza.get("Size"));
  }

  /** Package, version and architecture: what may be published once. */
  String key() {
    return name() + " " + version() + " " + architecture();
  }

  String describe() {
    return name() + " " + version() + " (" + architecture() + ")";
  }

  /** Reads a deb: its control fields plus where it goes in the pool, its size and hashes. */
  static Published of(Path deb, String component) throws PublishingException {
    ControlStanza control = DebFile.control(deb);
    FileDigests digests;
    try {
      digests = FileDigests.of(deb);
    } catch (IOException e) {
      throw PublishingException.configuration("Cannot read " + deb + ": " + e.getMessage(), e);
    }
    control
        .set("Filename", poolPath(control, component))
        .set("Size", Long.toString(digests.size()))
        .set("MD5sum", digests.md5())
        .set("SHA1", digests.sha1())
        .set("SHA256", digests.sha256())
        .set("SHA512", digests.sha512());
    return new Published(control.ordered(AptRepository.FIELD_ORDER));
  }

  /**
   * {@code pool/COMPONENT/PREFIX/SOURCE/NAME_VERSION_ARCH.deb} as the Debian archive names it: the
   * prefix is the source's first letter ({@code libX} sources use four), the epoch is not part of
   * the file name.
   */
  static String poolPath(ControlStanza control, String component) {
    String source = control.get("Source");
    source = source == null ? control.get("Package") : source.split("[ (]")[0];
    String prefix =
        source.startsWith("lib") && source.length() > 3
            ? source.substring(0, 4)
            : source.substring(0, 1);
    String version = control.get("Version");
    int epoch = version.indexOf(':');
    String fileVersion = epoch < 0 ? version : version.substring(epoch + 1);
    return "pool/"
        + component
        + "/"
        + prefix
        + "/"
        + source
        + "/"
        + control.get("Package")
        + "_"
        + fileVersion
        + "_"
        + control.get("Architecture")
        + ".deb";
  }
}
