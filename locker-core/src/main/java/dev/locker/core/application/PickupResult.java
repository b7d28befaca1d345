package dev.locker.core.application;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.ParcelId;
import java.time.Instant;

/** How a pickup attempt ended. */
public sealed interface PickupResult {

  /** The door of {@code compartment} is open; the parcel counts as picked up. */
  record Opened(CompartmentId compartment, ParcelId parcel, String tracking)
      implements PickupResult {}

  /**
   * The code is wrong, already used or expired; the same answer for all three, so that a guesser
   * learns nothing.
   */
  record InvalidCode() implements PickupResult {}

  /**
   * Code entry is refused until {@code until}. {@code hourlyLimit}: the locker's per-hour budget of
   * failures is spent (rather than a run of failures at this keypad).
   */
  record LockedOut(Instant until, boolean hourlyLimit) implements PickupResult {}

  /** The text is not a code at all (letters, wrong length); not counted as a guess. */
  record MalformedCode(String reason) implements PickupResult {}

  /**
   * The code is right, and {@code due} is owed before the door opens (a storage fee, cash on
   * delivery): pay with {@link Locker#payByCard}. The code stays valid.
   */
  record PaymentRequired(
      CompartmentId compartment,
      ParcelId parcel,
      String tracking,
      dev.locker.core.domain.Parcel.Due due)
      implements PickupResult {}

  /** The code was right but the door did not open; the code stays valid. */
  record HardwareFault(CompartmentId compartment, String detail) implements PickupResult {}
}
