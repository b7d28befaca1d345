package dev.locker.core.application.port;

import dev.locker.core.domain.Money;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The card payment terminal at the locker, in the locker's words (a ZVT terminal behind it;
 * reliability-security.md §2). The terminal holds an approved payment until the locker says whether
 * the parcel was released: released, the payment completes; not released, the terminal reverses it.
 * No card data beyond what a receipt shows ever crosses this port.
 *
 * <p>Every method blocks its caller (a charge for as long as the customer takes at the terminal,
 * minutes at worst) and never throws for what the terminal does: outcomes are values. Calls are
 * serialised by the implementation; {@link #cancel()} may come from another thread.
 */
public interface PaymentTerminal {

  /** The terminal's currency: every amount it charges is in it. */
  String currency();

  /**
   * Charges {@code amount}. When the card is approved, {@code release} is asked to release the
   * parcel (open the door and wait for the sensor); its future answers whether it was released, and
   * the terminal completes or reverses accordingly. A future that fails, or is not completed within
   * the terminal's patience, counts as not released. {@code progress} hears the terminal's texts
   * ("insert card", "PIN") for the screen.
   */
  ChargeOutcome charge(Money amount, Release release, Progress progress);

  /**
   * Asks a running charge to stop (the customer pressed cancel on the screen). Returns false when
   * it is too late: the payment is approved and only the release decision can undo it.
   */
  boolean cancel();

  /** The terminal's last transaction, for recovery after a crash (ZVT repeat receipt). */
  LastTransaction lastTransaction();

  /** Reverses the approved transaction the terminal numbered {@code receipt}. */
  ReversalOutcome reverse(String receipt);

  /** Releases the parcel of an approved charge; see {@link #charge}. */
  @FunctionalInterface
  interface Release {
    CompletableFuture<Boolean> approved(Approval approval);
  }

  /** The terminal's texts during a charge, for the screen. */
  @FunctionalInterface
  interface Progress {
    void status(String text);

    Progress NONE = text -> {};
  }

  /**
   * What the terminal says of an approved card payment: only what a receipt may show.
   *
   * @param receipt the terminal's receipt number: what a reversal names
   * @param reference the terminal's trace number (or another host reference)
   * @param maskedPan at most the last four digits, e.g. {@code ************1234}
   * @param authCode the issuer's authorisation code
   * @param terminalId the terminal's id
   * @param cardName the card brand, e.g. "Debit Mastercard"
   */
  record Approval(
      Money amount,
      String receipt,
      Optional<String> reference,
      Optional<String> maskedPan,
      Optional<String> authCode,
      Optional<String> terminalId,
      Optional<String> cardName) {
    public Approval {
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(receipt, "receipt");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(maskedPan, "maskedPan");
      Objects.requireNonNull(authCode, "authCode");
      Objects.requireNonNull(terminalId, "terminalId");
      Objects.requireNonNull(cardName, "cardName");
    }
  }

  /** How a charge ended. Only {@link Paid} means the customer paid. */
  sealed interface ChargeOutcome {
    /** Paid, and the parcel was released. {@code receiptText} as the terminal printed it. */
    record Paid(Approval approval, List<String> receiptText) implements ChargeOutcome {
      public Paid {
        receiptText = List.copyOf(receiptText);
      }
    }

    /** Approved, but the parcel was not released and the terminal reversed it: not paid. */
    record Reversed(Approval approval, String reason) implements ChargeOutcome {}

    /** The card or its bank declined. */
    record Declined(String reason) implements ChargeOutcome {}

    /** The customer cancelled (screen or terminal) or the terminal timed out waiting for them. */
    record Cancelled(String reason) implements ChargeOutcome {}

    /** The terminal did not take the charge at all: not paid. */
    record NoTerminal(String detail) implements ChargeOutcome {}

    /**
     * The link to the terminal broke after it took the charge: the payment may stand. {@code
     * approval} is what was known of it. The caller must resolve it (last transaction, reversal)
     * before it charges for the same parcel again.
     */
    record Unknown(String detail, Optional<Approval> approval) implements ChargeOutcome {}
  }

  /** The terminal's last transaction. */
  sealed interface LastTransaction {
    /**
     * {@code approved}: whether it stands (false: declined or itself a reversal). {@code reverses}:
     * when it is a reversal, the reference (trace) of the transaction it reversed.
     */
    record Known(
        Approval approval, boolean approved, Optional<String> reverses, List<String> receiptText)
        implements LastTransaction {
      public Known {
        Objects.requireNonNull(reverses, "reverses");
        receiptText = List.copyOf(receiptText);
      }
    }

    /** The terminal has none to tell, or refused to tell. */
    record NoneKnown(String detail) implements LastTransaction {}

    record NoTerminal(String detail) implements LastTransaction {}
  }

  /** How a reversal ended. */
  sealed interface ReversalOutcome {
    record Reversed(String receipt) implements ReversalOutcome {}

    /** It was reversed before (the terminal itself reverses a payment it never heard back on). */
    record AlreadyReversed(String receipt) implements ReversalOutcome {}

    /** The terminal refused: unknown receipt, not allowed. */
    record Refused(String reason) implements ReversalOutcome {}

    record NoTerminal(String detail) implements ReversalOutcome {}

    /** The link broke mid-way: it may or may not be reversed; ask again. */
    record Unknown(String detail) implements ReversalOutcome {}
  }
}
