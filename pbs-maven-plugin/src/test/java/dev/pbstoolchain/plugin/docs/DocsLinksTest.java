package dev.pbstoolchain.plugin.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/*.md link only to files of this repository (a clone has them all), or to web
 * pages: no link reaches beside the repository, and none is broken.
 */
class DocsLinksTest {

  /** Surefire runs in the module directory; the repository is one level up. */
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  /** {@code [text](target)}; the target ends at whitespace or the closing parenthesis. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @Test
  void everyLinkIsAWebPageOrAFileOfThisRepository() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(REPOSITORY.resolve("README.md"));
    try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> bad = new ArrayList<>();
    int local = 0;
    for (Path page : pages) {
      Matcher link = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
      while (link.find()) {
        String target = link.group(1);
        if (target.startsWith("https://") || target.startsWith("http://")) {
          continue;
        }
        String file = target.replaceFirst("#.*", "");
        if (file.isEmpty()) {
          continue; // an anchor on the same page
        }
        Path resolved = page.getParent().resolve(file).normalize();
        local++;
        if (!resolved.startsWith(REPOSITORY)) {
          bad.add(REPOSITORY.relativize(page) + ": " + target + " is outside the repository");
        } else if (!Files.exists(resolved)) {
          bad.add(REPOSITORY.relativize(page) + ": " + target + " does not exist");
        }
      }
    }
    assertThat(bad).isEmpty();
    assertThat(local).as("links to files of the repository").isGreaterThan(5);
  }
}
