package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** WWW-Authenticate challenges as registries send them, and the scopes a token is asked for. */
class AuthChallengeTest {

  @Test
  void bearerChallengeWithQuotedCommas() {
    AuthChallenge challenge =
        AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                    + "scope=\"repository:library/debian:pull,push\"")
            .orElseThrow();
    assertThat(challenge.isBearer()).isTrue();
    assertThat(challenge.parameters())
        .isEqualTo(
            Map.of(
                "realm", "https://auth.docker.io/token",
                "service", "registry.docker.io",
                "scope", "repository:library/debian:pull,push"));
  }

  @Test
  void basicChallengeAndOddSpacing() {
    AuthChallenge challenge =
        AuthChallenge.parse("basic  realm=\"Registry Realm\" , charset=UTF-8").orElseThrow();
    assertThat(challenge.isBasic()).isTrue();
    assertThat(challenge.realm()).isEqualTo("Registry Realm");
    assertThat(challenge.parameters().get("charset")).isEqualTo("UTF-8");
    assertThat(AuthChallenge.parse("")).isEmpty();
  }

  @Test
  void scopesOfOneRepositoryAreMerged() {
    assertThat(
            RegistryTransport.merged(
                Set.of("repository:acme/app:pull,push"),
                "repository:acme/app:pull repository:library/debian:pull"))
        .containsExactly("repository:acme/app:pull,push", "repository:library/debian:pull");
  }
}
