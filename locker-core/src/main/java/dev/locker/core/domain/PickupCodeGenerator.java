package dev.locker.core.domain;

import java.security.SecureRandom;
import java.util.Objects;

/** Draws pickup codes uniformly from the whole {@code 10^length} space with a CSPRNG. */
public final class PickupCodeGenerator {
  private final SecureRandom random;
  private final int length;

  public PickupCodeGenerator(SecureRandom random, int length) {
    this.random = Objects.requireNonNull(random, "random");
    if (length < PickupCode.MIN_LENGTH || length > PickupCode.MAX_LENGTH) {
      throw new IllegalArgumentException("code length must be 6..10, was " + length);
    }
    this.length = length;
  }

  public PickupCode next() {
    char[] digits = new char[length];
    for (int i = 0; i < length; i++) {
      digits[i] = (char) ('0' + random.nextInt(10));
    }
    return new PickupCode(new String(digits));
  }

  public int length() {
    return length;
  }
}
