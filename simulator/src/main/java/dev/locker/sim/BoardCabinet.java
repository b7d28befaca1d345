package dev.locker.sim;

import dev.locker.core.domain.CompartmentId;
import dev.locker.sim.lockboard.EmulatedLockBoards;
import java.util.HexFormat;
import java.util.Map;

/**
 * A cabinet whose locks hang on emulated lock boards: each compartment is a (board, channel) on the
 * bus, whatever the board family.
 */
final class BoardCabinet implements Cabinet {
  /** Where a compartment's lock is wired. */
  record Wiring(int board, int channel) {}

  private final EmulatedLockBoards boards;
  private final Map<CompartmentId, Wiring> wiring;
  private final String description;

  BoardCabinet(EmulatedLockBoards boards, Map<CompartmentId, Wiring> wiring, String description) {
    this.boards = boards;
    this.wiring = Map.copyOf(wiring);
    this.description = description;
  }

  EmulatedLockBoards boards() {
    return boards;
  }

  private Wiring at(CompartmentId id) {
    Wiring w = wiring.get(id);
    if (w == null) {
      throw new IllegalArgumentException("no compartment " + id);
    }
    return w;
  }

  @Override
  public void closeDoor(CompartmentId id) {
    boards.closeDoor(at(id).board(), at(id).channel());
  }

  @Override
  public void forceOpen(CompartmentId id) {
    boards.forceOpen(at(id).board(), at(id).channel());
  }

  @Override
  public boolean isDoorOpen(CompartmentId id) {
    return boards.isDoorOpen(at(id).board(), at(id).channel());
  }

  @Override
  public boolean isLatched(CompartmentId id) {
    return boards.isLatched(at(id).board(), at(id).channel());
  }

  @Override
  public void apply(LockFault fault) {
    if (fault instanceof LockFault.Jam jam) {
      boards.jam(at(jam.id()).board(), at(jam.id()).channel(), true);
    } else if (fault instanceof LockFault.StuckSensor stuck) {
      boards.stickSensor(at(stuck.id()).board(), at(stuck.id()).channel(), true);
    } else if (fault instanceof LockFault.NoReply) {
      boards.boards().forEach(b -> boards.silence(b, true));
    } else if (fault instanceof LockFault.Garbage) {
      boards.garbage(true);
    } else {
      boards.clearFaults();
    }
  }

  @Override
  public boolean has(CompartmentId id) {
    return wiring.containsKey(id);
  }

  @Override
  public String lastCommand() {
    return boards
        .lastUnlockFrame()
        .map(
            f ->
                "unlock frame on the wire: "
                    + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(f))
        .orElse("no unlock yet");
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    boards.close();
  }
}
