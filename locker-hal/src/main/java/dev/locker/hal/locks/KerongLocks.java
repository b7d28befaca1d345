package dev.locker.hal.locks;

import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DoorState;
import dev.locker.hal.kerong.BoardStatus;
import dev.locker.hal.kerong.KerongBus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Compartment locks and door sensors on a bus of KR-CU16 boards. A CU16 has no door switch: the
 * lock's hook switch is the sensor, and a door that sprang open shows as a released hook
 * (device-protocols.md §1.1). So a latched hook is a CLOSED door and a released one an OPEN door.
 *
 * <p>Threads: {@link #unlock} runs on the caller's thread (the locker loop); a daemon thread named
 * {@code kerong-poll} reads every board each poll interval and reports a door's state once it read
 * the same on {@code debounceReads} consecutive polls. Both share the bus, which serialises them.
 * While a board does not answer, its doors keep their last state and nothing is reported.
 */
public final class KerongLocks extends PolledDoors implements CompartmentLocks, AutoCloseable {

  private final KerongBus bus;
  private final Settings settings;

  /** Where each compartment's lock is: board address 0..15 and channel 1..16. */
  public record Channel(int board, int channel) {
    public Channel {
      if (board < 0 || board > 15 || channel < 1 || channel > 16) {
        throw new IllegalArgumentException("board 0..15 and channel 1..16");
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

  public KerongLocks(KerongBus bus, Settings settings) {
    super(
        "kerong-poll",
        settings.channels().keySet(),
        settings.pollInterval(),
        settings.debounceReads());
    this.bus = Objects.requireNonNull(bus, "bus");
    this.settings = settings;
  }

  /**
   * Unlocks and confirms by the hook read back. A compartment with no configured lock is {@link
   * UnlockOutcome.Unreachable}: there is nothing to drive.
   */
  @Override
  public UnlockOutcome unlock(CompartmentId compartment) {
    Channel channel = settings.channels().get(compartment);
    if (channel == null) {
      return new UnlockOutcome.Unreachable("no lock configured for " + compartment);
    }
    KerongBus.UnlockResult result = bus.unlock(channel.board(), channel.channel());
    if (result instanceof KerongBus.UnlockResult.Released) {
      return new UnlockOutcome.Released();
    }
    if (result instanceof KerongBus.UnlockResult.StillLatched) {
      return new UnlockOutcome.StillLocked(
          "board "
              + channel.board()
              + " lock "
              + channel.channel()
              + " reads latched after unlock");
    }
    return new UnlockOutcome.Unreachable(((KerongBus.UnlockResult.NoReply) result).detail());
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
          if (bus.status(board) instanceof KerongBus.StatusResult.Read read) {
            apply(read.status());
          }
        });
  }

  private void apply(BoardStatus status) {
    settings
        .channels()
        .forEach(
            (id, channel) -> {
              if (channel.board() != status.board()) {
                return;
              }
              DoorState read =
                  status.latched(channel.channel()) ? DoorState.CLOSED : DoorState.OPEN;
              observe(id, read);
            });
  }
}
