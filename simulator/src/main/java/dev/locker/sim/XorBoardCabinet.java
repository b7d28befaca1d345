package dev.locker.sim;

import dev.locker.core.domain.CompartmentId;
import dev.locker.hal.locks.XorBoardLocks;
import dev.locker.hal.xorboard.XorFrame;
import dev.locker.sim.xorboard.XorBoardEmulator;
import java.util.HexFormat;
import java.util.Map;

/** A cabinet of "8A/80" XOR lock boards: the bus emulator and which lock is whose. */
final class XorBoardCabinet implements Cabinet {
  private final XorBoardEmulator boards;
  private final Map<CompartmentId, XorBoardLocks.Channel> channels;
  private final int baud;

  XorBoardCabinet(
      XorBoardEmulator boards, Map<CompartmentId, XorBoardLocks.Channel> channels, int baud) {
    this.boards = boards;
    this.channels = Map.copyOf(channels);
    this.baud = baud;
  }

  XorBoardEmulator boards() {
    return boards;
  }

  private XorBoardLocks.Channel channel(CompartmentId id) {
    XorBoardLocks.Channel c = channels.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no compartment " + id);
    }
    return c;
  }

  @Override
  public void closeDoor(CompartmentId id) {
    boards.closeDoor(channel(id).board(), channel(id).lock());
  }

  @Override
  public void forceOpen(CompartmentId id) {
    boards.forceOpen(channel(id).board(), channel(id).lock());
  }

  @Override
  public boolean isDoorOpen(CompartmentId id) {
    return boards.isDoorOpen(channel(id).board(), channel(id).lock());
  }

  @Override
  public boolean has(CompartmentId id) {
    return channels.containsKey(id);
  }

  @Override
  public String lastCommand() {
    return boards.received().stream()
        .map(XorBoardEmulator.ReceivedFrame::frame)
        .filter(f -> f.head() == XorFrame.UNLOCK && f.code() == XorFrame.UNLOCK_CODE)
        .reduce((a, b) -> b)
        .map(
            f ->
                "unlock frame on the wire: "
                    + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(f.encode()))
        .orElse("no unlock yet");
  }

  @Override
  public String description() {
    return boards.boards().size() + " emulated 8A/80 XOR lock boards (RS-485, " + baud + " 8N1)";
  }

  @Override
  public void close() {
    boards.close();
  }
}
