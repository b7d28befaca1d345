package dev.locker.sim;

import dev.locker.core.domain.CompartmentId;

/**
 * The physical cabinet of a simulated locker: doors that people open and close, and the last
 * command the firmware sent to the hardware, for the demo's narration.
 */
public interface Cabinet extends AutoCloseable {

  /** A person closes the door (the lock latches again). */
  void closeDoor(CompartmentId id);

  /** Someone forces the door open without an unlock. */
  void forceOpen(CompartmentId id);

  boolean isDoorOpen(CompartmentId id);

  boolean has(CompartmentId id);

  /** The last lock command, in words: "unlock frame on the wire: 02 03 31 03 39". */
  String lastCommand();

  /** What the cabinet is: "2 emulated Kerong KR-CU16 boards (RS-485, 19200 8N1)". */
  String description();

  @Override
  void close();
}
