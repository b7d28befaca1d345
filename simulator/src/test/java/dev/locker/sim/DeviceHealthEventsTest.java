package dev.locker.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.LockerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock board that stops answering becomes a device.health event the cloud and audit see. */
class DeviceHealthEventsTest {
  @TempDir Path dir;

  @Test
  void aSilentBoardIsReportedOfflineAndBackOnline() throws Exception {
    LockerConfig config = ((ConfigLoader.Result.Loaded) SimulatedLocker.defaultProfile()).config();
    try (SimulatedLocker locker =
        SimulatedLocker.start(config, dir, Clock.systemUTC(), health -> {})) {
      awaitEvent(locker, "\"device\":\"lockboard-1\",\"state\":\"online\"");

      locker.lockBoards().orElseThrow().silence(1, true);
      awaitEvent(locker, "\"device\":\"lockboard-1\",\"state\":\"offline\"");

      locker.lockBoards().orElseThrow().silence(1, false);
      awaitEventCount(locker, "\"device\":\"lockboard-1\",\"state\":\"online\"", 2);
    }
  }

  private static List<String> envelopes(SimulatedLocker locker) {
    return locker.assembly().store().read(r -> r.outbox(10_000)).stream()
        .map(LockerStore.OutboxEvent::envelope)
        .toList();
  }

  private static void awaitEvent(SimulatedLocker locker, String fragment) throws Exception {
    awaitEventCount(locker, fragment, 1);
  }

  private static void awaitEventCount(SimulatedLocker locker, String fragment, int count)
      throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (envelopes(locker).stream().filter(e -> e.contains(fragment)).count() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + fragment + " in " + envelopes(locker));
      }
      Thread.sleep(50);
    }
    assertThat(envelopes(locker)).anyMatch(e -> e.contains("\"type\":\"device.health\""));
  }
}
