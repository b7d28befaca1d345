package dev.locker.core.cloud;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code payment.qr.confirmed} (contracts/mqtt.md): the QR-pay provider confirmed a payment. Data:
 * {@code paymentId} ({@code [A-Za-z0-9._:-]{1,64}}), {@code amount} (minor units, a whole number
 * {@code >= 0}), {@code currency} (ISO 4217), {@code reference} (1 to 64 printable ASCII
 * characters, the provider's).
 *
 * <p>Every field is checked first ({@code invalid}); then the payment is looked up. A payment the
 * locker is not waiting for is {@code unknown_payment}; one whose amount or currency differs is
 * {@code amount_mismatch}; one already confirmed is applied again without effect when the reference
 * is the same, and {@code already_confirmed} when it is not. Otherwise {@link Confirmation} carries
 * the confirmation out in the command's transaction.
 *
 * <p>Payments do not exist yet (issue 5): {@link #QrPaymentConfirmedCommand()} knows none, so every
 * well-formed confirmation is {@code unknown_payment}. Issue 5 plugs its own {@link PaymentLookup}
 * and {@link Confirmation} in.
 */
public final class QrPaymentConfirmedCommand implements CommandHandler {
  private static final Set<String> KEYS = Set.of("paymentId", "amount", "currency", "reference");
  private static final Pattern PAYMENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern REFERENCE = Pattern.compile("[\\x20-\\x7E]{1,64}");

  /** A QR payment the locker asked for, as the payment store (issue 5) knows it. */
  public record QrPayment(String paymentId, Money due, Optional<String> confirmedReference) {
    public QrPayment {
      Objects.requireNonNull(paymentId, "paymentId");
      Objects.requireNonNull(due, "due");
      Objects.requireNonNull(confirmedReference, "confirmedReference");
    }
  }

  /** Finds a QR payment by id, pending or confirmed; reads only. */
  @FunctionalInterface
  public interface PaymentLookup {
    /** Knows no payment: the locker before issue 5. */
    PaymentLookup NONE = (paymentId, store) -> Optional.empty();

    Optional<QrPayment> find(String paymentId, LockerStore.Reader store);
  }

  /**
   * Marks a pending payment confirmed, in the command's transaction (with its event, audit entry
   * and whatever the pickup waiting for it needs).
   */
  @FunctionalInterface
  public interface Confirmation {
    void confirm(QrPayment payment, String reference, LockerStore.Transaction tx, Instant now);
  }

  private final PaymentLookup lookup;
  private final Confirmation confirmation;

  /** Knows no payment: every well-formed confirmation is {@code unknown_payment}. */
  public QrPaymentConfirmedCommand() {
    this(
        PaymentLookup.NONE,
        (payment, reference, tx, now) -> {
          throw new IllegalStateException("no QR payment is pending before issue 5");
        });
  }

  public QrPaymentConfirmedCommand(PaymentLookup lookup, Confirmation confirmation) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.confirmation = Objects.requireNonNull(confirmation, "confirmation");
  }

  @Override
  public CommandOutcome apply(Command command, LockerStore.Transaction tx, Instant now) {
    CommandData data = CommandData.of(command.data());
    data.onlyKeys(KEYS);
    Optional<String> paymentId =
        data.text("paymentId", true)
            .filter(
                text -> {
                  if (!PAYMENT_ID.matcher(text).matches()) {
                    data.problem("paymentId", "must be 1 to 64 of A-Z a-z 0-9 . _ : -");
                    return false;
                  }
                  return true;
                });
    Optional<Long> amount = data.wholeNumber("amount", true, 0, Integer.MAX_VALUE);
    Optional<String> currency =
        data.text("currency", true)
            .filter(
                text -> {
                  if (!isIsoCurrency(text)) {
                    data.problem("currency", "must be an ISO 4217 currency code");
                    return false;
                  }
                  return true;
                });
    Optional<String> reference =
        data.text("reference", true)
            .filter(
                text -> {
                  if (!REFERENCE.matcher(text).matches()) {
                    data.problem("reference", "must be 1 to 64 printable ASCII characters");
                    return false;
                  }
                  return true;
                });
    if (!data.ok()
        || paymentId.isEmpty()
        || amount.isEmpty()
        || currency.isEmpty()
        || reference.isEmpty()) {
      return new CommandOutcome.Rejected("invalid", String.join("; ", data.problems()));
    }
    Money paid = new Money(amount.get(), currency.get());
    String id = paymentId.get();
    Optional<QrPayment> known = lookup.find(id, tx);
    if (known.isEmpty()) {
      return new CommandOutcome.Rejected(
          "unknown_payment", "no QR payment " + id + " is pending here");
    }
    QrPayment payment = known.get();
    if (!payment.due().equals(paid)) {
      return new CommandOutcome.Rejected(
          "amount_mismatch",
          "payment "
              + id
              + " is "
              + money(payment.due())
              + ", the provider confirmed "
              + money(paid));
    }
    if (payment.confirmedReference().isPresent()) {
      return payment.confirmedReference().get().equals(reference.get())
          ? new CommandOutcome.Applied("payment " + id + " was already confirmed")
          : new CommandOutcome.Rejected(
              "already_confirmed",
              "payment " + id + " was already confirmed under another reference");
    }
    confirmation.confirm(payment, reference.get(), tx, now);
    return new CommandOutcome.Applied(
        "payment " + id + " of " + money(paid) + " confirmed, reference " + reference.get());
  }

  /** Three capital letters that the JDK knows as an ISO 4217 code. */
  static boolean isIsoCurrency(String code) {
    if (!Money.isCurrency(code)) {
      return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String money(Money m) {
    return m.amount() + " " + m.currency();
  }
}
