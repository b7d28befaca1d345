package dev.locker.sim.bench;

import dev.locker.core.application.port.CloudLink;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link CloudLink} that passes everything to another and marks the moment that link first
 * reports itself connected: {@link System#nanoTime()} and the relay's byte counts then. The mark is
 * where the benchmark's clock starts.
 *
 * <p>Until the mark its {@link #status()} reads disconnected, so the publisher, which looks at the
 * status, sends nothing before the clock starts (Paho's link sets its status a moment before it
 * tells its listener). Everything else passes through unchanged.
 */
final class StopwatchLink implements CloudLink {
  /** When the link first connected, and the relay's counts at that moment. */
  record Mark(long nanoTime, CountingRelay.Counts counts) {}

  private final CloudLink link;
  private final Supplier<CountingRelay.Counts> counts;
  private final CountDownLatch marked = new CountDownLatch(1);
  private volatile Mark mark;

  StopwatchLink(CloudLink link, Supplier<CountingRelay.Counts> counts) {
    this.link = Objects.requireNonNull(link, "link");
    this.counts = Objects.requireNonNull(counts, "counts");
  }

  @Override
  public void start(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    link.start(
        new Listener() {
          @Override
          public void connected() {
            if (mark == null) {
              mark = new Mark(System.nanoTime(), counts.get());
              marked.countDown();
            }
            listener.connected();
          }

          @Override
          public void disconnected(String reason) {
            listener.disconnected(reason);
          }

          @Override
          public void command(byte[] payload) {
            listener.command(payload);
          }
        });
  }

  /** Waits up to {@code timeout} for the first connection; its mark, or empty. */
  Optional<Mark> awaitMark(Duration timeout) throws InterruptedException {
    marked.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return Optional.ofNullable(mark);
  }

  @Override
  public CompletableFuture<Void> publish(Channel channel, byte[] payload) {
    return link.publish(channel, payload);
  }

  @Override
  public Status status() {
    Status status = link.status();
    if (mark == null && status.connected()) {
      return new Status(
          false, status.since(), status.lastProblem(), status.nextAttempt(), status.reconnects());
    }
    return status;
  }

  @Override
  public void close() {
    link.close();
  }
}
