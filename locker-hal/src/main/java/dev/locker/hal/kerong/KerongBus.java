package dev.locker.hal.kerong;

import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.hal.health.ExchangeWindow;
import dev.locker.hal.serial.SerialLink;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The master of one RS-485 bus of KR-CU16 boards (device-protocols.md §1.1). RS-485 is half duplex,
 * so one transaction runs at a time: every public method holds the bus lock for its whole exchange.
 *
 * <p>Unlock: drop stale input, send 0x31, read and discard whatever arrives within the drain window
 * (most boards say nothing, some answer with a 0x35 frame that would otherwise put the master one
 * frame behind), then confirm with a 0x30 status query that the hook reads released. Silence and
 * garbage are retried {@code retries} times; a lock that reads latched after the unlock is reported
 * at once, and the caller decides whether to pulse again.
 *
 * <p>Health per board, reported on change only: OFFLINE when a transaction found no valid reply
 * after every retry; DEGRADED when one of the last {@value #WINDOW} transactions needed a retry or
 * met garbage; ONLINE otherwise.
 */
public final class KerongBus implements AutoCloseable {
  static final int WINDOW = 20;

  private final SerialLink link;
  private final Settings settings;
  private final KerongFramer framer = new KerongFramer();
  private final Map<Integer, ExchangeWindow> boards = new HashMap<>();

  /**
   * @param replyTimeout how long to wait for a reply to one query (clients use 1 s)
   * @param retries further tries after a query found no valid reply
   * @param unlockDrain how long to swallow input after an unlock (device-protocols.md: ~150 ms)
   * @param polarity hook polarity of each board on the bus, by board address
   */
  public record Settings(
      Duration replyTimeout,
      int retries,
      Duration unlockDrain,
      Map<Integer, HookPolarity> polarity) {
    public Settings {
      Objects.requireNonNull(replyTimeout, "replyTimeout");
      Objects.requireNonNull(unlockDrain, "unlockDrain");
      polarity = Map.copyOf(polarity);
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0");
      }
    }
  }

  /** The result of a status query. */
  public sealed interface StatusResult {
    record Read(BoardStatus status) implements StatusResult {}

    record NoReply(String detail) implements StatusResult {}
  }

  /** The result of an unlock. */
  public sealed interface UnlockResult {
    /** The hook reads released after the unlock. */
    record Released(BoardStatus status) implements UnlockResult {}

    /** The board answered, but the hook still reads latched. */
    record StillLatched(BoardStatus status) implements UnlockResult {}

    /** No valid status reply after the unlock (and its retries). */
    record NoReply(String detail) implements UnlockResult {}
  }

  public KerongBus(SerialLink link, Settings settings, DeviceHealthListener health) {
    this.link = Objects.requireNonNull(link, "link");
    this.settings = Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(health, "health");
    settings
        .polarity()
        .keySet()
        .forEach(
            b -> boards.put(b, new ExchangeWindow("lockboard-" + b, WINDOW, link.name(), health)));
  }

  public String portName() {
    return link.name();
  }

  /** Reads one board's hook and IR bits, retrying silence and garbage. */
  public synchronized StatusResult status(int board) {
    requireBoard(board);
    Exchange exchange = new Exchange();
    StatusResult result = query(board, exchange);
    record(board, exchange, result instanceof StatusResult.NoReply);
    return result;
  }

  /** Unlocks lock {@code channel} (1..16) of {@code board} and confirms it by a status read. */
  public synchronized UnlockResult unlock(int board, int channel) {
    requireBoard(board);
    Exchange exchange = new Exchange();
    byte[] frame = KerongFrame.unlock(board, channel).encode();
    UnlockResult result = null;
    for (int attempt = 0; attempt <= settings.retries() && result == null; attempt++) {
      if (attempt > 0) {
        exchange.retries++;
      }
      link.discardInput();
      framer.reset();
      try {
        link.write(frame);
        drain(exchange);
      } catch (IOException e) {
        result = new UnlockResult.NoReply("cannot write to " + link.name() + ": " + e.getMessage());
        break;
      }
      StatusResult status = query(board, exchange);
      if (status instanceof StatusResult.Read read) {
        result =
            read.status().latched(channel)
                ? new UnlockResult.StillLatched(read.status())
                : new UnlockResult.Released(read.status());
      } else if (attempt == settings.retries()) {
        result = new UnlockResult.NoReply(((StatusResult.NoReply) status).detail());
      }
    }
    record(board, exchange, result instanceof UnlockResult.NoReply);
    return result;
  }

  /** Sends 0x30 and waits for this board's 0x35, up to 1 + retries times. */
  private StatusResult query(int board, Exchange exchange) {
    byte[] frame = KerongFrame.statusQuery(board).encode();
    HookPolarity polarity = settings.polarity().get(board);
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      if (attempt > 0) {
        exchange.retries++;
      }
      link.discardInput();
      framer.reset();
      try {
        link.write(frame);
        long deadline = System.nanoTime() + settings.replyTimeout().toNanos();
        while (System.nanoTime() - deadline < 0) {
          byte[] chunk = link.read(64, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
          for (KerongFramer.Decoded decoded : framer.feed(chunk)) {
            if (decoded instanceof KerongFramer.Decoded.Rejected) {
              exchange.garbage++;
            } else {
              KerongFrame reply = ((KerongFramer.Decoded.Frame) decoded).frame();
              if (reply.command() == KerongFrame.STATUS_REPLY && reply.board() == board) {
                return new StatusResult.Read(decode(board, reply, polarity));
              }
              exchange.garbage++;
            }
          }
        }
      } catch (IOException e) {
        return new StatusResult.NoReply("link " + link.name() + " failed: " + e.getMessage());
      }
    }
    return new StatusResult.NoReply(
        "no reply to "
            + (settings.retries() + 1)
            + " status queries to board "
            + board
            + " on "
            + link.name());
  }

  private void drain(Exchange exchange) throws IOException {
    long deadline = System.nanoTime() + settings.unlockDrain().toNanos();
    while (System.nanoTime() - deadline < 0) {
      byte[] chunk = link.read(64, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (chunk.length > 0) {
        exchange.drained += chunk.length;
      }
    }
  }

  private static BoardStatus decode(int board, KerongFrame reply, HookPolarity polarity) {
    int raw = reply.hookBits();
    int latched = 0;
    for (int bit = 0; bit < 16; bit++) {
      if (polarity.latched((raw >>> bit & 1) == 1)) {
        latched |= 1 << bit;
      }
    }
    return new BoardStatus(board, latched, reply.irBits());
  }

  private void requireBoard(int board) {
    if (!settings.polarity().containsKey(board)) {
      throw new IllegalArgumentException("board " + board + " is not on this bus");
    }
  }

  /** What one transaction met on the wire. */
  private static final class Exchange {
    int retries;
    int garbage;
    int drained;
  }

  private void record(int board, Exchange exchange, boolean failed) {
    Optional<String> trouble =
        exchange.garbage > 0
            ? Optional.of(exchange.garbage + " garbled frame(s) in one exchange")
            : exchange.retries > 0
                ? Optional.of(exchange.retries + " retry(ies) in one exchange")
                : Optional.empty();
    Optional<String> failure =
        failed
            ? Optional.of("no reply to " + (settings.retries() + 1) + " queries on " + link.name())
            : Optional.empty();
    boards.get(board).record(trouble, failure);
  }

  /** The latest health of each board that has had a transaction. */
  public synchronized Map<Integer, DeviceHealth> health() {
    Map<Integer, DeviceHealth> out = new HashMap<>();
    boards.forEach((b, w) -> w.reported().ifPresent(h -> out.put(b, h)));
    return out;
  }

  @Override
  public void close() {
    link.close();
  }
}
