package dev.locker.hal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A device's health from its recent exchanges, reported only when its state changes. */
class ExchangeWindowTest {
  private final List<DeviceHealth> reports = new CopyOnWriteArrayList<>();
  private final ExchangeWindow window =
      new ExchangeWindow("lockboard-0", 3, "/dev/ttyUSB0", reports::add);

  private void clean() {
    window.record(Optional.empty(), Optional.empty());
  }

  @Test
  void cleanExchangesAreOnlineReportedOnce() {
    clean();
    clean();
    assertThat(reports)
        .containsExactly(
            new DeviceHealth("lockboard-0", HealthState.ONLINE, "answering on /dev/ttyUSB0"));
  }

  @Test
  void aTroubledExchangeIsDegradedUntilItLeavesTheWindow() {
    clean();
    window.record(Optional.of("2 garbled frame(s) in one exchange"), Optional.empty());
    clean();
    clean();
    assertThat(reports.get(1).state()).isEqualTo(HealthState.DEGRADED);
    assertThat(reports.get(1).detail())
        .isEqualTo(
            "1 of the last 2 exchanges on /dev/ttyUSB0 needed retries or met garbage (latest: 2"
                + " garbled frame(s) in one exchange)");
    clean();
    assertThat(reports)
        .extracting(DeviceHealth::state)
        .containsExactly(HealthState.ONLINE, HealthState.DEGRADED, HealthState.ONLINE);
  }

  @Test
  void aFailedExchangeIsOfflineWithItsReasonAndTheNextGoodOneIsDegraded() {
    window.record(
        Optional.of("3 retry(ies) in one exchange"), Optional.of("no reply to 4 queries"));
    assertThat(window.reported())
        .hasValue(new DeviceHealth("lockboard-0", HealthState.OFFLINE, "no reply to 4 queries"));
    clean();
    assertThat(window.reported().orElseThrow().state()).isEqualTo(HealthState.DEGRADED);
  }

  @Test
  void nothingIsReportedBeforeTheFirstExchange() {
    assertThat(window.reported()).isEmpty();
    assertThat(reports).isEmpty();
  }
}
