package dev.pbstoolchain.binarypatcher.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.testing.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What binutils' {@code readelf} (an independent judge) sees in a file's dynamic section: the tags
 * in order, with the string values of the string-valued ones. Addresses are left out on purpose:
 * ours and patchelf's layouts differ.
 */
record DynamicView(List<String> tags, List<String> strings, String interpreter) {

  private static final Pattern LINE =
      Pattern.compile("^\\s*0x[0-9a-f]+ \\(([A-Z_0-9a-fx]+)\\)\\s+(.*)$");
  private static final Pattern BRACKETED = Pattern.compile("\\[(.*)\\]");

  static DynamicView of(Path file) {
    String dynamic = Tool.run("readelf", "-dW", file.toString()).orFail().stdout();
    List<String> tags = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    for (String line : dynamic.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String tag = m.group(1);
      tags.add(tag);
      if (tag.equals("NEEDED")
          || tag.equals("RUNPATH")
          || tag.equals("RPATH")
          || tag.equals("SONAME")) {
        Matcher value = BRACKETED.matcher(m.group(2));
        strings.add(tag + "=" + (value.find() ? value.group(1) : m.group(2)));
      }
    }
    String program = Tool.run("readelf", "-lW", file.toString()).orFail().stdout();
    Matcher interp = Pattern.compile("Requesting program interpreter: (.*)\\]").matcher(program);
    return new DynamicView(tags, strings, interp.find() ? interp.group(1) : null);
  }

  /**
   * readelf sees the same dynamic section in both files: NEEDED in the same order, the same strings
   * and tags (in any order) and the same interpreter.
   */
  static void assertSame(Path ours, Path theirs) {
    DynamicView ourView = of(ours);
    DynamicView theirView = of(theirs);
    assertThat(ourView.needed()).isEqualTo(theirView.needed());
    assertThat(ourView.sortedStrings()).isEqualTo(theirView.sortedStrings());
    assertThat(ourView.sortedTags()).isEqualTo(theirView.sortedTags());
    assertThat(ourView.interpreter()).isEqualTo(theirView.interpreter());
  }

  /** The tags as a sorted multiset: entry order may differ, the contents may not. */
  List<String> sortedTags() {
    return tags.stream().sorted().toList();
  }

  /** NEEDED order is the search order, so it must match; other strings are compared as a set. */
  List<String> needed() {
    return strings.stream().filter(s -> s.startsWith("NEEDED=")).toList();
  }

  List<String> sortedStrings() {
    return strings.stream().sorted().toList();
  }
}
