package dev.pbstoolchain.publishing.deb;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads the control file of a binary package (deb(5)): an ar archive whose first member is {@code
 * debian-binary} ("2.0"), then {@code control.tar} (uncompressed, .gz, .xz or .zst) holding {@code
 * ./control}. Only the control member is read; the data member is never opened.
 */
public final class DebFile {

  // A control.tar is a few KiB; dpkg-deb itself refuses a control file above 1 MiB... roughly.
  private static final long MAX_CONTROL_MEMBER = 64L << 20;
  private static final int MAX_CONTROL_FILE = 1 << 20;

  private DebFile() {}

  /** The control paragraph of {@code deb}, checked for Package, Version and Architecture. */
  public static ControlStanza control(Path deb) throws PublishingException {
    String text = readControl(deb, ArArchive.members(deb));
    List<ControlStanza> stanzas;
    try {
      stanzas = ControlStanza.parseAll(text, deb + " (control)");
    } catch (IllegalArgumentException e) {
      throw invalid(deb, e.getMessage(), e);
    }
    if (stanzas.size() != 1) {
      throw invalid(deb, "its control file holds " + stanzas.size() + " paragraphs, not 1", null);
    }
    ControlStanza control = stanzas.get(0);
    for (String field : new String[] {"Package", "Version", "Architecture"}) {
      String value = control.get(field);
      if (value == null || value.isBlank() || value.contains("\n")) {
        throw invalid(deb, "its control file has no " + field + " field", null);
      }
    }
    return control;
  }

  private static String readControl(Path deb, List<ArArchive.Member> members)
      throws PublishingException {
    if (members.isEmpty() || !members.get(0).name().equals("debian-binary")) {
      throw invalid(
          deb,
          "its first member is "
              + (members.isEmpty() ? "missing" : members.get(0).name())
              + ", not debian-binary",
          null);
    }
    try {
      String version;
      try (InputStream in = ArArchive.open(deb, members.get(0))) {
        version = new String(in.readNBytes(16), StandardCharsets.US_ASCII);
      }
      if (!version.startsWith("2.")) {
        throw invalid(deb, "it is deb format " + version.strip() + ", not 2.x", null);
      }
      for (ArArchive.Member member : members.subList(1, members.size())) {
        if (member.name().startsWith("control.tar")) {
          if (member.size() > MAX_CONTROL_MEMBER) {
            throw invalid(
                deb, "its " + member.name() + " claims " + member.size() + " bytes", null);
          }
          try (InputStream in = ArArchive.open(deb, member)) {
            return controlFrom(deb, member.name(), decompress(deb, member.name(), in));
          }
        }
        if (!member.name().startsWith("_")) {
          // debsigs' _gpg* members may precede control.tar; anything else may not.
          throw invalid(deb, "its member " + member.name() + " comes before control.tar", null);
        }
      }
    } catch (IOException e) {
      throw invalid(deb, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
    throw invalid(deb, "it has no control.tar member", null);
  }

  private static InputStream decompress(Path deb, String name, InputStream member)
      throws IOException, PublishingException {
    return switch (name) {
      case "control.tar" -> member;
      case "control.tar.gz" -> new GzipCompressorInputStream(member);
      case "control.tar.xz" -> new XZCompressorInputStream(member);
      case "control.tar.zst" -> new ZstdCompressorInputStream(member);
      default ->
          throw invalid(deb, "its control member " + name + " has an unknown compression", null);
    };
  }

  private static String controlFrom(Path deb, String member, InputStream tarStream)
      throws IOException, PublishingException {
    TarArchiveInputStream tar = new TarArchiveInputStream(tarStream);
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      String name = entry.getName();
      if (name.equals("./control") || name.equals("control")) {
        if (!entry.isFile() || entry.getSize() > MAX_CONTROL_FILE) {
          throw invalid(deb, "its control file in " + member + " is not a plain small file", null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) entry.getSize());
        tar.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
      }
    }
    throw invalid(deb, member + " has no ./control", null);
  }

  static PublishingException invalid(Path deb, String why, Throwable cause) {
    return PublishingException.configuration(
        deb
            + " is not a readable Debian package: "
            + why
            + ". Rebuild it (pbs:package) or"
            + " remove it from the release.",
        cause);
  }
}
