package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.RepositoryMessages;
import dev.pbstoolchain.publishing.deb.ControlStanza;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** The packages an existing component already lists, checked against its pool. */
final class PackagesIndex {

  private PackagesIndex() {}

  /** Package key -> stanza, over every {@code binary-*} index of the component. */
  static TreeMap<String, Published> read(Path root, Path componentDir) throws PublishingException {
    TreeMap<String, Published> entries = new TreeMap<>();
    if (!Files.isDirectory(componentDir)) {
      return entries;
    }
    List<Path> archDirs;
    try (var list = Files.list(componentDir)) {
      archDirs =
          list.filter(p -> p.getFileName().toString().startsWith("binary-"))
              .filter(Files::isDirectory)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw PublishingException.failure("Cannot list " + componentDir + ": " + e.getMessage(), e);
    }
    for (Path dir : archDirs) {
      Path index = existingIndex(dir);
      if (index == null) {
        continue;
      }
      String text = readText(index);
      List<ControlStanza> stanzas;
      try {
        stanzas = ControlStanza.parseAll(text, index.toString());
      } catch (IllegalArgumentException e) {
        throw broken(root, e.getMessage());
      }
      for (ControlStanza stanza : stanzas) {
        for (String field : List.of("Package", "Version", "Architecture", "Filename", "Size")) {
          if (stanza.get(field) == null) {
            throw broken(root, index + " lists a package without " + field);
          }
        }
        if (stanza.get("SHA256") == null) {
          throw broken(
              root,
              index + " lists " + stanza.get("Package") + " without SHA256 (a very old tool)");
        }
        Published p = new Published(stanza);
        checkPoolFile(root, index, p);
        entries.putIfAbsent(p.key(), p);
      }
    }
    return entries;
  }

  private static Path existingIndex(Path dir) {
    for (String name : List.of("Packages", "Packages.gz", "Packages.xz")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    return null;
  }

  private static String readText(Path index) throws PublishingException {
    try (InputStream raw = Files.newInputStream(index);
        InputStream in =
            index.toString().endsWith(".gz")
                ? new GZIPInputStream(raw)
                : index.toString().endsWith(".xz") ? new XZCompressorInputStream(raw) : raw) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw PublishingException.configuration(
          "Cannot read the APT index " + index + ": " + e.getMessage(), e);
    }
  }

  private static void checkPoolFile(Path root, Path index, Published p) throws PublishingException {
    Path file = root.resolve(p.filename()).normalize();
    if (!file.startsWith(root.normalize())) {
      throw broken(root, index + " lists " + p.filename() + ", outside the repository");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw broken(root, index + " lists " + p.filename() + ", which is missing");
    }
    if (size != p.size()) {
      throw broken(
          root,
          index + " lists " + p.filename() + " with " + p.size() + " bytes; the file has " + size);
    }
  }

  private static PublishingException broken(Path root, String why) {
    return RepositoryMessages.inconsistent("APT", root, why);
  }
}
