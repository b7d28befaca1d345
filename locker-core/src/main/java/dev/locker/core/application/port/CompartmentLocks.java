package dev.locker.core.application.port;

import dev.locker.core.domain.CompartmentId;

/**
 * Releases compartment locks. Implemented in locker-hal on top of a lock board or GPIO relays.
 *
 * <p>Blocking: {@link #unlock} returns once the hardware confirmed the release or gave up after its
 * own retries and timeouts (bounded, a few seconds at most). Called only from the locker loop, one
 * call at a time. Never throws for device trouble: broken wiring, silence and garbage become an
 * {@link UnlockOutcome}.
 */
public interface CompartmentLocks {

  /** Sends the unlock and confirms, by reading the lock's state back, that the latch let go. */
  UnlockOutcome unlock(CompartmentId compartment);

  /** The result of one unlock. */
  sealed interface UnlockOutcome {
    /** The latch was read back as released: the door is free to open. */
    record Released() implements UnlockOutcome {}

    /** The board answered but the latch still reads locked after the unlock: a jammed lock. */
    record StillLocked(String detail) implements UnlockOutcome {}

    /** The board did not answer, or answered only with garbage: the lock's state is unknown. */
    record Unreachable(String detail) implements UnlockOutcome {}
  }
}
