package dev.pbstoolchain.publishing.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.testing.Sh;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our rpmvercmp against rpm's own (its Lua rpm.vercmp), on the cases rpm's test suite names. */
class RpmVersionTest {

  static final String[][] PAIRS = {
    {"1.0", "1.0"},
    {"1.0", "2.0"},
    {"2.0.1", "2.0.1a"},
    {"5.5p1", "5.5p2"},
    {"5.5p10", "5.5p1"},
    {"10xyz", "10.1xyz"},
    {"xyz10", "xyz10.1"},
    {"xyz.4", "8"},
    {"1b.fc17", "1.fc17"},
    {"1.0~rc1", "1.0"},
    {"1.0~rc1", "1.0~rc2"},
    {"1.0~rc1~git123", "1.0~rc1"},
    {"1.0^", "1.0"},
    {"1.0^git1", "1.0^git2"},
    {"1.0^git1", "1.01"},
    {"1.0^20160101", "1.0.1"},
    {"1.0~rc1^git1", "1.0~rc1"},
    {"001", "1"},
    {"1.05", "1.5"},
    {"2_0", "2.0"},
    {"a", "1"},
    {"2.34", "2.2.5"},
    {"1.0a", "1.0.a"},
    {"1.0", "1.0.0"}
  };

  @Test
  void agreesWithRpm() {
    StringBuilder lua = new StringBuilder();
    for (String[] p : PAIRS) {
      lua.append("print(rpm.vercmp(\"")
          .append(p[0])
          .append("\", \"")
          .append(p[1])
          .append("\") .. \" \")\n");
    }
    String[] rpm = Sh.run("rpm", "--eval", "%{lua:" + lua + "}").ok().out().strip().split("\\s+");
    List<String> ours = new ArrayList<>();
    for (String[] p : PAIRS) {
      ours.add(Integer.toString(Integer.signum(RpmVersion.compare(p[0], p[1]))));
    }
    assertThat(ours).containsExactly(rpm);
  }
}
