package dev.locker.core.application;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.PaymentId;
import java.util.List;

/** How paying for a parcel at the locker ended, in words the screen can say. */
public sealed interface PaymentResult {

  /** Paid, and the door of {@code compartment} is open: the parcel is the recipient's. */
  record Opened(
      CompartmentId compartment,
      ParcelId parcel,
      PaymentId payment,
      Money paid,
      List<String> receipt)
      implements PaymentResult {
    public Opened {
      receipt = List.copyOf(receipt);
    }
  }

  /** Nothing is owed: the pickup opens the door without a payment. */
  record NothingOwed(ParcelId parcel) implements PaymentResult {}

  /** This parcel cannot be paid for now ({@code reason} says why); nothing was charged. */
  record NotPayable(String reason) implements PaymentResult {}

  /** The card or its bank declined; nothing was charged. */
  record Declined(String reason) implements PaymentResult {}

  /** The customer (or the terminal's own timeout) cancelled; nothing was charged. */
  record Cancelled(String reason) implements PaymentResult {}

  /** The terminal did not take the payment; nothing was charged. */
  record TerminalUnavailable(String detail) implements PaymentResult {}

  /**
   * The payment was approved but the door did not open: the compartment is marked faulty and the
   * payment is reversed ({@code reversed}), or its reversal is owed and will be retried.
   */
  record DoorDidNotOpen(CompartmentId compartment, boolean reversed, String detail)
      implements PaymentResult {}

  /**
   * The link to the terminal broke mid-payment: whether it stands is not known yet. The locker
   * resolves it with the terminal (and reverses it if the door did not open) before the parcel can
   * be paid for again.
   */
  record Unresolved(PaymentId payment, String detail) implements PaymentResult {}
}
