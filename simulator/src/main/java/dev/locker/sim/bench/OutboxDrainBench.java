package dev.locker.sim.bench;

import dev.locker.core.Firmware;
import dev.locker.core.application.Locker;
import dev.locker.core.application.LockerLoop;
import dev.locker.core.application.LockerPolicy;
import dev.locker.core.application.port.CloudLink;
import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.application.port.DoorMonitor;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.cloud.CloudSync;
import dev.locker.core.cloud.CommandGate;
import dev.locker.core.cloud.CommandKeys;
import dev.locker.core.cloud.CommandProcessor;
import dev.locker.core.cloud.PahoCloudLink;
import dev.locker.core.cloud.Telemetry;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DoorState;
import dev.locker.core.domain.PickupCodeGenerator;
import dev.locker.core.domain.PickupCodeHasher;
import dev.locker.core.store.SqliteLockerStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast a locker's outbox drains to a broker, and what each event costs on the wire: a
 * benchmark, not a test; its figures are wall time on whatever machine runs it.
 *
 * <p>Each round builds a fresh locker store (SQLite, as on a locker: WAL, {@code synchronous=FULL})
 * in its own folder and, while no link exists, commits {@link Settings#events} events from {@link
 * BusyDayEvents} in transactions of {@link Settings#eventsPerTransaction}, as a busy locker does.
 * Then it starts the real {@link CloudSync} over the real {@link PahoCloudLink} (plain TCP through
 * a {@link CountingRelay} to the broker) and takes the time from the link's first "connected" to
 * the outbox being empty, that is, to the PUBACK of the last event and the deletion of its row.
 * Warm-up rounds of the same size come first, enough for the JIT ({@link
 * Settings#warmUpRoundsFor}), and are not part of the result; then {@link Settings#rounds} measured
 * rounds.
 *
 * <p>Bytes on the wire are counted by the relay between the same two moments: each event's PUBLISH
 * up and PUBACK down (and a keepalive ping, should one fall in the round). The session's set-up
 * before the clock starts (CONNECT, SUBSCRIBE to the command topic, the retained online status, and
 * their answers) is counted separately, and the goodbye after it not at all. Telemetry is off (an
 * hour apart), and nobody subscribes to the event topic: the broker only accepts and confirms.
 *
 * <p>Blocking: {@link #run()} returns when every round has ended or one failed. Not thread-safe.
 */
public final class OutboxDrainBench {
  /** The benchmark locker's id, also its MQTT client id. */
  public static final String LOCKER_ID = "LCK-BENCH-1";

  /** Every round commits the same events. */
  private static final long EVENT_SEED = 20_261_122L;

  /**
   * @param events events per measured round
   * @param window the publisher's window: most events published and not yet confirmed
   * @param warmUpRounds rounds of {@code events} run first and not reported
   * @param rounds measured rounds
   * @param eventsPerTransaction events committed per transaction while filling the outbox
   * @param connectWait longest wait for the link's first connection in a round
   * @param stallLimit a round fails when no event was confirmed for this long
   */
  public record Settings(
      int events,
      int window,
      int warmUpRounds,
      int rounds,
      int eventsPerTransaction,
      Duration connectWait,
      Duration stallLimit) {
    public static final int DEFAULT_EVENTS = 10_000;

    /**
     * Events the default warm-up drains, at least. On the two-core development VM the drain rate of
     * one JVM climbed from about 5,000 to about 14,000 events/s over its first 50,000 events (the
     * JIT at work on the SQLite, Paho and Jackson paths) and then held, give or take 10 %. A
     * 1,000-event warm-up left the measured rounds still climbing threefold, and so did a single
     * 50,000-event round: what each round does once (open a store, connect) needs warming too.
     */
    public static final int WARM_UP_EVENTS = 50_000;

    /** Most warm-up rounds by default: small rounds warm up less, and are only a smoke test. */
    public static final int MAX_WARM_UP_ROUNDS = 5;

    public static final int DEFAULT_ROUNDS = 3;
    public static final int DEFAULT_EVENTS_PER_TRANSACTION = 50;

    public Settings {
      if (events < 1 || warmUpRounds < 0 || rounds < 1 || eventsPerTransaction < 1) {
        throw new IllegalArgumentException(
            "events, rounds and events per transaction are at least 1, the warm-up at least 0");
      }
      if (window < 1) {
        throw new IllegalArgumentException("the window is at least 1");
      }
      Objects.requireNonNull(connectWait, "connectWait");
      Objects.requireNonNull(stallLimit, "stallLimit");
    }

    /**
     * The default number of warm-up rounds of {@code events}: enough to drain {@link
     * #WARM_UP_EVENTS}, at least 1 and at most {@link #MAX_WARM_UP_ROUNDS}.
     */
    public static int warmUpRoundsFor(int events) {
      int enough = (WARM_UP_EVENTS + events - 1) / events;
      return Math.max(1, Math.min(MAX_WARM_UP_ROUNDS, enough));
    }

    /** {@code events} per round with window {@code window}, and the defaults for the rest. */
    public static Settings of(int events, int window) {
      return new Settings(
          events,
          window,
          warmUpRoundsFor(events),
          DEFAULT_ROUNDS,
          DEFAULT_EVENTS_PER_TRANSACTION,
          Duration.ofSeconds(30),
          Duration.ofSeconds(30));
    }
  }

  /**
   * One round's figures.
   *
   * @param events events committed and drained
   * @param transactions transactions they were committed in
   * @param fillNanos time to commit them all
   * @param drainNanos time from the link's first "connected" to an empty outbox
   * @param envelopeBytes the events' envelopes, UTF-8 JSON bytes, summed
   * @param setup bytes of the session's set-up, before the clock started
   * @param drain bytes while the clock ran
   * @param published publishes of events (more than {@code events} if some were sent again)
   */
  public record Round(
      int events,
      int transactions,
      long fillNanos,
      long drainNanos,
      long envelopeBytes,
      CountingRelay.Counts setup,
      CountingRelay.Counts drain,
      long published) {
    public double eventsPerSecond() {
      return events * 1e9 / drainNanos;
    }

    public double committedPerSecond() {
      return events * 1e9 / fillNanos;
    }
  }

  /** The result of {@link #run()}. */
  public sealed interface Outcome {
    /** Every round drained; the warm-up rounds are not part of the figures. */
    record Measured(List<Round> warmUp, List<Round> rounds) implements Outcome {
      public Measured {
        warmUp = List.copyOf(warmUp);
        rounds = List.copyOf(rounds);
        if (rounds.isEmpty()) {
          throw new IllegalArgumentException("no measured round");
        }
      }

      /** The round with the median drain rate (the upper middle one for an even count). */
      public Round median() {
        List<Round> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(Round::eventsPerSecond));
        return sorted.get(sorted.size() / 2);
      }

      /** Events drained in all measured rounds. */
      public long events() {
        return rounds.stream().mapToLong(Round::events).sum();
      }

      /** Bytes up per event over all measured rounds. */
      public double upPerEvent() {
        return rounds.stream().mapToLong(r -> r.drain().up()).sum() / (double) events();
      }

      /** Bytes down per event over all measured rounds. */
      public double downPerEvent() {
        return rounds.stream().mapToLong(r -> r.drain().down()).sum() / (double) events();
      }

      /** Envelope bytes per event over all measured rounds. */
      public double envelopePerEvent() {
        return rounds.stream().mapToLong(Round::envelopeBytes).sum() / (double) events();
      }
    }

    /** A round could not be measured; {@code reason} says which and why. */
    record Failed(String reason) implements Outcome {}
  }

  private final Settings settings;
  private final InetSocketAddress broker;
  private final Path folder;

  /**
   * @param broker the broker's plain MQTT port
   * @param folder where the rounds' stores go (one subfolder each); the caller deletes it
   */
  public OutboxDrainBench(Settings settings, InetSocketAddress broker, Path folder) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.folder = Objects.requireNonNull(folder, "folder");
  }

  /** Runs the warm-up and the measured rounds. */
  public Outcome run() throws IOException, InterruptedException {
    try (CountingRelay relay = CountingRelay.start(broker)) {
      List<Round> warmUp = new ArrayList<>();
      for (int i = 1; i <= settings.warmUpRounds(); i++) {
        RoundResult result = round("warm-up-" + i, settings.events(), relay);
        if (result instanceof RoundResult.Failed failed) {
          return new Outcome.Failed("warm-up round " + i + " " + failed.reason());
        }
        warmUp.add(((RoundResult.Drained) result).round());
      }
      List<Round> rounds = new ArrayList<>();
      for (int i = 1; i <= settings.rounds(); i++) {
        RoundResult result = round("round-" + i, settings.events(), relay);
        if (result instanceof RoundResult.Failed failed) {
          return new Outcome.Failed("round " + i + " " + failed.reason());
        }
        rounds.add(((RoundResult.Drained) result).round());
      }
      return new Outcome.Measured(warmUp, rounds);
    }
  }

  private sealed interface RoundResult {
    record Drained(Round round) implements RoundResult {}

    record Failed(String reason) implements RoundResult {}
  }

  private RoundResult round(String name, int events, CountingRelay relay)
      throws InterruptedException {
    Clock clock = Clock.systemUTC();
    Path dir = folder.resolve(name);
    try (LockerLoop loop = new LockerLoop();
        SqliteLockerStore store =
            SqliteLockerStore.open(dir.resolve("locker.db"), clock, LOCKER_ID)) {
      Fill fill = fill(events, store, loop, clock);

      CountingRelay.Counts before = relay.counts();
      StopwatchLink link =
          new StopwatchLink(new PahoCloudLink(linkSettings(relay, clock)), relay::counts);
      CloudSync sync = sync(link, store, loop, clock);
      try {
        sync.start();
        Optional<StopwatchLink.Mark> mark = link.awaitMark(settings.connectWait());
        if (mark.isEmpty()) {
          return new RoundResult.Failed(
              "could not connect to the broker at "
                  + broker.getHostString()
                  + ":"
                  + broker.getPort()
                  + " within "
                  + settings.connectWait().toSeconds()
                  + " s: "
                  + link.status().lastProblem().orElse("no answer"));
        }
        long stallNanos = settings.stallLimit().toNanos();
        long progressAt = System.nanoTime();
        long confirmed = 0;
        while (true) {
          long now = sync.stats().lastSeqConfirmed();
          if (now >= fill.lastSeq()) {
            break;
          }
          long t = System.nanoTime();
          if (now != confirmed) {
            confirmed = now;
            progressAt = t;
          } else if (t - progressAt > stallNanos) {
            return new RoundResult.Failed(
                "stalled: no event confirmed for "
                    + settings.stallLimit().toSeconds()
                    + " s, at seq "
                    + now
                    + " of "
                    + fill.lastSeq()
                    + " ("
                    + link.status()
                    + ")");
          }
          // A millisecond: fine enough for drains that last a tenth of a second or more, and
          // cheap enough not to slow the publisher on a two-core machine.
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        long end = System.nanoTime();
        CountingRelay.Counts after = relay.counts();
        CloudSync.Stats stats = sync.stats();
        long reconnects = link.status().reconnects();
        if (reconnects != 1) {
          return new RoundResult.Failed(
              "lost its connection "
                  + (reconnects - 1)
                  + " time(s) while draining; its figures mean nothing");
        }
        long left = store.read(LockerStore.Reader::outboxSize);
        if (left != 0) {
          throw new IllegalStateException(
              "the last seq was confirmed but " + left + " events are still in the outbox");
        }
        StopwatchLink.Mark start = mark.get();
        return new RoundResult.Drained(
            new Round(
                events,
                fill.transactions(),
                fill.nanos(),
                end - start.nanoTime(),
                fill.envelopeBytes(),
                start.counts().minus(before),
                after.minus(start.counts()),
                stats.published()));
      } finally {
        sync.close();
      }
    }
  }

  /** What filling the outbox took and made. */
  private record Fill(int transactions, long nanos, long envelopeBytes, long lastSeq) {}

  /**
   * Commits {@code events} events, {@link Settings#eventsPerTransaction} at a time, on the loop.
   */
  private Fill fill(int events, LockerStore store, LockerLoop loop, Clock clock) {
    BusyDayEvents source = new BusyDayEvents(EVENT_SEED, clock.instant());
    long envelopeBytes = 0;
    int transactions = 0;
    long start = System.nanoTime();
    for (int done = 0; done < events; done += settings.eventsPerTransaction()) {
      int batch = Math.min(settings.eventsPerTransaction(), events - done);
      envelopeBytes +=
          loop.call(
              () ->
                  store.transaction(
                      tx -> {
                        long bytes = 0;
                        for (int i = 0; i < batch; i++) {
                          BusyDayEvents.Event event = source.next();
                          bytes +=
                              tx.emit(event.type(), event.data())
                                  .envelope()
                                  .getBytes(StandardCharsets.UTF_8)
                                  .length;
                        }
                        return bytes;
                      }));
      transactions++;
    }
    long nanos = System.nanoTime() - start;
    return new Fill(transactions, nanos, envelopeBytes, store.read(LockerStore.Reader::lastSeq));
  }

  private PahoCloudLink.Settings linkSettings(CountingRelay relay, Clock clock) {
    // Paho's link refuses publishes beyond its own window: it must hold the publisher's.
    int inflight = Math.max(PahoCloudLink.Settings.DEFAULT_MAX_INFLIGHT, settings.window());
    return PahoCloudLink.Settings.of(
            LOCKER_ID, relay.uri(), Firmware.version(), Optional.empty(), true, clock)
        .withMaxInflight(inflight);
  }

  /**
   * The cloud sync as a locker runs it, over {@code link}. Its command processor has no command
   * keys (any command is refused and acked) and a locker without compartments, never started: the
   * benchmark has no doors to open.
   */
  private CloudSync sync(CloudLink link, LockerStore store, LockerLoop loop, Clock clock) {
    Locker locker =
        new Locker(
            LockerPolicy.defaults(LOCKER_ID, "outbox benchmark"),
            store,
            compartment ->
                new CompartmentLocks.UnlockOutcome.Unreachable("a benchmark has no locks"),
            new NoDoors(),
            clock,
            new PickupCodeHasher(new byte[32]),
            new PickupCodeGenerator(new SecureRandom(), 6),
            loop,
            Locker.DoorWait.POLLING);
    CommandGate gate =
        new CommandGate(
            LOCKER_ID,
            CommandKeys.of(Map.of()),
            new CommandGate.Policy(Duration.ofMinutes(2), Duration.ofHours(24), Map.of()));
    CommandProcessor processor =
        new CommandProcessor(gate, store, locker, clock, Map.of(), Optional.empty());
    Telemetry telemetry =
        new Telemetry(store, List::of, Firmware.version(), clock, processor::unreadable);
    return new CloudSync(
        link,
        store,
        loop,
        processor,
        telemetry,
        clock,
        new CloudSync.Settings(
            settings.window(), Duration.ofMillis(100), Duration.ofHours(1), Duration.ofDays(2)));
  }

  /** The door monitor of a locker without doors. */
  private static final class NoDoors implements DoorMonitor {
    @Override
    public void start(Listener listener) {}

    @Override
    public Map<CompartmentId, DoorState> currentStates() {
      return Map.of();
    }

    @Override
    public void stop() {}
  }
}
