package dev.locker.core.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** What the link's settings accept: ssl:// needs TLS material, tcp:// needs insecurePlaintext. */
class PahoCloudLinkSettingsTest {
  private static final Optional<SSLSocketFactory> TLS =
      Optional.of((SSLSocketFactory) SSLSocketFactory.getDefault());
  private static final Clock CLOCK = Clock.systemUTC();

  @Test
  void sslWithTlsMaterial_isAccepted_withTheContractsDefaults() {
    PahoCloudLink.Settings settings =
        PahoCloudLink.Settings.of(
            "LCK-0001", "ssl://cloud.example:8883", "1.4.2", TLS, false, CLOCK);

    assertThat(settings.maxInflight()).isEqualTo(64);
    assertThat(settings.backoff()).isEqualTo(Backoff.Settings.DEFAULTS);
    assertThat(settings.topic("event")).isEqualTo("locker/v1/LCK-0001/event");
  }

  @Test
  void sslWithoutTlsMaterial_isRefused() {
    assertThatThrownBy(() -> settings("ssl://cloud.example:8883", Optional.empty(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl:// but no TLS material is configured");
  }

  @Test
  void tcpWithoutInsecurePlaintext_isRefused() {
    assertThatThrownBy(() -> settings("tcp://cloud.example:1883", Optional.empty(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain tcp://")
        .hasMessageContaining("cloud.insecurePlaintext: true");
  }

  @Test
  void tcpWithInsecurePlaintext_isAccepted() {
    assertThat(settings("tcp://127.0.0.1:1883", Optional.empty(), true).insecurePlaintext())
        .isTrue();
  }

  @Test
  void tcpWithTlsMaterial_isRefusedRatherThanSilentlyUnencrypted() {
    assertThatThrownBy(() -> settings("tcp://cloud.example:1883", TLS, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use ssl://");
  }

  @Test
  void otherSchemesAndMissingHosts_areRefused() {
    assertThatThrownBy(() -> settings("ws://cloud.example:80", TLS, false))
        .hasMessageContaining("must start with ssl://");
    assertThatThrownBy(() -> settings("ssl:///nohost", TLS, false))
        .hasMessageContaining("needs a host");
    assertThatThrownBy(() -> settings("not a uri", TLS, false)).hasMessageContaining("not a URI");
  }

  @Test
  void lockerIdsOutsideTheContract_areRefused() {
    assertThatThrownBy(
            () -> PahoCloudLink.Settings.of("L/1", "ssl://h:8883", "1", TLS, false, CLOCK))
        .hasMessageContaining("[A-Za-z0-9-]{3,40}");
  }

  @Test
  void subSecondKeepAliveOrTimeoutAndAnEmptyWindow_areRefused() {
    PahoCloudLink.Settings settings = settings("ssl://h:8883", TLS, false);

    assertThatThrownBy(() -> settings.withKeepAlive(Duration.ofMillis(500)))
        .hasMessageContaining("keepAlive");
    assertThatThrownBy(() -> settings.withConnectTimeout(Duration.ZERO))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> settings.withMaxInflight(0)).hasMessageContaining("maxInflight");
  }

  private static PahoCloudLink.Settings settings(
      String uri, Optional<SSLSocketFactory> tls, boolean insecurePlaintext) {
    return PahoCloudLink.Settings.of("LCK-0001", uri, "1.4.2", tls, insecurePlaintext, CLOCK);
  }
}
