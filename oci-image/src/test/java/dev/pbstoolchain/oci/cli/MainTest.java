package dev.pbstoolchain.oci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.oci.testing.BaseImages;
import dev.pbstoolchain.oci.testing.DemoRelease;
import dev.pbstoolchain.oci.testing.DockerRegistry;
import dev.pbstoolchain.testing.InProcessCli;
import dev.pbstoolchain.testing.Sh;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: build and push the way a script outside Maven would, judged by skopeo. */
class MainTest {

  @TempDir Path work;

  static InProcessCli.Result run(Map<String, String> env, String... args) {
    return InProcessCli.run((a, out, err) -> Main.run(a, out, err, env), args);
  }

  @Test
  void buildThenPushALayoutByTag() throws Exception {
    DemoRelease release = DemoRelease.get();
    try (DockerRegistry registry = DockerRegistry.start(work.resolve("registry"))) {
      InProcessCli.Result built =
          run(
              Map.of("SOURCE_DATE_EPOCH", "1764547200"),
              "build",
              "--app",
              DemoRelease.APP,
              "--version",
              "1.2.0",
              "--base",
              BaseImages.multiPlatform(),
              "--row",
              DemoRelease.ARM64,
              release.binary(DemoRelease.ARM64).toString(),
              release.python(DemoRelease.ARM64).toString(),
              "--layout",
              work.resolve("oci").toString(),
              "--tag",
              "1.2.0",
              "--tag",
              "stable",
              "--port",
              "8080",
              "--env",
              "MODE=cli",
              "--dir",
              "/var/lib/demo-app",
              "www-data",
              "www-data",
              "0750");
      assertThat(built.status()).as(built.err()).isZero();
      String digest = built.out().strip();
      assertThat(digest).matches("sha256:[0-9a-f]{64}");
      assertThat(built.err()).contains("Wrote the image " + digest);

      InProcessCli.Result pushed =
          run(
              Map.of(),
              "push",
              work.resolve("oci") + ":stable",
              registry.address() + "/cli/demo-app");
      assertThat(pushed.status()).as(pushed.err()).isZero();
      assertThat(pushed.out().strip()).isEqualTo(digest);
      assertThat(
              Sh.ok(
                  "skopeo",
                  "list-tags",
                  "--tls-verify=false",
                  "docker://" + registry.address() + "/cli/demo-app"))
          .contains("\"stable\"")
          .doesNotContain("\"1.2.0\"");
    }
  }

  @Test
  void mistakesExitWith2AndSayWhy() {
    InProcessCli.Result missing = run(Map.of(), "build", "--app");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: --app needs a value; usage: build --app NAME");
    InProcessCli.Result noVersion = run(Map.of(), "build", "--app", "x");
    assertThat(noVersion.err()).isEqualTo("error: --app and --version are required\n");
    InProcessCli.Result noPassword =
        run(Map.of(), "push", "dir", "127.0.0.1:1/x", "--username", "bot");
    assertThat(noPassword.status()).isEqualTo(2);
    assertThat(noPassword.err())
        .isEqualTo(
            "error: --username needs the password in the environment variable PBS_REGISTRY_PASSWORD\n");
  }
}
