package dev.locker.core.domain;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A payment's identity: our own sale transaction id, the idempotency key of one attempt
 * (reliability-security.md §2.3 rule 1: an attempt whose outcome is unknown never gets a new one).
 * A QR payment's id travels to the provider and back in {@code payment.qr.confirmed}, so it has the
 * contract's form: 1 to 64 of {@code A-Z a-z 0-9 . _ : -} (contracts/mqtt.md {@code paymentId}).
 */
public record PaymentId(String value) {
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public PaymentId {
    Objects.requireNonNull(value, "value");
    if (!isId(value)) {
      throw new IllegalArgumentException("a payment id is 1 to 64 of A-Z a-z 0-9 . _ : -");
    }
  }

  /** A new id: random UUID text. */
  public static PaymentId random() {
    return new PaymentId(UUID.randomUUID().toString());
  }

  /** True when {@code text} is a payment id: 1 to 64 of {@code A-Z a-z 0-9 . _ : -}. */
  public static boolean isId(String text) {
    return text != null && FORMAT.matcher(text).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
