package dev.locker.core.domain;

import java.util.Optional;

/**
 * A recipient's pickup code: {@code length} decimal digits. Exists in plain text only on its way
 * into the recipient's notification and from the keypad into {@link PickupCodeHasher}; the store
 * keeps only the keyed hash. {@link #toString()} never shows the digits.
 */
public record PickupCode(String digits) {
  public static final int MIN_LENGTH = 6;
  public static final int MAX_LENGTH = 10;

  public PickupCode {
    if (digits == null
        || digits.length() < MIN_LENGTH
        || digits.length() > MAX_LENGTH
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("a pickup code is 6 to 10 digits");
    }
  }

  /** Why keypad text is not a code of the configured length, or empty when it is one. */
  public static Optional<String> problemWith(String text, int expectedLength) {
    if (text == null || text.isEmpty()) {
      return Optional.of("enter your " + expectedLength + "-digit pickup code");
    }
    if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.of("a pickup code has digits only");
    }
    if (text.length() != expectedLength) {
      return Optional.of("a pickup code has " + expectedLength + " digits");
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "PickupCode[" + digits.length() + " digits]";
  }
}
