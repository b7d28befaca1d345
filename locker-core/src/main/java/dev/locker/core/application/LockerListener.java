package dev.locker.core.application;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Parcel;

/**
 * Hears what the locker did after it was committed, for screens that update live and for the
 * simulator. Called on the locker loop: implementations hand off and return at once.
 */
public interface LockerListener {
  /** The deposit's door closed: the parcel is in, its code went into the recipient's message. */
  default void depositCompleted(Parcel parcel, CompartmentId compartment) {}

  /** The pickup's door closed again: the compartment is free. */
  default void pickupCompleted(Parcel parcel, CompartmentId compartment) {}

  /** A door opened with no recorded reason. */
  default void doorForced(CompartmentId compartment) {}
}
