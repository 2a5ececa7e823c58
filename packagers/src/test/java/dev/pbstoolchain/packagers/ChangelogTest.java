package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.packagers.layout.Changelog;
import org.junit.jupiter.api.Test;

/** packaging.changelog: Debian's format read, checked at its lines, and converted for rpm. */
class ChangelogTest {

  static final String TWO =
      "app (1.2.0-1) stable; urgency=medium\n"
          + "\n"
          + "  * Faster start.\n"
          + "    Second line of the item.\n"
          + "\n"
          + "  * Fix. Closes: #12\n"
          + "\n"
          + " -- Jane Doe <jane@example.com>  Tue, 24 Nov 2026 00:00:00 +0000\n"
          + "\n"
          + "\n"
          + "app (1.1.0-1) unstable experimental; urgency=low, binary-only=yes\n"
          + "\n"
          + "  * First.\n"
          + "\n"
          + " -- Jane Doe <jane@example.com>  Mon, 2 Nov 2026 12:00:00 +0100\n";

  @Test
  void entriesAreReadNewestFirstAndWrittenBackForDebianAndRpm() throws Exception {
    Changelog log = Changelog.parse(TWO, "changelog");

    assertThat(log.entries()).hasSize(2);
    assertThat(log.newestVersion()).isEqualTo("1.2.0-1");
    Changelog.Entry newest = log.entries().get(0);
    assertThat(newest.maintainer()).isEqualTo("Jane Doe <jane@example.com>");
    assertThat(newest.epochSeconds()).isEqualTo(1_795_478_400L);
    assertThat(log.entries().get(1).epochSeconds()).isEqualTo(1_793_617_200L);
    assertThat(Changelog.rpmText(newest))
        .isEqualTo("- Faster start.\n  Second line of the item.\n- Fix. Closes: #12");
    // One blank line between entries, as dpkg-parsechangelog's output has it.
    assertThat(log.debianText()).isEqualTo(TWO.replace("\n\n\napp", "\n\napp"));
    assertThat(Changelog.parse(log.debianText(), "again")).isEqualTo(log);
  }

  @Test
  void aMalformedChangelogIsRefusedAtItsLine() {
    String header = "app (1.2.0-1) stable; urgency=medium\n\n";
    String trailer = " -- Jane Doe <jane@example.com>  Tue, 24 Nov 2026 00:00:00 +0000\n";
    assertThatThrownBy(() -> Changelog.parse("app 1.2.0 stable\n", "debian/changelog"))
        .hasMessageStartingWith(
            "debian/changelog:1: expected an entry's first line, 'package (version) distribution;"
                + " urgency=medium', found 'app 1.2.0 stable'");
    assertThatThrownBy(() -> Changelog.parse(header + "* no indent\n" + trailer, "c"))
        .hasMessageStartingWith("c:3: a change line must start with two spaces");
    assertThatThrownBy(() -> Changelog.parse(header + "  * x\n", "c"))
        .hasMessageStartingWith("c:1: the entry has no ' -- Name <email>  date' line at its end");
    assertThatThrownBy(
            () -> Changelog.parse(header + "  * x\n\n" + trailer.replace("  T", " T"), "c"))
        .hasMessageStartingWith(
            "c:5: expected ' -- Name <email>  Day, DD Mon YYYY HH:MM:SS +ZZZZ'");
    assertThatThrownBy(
            () -> Changelog.parse(header + "  * x\n\n" + trailer.replace("Tue,", "Tues,"), "c"))
        .hasMessageStartingWith("c:5: cannot read the date 'Tues, 24 Nov 2026 00:00:00 +0000'");
    assertThatThrownBy(() -> Changelog.parse(header + "\n" + trailer, "c"))
        .hasMessageStartingWith("c:1: the entry lists no change");
    assertThatThrownBy(() -> Changelog.parse("\n\n", "c"))
        .hasMessageStartingWith("c:1: no entry: the file is empty");
    String older = header + "  * x\n\n" + trailer.replace("24 Nov", "17 Nov");
    assertThatThrownBy(() -> Changelog.parse(older + "\n" + header + "  * y\n\n" + trailer, "c"))
        .hasMessageStartingWith(
            "c:11: this entry is newer than the one above it: entries go newest first")
        .hasMessageEndingWith("(Debian changelog format, deb-changelog(5))");
  }
}
