package dev.pbstoolchain.publishing.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.publishing.PublishingConsole;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.deb.ControlStanza;
import dev.pbstoolchain.publishing.signing.OpenPgpSigner;
import dev.pbstoolchain.publishing.signing.Passphrase;
import dev.pbstoolchain.publishing.signing.Signer;
import dev.pbstoolchain.testing.AptJudge;
import dev.pbstoolchain.testing.Gpg;
import dev.pbstoolchain.testing.LoopbackServer;
import dev.pbstoolchain.testing.PackageFixtures;
import dev.pbstoolchain.testing.Sh;
import dev.pbstoolchain.testing.TreeSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APT repository judged by apt itself: a private apt-get reads it over HTTP from loopback with
 * signature checking (signed-by the published key), installs from it into a scratch root, and
 * refuses it once tampered with or unsigned.
 */
class AptRepositoryTest {

  static final Instant DATE = Instant.parse("2026-11-24T00:00:00Z");

  @TempDir static Path keys;
  static Gpg gpg;
  static Signer signer;
  static Signer otherSigner;
  static Path hello1;
  static Path hello2;
  static Path common;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    gpg = new Gpg(keys.resolve("gnupg"));
    signer = signer("PBS Release <release@example.com>", "release.asc");
    otherSigner = signer("Other <other@example.com>", "other.asc");
    hello1 = PackageFixtures.deb(keys, "pbs-hello", "1.0.0-1", "amd64");
    hello2 = PackageFixtures.deb(keys, "pbs-hello", "1:1.1.0-1", "amd64");
    common = PackageFixtures.deb(keys, "libpbs-common", "2.0-1", "all");
  }

  /** A new Ed25519 key for {@code userId}, exported to {@code file} and loaded as our signer. */
  private static Signer signer(String userId, String file) throws Exception {
    String fpr = gpg.generate(userId, "ed25519", "sign", "2y", null);
    return OpenPgpSigner.load(
        gpg.exportSecret(fpr, null, keys.resolve(file)), Passphrase.none("x"), DATE, Instant.now());
  }

  @AfterAll
  static void stopAgent() {
    gpg.close();
  }

  private static AptRepository.Result publish(Path repo, List<Path> debs)
      throws PublishingException {
    return publish(repo, debs, PublishingConsole.silent());
  }

  private static AptRepository.Result publish(Path repo, List<Path> debs, PublishingConsole console)
      throws PublishingException {
    return AptRepository.publish(
        AptRequest.builder(repo, signer, DATE).debs(debs).origin("pbs-tests").build(), console);
  }

  /** A fresh apt client of the served repository whose apt-get update passed without warnings. */
  private AptJudge updatedClient(LoopbackServer server) throws IOException {
    AptJudge apt = client(server, "apt", signer);
    Sh.Result update = apt.aptGet("update");
    assertThat(update.code()).as(update.out()).isZero();
    assertThat(update.out()).doesNotContainPattern("(?m)^(W|E|N): ");
    return apt;
  }

  /** An apt client of the served repository that trusts {@code s}'s key, in {@code dir/name}. */
  private AptJudge client(LoopbackServer server, String name, Signer s) throws IOException {
    return new AptJudge(
        dir.resolve(name),
        "deb [signed-by=" + key(dir, s) + "] " + server.baseUrl() + "/ stable main");
  }

  private static Path key(Path dir, Signer s) throws IOException {
    return Files.writeString(dir.resolve("KEY-" + s.fingerprint() + ".asc"), s.armoredPublicKey());
  }

  @Test
  void aptGetUpdatesWithoutWarningsAndInstallsIntoAScratchRoot() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1, common));
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      AptJudge apt = updatedClient(server);
      assertThat(server.requests()).contains("GET /dists/stable/InRelease");
      assertThat(apt.aptGet("install", "pbs-hello", "libpbs-common").ok().out())
          .doesNotContainPattern("(?m)^(W|E): ");
      assertThat(PackageFixtures.installedVersion(apt.root(), "pbs-hello")).isEqualTo("1.0.0-1");
      assertThat(apt.root().resolve("usr/bin/libpbs-common")).isExecutable();
    }
  }

  @Test
  void addingToARepositoryKeepsEarlierVersionsAndAptCanPickEither() throws Exception {
    Path repo = dir.resolve("repo");
    AptRepository.Result first = publish(repo, List.of(hello1));
    assertThat(first.added()).containsExactly("pbs-hello 1.0.0-1 amd64");
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    AptRepository.Result second =
        publish(
            repo,
            List.of(hello1, hello2, common),
            PublishingConsole.printing(new PrintStream(said, true, StandardCharsets.UTF_8)));
    assertThat(said.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "APT repository "
                + repo
                + ": 2 added, 1 already there, 3 in stable/main, signed by "
                + signer.fingerprint()
                + "\n");
    assertThat(second.added())
        .containsExactly("pbs-hello 1:1.1.0-1 amd64", "libpbs-common 2.0-1 all");
    assertThat(second.unchanged()).containsExactly("pbs-hello 1.0.0-1 amd64");
    assertThat(repo.resolve("pool/main/p/pbs-hello/pbs-hello_1.1.0-1_amd64.deb")).exists();
    assertThat(repo.resolve("pool/main/libp/libpbs-common/libpbs-common_2.0-1_all.deb")).exists();
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      AptJudge apt = updatedClient(server);
      apt.aptGet("install", "pbs-hello=1.0.0-1").ok();
      assertThat(PackageFixtures.installedVersion(apt.root(), "pbs-hello")).isEqualTo("1.0.0-1");
      apt.aptGet("install", "pbs-hello").ok();
      assertThat(PackageFixtures.installedVersion(apt.root(), "pbs-hello")).isEqualTo("1:1.1.0-1");
    }
  }

  @Test
  void addingToAnAptFtparchiveRepositoryKeepsItsPackages() throws Exception {
    Path repo = dir.resolve("repo");
    Path pool = repo.resolve("pool/main/p/pbs-hello");
    Files.createDirectories(pool);
    Files.copy(hello1, pool.resolve(hello1.getFileName()));
    Path binary = repo.resolve("dists/stable/main/binary-amd64");
    Files.createDirectories(binary);
    Files.writeString(
        binary.resolve("Packages"),
        Sh.run(repo, Map.of(), "apt-ftparchive", "packages", "pool").ok().out());
    Files.writeString(
        repo.resolve("dists/stable/Release"),
        Sh.run(
                repo.resolve("dists/stable"),
                Map.of(),
                "apt-ftparchive",
                "-o",
                "APT::FTPArchive::Release::Suite=stable",
                "-o",
                "APT::FTPArchive::Release::Architectures=amd64",
                "-o",
                "APT::FTPArchive::Release::Components=main",
                "release",
                ".")
            .ok()
            .out());
    AptRepository.Result result = publish(repo, List.of(hello1, hello2));
    assertThat(result.unchanged()).containsExactly("pbs-hello 1.0.0-1 amd64");
    assertThat(result.added()).containsExactly("pbs-hello 1:1.1.0-1 amd64");
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      AptJudge apt = updatedClient(server);
      apt.aptGet("install", "pbs-hello=1.0.0-1").ok();
      assertThat(PackageFixtures.installedVersion(apt.root(), "pbs-hello")).isEqualTo("1.0.0-1");
    }
  }

  @Test
  void aClientHoldingThePreviousInReleaseStillUpdatesMidPublish() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    Path inRelease = repo.resolve("dists/stable/InRelease");
    String previous = Files.readString(inRelease);
    publish(repo, List.of(hello2));
    // What a client sees when it fetched InRelease just before the new indexes were renamed in.
    Files.writeString(inRelease, previous);
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      AptJudge apt = updatedClient(server);
      assertThat(server.requests())
          .anyMatch(r -> r.startsWith("GET /dists/stable/main/binary-amd64/by-hash/SHA512/"));
      apt.aptGet("install", "pbs-hello").ok();
      assertThat(PackageFixtures.installedVersion(apt.root(), "pbs-hello")).isEqualTo("1.0.0-1");
    }
    // Indexes only the last two Release files name are kept.
    publish(repo, List.of(common));
    try (var files = Files.list(repo.resolve("dists/stable/main/binary-amd64/by-hash/SHA256"))) {
      assertThat(files.count()).isEqualTo(4);
    }
  }

  @Test
  void aChangedDebUnderAPublishedVersionIsRefusedAndNothingIsWritten() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    Map<String, String> before = TreeSnapshot.of(repo);
    Path changed = PackageFixtures.deb(dir, "pbs-hello", "1.0.0-1", "amd64", "rebuilt");
    assertThatThrownBy(() -> publish(repo, List.of(hello2, changed)))
        .hasMessageStartingWith(
            "The APT repository "
                + repo
                + " already publishes pbs-hello 1.0.0-1 (amd64) with other contents"
                + " (pool/main/p/pbs-hello/pbs-hello_1.0.0-1_amd64.deb, SHA-256 ")
        .hasMessageEndingWith(
            ". Clients have cached the published one: give the new build another version.");
    assertThat(TreeSnapshot.of(repo)).isEqualTo(before);
  }

  @Test
  void aPoolFileThatNoLongerMatchesItsIndexIsRefusedAndNothingIsWritten() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    Path pooled = repo.resolve("pool/main/p/pbs-hello/pbs-hello_1.0.0-1_amd64.deb");
    long size = Files.size(pooled);
    Files.write(pooled, new byte[] {0}, StandardOpenOption.APPEND);
    Map<String, String> before = TreeSnapshot.of(repo);
    assertThatThrownBy(() -> publish(repo, List.of(hello2)))
        .hasMessage(
            "The APT repository "
                + repo
                + " is inconsistent: "
                + repo.resolve("dists/stable/main/binary-amd64/Packages")
                + " lists pool/main/p/pbs-hello/pbs-hello_1.0.0-1_amd64.deb with "
                + size
                + " bytes; the file has "
                + (size + 1)
                + ". Repair it (or restore it from the last published copy) before adding to it.");
    assertThat(TreeSnapshot.of(repo)).isEqualTo(before);
  }

  @Test
  void aDamagedDebStopsThePublishBeforeAnyFileIsWritten() throws Exception {
    Path broken = dir.resolve("broken_1.0_amd64.deb");
    byte[] whole = Files.readAllBytes(hello1);
    Files.write(broken, java.util.Arrays.copyOf(whole, 200));
    Path repo = dir.resolve("repo");
    assertThatThrownBy(() -> publish(repo, List.of(hello1, broken)))
        .hasMessageStartingWith(broken + " is not a readable Debian package: the ar member ")
        .hasMessageEndingWith(
            "more than the file holds (truncated download?). Rebuild it (pbs:package) or remove"
                + " it from the release.");
    assertThat(repo).doesNotExist();
  }

  @Test
  void aptRefusesATamperedPackagesFile() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    Path index = repo.resolve("dists/stable/main/binary-amd64/Packages");
    String tampered = Files.readString(index).replace("Version: 1.0.0-1", "Version: 1.0.0-2");
    // Every copy apt may fetch: the index under its names and under each hash.
    try (var walk = Files.walk(index.getParent())) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          byte[] head = Arrays.copyOf(Files.readAllBytes(p), 2);
          boolean gzipped = head[0] == 0x1f && head[1] == (byte) 0x8b;
          Files.write(p, gzipped ? gzip(tampered) : tampered.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      AptJudge apt = client(server, "apt", signer);
      assertThat(apt.aptGet("update").failed().out()).contains("Hash Sum mismatch");
    }
  }

  @Test
  void aptRefusesAnUnsignedReleaseAndOneSignedByAnotherKey() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1));
    try (LoopbackServer server = LoopbackServer.serve(repo)) {
      AptJudge wrongKey = client(server, "apt-other", otherSigner);
      assertThat(wrongKey.aptGet("update").failed().out()).contains("NO_PUBKEY");
      Files.delete(repo.resolve("dists/stable/InRelease"));
      Files.delete(repo.resolve("dists/stable/Release.gpg"));
      AptJudge apt = client(server, "apt", signer);
      assertThat(apt.aptGet("update").failed().out()).contains("is not signed");
    }
  }

  @Test
  void releaseSignaturesVerifyWithGpgAndStanzasAreApiFtparchives() throws Exception {
    Path repo = dir.resolve("repo");
    publish(repo, List.of(hello1, common));
    try (Gpg verifier = new Gpg(dir.resolve("verifier"))) {
      verifier.importKey(key(dir, signer));
      Path suite = repo.resolve("dists/stable");
      Sh.Result detached =
          verifier.result(
              null,
              "--verify",
              suite.resolve("Release.gpg").toString(),
              suite.resolve("Release").toString());
      assertThat(detached.code()).as(detached.out()).isZero();
      Sh.Result clear = verifier.result(null, "--verify", suite.resolve("InRelease").toString());
      assertThat(clear.code()).as(clear.out()).isZero();
    }
    // apt-ftparchive over the same pool writes the same stanzas, field for field.
    Sh.Result ftparchive = Sh.run(repo, Map.of(), "apt-ftparchive", "packages", "pool").ok();
    String ours = Files.readString(repo.resolve("dists/stable/main/binary-amd64/Packages"));
    assertThat(stanzas(ours)).isEqualTo(stanzas(ftparchive.out()));
    String release = Files.readString(repo.resolve("dists/stable/Release"));
    assertThat(release)
        .startsWith(
            "Origin: pbs-tests\nLabel: pbs-tests\nSuite: stable\nCodename: stable\n"
                + "Date: Tue, 24 Nov 2026 00:00:00 UTC\nArchitectures: amd64\nComponents: main\n"
                + "Acquire-By-Hash: yes\nMD5Sum:\n");
    for (String hash : List.of("MD5Sum", "SHA1", "SHA256", "SHA512")) {
      assertThat(release).contains(hash + ":\n");
    }
  }

  @Test
  void theSameDebsGiveTheSameRepositoryBytes() throws Exception {
    publish(dir.resolve("a"), List.of(hello1, common, hello2));
    publish(dir.resolve("b"), List.of(hello2, common, hello1));
    assertThat(TreeSnapshot.of(dir.resolve("a"))).isEqualTo(TreeSnapshot.of(dir.resolve("b")));
  }

  private static Map<String, String> stanzas(String packages) {
    Map<String, String> byName = new TreeMap<>();
    for (ControlStanza s : ControlStanza.parseAll(packages, "Packages")) {
      byName.put(s.get("Package"), s.format());
    }
    return byName;
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
