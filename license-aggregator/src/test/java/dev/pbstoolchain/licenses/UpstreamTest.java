package dev.pbstoolchain.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pbstoolchain.testing.SharedFixtures;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamTest {

  /** Every full archive in the real download table (uv's copy): our URL is the published one. */
  @Test
  void releaseUrlIsThePublishedUrlOfEveryFullArchive() throws Exception {
    JsonNode table =
        new ObjectMapper().readTree(SharedFixtures.of("pbs/download-metadata.json").toFile());
    List<String> urls = new ArrayList<>();
    table.forEach(entry -> urls.add(entry.get("url").asText()));
    List<String> full = urls.stream().filter(u -> u.endsWith("-full.tar.zst")).toList();
    List<String> all = urls.stream().filter(u -> u.startsWith(Upstream.RELEASES)).toList();
    assertThat(all).hasSizeGreaterThan(5000);
    for (String url : all) {
      String[] parts = url.substring(Upstream.RELEASES.length()).split("/");
      String asset = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
      assertThat(Upstream.releaseUrl(parts[0], asset)).isEqualTo(url);
    }
    assertThat(full).isNotEmpty();
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> Upstream.releaseUrl("2024-10-16", "a.tar.zst"))
        .hasMessage(
            "a python-build-standalone release date is 8 digits (YYYYMMDD), not '2024-10-16'");
    assertThatThrownBy(() -> Upstream.releaseUrl("20241016", "../x"))
        .hasMessage("'../x' is not a python-build-standalone asset name");
  }
}
