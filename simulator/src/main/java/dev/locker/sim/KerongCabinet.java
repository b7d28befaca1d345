package dev.locker.sim;

import dev.locker.core.domain.CompartmentId;
import dev.locker.hal.kerong.KerongFrame;
import dev.locker.hal.locks.KerongLocks;
import dev.locker.sim.kerong.KerongBusEmulator;
import java.util.HexFormat;
import java.util.Map;

/** A cabinet of Kerong boards: the bus emulator and which lock is whose. */
final class KerongCabinet implements Cabinet {
  private final KerongBusEmulator boards;
  private final Map<CompartmentId, KerongLocks.Channel> channels;
  private final int baud;

  KerongCabinet(
      KerongBusEmulator boards, Map<CompartmentId, KerongLocks.Channel> channels, int baud) {
    this.boards = boards;
    this.channels = Map.copyOf(channels);
    this.baud = baud;
  }

  KerongBusEmulator boards() {
    return boards;
  }

  private KerongLocks.Channel channel(CompartmentId id) {
    KerongLocks.Channel c = channels.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no compartment " + id);
    }
    return c;
  }

  @Override
  public void closeDoor(CompartmentId id) {
    boards.closeDoor(channel(id).board(), channel(id).channel());
  }

  @Override
  public void forceOpen(CompartmentId id) {
    boards.forceOpen(channel(id).board(), channel(id).channel());
  }

  @Override
  public boolean isDoorOpen(CompartmentId id) {
    return boards.isDoorOpen(channel(id).board(), channel(id).channel());
  }

  @Override
  public boolean has(CompartmentId id) {
    return channels.containsKey(id);
  }

  @Override
  public String lastCommand() {
    return boards.received().stream()
        .map(KerongBusEmulator.ReceivedFrame::frame)
        .filter(f -> f.command() == KerongFrame.UNLOCK)
        .reduce((a, b) -> b)
        .map(
            f ->
                "unlock frame on the wire: "
                    + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(f.encode()))
        .orElse("no unlock yet");
  }

  @Override
  public String description() {
    return boards.boards().size() + " emulated Kerong KR-CU16 boards (RS-485, " + baud + " 8N1)";
  }

  @Override
  public void close() {
    boards.close();
  }
}
