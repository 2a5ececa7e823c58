package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The architectures and components a suite's current Release lists (kept when adding to it). */
record ExistingRelease(Set<String> architectures, Set<String> components) {

  static ExistingRelease read(Path suiteDir) throws PublishingException {
    Path release = suiteDir.resolve("Release");
    if (!Files.isRegularFile(release)) {
      return new ExistingRelease(Set.of(), Set.of());
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
      return new ExistingRelease(Set.of(), Set.of());
    }
    return new ExistingRelease(
        words(stanzas.get(0).get("Architectures")), words(stanzas.get(0).get("Components")));
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
