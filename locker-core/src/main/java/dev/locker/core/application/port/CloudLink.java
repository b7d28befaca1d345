package dev.locker.core.application.port;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The locker's link to the operator's cloud (contracts/mqtt.md), in the locker's words: it carries
 * event envelopes, command acknowledgements and telemetry out, and signed commands in. It holds
 * nothing durably: the outbox in the store is what keeps events while the link is down, and whoever
 * publishes through the link sends again what was not confirmed.
 *
 * <p>The link connects and reconnects by itself (exponential backoff with full jitter) from {@link
 * #start} until {@link #close}, and announces the locker online and offline (retained status, last
 * will) itself.
 */
public interface CloudLink extends AutoCloseable {

  /** What a message is, which decides its topic, QoS and retention. */
  enum Channel {
    /** An event envelope: QoS 1. */
    EVENT,
    /** A command acknowledgement: QoS 1. */
    ACK,
    /** Telemetry: QoS 0, lost when the link is down. */
    TELEMETRY
  }

  /**
   * Starts connecting in the background; {@code listener} hears of connections, losses and commands
   * on the link's own thread, and must return quickly. Call once.
   */
  void start(Listener listener);

  /**
   * Hands {@code payload} to the broker. The future completes when the broker confirmed it (PUBACK
   * for QoS 1; written to the socket for QoS 0) and fails with a {@link NotDelivered} when it
   * cannot be sent now (not connected, too many unconfirmed) or the connection was lost before the
   * confirmation came: the message may or may not have arrived, and the caller sends it again.
   * Never blocks.
   */
  CompletableFuture<Void> publish(Channel channel, byte[] payload);

  /** The link as it is now, for the service menu, telemetry and the simulator. */
  Status status();

  /** Disconnects (publishing the offline status) and stops reconnecting. */
  @Override
  void close();

  /** Hears what happens on the link; called on the link's threads. */
  interface Listener {
    /** The link is up and subscribed; what was not confirmed before should be sent again. */
    void connected();

    /** The link went down; it is reconnecting. */
    void disconnected(String reason);

    /** A message arrived on the command topic, as received (unchecked, possibly hostile). */
    void command(byte[] payload);
  }

  /**
   * The link's state.
   *
   * @param connected whether it is connected now
   * @param since when it last connected or lost the connection
   * @param lastProblem why it last lost or failed to make a connection, if ever
   * @param nextAttempt when the next connection attempt is due, while disconnected
   * @param reconnects how many times it connected since start
   */
  record Status(
      boolean connected,
      Optional<Instant> since,
      Optional<String> lastProblem,
      Optional<Instant> nextAttempt,
      long reconnects) {}

  /** Why a publish did not end in a confirmation. */
  final class NotDelivered extends RuntimeException {
    public NotDelivered(String message) {
      super(message, null, false, false);
    }
  }
}
