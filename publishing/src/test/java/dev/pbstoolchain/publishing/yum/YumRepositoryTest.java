package dev.pbstoolchain.publishing.yum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.publishing.PublishingConsole;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.packages.RpmSigner;
import dev.pbstoolchain.publishing.signing.OpenPgpSigner;
import dev.pbstoolchain.publishing.signing.Passphrase;
import dev.pbstoolchain.publishing.signing.Signer;
import dev.pbstoolchain.testing.DnfJudge;
import dev.pbstoolchain.testing.Gpg;
import dev.pbstoolchain.testing.LoopbackServer;
import dev.pbstoolchain.testing.PackageFixtures;
import dev.pbstoolchain.testing.Sh;
import dev.pbstoolchain.testing.TreeSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YUM repository judged by createrepo_c (the same package entries for the same rpms) and by dnf
 * (installs from it over HTTP with gpgcheck=1 and repo_gpgcheck=1, refuses it once tampered with or
 * unsigned).
 */
class YumRepositoryTest {

  static final Instant DATE = Instant.parse("2026-11-24T00:00:00Z");

  /** Everything createrepo_c's entries have to get right: deps, pre, libc, ghosts, changelogs. */
  static final String RICH_SPEC =
      """
      Name: pbs-rich
      Version: 1.0
      Release: 1
      Epoch: 2
      Summary: prints <hi> & "café"
      License: MIT
      URL: https://example.com
      Vendor: Éxample Corp
      Packager: Zoë <zoe@example.com>
      Group: Applications/System
      BuildArch: x86_64
      Source0: pbs-rich
      Requires: /bin/sh
      Requires(pre): shadow-utils
      Requires: libc.so.6()(64bit)
      Requires: libc.so.6(GLIBC_2.2.5)(64bit)
      Requires: libc.so.6(GLIBC_2.34)(64bit)
      Requires: foo >= 1:2.0-3
      Requires: /usr/bin/pbs-rich
      Requires: pbs-rich(extra) = 2:1.0-1
      Provides: pbs-rich(extra) = 2:1.0-1
      Recommends: bar
      Suggests: qux > 3
      Supplements: quux
      Enhances: corge
      Conflicts: baz < 0.5
      Obsoletes: old-rich <= 1.9
      %description
      Line one
      line "two" & <three>\tand a tab

      %install
      mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/rich %{buildroot}/usr/share/rich
      install -m 0755 %{SOURCE0} %{buildroot}/usr/bin/pbs-rich
      echo x > %{buildroot}/etc/rich/conf
      echo y > %{buildroot}/usr/share/rich/données
      %pre
      true
      %files
      /usr/bin/pbs-rich
      %config(noreplace) /etc/rich/conf
      %dir /etc/rich
      /usr/share/rich
      %ghost /var/log/rich.log
      %changelog
      * Tue Nov 25 2025 Bé <b@example.com> - 2:1.0-1
      - second & <last>
      * Tue Nov 25 2025 A <a@example.com>  - 2:1.0-0
      - same day
      * Mon Nov 24 2025 A <a@example.com>  - 2:0.9-1
      - first
      """;

