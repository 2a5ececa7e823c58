package dev.pbstoolchain.packagers.deb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.packagers.deflate.Gzip;
import dev.pbstoolchain.packagers.layout.Changelog;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.PackageVersion;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What lintian reads in a deb's metadata, checked without lintian (PackagersTest runs it): the
 * extended description, the changelog's compression flag, the overrides.
 */
class DebMetadataTest {

  private static PackageInfo.Builder info() {
    return PackageInfo.builder("app", "1.2.0", "x86_64-unknown-linux-gnu", 0)
        .summary("Program that embeds CPython")
        .maintainer("Jane Doe <jane@example.com>");
  }

  private static Layout program() {
    return new Layout().add(Entry.generated("usr/bin/app", new byte[] {1}, 0755));
  }

  @Test
  void withoutALongDescriptionTheControlFileHasNoExtendedOne() throws Exception {
    String control = DebWriter.controlFile(program(), info().build(), PackageVersion.from("1.2.0"));
    // Not the synopsis again: lintian E: description-synopsis-is-duplicated.
    assertThat(control).endsWith("\nDescription: Program that embeds CPython\n");
  }

  @Test
  void aLongDescriptionIsWrappedAndItsParagraphsAndVerbatimLinesKept() throws Exception {
    String paragraph = "word ".repeat(40).strip();
    PackageInfo info = info().description(paragraph + "\n\n\n  verbatim  line\nlast").build();
    String control = DebWriter.controlFile(program(), info, PackageVersion.from("1.2.0"));
    String extended = control.substring(control.indexOf("Description: "));
    assertThat(extended.lines().skip(1).toList())
        .containsExactly(
            " " + "word ".repeat(16).strip(),
            " " + "word ".repeat(16).strip(),
            " " + "word ".repeat(8).strip(),
            " .",
            "   verbatim  line",
            " last");
    assertThat(extended.lines()).allMatch(l -> l.length() <= 80);
  }

  @Test
  void level9GzipSaysMaxCompressionAsGzip9Does() throws Exception {
    // lintian W: changelog-not-compressed-with-max-compression reads this byte (file(1) too).
    for (int level : new int[] {6, 9}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (OutputStream gz = Gzip.stream(bytes, level)) {
        gz.write("text".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(bytes.toByteArray()[8])
          .as("XFL at level " + level)
          .isEqualTo((byte) (level == 9 ? 2 : 0));
    }
  }

  @Test
  void overridesOnlyWhatDoesNotApply() throws Exception {
    assertThat(DebWriter.lintianOverrides(program(), info().build()))
        .contains("\napp: initial-upload-closes-no-bugs\n")
        .endsWith("\napp: no-manual-page [usr/bin/app]\n");
    Changelog two =
        Changelog.parse(
            "app (1.2.0-1) stable; urgency=medium\n\n  * b\n\n"
                + " -- Jane Doe <jane@example.com>  Tue, 24 Nov 2026 00:00:00 +0000\n\n"
                + "app (1.1.0-1) stable; urgency=medium\n\n  * a\n\n"
                + " -- Jane Doe <jane@example.com>  Mon, 02 Nov 2026 00:00:00 +0000\n",
            "changelog");
    Layout withManual =
        program().add(Entry.generated("usr/share/man/man1/app.1.gz", new byte[] {1}, 0644));
    assertThat(DebWriter.lintianOverrides(withManual, info().changelog(two).build())).isEmpty();
    assertThat(DebWriter.changelog(info().changelog(two).build(), PackageVersion.from("1.2.0")))
        .isEqualTo(two.debianText());
  }
}
