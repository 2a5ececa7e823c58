package dev.pbstoolchain.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.RecordingConsole;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The low-speed limit and the progress lines, on a clock the test moves. */
class TransferWatchTest {

  private static final URI URL =
      URI.create("http://mirror.example/20241016/cpython-3.11.10%2B20241016-x.tar.gz");

  private final RecordingConsole console = new RecordingConsole();
  private long now = 1_000_000_000L;

  private TransferWatch watch(HttpSettings settings) {
    return new TransferWatch(URL, settings, console, () -> now);
  }

  private void advance(double seconds) {
    now += (long) (seconds * 1e9);
  }

  @Test
  void defaultsFailADripOfOneKilobyteASecondWithinAMinute() {
    HttpSettings defaults = HttpSettings.defaults();
    assertThat(defaults.lowSpeedLimit()).isEqualTo(10 * 1024);
    assertThat(defaults.lowSpeedTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.stallTimeout()).isEqualTo(Duration.ofSeconds(20));
    TransferWatch watch = watch(defaults);
    watch.length(29L << 20);
    assertThatThrownBy(
            () -> {
              for (int second = 1; second <= 60; second++) {
                advance(1);
                watch.received(1024);
              }
            })
        .isInstanceOf(TransferWatch.TooSlowException.class)
        .hasMessage(
            "the download is too slow: 1.0 KB/s over the last 30 s, below the limit of 10.0 KB/s"
                + " (pbs.lowSpeedLimit=10240 bytes/s for pbs.lowSpeedTime=30 s); 0.0 MB of 29.0"
                + " MB received in 30 s");
  }

  @Test
  void aFastStartDoesNotHideAStallLater() throws Exception {
    TransferWatch watch = watch(HttpSettings.defaults());
    advance(1);
    watch.received(20 << 20); // 20 MB in the first second
    // Then nothing: the window slides past the fast second, and 30 s later the watch fails.
    assertThatThrownBy(
            () -> {
              for (int second = 0; second < 40; second++) {
                advance(1);
                watch.idle();
              }
            })
        .isInstanceOf(TransferWatch.TooSlowException.class)
        .hasMessageStartingWith("the download is too slow: 0.0 KB/s over the last 30 s");
    assertThat(now - 1_000_000_000L).isEqualTo(31_000_000_000L);
  }

  @Test
  void aSlowButSteadyDownloadGoesOnAndSaysHowFarItIsEveryTenSeconds() throws Exception {
    TransferWatch watch = watch(HttpSettings.defaults());
    watch.length(10L << 20);
    for (int tenth = 1; tenth <= 250; tenth++) {
      advance(0.1);
      watch.received(2048); // 20 KB/s, above the limit
    }
    assertThat(console.infos)
        .containsExactly(
            "Downloading cpython-3.11.10+20241016-x.tar.gz: 0.2 MB of 10.0 MB (1%) in 10 s,"
                + " 20.0 KB/s",
            "Downloading cpython-3.11.10+20241016-x.tar.gz: 0.4 MB of 10.0 MB (3%) in 20 s,"
                + " 20.0 KB/s");
  }

  @Test
  void aStalledDownloadStillReportsWhileItWaits() throws Exception {
    TransferWatch watch = watch(HttpSettings.builder().lowSpeed(0, Duration.ofSeconds(30)).build());
    advance(1);
    watch.received(1 << 20);
    for (int second = 0; second < 12; second++) {
      advance(1);
      watch.idle();
    }
    assertThat(console.infos)
        .containsExactly(
            "Downloading cpython-3.11.10+20241016-x.tar.gz: 1.0 MB in 10 s, 102.4 KB/s, nothing"
                + " received for 9 s");
  }
}
