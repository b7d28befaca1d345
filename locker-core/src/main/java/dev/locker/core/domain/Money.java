package dev.locker.core.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An amount of money in minor units (cents, fen) of an ISO 4217 currency, never negative; the
 * contract's {@code {"amount":350,"currency":"CNY"}}.
 */
public record Money(long amount, String currency) {
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public Money {
    Objects.requireNonNull(currency, "currency");
    if (amount < 0) {
      throw new IllegalArgumentException("an amount is never negative: " + amount);
    }
    if (!CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("a currency is three capital letters (ISO 4217)");
    }
  }

  /** True when {@code code} is three capital letters, the form {@link Money} accepts. */
  public static boolean isCurrency(String code) {
    return code != null && CURRENCY.matcher(code).matches();
  }
}
