package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.packagers.layout.PackageVersion;
import dev.pbstoolchain.testing.Sh;
import org.junit.jupiter.api.Test;

/** dpkg and rpm themselves judge the order of mapped versions. */
class PackageVersionTest {

  @Test
  void releasesAndQualifiersMapAndSortBeforeTheRelease() throws Exception {
    assertThat(PackageVersion.from("3.0.0").deb()).isEqualTo("3.0.0-1");
    assertThat(PackageVersion.from("3.0.0").rpm()).isEqualTo("3.0.0");
    assertThat(PackageVersion.from("3.0.0").release()).isEqualTo("1");
    for (String qualified : new String[] {"3.1.0-SNAPSHOT", "3.1.0-rc1", "3.1.0-beta.2"}) {
      PackageVersion early = PackageVersion.from(qualified);
      PackageVersion release = PackageVersion.from("3.1.0");
      assertThat(Sh.run("dpkg", "--compare-versions", early.deb(), "lt", release.deb()).code())
          .as(qualified + " in dpkg")
          .isZero();
      String rpmOrder =
          Sh.run(
                  "rpm",
                  "--eval",
                  "%{lua: print(rpm.vercmp(\"" + early.rpm() + "\", \"" + release.rpm() + "\"))}")
              .ok()
              .out()
              .strip();
      assertThat(rpmOrder).as(qualified + " in rpm").isEqualTo("-1");
    }
  }

  @Test
  void whatCannotBeMappedIsRejectedWithTheFix() {
    assertThatThrownBy(() -> PackageVersion.from("latest"))
        .isInstanceOf(PackagingException.class)
        .hasMessage(
            "Version 'latest' cannot become a deb/rpm version: expected digits and dots with an"
                + " optional qualifier, e.g. 3.0.0, 3.1.0-SNAPSHOT or 3.1.0-rc1. Set <version>"
                + " accordingly.");
  }
}
