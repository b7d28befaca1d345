package dev.locker.core.application;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.Size;
import java.util.List;

/** How a deposit attempt ended. The kiosk shows each case its own way. */
public sealed interface DepositResult {

  /**
   * The door of {@code compartment} is open for the parcel. {@code skipped} lists compartments that
   * would not open and were marked faulty on the way ("A07 did not open, use B03").
   */
  record Opened(CompartmentId compartment, Size size, ParcelId parcel, List<CompartmentId> skipped)
      implements DepositResult {
    public Opened {
      skipped = List.copyOf(skipped);
    }
  }

  /** Every in-service compartment of this size and larger is taken. */
  record NoFreeCompartment(Size size) implements DepositResult {}

  /** This tracking number is already in the locker (deposited or expired, not yet collected). */
  record AlreadyInLocker(String tracking, CompartmentId compartment) implements DepositResult {}

  /** A field the courier entered is not acceptable; {@code reason} says why in plain words. */
  record InvalidInput(String field, String reason) implements DepositResult {}

  /** Compartments were tried and none opened (lock jammed, board not answering). */
  record HardwareFault(List<CompartmentId> tried, String detail) implements DepositResult {
    public HardwareFault {
      tried = List.copyOf(tried);
    }
  }
}
