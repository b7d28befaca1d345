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

  /** Whether the lock holds the door: a closed door whose latch is engaged. */
  boolean isLatched(CompartmentId id);

  /**
   * Puts the cabinet's locks under a fault plan, or clears every plan; an {@link
   * UnsupportedOperationException} says why a plan does not apply to this hardware.
   */
  void apply(LockFault fault);

  /** A fault plan of the lock hardware (contracts/simulator-api.md, device "lockboard"). */
  sealed interface LockFault {
    /** The lock ignores unlocks. */
    record Jam(CompartmentId id) implements LockFault {}

    /** The door sensor reads closed and latched whatever happens. */
    record StuckSensor(CompartmentId id) implements LockFault {}

    /** The lock hardware stops answering. */
    record NoReply() implements LockFault {}

    /** Noise on the bus around and inside replies. */
    record Garbage() implements LockFault {}

    /** Every fault plan cleared. */
    record Clear() implements LockFault {}
  }

  boolean has(CompartmentId id);

  /** The last lock command, in words: "unlock frame on the wire: 02 03 31 03 39". */
  String lastCommand();

  /** What the cabinet is: "2 emulated Kerong KR-CU16 boards (RS-485, 19200 8N1)". */
  String description();

  @Override
  void close();
}
