package dev.locker.core.cloud;

import dev.locker.core.application.Locker;
import dev.locker.core.application.LockerLoop;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.PickupCodeGenerator;
import dev.locker.core.domain.PickupCodeHasher;
import dev.locker.core.store.SqliteLockerStore;
import dev.locker.core.testing.FakeDoors;
import dev.locker.core.testing.FakeLocks;
import dev.locker.core.testing.TestLocker;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A locker process for {@link CloudOutageIT}: a real SQLite store, the real cloud sync and Paho
 * link, and a steady stream of events (door openings on a loop, ~2,000 per second) until the
 * database holds {@code total} of them; then it waits for the outbox to drain. A restart after
 * SIGKILL goes on from the last committed seq.
 *
 * <p>Prints {@code seq N} now and then, {@code emitted N} when the last event is committed, and
 * {@code drained} when the outbox is empty.
 *
 * <p>Arguments: database file, broker URI, locker id, total events.
 */
public final class OutageLocker {
  private OutageLocker() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String broker = args[1];
    String lockerId = args[2];
    long total = Long.parseLong(args[3]);
    Clock clock = Clock.systemUTC();
    SqliteLockerStore store = SqliteLockerStore.open(file, clock, lockerId);
    FakeDoors doors = new FakeDoors(TestLocker.cabinet().keySet());
    LockerLoop loop = new LockerLoop();
    Locker locker =
        new Locker(
            TestLocker.testPolicy(),
            store,
            new FakeLocks(doors),
            doors,
            clock,
            new PickupCodeHasher(new byte[32]),
            new PickupCodeGenerator(new SecureRandom(), 6),
            loop,
            Locker.DoorWait.POLLING);
    locker.start(TestLocker.cabinet(), Duration.ofSeconds(1));
    CommandGate gate =
        new CommandGate(
            lockerId,
            CommandKeys.of(Map.of()),
            new CommandGate.Policy(Duration.ofMinutes(2), Duration.ofHours(24), Map.of()));
    CommandProcessor processor =
        new CommandProcessor(gate, store, locker, clock, Map.of(), Optional.empty());
    PahoCloudLink link =
        new PahoCloudLink(
            PahoCloudLink.Settings.of(
                    lockerId, broker, "outage-test", Optional.empty(), true, clock)
                .withBackoff(new Backoff.Settings(Duration.ofMillis(200), Duration.ofSeconds(2)))
                .withKeepAlive(Duration.ofSeconds(2)));
    CloudSync sync =
        new CloudSync(
            link,
            store,
            loop,
            processor,
            new Telemetry(store, List::of, "outage-test", clock, processor::unreadable),
            clock,
            new CloudSync.Settings(
                32, Duration.ofMillis(20), Duration.ofHours(1), Duration.ofDays(2)));
    sync.start();

    long seq = store.read(LockerStore.Reader::lastSeq);
    while (seq < total) {
      long batch = Math.min(10, total - seq);
      seq =
          loop.call(
              () ->
                  store.transaction(
                      tx -> {
                        long last = 0;
                        for (int i = 0; i < batch; i++) {
                          last =
                              tx.emit(
                                      "door.opened",
                                      Map.of("compartment", "A01", "reason", "service"))
                                  .seq();
                        }
                        return last;
                      }));
      sync.nudge();
      if (seq % 500 == 0) {
        System.out.println("seq " + seq);
      }
      Thread.sleep(5);
    }
    System.out.println("emitted " + seq);
    while (store.read(LockerStore.Reader::outboxSize) > 0) {
      Thread.sleep(50);
    }
    System.out.println("drained");
    Thread.sleep(Long.MAX_VALUE);
  }
}
