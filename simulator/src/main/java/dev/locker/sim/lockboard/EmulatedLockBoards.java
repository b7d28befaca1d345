package dev.locker.sim.lockboard;

import java.util.List;
import java.util.Optional;

/**
 * Emulated lock boards on one bus, whatever their protocol: the physical world a person acts on and
 * the fault plans a board suffers. Kerong KR-CU16 and 8A/80 boards both implement it, so one {@code
 * BoardCabinet} serves both.
 */
public interface EmulatedLockBoards extends AutoCloseable {

  /** A person closes the door; the latch re-engages (unless the lock is jammed open). */
  void closeDoor(int board, int channel);

  /** Someone forces the door open without an unlock. */
  void forceOpen(int board, int channel);

  boolean isDoorOpen(int board, int channel);

  /** Whether the latch is engaged, whatever its sensor says. */
  boolean isLatched(int board, int channel);

  /** The lock ignores unlocks: its latch stays engaged. */
  void jam(int board, int channel, boolean jammed);

  /** The lock's sensor reads latched (or, with null, its true state again) whatever happens. */
  void stickSensor(int board, int channel, Boolean latched);

  /** The board stops answering, as when its cable is cut. */
  void silence(int board, boolean silent);

  /** Random bytes around replies, and now and then a corrupted reply. */
  void garbage(boolean on);

  /** Clears every fault plan. */
  void clearFaults();

  /** The board addresses on the bus. */
  List<Integer> boards();

  /** The bytes of the last unlock frame received, if any. */
  Optional<byte[]> lastUnlockFrame();

  @Override
  void close();
}
