package dev.locker.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic: warm-up length, the median round and the per-event figures. */
class OutboxDrainBenchTest {

  /** A round of {@code events} drained in {@code millis}, with {@code up}/{@code down} bytes. */
  private static OutboxDrainBench.Round round(int events, long millis, long up, long down) {
    return new OutboxDrainBench.Round(
        events,
        events / 50,
        1_000_000_000L,
        millis * 1_000_000L,
        events * 240L,
        new CountingRelay.Counts(210, 13),
        new CountingRelay.Counts(up, down),
        events);
  }

  @Test
  void theWarmUpDrainsFiftyThousandEventsInOneToFiveRoundsOfTheMeasuredSize() {
    assertThat(OutboxDrainBench.Settings.warmUpRoundsFor(500)).isEqualTo(5);
    assertThat(OutboxDrainBench.Settings.warmUpRoundsFor(10_000)).isEqualTo(5);
    assertThat(OutboxDrainBench.Settings.warmUpRoundsFor(20_000)).isEqualTo(3);
    assertThat(OutboxDrainBench.Settings.warmUpRoundsFor(50_000)).isEqualTo(1);
    assertThat(OutboxDrainBench.Settings.warmUpRoundsFor(1_000_000)).isEqualTo(1);
    assertThat(OutboxDrainBench.Settings.of(10_000, 32).warmUpRounds()).isEqualTo(5);
  }

  @Test
  void theMedianIsTheMiddleRoundByRate() {
    OutboxDrainBench.Round slow = round(10_000, 2_000, 1, 1);
    OutboxDrainBench.Round middle = round(10_000, 1_000, 1, 1);
    OutboxDrainBench.Round fast = round(10_000, 500, 1, 1);

    OutboxDrainBench.Outcome.Measured measured =
        new OutboxDrainBench.Outcome.Measured(List.of(), List.of(fast, slow, middle));

    assertThat(measured.median()).isSameAs(middle);
    assertThat(middle.eventsPerSecond()).isEqualTo(10_000.0);
  }

  @Test
  void bytesPerEventAreTotalsOverEveryMeasuredRound() {
    OutboxDrainBench.Outcome.Measured measured =
        new OutboxDrainBench.Outcome.Measured(
            List.of(round(1_000, 100, 999_999, 999_999)),
            List.of(round(1_000, 100, 274_000, 4_000), round(3_000, 300, 822_000, 12_002)));

    assertThat(measured.events()).isEqualTo(4_000);
    assertThat(measured.upPerEvent()).isEqualTo(274.0);
    assertThat(measured.downPerEvent()).isEqualTo(4.0005);
    assertThat(measured.envelopePerEvent()).isEqualTo(240.0);
  }
}
