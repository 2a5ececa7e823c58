package dev.pbstoolchain.publishing.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.testing.PackageFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The control file of debs dpkg-deb builds, in each of its compressions; damage is named. */
class DebFileTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "zstd", "none"})
  void readsTheControlFileWhateverTheCompression(String compression) throws Exception {
    Path deb = PackageFixtures.deb(dir, "pbs-hello", "1:2.0-3", "arm64", "", compression);
    ControlStanza control = DebFile.control(deb);
    assertThat(control.get("Package")).isEqualTo("pbs-hello");
    assertThat(control.get("version")).isEqualTo("1:2.0-3");
    assertThat(control.get("Architecture")).isEqualTo("arm64");
    assertThat(control.get("Description"))
        .isEqualTo(
            "prints that it works\n A test package for the APT writer.\n .\n Second paragraph.");
    assertThat(control.names())
        .containsExactly(
            "Package",
            "Version",
            "Architecture",
            "Maintainer",
            "Installed-Size",
            "Section",
            "Priority",
            "Homepage",
            "Description");
  }

  @Test
  void damagedDebsAreRefusedNamingWhatIsWrong() throws Exception {
    Path good = PackageFixtures.deb(dir, "pbs-hello", "1.0", "amd64");
    byte[] bytes = Files.readAllBytes(good);
    Path notAr = Files.writeString(dir.resolve("not-ar.deb"), "PK\3\4 a zip?");
    assertThatThrownBy(() -> DebFile.control(notAr))
        .hasMessage(
            notAr
                + " is not a readable Debian package: it is not an ar archive (no !<arch> magic)."
                + " Rebuild it (pbs:package) or remove it from the release.");
    Path cut = Files.write(dir.resolve("cut.deb"), Arrays.copyOf(bytes, 150));
    assertThatThrownBy(() -> DebFile.control(cut))
        .hasMessageContaining(" more than the file holds (truncated download?)");
    byte[] renamed = bytes.clone();
    System.arraycopy("debian-binarx".getBytes(StandardCharsets.US_ASCII), 0, renamed, 8, 13);
    Path wrongFirst = Files.write(dir.resolve("wrong-first.deb"), renamed);
    assertThatThrownBy(() -> DebFile.control(wrongFirst))
        .hasMessageContaining("its first member is debian-binarx, not debian-binary");
    byte[] badSize = bytes.clone();
    System.arraycopy("12x4      ".getBytes(StandardCharsets.US_ASCII), 0, badSize, 8 + 48, 10);
    Path noSize = Files.write(dir.resolve("no-size.deb"), badSize);
    assertThatThrownBy(() -> DebFile.control(noSize))
        .hasMessageContaining("the ar member header at offset 8 has no size");
  }
}
