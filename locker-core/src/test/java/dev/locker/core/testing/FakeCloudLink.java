package dev.locker.core.testing;

import dev.locker.core.application.port.CloudLink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A cloud link the test drives: it connects and drops when told, keeps every publish with its
 * future, and confirms (PUBACK) only what the test confirms. Thread-safe.
 */
public final class FakeCloudLink implements CloudLink {
  private Listener listener;
  private boolean connected;
  private long reconnects;
  private final List<Sent> sent = new ArrayList<>();

  /** One publish: what, and its future (done when confirmed or failed). */
  public record Sent(Channel channel, String payload, CompletableFuture<Void> done) {}

  @Override
  public synchronized void start(Listener listener) {
    this.listener = listener;
  }

  public void connect() {
    Listener l;
    synchronized (this) {
      connected = true;
      reconnects++;
      l = listener;
    }
    l.connected();
  }

  /** The connection drops: every unconfirmed publish fails. */
  public void drop() {
    List<Sent> pending;
    Listener l;
    synchronized (this) {
      connected = false;
      pending = sent.stream().filter(s -> !s.done().isDone()).toList();
      l = listener;
    }
    pending.forEach(s -> s.done().completeExceptionally(new NotDelivered("connection lost")));
    l.disconnected("connection lost");
  }

  /** A command arrives on the command topic. */
  public void deliver(String command) {
    listener.command(command.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public synchronized CompletableFuture<Void> publish(Channel channel, byte[] payload) {
    if (!connected) {
      return CompletableFuture.failedFuture(new NotDelivered("not connected"));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    sent.add(new Sent(channel, new String(payload, StandardCharsets.UTF_8), done));
    return done;
  }

  /** Everything published on {@code channel}, in order, confirmed or not. */
  public synchronized List<Sent> sent(Channel channel) {
    return sent.stream().filter(s -> s.channel() == channel).toList();
  }

  /** Publishes not yet confirmed nor failed. */
  public synchronized List<Sent> pending() {
    return sent.stream().filter(s -> !s.done().isDone()).toList();
  }

  /** The broker confirms everything published so far. */
  public void confirmAll() {
    pending().forEach(s -> s.done().complete(null));
  }

  @Override
  public synchronized Status status() {
    return new Status(
        connected, Optional.of(Instant.EPOCH), Optional.empty(), Optional.empty(), reconnects);
  }

  @Override
  public void close() {}
}
