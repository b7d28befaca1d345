package dev.locker.hal.locks;

import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DoorState;
import dev.locker.hal.xorboard.XorBoardBus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Compartment locks and door sensors on a bus of "8A/80" XOR boards (device-protocols.md §1.2).
 * Like a KR-CU16, such a board has no separate door switch: the lock's own state bit is the sensor,
 * and a door that sprang open reads as an open lock. So a lock reading closed is a CLOSED door and
 * one reading open an OPEN door.
 *
 * <p>Threads: {@link #unlock} runs on the caller's thread (the locker loop); a daemon thread named
 * {@code xorboard-poll} queries every board's locks each poll interval and reports a door's state
 * once it read the same on {@code debounceReads} consecutive polls. Both share the bus, which
 * serialises them. While a board does not answer, its doors keep their last state and nothing is
 * reported.
 */
public final class XorBoardLocks extends PolledDoors implements CompartmentLocks, AutoCloseable {

  private final XorBoardBus bus;
  private final Settings settings;

  /**
   * Where a compartment's lock is: board address {@value XorBoardBus#MIN_BOARD}..{@value
   * XorBoardBus#MAX_BOARD} (see {@link XorBoardBus.Settings} for why) and lock 1..24.
   */
  public record Channel(int board, int lock) {
    public Channel {
      if (board < XorBoardBus.MIN_BOARD || board > XorBoardBus.MAX_BOARD || lock < 1 || lock > 24) {
        throw new IllegalArgumentException(
            "board "
                + XorBoardBus.MIN_BOARD
                + ".."
                + XorBoardBus.MAX_BOARD
                + " and lock 1..24, was board "
                + board
                + " lock "
                + lock);
      }
    }
  }

  /**
   * @param pollInterval time between two reads of every board
   * @param debounceReads consecutive equal reads before a door's change is reported
   */
  public record Settings(
      Map<CompartmentId, Channel> channels, Duration pollInterval, int debounceReads) {
    public Settings {
      channels = Map.copyOf(channels);
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (debounceReads < 1) {
        throw new IllegalArgumentException("debounceReads must be >= 1");
      }
    }
  }

  /**
   * @throws IllegalArgumentException when a channel names a board that is not on {@code bus}
   */
  public XorBoardLocks(XorBoardBus bus, Settings settings) {
    super(
        "xorboard-poll",
        settings.channels().keySet(),
        settings.pollInterval(),
        settings.debounceReads());
    this.bus = Objects.requireNonNull(bus, "bus");
    this.settings = settings;
    settings
        .channels()
        .forEach(
            (id, channel) -> {
              if (!bus.boards().contains(channel.board())) {
                throw new IllegalArgumentException(
                    id + " is on board " + channel.board() + ", which is not on " + bus.portName());
              }
            });
  }

  /**
   * Unlocks and confirms by the lock's state read back. A compartment with no configured lock is
   * {@link UnlockOutcome.Unreachable}: there is nothing to drive.
   */
  @Override
  public UnlockOutcome unlock(CompartmentId compartment) {
    Channel channel = settings.channels().get(compartment);
    if (channel == null) {
      return new UnlockOutcome.Unreachable("no lock configured for " + compartment);
    }
    XorBoardBus.UnlockResult result = bus.unlock(channel.board(), channel.lock());
    if (result instanceof XorBoardBus.UnlockResult.Released) {
      return new UnlockOutcome.Released();
    }
    if (result instanceof XorBoardBus.UnlockResult.StillClosed closed) {
      return new UnlockOutcome.StillLocked(closed.detail());
    }
    return new UnlockOutcome.Unreachable(((XorBoardBus.UnlockResult.NoReply) result).detail());
  }

  /** Stops polling and closes the bus (its serial link). */
  @Override
  public void close() {
    stop();
    bus.close();
  }

  @Override
  void readAll() {
    readBoards(
        settings.channels().values().stream().map(Channel::board).toList(),
        board -> {
          if (bus.status(board) instanceof XorBoardBus.StatusResult.Read read) {
            apply(read.state());
          }
        });
  }

  private void apply(XorBoardBus.BoardState state) {
    settings
        .channels()
        .forEach(
            (id, channel) -> {
              if (channel.board() == state.board()) {
                observe(id, state.closed(channel.lock()) ? DoorState.CLOSED : DoorState.OPEN);
              }
            });
  }
}
