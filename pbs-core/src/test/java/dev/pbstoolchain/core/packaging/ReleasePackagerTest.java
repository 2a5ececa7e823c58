package dev.pbstoolchain.core.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.matrix.Matrix;
import dev.pbstoolchain.core.matrix.MatrixReader;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.ArtifactNames;
import dev.pbstoolchain.core.release.PackageExtras;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.core.release.TestTargets;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasePackagerTest {

  private static List<String> requires(String triple) throws PbsException {
    var target = TestTargets.target(triple);
    return ReleasePackager.info(
            target,
            TestTargets.APP,
            ReleasePackager.relations(target, new Layout(), Set.of("libbz2.so.1.0")))
        .requires();
  }

  @Test
  void rpmRequiresCarryThe64BitMarkOnEvery64BitCpuOnly() throws Exception {
    // rpm's automatic Provides of a 64-bit library end in ()(64bit); a requirement without the
    // mark would not be met on ppc64le, s390x or riscv64, one with it not on i686 or armv7.
    for (String triple :
        List.of(
            "x86_64-unknown-linux-gnu",
            "aarch64-unknown-linux-gnu",
            "ppc64le-unknown-linux-gnu",
            "s390x-unknown-linux-gnu",
            "riscv64-unknown-linux-gnu")) {
      assertThat(requires(triple)).as(triple).containsExactly("libbz2.so.1.0()(64bit)");
    }
    for (String triple : List.of("i686-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf")) {
      assertThat(requires(triple)).as(triple).containsExactly("libbz2.so.1.0");
    }
  }

  @Test
  void matrixSymlinksAndFileOwnersReachTheDebAndTheRpm(@TempDir Path project) throws Exception {
    Files.writeString(
        project.resolve("matrix.yaml"),
        """
        pbs: {date: '20241016', version: 3.11.10}
        app: {name: embedded-app}
        packaging:
          files:
            - source: app.conf
              destination: /etc/embedded-app/app.conf
              mode: "0640"
              config: true
              owner: app
              group: adm
          directories:
            - {path: /var/lib/embedded-app, owner: app, group: app, mode: "0750"}
          symlinks:
            - {path: /usr/sbin/embedded-app, target: ../bin/embedded-app}
            - {path: /etc/embedded-app/python, target: /usr/lib/embedded-app/python}
        targets:
          - {triple: x86_64-unknown-linux-gnu, binary: app, formats: [deb, rpm]}
        """);
    Files.writeString(project.resolve("app.conf"), "port = 8080\n");
    var row = MatrixReader.read(project.resolve("matrix.yaml")).targets().get(0);
    ReleaseTarget target =
        TestTargets.target(
            row.triple(),
            row.formats(),
            PackageExtras.from(row.packaging(), project),
            project.resolve("target"));
    Files.createDirectories(target.home().resolve("lib"));
    Files.writeString(target.home().resolve("lib/os.py"), "# os\n");
    Path binary = Files.writeString(project.resolve("app"), "#!/bin/sh\n");
    Path dist = Files.createDirectories(project.resolve("dist"));

    new ReleasePackager(PbsConsole.silent(), new ArtifactNames(Map.of()))
        .packageTarget(target, binary, TestTargets.APP, null, dist);

    String deb =
        ExternalTool.run(
                "dpkg-deb", "-c", dist.resolve("embedded-app_1.2.0-1_amd64.deb").toString())
            .orFail()
            .stdout();
    assertThat(deb)
        .containsPattern("-rw-r----- app/adm +\\d+ .* \\./etc/embedded-app/app\\.conf\n")
        .containsPattern("drwxr-x--- app/app +0 .* \\./var/lib/embedded-app/\n")
        .containsPattern(
            "lrwxrwxrwx root/root +0 .* \\./usr/sbin/embedded-app -> \\.\\./bin/embedded-app\n")
        .containsPattern(
            "lrwxrwxrwx root/root +0 .* \\./etc/embedded-app/python -> /usr/lib/embedded-app/python\n");
    // rpm --dump: path size mtime digest mode owner group isconfig isdoc rdev symlink
    String rpm =
        ExternalTool.run(
                "rpm", "-qp", "--dump", dist.resolve("embedded-app-1.2.0-1.x86_64.rpm").toString())
            .orFail()
            .stdout();
    assertThat(rpm)
        .containsPattern(
            "(?m)^/etc/embedded-app/app\\.conf 12 \\d+ [0-9a-f]+ 0100640 app adm 1 0 0 X$")
        .containsPattern("(?m)^/var/lib/embedded-app \\d+ \\d+ \\S+ 040750 app app 0 0 0 X$")
        .containsPattern(
            "(?m)^/usr/sbin/embedded-app \\d+ \\d+ \\S+ 0120777 root root 0 0 0 \\.\\./bin/embedded-app$")
        .containsPattern(
            "(?m)^/etc/embedded-app/python \\d+ \\d+ \\S+ 0120777 root root 0 0 0"
                + " /usr/lib/embedded-app/python$");
  }

  @TempDir Path dir;

  /** A row whose packaging block names {@code changelog}. */
  private static ReleaseTarget withChangelog(Path project, String changelog) {
    Matrix.Packaging none = Matrix.Packaging.NONE;
    Matrix.Packaging packaging =
        new Matrix.Packaging(
            none.section(),
            none.group(),
            none.vendor(),
            none.compression(),
            none.depends(),
            none.requires(),
            none.recommends(),
            none.conflicts(),
            none.provides(),
            none.files(),
            none.directories(),
            none.symlinks(),
            none.scripts(),
            none.systemLibraries(),
            changelog);
    ReleaseTarget row = TestTargets.target("x86_64-unknown-linux-gnu");
    return new ReleaseTarget(
        row.triple(),
        row.binary(),
        row.formats(),
        row.rpath(),
        PackageExtras.from(packaging, project),
        row.paths(),
        row.row(),
        row.smoke());
  }

  @Test
  void theLongDescriptionAndTheChangelogGoIntoBothPackages() throws Exception {
    Files.writeString(
        dir.resolve("changelog"),
        "embedded-app (1.2.0-1) stable; urgency=medium\n\n  * Faster.\n\n"
            + " -- m <m@example.com>  Tue, 24 Nov 2026 00:00:00 +0000\n");
    AppInfo app =
        new AppInfo(
            "embedded-app", "1.2.0", "Runs plugins", "m <m@example.com>", "", "", 0, "Long.");
    ReleaseTarget target = withChangelog(dir, "changelog");
    PackageInfo info =
        ReleasePackager.info(
            target, app, ReleasePackager.relations(target, new Layout(), Set.of()));
    assertThat(info.summary()).isEqualTo("Runs plugins");
    assertThat(info.description()).isEqualTo("Long.");
    assertThat(info.changelog().newestVersion()).isEqualTo("1.2.0-1");
    // Without packaging.changelog, the writers make their one entry.
    assertThat(
            ReleasePackager.info(
                    TestTargets.target("x86_64-unknown-linux-gnu"),
                    TestTargets.APP,
                    ReleasePackager.relations(target, new Layout(), Set.of()))
                .changelog()
                .entries())
        .isEmpty();
  }

  @Test
  void aMalformedChangelogStopsTheReleaseAtItsLine() throws Exception {
    Files.writeString(
        dir.resolve("changelog"),
        "embedded-app (1.2.0-1) stable; urgency=medium\n\n  * Faster.\n\n"
            + " -- m <m@example.com> Tue, 24 Nov 2026 00:00:00 +0000\n");
    ReleaseTarget target = withChangelog(dir, "changelog");
    assertThatThrownBy(
            () ->
                ReleasePackager.info(
                    target,
                    TestTargets.APP,
                    ReleasePackager.relations(target, new Layout(), Set.of())))
        .isInstanceOf(PbsException.class)
        .hasMessageStartingWith(
            dir.resolve("changelog") + ":5: expected ' -- Name <email>  Day, DD Mon YYYY")
        .hasMessageEndingWith("; it is packaging.changelog in matrix.yaml");
    ReleaseTarget missing = withChangelog(dir, "nowhere");
    assertThatThrownBy(
            () ->
                ReleasePackager.info(
                    missing,
                    TestTargets.APP,
                    ReleasePackager.relations(missing, new Layout(), Set.of())))
        .hasMessageStartingWith(
            "Cannot read the changelog "
                + dir.resolve("nowhere")
                + " (packaging.changelog in matrix.yaml)");
  }
}
