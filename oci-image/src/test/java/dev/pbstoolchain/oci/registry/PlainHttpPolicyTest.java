package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Plain HTTP only for registries on this machine or when allowed; the refusal says how. */
class PlainHttpPolicyTest {

  @Test
  void aRemoteRegistryIsOnlyAskedOverHttps() {
    RegistrySettings settings =
        RegistrySettings.defaults().withDockerConfig(null).withRetries(1, Duration.ofMillis(1));
    assertThatThrownBy(
            () ->
                RegistryClient.pulling(
                        ImageReference.parse("registry.invalid/acme/app:1.0"),
                        settings,
                        ImageConsole.silent())
                    .manifest("1.0"))
        .isInstanceOf(OciException.class)
        .hasMessageStartingWith("Cannot reach https://registry.invalid/v2/: ")
        .hasMessageEndingWith(
            ". If registry.invalid speaks plain HTTP, allow it (pbs.image.allowHttp=true, CLI"
                + " --allow-http); registries on this machine may always use HTTP");
  }
}
