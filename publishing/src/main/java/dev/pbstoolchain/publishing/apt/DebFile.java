package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Reads the control file of a binary package (deb(5)): an ar archive whose first member is {@code
 * debian-binary} ("2.0"), then {@code control.tar} (uncompressed, .gz, .xz or .zst) holding {@code
 * ./control}. Only the control member is read; the data member is never opened.
 */
public final class DebFile {

  private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
  private static final int AR_HEADER = 60;
  private static final int AR_NAME = 16;
  private static final int AR_SIZE_AT = 48;
  private static final int AR_SIZE_LENGTH = 10;
  // A control.tar is a few KiB; dpkg-deb itself refuses a control file above 1 MiB... roughly.
  private static final long MAX_CONTROL_MEMBER = 64L << 20;
  private static final int MAX_CONTROL_FILE = 1 << 20;

  private DebFile() {}

  /** The control paragraph of {@code deb}, checked for Package, Version and Architecture. */
  public static ControlStanza control(Path deb) throws PublishingException {
    String text;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(deb), 1 << 16)) {
      text = readControl(deb, in, Files.size(deb));
    } catch (IOException e) {
      throw invalid(deb, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
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

  private static String readControl(Path deb, InputStream in, long fileSize)
      throws IOException, PublishingException {
    byte[] magic = in.readNBytes(AR_MAGIC.length);
    if (!java.util.Arrays.equals(magic, AR_MAGIC)) {
      throw invalid(deb, "it is not an ar archive (no !<arch> magic)", null);
    }
    long offset = AR_MAGIC.length;
    boolean sawVersion = false;
    while (true) {
      byte[] header = in.readNBytes(AR_HEADER);
      if (header.length == 0) {
        throw invalid(deb, "it has no control.tar member", null);
      }
      if (header.length < AR_HEADER || header[58] != '`' || header[59] != '\n') {
        throw invalid(deb, "the ar member header at offset " + offset + " is damaged", null);
      }
      String name = new String(header, 0, AR_NAME, StandardCharsets.US_ASCII).strip();
      if (name.endsWith("/")) {
        name = name.substring(0, name.length() - 1); // GNU ar's terminator
      }
      long size = parseSize(deb, header, offset);
      offset += AR_HEADER;
      if (size > fileSize - offset) {
        throw invalid(
            deb,
            "the ar member "
                + name
                + " at offset "
                + offset
                + " claims "
                + size
                + " bytes, more than the file holds (truncated download?)",
            null);
      }
      if (!sawVersion) {
        if (!name.equals("debian-binary")) {
          throw invalid(deb, "its first member is " + name + ", not debian-binary", null);
        }
        String version =
            new String(in.readNBytes((int) Math.min(size, 16)), StandardCharsets.US_ASCII);
        if (!version.startsWith("2.")) {
          throw invalid(deb, "it is deb format " + version.strip() + ", not 2.x", null);
        }
        skipFully(in, size - Math.min(size, 16));
        sawVersion = true;
      } else if (name.startsWith("control.tar")) {
        if (size > MAX_CONTROL_MEMBER) {
          throw invalid(deb, "its " + name + " claims " + size + " bytes", null);
        }
        InputStream member =
            BoundedInputStream.builder()
                .setInputStream(in)
                .setMaxCount(size)
                .setPropagateClose(false)
                .get();
        return controlFrom(deb, name, decompress(deb, name, member));
      } else if (!name.startsWith("_")) {
        // debsigs' _gpg* members may precede control.tar; anything else may not.
        throw invalid(deb, "its member " + name + " comes before control.tar", null);
      } else {
        skipFully(in, size);
      }
      if (size % 2 == 1) {
        skipFully(in, 1); // ar pads members to an even offset
        offset++;
      }
      offset += size;
    }
  }

  private static long parseSize(Path deb, byte[] header, long offset) throws PublishingException {
    String digits =
        new String(header, AR_SIZE_AT, AR_SIZE_LENGTH, StandardCharsets.US_ASCII).strip();
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      throw invalid(deb, "the ar member header at offset " + offset + " has no size", null);
    }
    return Long.parseLong(digits);
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

  private static void skipFully(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("unexpected end of file");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static PublishingException invalid(Path deb, String why, Throwable cause) {
    return PublishingException.configuration(
        deb
            + " is not a readable Debian package: "
            + why
            + ". Rebuild it (pbs:package) or"
            + " remove it from the release.",
        cause);
  }
}
