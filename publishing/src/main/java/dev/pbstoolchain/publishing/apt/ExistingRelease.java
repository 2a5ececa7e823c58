package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.deb.ControlStanza;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The architectures and components a suite's current Release lists (kept when adding to it). */
record ExistingRelease(Set<String> architectures, Set<String> components, Set<String> hashes) {

  static ExistingRelease read(Path suiteDir) throws PublishingException {
    Path release = suiteDir.resolve("Release");
    if (!Files.isRegularFile(release)) {
      return new ExistingRelease(Set.of(), Set.of(), Set.of());
    }
    List<ControlStanza> stanzas;
    try {
      stanzas =
          ControlStanza.parseAll(
              Files.readString(release, StandardCharsets.UTF_8), release.toString());
    } catch (IOException | IllegalArgumentException e) {
      throw PublishingException.configuration(
          "Cannot read the existing "
              + release
              + ": "
              + e.getMessage()
              + ". Repair the repository before adding to it.",
          e);
    }
    if (stanzas.isEmpty()) {
      return new ExistingRelease(Set.of(), Set.of(), Set.of());
    }
    ControlStanza fields = stanzas.get(0);
    Set<String> hashes = new TreeSet<>();
    for (String field : List.of("MD5Sum", "SHA1", "SHA256", "SHA512")) {
      String value = fields.get(field);
      if (value != null) {
        for (String line : value.split("\n")) {
          String[] words = line.trim().split("\\s+");
          if (words.length == 3) {
            hashes.add(words[0]);
          }
        }
      }
    }
    return new ExistingRelease(
        words(fields.get("Architectures")), words(fields.get("Components")), hashes);
  }

  private static Set<String> words(String value) {
    Set<String> words = new TreeSet<>();
    if (value != null) {
      for (String w : value.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    }
    return words;
  }
}
