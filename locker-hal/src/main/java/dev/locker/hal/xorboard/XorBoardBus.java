package dev.locker.hal.xorboard;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The master of one RS-485 bus of "8A/80" XOR boards (device-protocols.md §1.2, 9600 8N1). RS-485
 * is half duplex, so one transaction runs at a time: every public method holds the bus lock for its
 * whole exchange, and before each request the input left over from earlier ones is dropped.
 *
 * <p>Unlock: send {@code 8A BB LL 11} and read its reply for one reply timeout, then confirm with
 * {@code 80 BB LL 33} (retried on silence and garbage) what the lock reads. Open: {@link
 * UnlockResult.Released}. Closed although the board answered the unlock: {@link
 * UnlockResult.StillClosed} at once, and the caller decides whether to pulse again. Closed and the
 * unlock went unanswered: the board may never have heard it, so it is sent again, up to {@code
 * retries} more times. An unlock is therefore only ever repeated for a lock that reads closed,
 * never for one that may already be open, and never on the strength of garbage. Unlock-all ({@code
 * 8A BB 00 11}) is never sent: a mass opening is a security incident.
 *
 * <p>Bounded: an unlock takes at most {@code (retries + 1) × (retries + 2)} reply timeouts, a
 * status read at most {@code retries + 1}.
 *
 * <p>Health per board (device {@code lockboard-<address>}), reported on change of state only:
 * OFFLINE when a transaction found no valid reply after every retry; DEGRADED when one of the last
 * {@value #WINDOW} transactions needed a retry, went unanswered once or met garbage; ONLINE
 * otherwise.
 */
public final class XorBoardBus implements AutoCloseable {
  static final int WINDOW = 20;

  /** Lowest board address a configuration may name. */
  public static final int MIN_BOARD = 1;

  /** Highest board address a configuration may name. */
  public static final int MAX_BOARD = 99;

  private final SerialLink link;
  private final Settings settings;
  private final XorFramer framer = new XorFramer(XorFramer.Expecting.LOCK_FRAMES);
  private final Map<Integer, ExchangeWindow> boards = new HashMap<>();

  /**
   * @param replyTimeout how long to wait for the reply to one request (the reference client waits
   *     0.75 s, device-protocols.md §1.2)
   * @param retries further tries after a request found no valid reply
   * @param boards the board addresses on this bus, each {@value #MIN_BOARD}..{@value #MAX_BOARD}.
   *     The protocol notes name a BOARD byte but give no range and show only board 1. Address 0 is
   *     refused because this family uses 00 as "all" in the LOCK byte and boards of this class
   *     commonly take address 0 as a broadcast (not confirmed for this one): a command every board
   *     obeys is the one mistake this driver must not make. The cap of 99 is a configuration bound,
   *     not a protocol one: far above the boards one cabinet bus carries, so a larger address is
   *     more likely a typo than a cabinet; the codec itself handles any byte.
   */
  public record Settings(Duration replyTimeout, int retries, Set<Integer> boards) {
    public Settings {
      Objects.requireNonNull(replyTimeout, "replyTimeout");
      if (replyTimeout.isNegative() || replyTimeout.isZero()) {
        throw new IllegalArgumentException("replyTimeout must be positive");
      }
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0");
      }
      boards = Set.copyOf(boards);
      if (boards.isEmpty()) {
        throw new IllegalArgumentException("a bus needs at least one board");
      }
      for (int board : boards) {
        if (board < MIN_BOARD || board > MAX_BOARD) {
          throw new IllegalArgumentException(
              "board address must be " + MIN_BOARD + ".." + MAX_BOARD + ", was " + board);
        }
      }
    }
  }

  /**
   * What one board's locks read, from a query of all locks.
   *
   * @param closedBits bit n set: lock n+1 reads closed
   */
  public record BoardState(int board, int closedBits) {
    /** Whether lock {@code lock} (1..24) reads closed (latched, its door shut). */
    public boolean closed(int lock) {
      if (lock < 1 || lock > XorFrame.LOCKS) {
        throw new IllegalArgumentException("lock must be 1..24, was " + lock);
      }
      return (closedBits >>> (lock - 1) & 1) == 1;
    }
  }

  /** The result of a status read. */
  public sealed interface StatusResult {
    record Read(BoardState state) implements StatusResult {}

    record NoReply(String detail) implements StatusResult {}
  }

  /** The result of an unlock. */
  public sealed interface UnlockResult {
    /** The lock reads open after the unlock. */
    record Released() implements UnlockResult {}

    /** The board answered queries, but the lock still reads closed after the unlock. */
    record StillClosed(String detail) implements UnlockResult {}

    /** No valid reply to the confirming query (and its retries): the lock's state is unknown. */
    record NoReply(String detail) implements UnlockResult {}
  }

  public XorBoardBus(SerialLink link, Settings settings, DeviceHealthListener health) {
    this.link = Objects.requireNonNull(link, "link");
    this.settings = Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(health, "health");
    settings
        .boards()
        .forEach(
            b -> boards.put(b, new ExchangeWindow("lockboard-" + b, WINDOW, link.name(), health)));
  }

  public String portName() {
    return link.name();
  }

  /** The board addresses on this bus. */
  public Set<Integer> boards() {
    return new TreeSet<>(settings.boards());
  }

  /** Reads every lock of one board ({@code 80 BB 00 33}), retrying silence and garbage. */
  public synchronized StatusResult status(int board) {
    requireBoard(board);
    Exchange exchange = new Exchange();
    StatusResult result;
    try {
      Optional<XorFrame> reply =
          ask(
              XorFrame.queryAll(board).encode(),
              XorFramer.Expecting.BOARD_FRAMES,
              f -> f instanceof XorFrame.BoardFrame b && b.board() == board,
              exchange);
      result =
          reply
              .<StatusResult>map(
                  f ->
                      new StatusResult.Read(
                          new BoardState(board, ((XorFrame.BoardFrame) f).closedBits())))
              .orElseGet(() -> new StatusResult.NoReply(noReply("status queries", board)));
    } catch (IOException e) {
      result = new StatusResult.NoReply(broken(e));
    }
    record(board, exchange, result instanceof StatusResult.NoReply);
    return result;
  }

  /** Unlocks lock {@code lock} (1..24) of {@code board} and confirms it by a query of that lock. */
  public synchronized UnlockResult unlock(int board, int lock) {
    requireBoard(board);
    byte[] unlock = XorFrame.unlock(board, lock).encode();
    byte[] query = XorFrame.queryLock(board, lock).encode();
    Predicate<XorFrame> unlockReply = reply(XorFrame.UNLOCK, board, lock);
    Predicate<XorFrame> queryReply = reply(XorFrame.QUERY, board, lock);
    Exchange exchange = new Exchange();
    UnlockResult result = null;
    try {
      for (int attempt = 0; attempt <= settings.retries() && result == null; attempt++) {
        if (attempt > 0) {
          exchange.retries++;
        }
        Optional<XorFrame> answer =
            once(unlock, XorFramer.Expecting.LOCK_FRAMES, unlockReply, exchange);
        if (answer.isEmpty()) {
          exchange.unanswered++;
        }
        Optional<XorFrame> state =
            ask(query, XorFramer.Expecting.LOCK_FRAMES, queryReply, exchange);
        if (state.isEmpty()) {
          result = new UnlockResult.NoReply(noReply("queries after the unlock", board));
        } else if (!((XorFrame.LockFrame) state.get()).reportsClosed()) {
          result = new UnlockResult.Released();
        } else if (answer.isPresent()) {
          result =
              new UnlockResult.StillClosed(
                  "board "
                      + board
                      + " lock "
                      + lock
                      + " reads closed after the unlock (the board answered "
                      + (((XorFrame.LockFrame) answer.get()).reportsClosed()
                          ? "\"still closed\")"
                          : "\"opened\")"));
        } else if (attempt == settings.retries()) {
          result =
              new UnlockResult.StillClosed(
                  "board "
                      + board
                      + " lock "
                      + lock
                      + " reads closed; none of "
                      + (settings.retries() + 1)
                      + " unlock frames was answered");
        }
      }
    } catch (IOException e) {
      result = new UnlockResult.NoReply(broken(e));
    }
    record(board, exchange, result instanceof UnlockResult.NoReply);
    return result;
  }

  private static Predicate<XorFrame> reply(int head, int board, int lock) {
    return f ->
        f instanceof XorFrame.LockFrame l
            && l.head() == head
            && l.board() == board
            && l.lock() == lock
            && l.isStateCode();
  }

  /** Sends {@code request} up to 1 + retries times until a reply {@code matches}. */
  private Optional<XorFrame> ask(
      byte[] request, XorFramer.Expecting shape, Predicate<XorFrame> matches, Exchange exchange)
      throws IOException {
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      if (attempt > 0) {
        exchange.retries++;
      }
      Optional<XorFrame> reply = once(request, shape, matches, exchange);
      if (reply.isPresent()) {
        return reply;
      }
    }
    return Optional.empty();
  }

  /** One request and the wait for its reply; garbage and stray frames are counted, not answers. */
  private Optional<XorFrame> once(
      byte[] request, XorFramer.Expecting shape, Predicate<XorFrame> matches, Exchange exchange)
      throws IOException {
    link.discardInput();
    framer.expect(shape);
    link.write(request);
    long deadline = System.nanoTime() + settings.replyTimeout().toNanos();
    while (System.nanoTime() - deadline < 0) {
      byte[] chunk = link.read(64, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      for (XorFramer.Decoded decoded : framer.feed(chunk)) {
        if (decoded instanceof XorFramer.Decoded.Frame frame && matches.test(frame.frame())) {
          return Optional.of(frame.frame());
        }
        exchange.garbage++;
      }
    }
    return Optional.empty();
  }

  private String noReply(String what, int board) {
    return "no reply to "
        + (settings.retries() + 1)
        + " "
        + what
        + " to board "
        + board
        + " on "
        + link.name();
  }

  private String broken(IOException e) {
    return "link " + link.name() + " failed: " + e.getMessage();
  }

  private void requireBoard(int board) {
    if (!settings.boards().contains(board)) {
      throw new IllegalArgumentException("board " + board + " is not on this bus");
    }
  }

  /** What one transaction met on the wire. */
  private static final class Exchange {
    int retries;
    int garbage;
    int unanswered;
  }

  private void record(int board, Exchange exchange, boolean failed) {
    Optional<String> trouble =
        exchange.garbage > 0
            ? Optional.of(exchange.garbage + " garbled or stray frame(s) in one exchange")
            : exchange.retries > 0
                ? Optional.of(exchange.retries + " retry(ies) in one exchange")
                : exchange.unanswered > 0
                    ? Optional.of("an unlock went unanswered")
                    : Optional.empty();
    Optional<String> failure =
        failed
            ? Optional.of(
                "no valid reply to "
                    + (settings.retries() + 1)
                    + " queries on "
                    + link.name()
                    + (exchange.garbage > 0
                        ? " (" + exchange.garbage + " garbled or stray frame(s) instead)"
                        : ""))
            : Optional.empty();
    boards.get(board).record(trouble, failure);
  }

  /** The latest reported health of each board that has had a transaction. */
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