  @TempDir static Path keys;
  static Gpg gpg;
  static String fingerprint;
  static Signer signer;
  static Path hello1;
  static Path hello2;
  static Path rich;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    gpg = new Gpg(keys.resolve("gnupg"));
    fingerprint = gpg.generate("PBS Release <release@example.com>", "rsa3072", "sign", "2y", null);
    signer =
        OpenPgpSigner.load(
            gpg.exportSecret(fingerprint, null, keys.resolve("release.asc")),
            Passphrase.none("x"),
            DATE,
            Instant.now());
    hello1 = PackageFixtures.rpm(keys, "pbs-hello", "1.0.0", "1", "x86_64");
    hello2 = PackageFixtures.rpm(keys, "pbs-hello", "1.1.0", "1", "x86_64");
    // Signed by our own package signer: dnf's gpgcheck=1 checks these signatures.
    RpmSigner.sign(hello1, hello1, signer, DATE);
    RpmSigner.sign(hello2, hello2, signer, DATE);
    Path top = keys.resolve("rich");
    Files.createDirectories(top.resolve("SOURCES"));
    Files.writeString(top.resolve("SOURCES/pbs-rich"), "#!/bin/sh\necho rich\n");
    rich = PackageFixtures.rpmFromSpec(keys, top, RICH_SPEC, "pbs-rich-1.0-1.x86_64", "x86_64");
  }

  @AfterAll
  static void stopAgent() {
    gpg.close();
  }

  /** A dnf client of the served repository, trusting the KEY.asc served beside it. */
  private DnfJudge client(LoopbackServer server, String name) throws IOException {
    return new DnfJudge(
        dir.resolve(name), (server.baseUrl() + "/"), (server.baseUrl() + "/") + "KEY.asc");
  }

  private static YumRepository.Result publish(Path repo, List<Path> rpms)
      throws PublishingException {
    return publish(repo, rpms, PublishingConsole.silent());
  }

  private static YumRepository.Result publish(Path repo, List<Path> rpms, PublishingConsole console)
      throws PublishingException {
    return YumRepository.publish(new YumRequest(repo, rpms, DATE, signer), console);
  }

  @Test
  void packageEntriesAreWhatCreaterepoCWritesForTheSameRpms() throws Exception {
    Path ours = dir.resolve("ours");
    publish(ours, List.of(hello1, rich, hello2));
    Path theirs = dir.resolve("theirs");
    Files.createDirectories(theirs);
    for (Path rpm : List.of(hello1, rich, hello2)) {
      Path copy = Files.copy(rpm, theirs.resolve(rpm.getFileName()));
      Files.setLastModifiedTime(copy, FileTime.from(DATE));
    }
    Sh.run("createrepo_c", "--no-database", theirs.toString()).ok();
    for (String type : List.of("primary", "filelists", "other")) {
      Map<String, String> expected = entries(theirs, type);
      assertThat(expected).hasSize(3);
      assertThat(entries(ours, type)).as(type).isEqualTo(expected);
      // Header, package count and footer too: whole files equal when sorted alike.
      assertThat(metadata(ours, type)).startsWith(metadata(theirs, type).substring(0, 200));
    }
  }

  @Test
  void dnfInstallsWithPackageAndRepositorySignaturesChecked() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    Files.writeString(repo.resolve("KEY.asc"), signer.armoredPublicKey());
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      DnfJudge dnf = client(server, "dnf");
      dnf.dnf("install", "pbs-hello").ok();
      assertThat(server.requests()).contains("GET /repodata/repomd.xml.asc");
      assertThat(PackageFixtures.installedVersion(dnf.root(), "pbs-hello")).isEqualTo("1.0.0");
    }
  }

  @Test
  void addingKeepsEarlierVersionsAndDnfCanPickEither() throws Exception {
    Path repo = dir.resolve("repo");
    assertThat(publish(repo, List.of(hello1)).added())
        .containsExactly("pbs-hello-1.0.0-1.x86_64.rpm");
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    YumRepository.Result second =
        publish(
            repo,
            List.of(hello1, hello2),
            PublishingConsole.printing(new PrintStream(said, true, StandardCharsets.UTF_8)));
    assertThat(said.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "YUM repository "
                + repo
                + ": 1 added, 1 already there, 2 listed, signed by "
                + signer.fingerprint()
                + "\n");
    assertThat(second.added()).containsExactly("pbs-hello-1.1.0-1.x86_64.rpm");
    assertThat(second.unchanged()).containsExactly("pbs-hello-1.0.0-1.x86_64.rpm");
    // One generation of older metadata stays for clients that are downloading it.
    try (var files = Files.list(repo.resolve("repodata"))) {
      assertThat(files.filter(p -> p.toString().endsWith("-primary.xml.gz")).count()).isEqualTo(2);
    }
    publish(repo, List.of(hello2));
    try (var files = Files.list(repo.resolve("repodata"))) {
      assertThat(files.filter(p -> p.toString().endsWith("-primary.xml.gz")).count()).isEqualTo(1);
    }
    Files.writeString(repo.resolve("KEY.asc"), signer.armoredPublicKey());
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      DnfJudge dnf = client(server, "dnf");
      dnf.dnf("install", "pbs-hello-1.0.0").ok();
      assertThat(PackageFixtures.installedVersion(dnf.root(), "pbs-hello")).isEqualTo("1.0.0");
      dnf.dnf("upgrade", "pbs-hello").ok();
      assertThat(PackageFixtures.installedVersion(dnf.root(), "pbs-hello")).isEqualTo("1.1.0");
    }
  }

  @Test
  void addingToACreaterepoCRepositoryKeepsItsPackagesAndUpdateinfo() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    Files.copy(hello1, repo.resolve(hello1.getFileName()));
    Sh.run("createrepo_c", repo.toString()).ok();
    Path updateinfo =
        Files.writeString(
            dir.resolve("updateinfo.xml"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<updates>\n"
                + "  <update from=\"tests@example.com\" status=\"stable\" type=\"bugfix\""
                + " version=\"1\">\n    <id>PBS-1</id>\n    <title>pbs-hello 1.1.0</title>\n"
                + "    <issued date=\"2026-11-24 00:00:00\"/>\n    <pkglist><collection>"
                + "<name>pbs</name><package name=\"pbs-hello\" version=\"1.1.0\" release=\"1\""
                + " epoch=\"0\" arch=\"x86_64\"><filename>pbs-hello-1.1.0-1.x86_64.rpm</filename>"
                + "</package></collection></pkglist>\n  </update>\n</updates>\n");
    Sh.run("modifyrepo_c", updateinfo.toString(), repo.resolve("repodata").toString()).ok();
    YumRepository.Result result = publish(repo, List.of(hello1, hello2));
    assertThat(result.unchanged()).containsExactly("pbs-hello-1.0.0-1.x86_64.rpm");
    assertThat(result.added()).containsExactly("pbs-hello-1.1.0-1.x86_64.rpm");
    String repomd = Files.readString(repo.resolve("repodata/repomd.xml"));
    assertThat(repomd).contains("<data type=\"updateinfo\">").doesNotContain("primary_db");
    Files.writeString(repo.resolve("KEY.asc"), signer.armoredPublicKey());
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      DnfJudge dnf = client(server, "dnf");
      dnf.dnf("install", "pbs-hello-1.0.0").ok();
      assertThat(dnf.dnf("updateinfo", "list").ok().out()).contains("PBS-1");
      dnf.dnf("upgrade", "pbs-hello").ok();
      assertThat(PackageFixtures.installedVersion(dnf.root(), "pbs-hello")).isEqualTo("1.1.0");
    }
  }

  @Test
  void dnfRefusesATamperedOrUnsignedRepomd() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    Files.writeString(repo.resolve("KEY.asc"), signer.armoredPublicKey());
    Path repomd = repo.resolve("repodata/repomd.xml");
    Files.writeString(repomd, Files.readString(repomd).replace("<revision>", "<revision>1"));
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      DnfJudge dnf = client(server, "dnf");
      assertThat(dnf.dnf("install", "pbs-hello").failed().out())
          .contains("repomd.xml GPG signature verification error: Bad GPG signature");
      Files.delete(repo.resolve("repodata/repomd.xml.asc"));
      DnfJudge fresh = client(server, "dnf2");
      assertThat(fresh.dnf("install", "pbs-hello").failed().out())
          .contains("GPG verification is enabled, but GPG signature is not available");
    }
  }

  @Test
  void repomdSignatureVerifiesWithGpgAndTheSameRpmsGiveTheSameBytes() throws Exception {
    publish(dir.resolve("a"), List.of(hello1, rich, hello2));
    publish(dir.resolve("b"), List.of(hello2, hello1, rich));
    assertThat(TreeSnapshot.of(dir.resolve("a"))).isEqualTo(TreeSnapshot.of(dir.resolve("b")));
    try (Gpg verifier = new Gpg(dir.resolve("verifier"))) {
      Path key = Files.writeString(dir.resolve("KEY.asc"), signer.armoredPublicKey());
      verifier.importKey(key);
      Path repodata = dir.resolve("a/repodata");
      Sh.Result verify =
          verifier.result(
              null,
              "--verify",
              repodata.resolve("repomd.xml.asc").toString(),
              repodata.resolve("repomd.xml").toString());
      assertThat(verify.code()).as(verify.out()).isZero();
    }
  }

  @Test
  void aChangedRpmUnderAPublishedNameOrADamagedOneIsRefusedBeforeWriting() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    Map<String, String> before = TreeSnapshot.of(repo);
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Path changed = Files.copy(hello2, other.resolve(hello1.getFileName()));
    assertThatThrownBy(() -> publish(repo, List.of(changed)))
        .hasMessageStartingWith(
            "The YUM repository "
                + repo
                + " already lists pbs-hello-1.0.0-1.x86_64.rpm with SHA-256 ")
        .hasMessageEndingWith(
            ". Clients have cached the published one: give the new build another version or"
                + " release.");
    Path damaged = dir.resolve("damaged.rpm");
    Files.write(damaged, java.util.Arrays.copyOf(Files.readAllBytes(hello2), 300));
    assertThatThrownBy(() -> publish(repo, List.of(hello2, damaged)))
        .hasMessageStartingWith(damaged + " is not a readable rpm: ")
        .hasMessageEndingWith(". Rebuild it (pbs:package) or remove it from the release.");
    assertThat(TreeSnapshot.of(repo)).isEqualTo(before);
  }

  @Test
  void metadataThatRepomdNamesButIsMissingIsRefusedAndNothingIsWritten() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    String primary;
    try (var files = Files.list(repo.resolve("repodata"))) {
      primary =
          files
              .map(p -> p.getFileName().toString())
              .filter(name -> name.endsWith("-primary.xml.gz"))
              .findFirst()
              .orElseThrow();
    }
    Files.delete(repo.resolve("repodata").resolve(primary));
    Map<String, String> before = TreeSnapshot.of(repo);
    assertThatThrownBy(() -> publish(repo, List.of(hello2)))
        .hasMessage(
            "The YUM repository "
                + repo
                + " is inconsistent: repomd.xml names repodata/"
                + primary
                + ", which is missing. Repair it (or restore it from the last published copy)"
                + " before adding to it.");
    assertThat(TreeSnapshot.of(repo)).isEqualTo(before);
  }

  private static final Pattern PKGID = Pattern.compile("pkgid=\"([0-9a-f]{64})\"|>([0-9a-f]{64})<");

  /** pkgid -> the package's entry in one metadata file. */
  private static Map<String, String> entries(Path repo, String type) throws IOException {
    String text = metadata(repo, type);
    Map<String, String> entries = new TreeMap<>();
    int at = 0;
    while ((at = text.indexOf("<package ", at)) >= 0) {
      int end = text.indexOf("</package>", at) + "</package>".length();
      String chunk = text.substring(at, end);
      Matcher m = PKGID.matcher(chunk);
      assertThat(m.find()).as(chunk).isTrue();
      entries.put(m.group(1) != null ? m.group(1) : m.group(2), chunk);
      at = end;
    }
    return entries;
  }

  private static String metadata(Path repo, String type) throws IOException {
    try (var files = Files.list(repo.resolve("repodata"))) {
      Path file =
          files
              .filter(p -> p.getFileName().toString().endsWith("-" + type + ".xml.gz"))
              .findFirst()
              .orElseThrow();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
