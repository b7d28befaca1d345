package dev.locker.core.cloud;

import dev.locker.core.application.LockerLoop;
import dev.locker.core.application.port.CloudLink;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.LockerStore.OutboxEvent;
import dev.locker.core.application.port.LockerStore.PendingAck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the locker and its cloud in step over a {@link CloudLink}: publishes the outbox and the
 * queued acks, hands commands to the {@link CommandProcessor} on the locker loop, and sends
 * telemetry.
 *
 * <p>The outbox is published in {@code seq} order at QoS 1 by one thread ("cloud-outbox"), with at
 * most {@link Settings#window} events unconfirmed at a time. A row is deleted only after its
 * PUBACK, and only as part of an unbroken run from the head of the outbox, so the outbox always
 * starts at the oldest event the broker has not confirmed. When the link drops, whatever was not
 * confirmed is sent again after the reconnect, from the head: the cloud sees every {@code seq}, a
 * duplicate only where a confirmation was lost. Nothing here is durable: after a restart the outbox
 * and the ack queue in the store say what is left to send.
 */
public final class CloudSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudSync.class);

  /**
   * @param window most events (and, separately, acks) published and not yet confirmed
   * @param idlePoll how often the publisher looks at the outbox when nothing woke it
   * @param telemetryInterval how often telemetry goes out (contracts/mqtt.md: 60 s by default)
   * @param replayMemory how long the replay cache keeps a command; older ones are forgotten hourly
   */
  public record Settings(
      int window, Duration idlePoll, Duration telemetryInterval, Duration replayMemory) {
    public Settings {
      if (window < 1) {
        throw new IllegalArgumentException("the in-flight window is at least 1");
      }
      Objects.requireNonNull(idlePoll, "idlePoll");
      Objects.requireNonNull(telemetryInterval, "telemetryInterval");
      Objects.requireNonNull(replayMemory, "replayMemory");
    }
  }

  /**
   * What the publisher has done since start, for the service menu, telemetry and benchmarks. {@code
   * lastSeqConfirmed} is the highest seq removed from the outbox after its PUBACK (0 before the
   * first).
   */
  public record Stats(
      long published,
      long confirmed,
      long notDelivered,
      long acksConfirmed,
      long lastSeqConfirmed) {}

  private final CloudLink link;
  private final LockerStore store;
  private final LockerLoop loop;
  private final CommandProcessor processor;
  private final Telemetry telemetry;
  private final Clock clock;
  private final Settings settings;

  private final Object signal = new Object();
  private boolean woken;
  private volatile boolean running;
  private Thread publisher;
  private ScheduledExecutorService timer;

  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  // Owned by the publisher thread.
  private final Set<Long> inflight = new HashSet<>();
  private final TreeSet<Long> confirmed = new TreeSet<>();
  private final Set<Long> acksInflight = new HashSet<>();

  private final AtomicLong published = new AtomicLong();
  private final AtomicLong confirmedCount = new AtomicLong();
  private final AtomicLong notDelivered = new AtomicLong();
  private final AtomicLong acksConfirmed = new AtomicLong();
  private final AtomicLong lastSeqConfirmed = new AtomicLong();

  private record Completion(boolean event, long id, boolean ok) {}

  public CloudSync(
      CloudLink link,
      LockerStore store,
      LockerLoop loop,
      CommandProcessor processor,
      Telemetry telemetry,
      Clock clock,
      Settings settings) {
    this.link = Objects.requireNonNull(link, "link");
    this.store = Objects.requireNonNull(store, "store");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.processor = Objects.requireNonNull(processor, "processor");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Starts the link, the publisher, telemetry and the replay cache's housekeeping. Call once. */
  public synchronized void start() {
    if (running) {
      throw new IllegalStateException("already started");
    }
    running = true;
    publisher = new Thread(this::publishLoop, "cloud-outbox");
    publisher.setDaemon(true);
    publisher.start();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cloud-telemetry");
              t.setDaemon(true);
              return t;
            });
    long telemetryMillis = settings.telemetryInterval().toMillis();
    timer.scheduleWithFixedDelay(
        this::sendTelemetry, telemetryMillis, telemetryMillis, TimeUnit.MILLISECONDS);
    loop.every(1, TimeUnit.HOURS, this::forgetOldCommands);
    link.start(new Listener());
  }

  /** Wakes the publisher: new events or acks may be waiting. Cheap; call after commits. */
  public void nudge() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  public Stats stats() {
    return new Stats(
        published.get(),
        confirmedCount.get(),
        notDelivered.get(),
        acksConfirmed.get(),
        lastSeqConfirmed.get());
  }

  public CloudLink.Status linkStatus() {
    return link.status();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (!running) {
        return;
      }
      running = false;
    }
    nudge();
    if (timer != null) {
      timer.shutdownNow();
    }
    try {
      publisher.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    link.close();
  }

  private final class Listener implements CloudLink.Listener {
    @Override
    public void connected() {
      nudge();
    }

    @Override
    public void disconnected(String reason) {
      nudge();
    }

    /**
     * Answers the command on the locker loop and returns only when its answer is committed: the
     * link confirms a command to the broker (PUBACK) after this returns, so a command the locker
     * dies before committing is delivered again, and one it committed is answered {@code replayed}
     * if it comes again.
     */
    @Override
    public void command(byte[] payload) {
      byte[] copy = payload.clone();
      try {
        loop.call(() -> processor.process(copy));
      } catch (RuntimeException e) {
        log.error("a command could not be answered", e);
      }
      nudge();
    }
  }

  // ---------------------------------------------------------------- publisher

  private void publishLoop() {
    while (running) {
      boolean busy;
      try {
        busy = publishRound();
      } catch (RuntimeException e) {
        log.error("the outbox publisher failed a round; it goes on", e);
        busy = false;
      }
      if (!busy) {
        awaitSignal(settings.idlePoll().toMillis());
      }
    }
  }

  /**
   * One round: settle confirmations, delete what is confirmed, publish. True if it sent anything.
   */
  private boolean publishRound() {
    settleCompletions();
    List<OutboxEvent> head = store.read(r -> r.outbox(settings.window() * 2 + confirmed.size()));
    long upTo = 0;
    for (OutboxEvent event : head) {
      if (!confirmed.contains(event.seq())) {
        break;
      }
      upTo = event.seq();
    }
    if (upTo > 0) {
      store.removeFromOutbox(upTo);
      confirmed.headSet(upTo, true).clear();
      lastSeqConfirmed.set(upTo);
    }
    if (!link.status().connected()) {
      return false;
    }
    boolean sent = false;
    for (OutboxEvent event : head) {
      if (inflight.size() >= settings.window()) {
        break;
      }
      long seq = event.seq();
      if (seq <= upTo || inflight.contains(seq) || confirmed.contains(seq)) {
        continue;
      }
      CompletableFuture<Void> done =
          link.publish(CloudLink.Channel.EVENT, event.envelope().getBytes(StandardCharsets.UTF_8));
      if (done.isCompletedExceptionally()) {
        notDelivered.incrementAndGet();
        break; // keep seq order: nothing after it goes before it
      }
      inflight.add(seq);
      published.incrementAndGet();
      sent = true;
      done.whenComplete((ok, error) -> complete(new Completion(true, seq, error == null)));
    }
    List<PendingAck> acks = store.read(r -> r.pendingAcks(settings.window()));
    for (PendingAck ack : acks) {
      if (acksInflight.size() >= settings.window()) {
        break;
      }
      if (acksInflight.contains(ack.id())) {
        continue;
      }
      CompletableFuture<Void> done =
          link.publish(CloudLink.Channel.ACK, ack.ack().getBytes(StandardCharsets.UTF_8));
      if (done.isCompletedExceptionally()) {
        notDelivered.incrementAndGet();
        break;
      }
      acksInflight.add(ack.id());
      sent = true;
      long id = ack.id();
      done.whenComplete((ok, error) -> complete(new Completion(false, id, error == null)));
    }
    return sent && inflight.size() < settings.window();
  }

  private void complete(Completion completion) {
    completions.add(completion);
    nudge();
  }

  private void settleCompletions() {
    Completion c;
    while ((c = completions.poll()) != null) {
      if (c.event()) {
        inflight.remove(c.id());
        if (c.ok()) {
          confirmed.add(c.id());
          confirmedCount.incrementAndGet();
        } else {
          notDelivered.incrementAndGet();
        }
      } else {
        acksInflight.remove(c.id());
        if (c.ok()) {
          store.removeAck(c.id());
          acksConfirmed.incrementAndGet();
        } else {
          notDelivered.incrementAndGet();
        }
      }
    }
  }

  private void awaitSignal(long millis) {
    synchronized (signal) {
      if (!woken) {
        try {
          signal.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
      woken = false;
    }
  }

  // ---------------------------------------------------------------- telemetry and housekeeping

  private void sendTelemetry() {
    try {
      CloudLink.Status status = link.status();
      if (status.connected()) {
        link.publish(CloudLink.Channel.TELEMETRY, telemetry.report(status));
      }
    } catch (RuntimeException e) {
      log.warn("telemetry could not be sent: {}", e.getMessage());
    }
  }

  private void forgetOldCommands() {
    try {
      int forgotten =
          store.transaction(
              tx -> tx.forgetCommandsBefore(clock.instant().minus(settings.replayMemory())));
      if (forgotten > 0) {
        log.info("forgot {} commands older than the replay window", forgotten);
      }
    } catch (RuntimeException e) {
      log.warn("the replay cache could not be trimmed: {}", e.getMessage());
    }
  }
}
