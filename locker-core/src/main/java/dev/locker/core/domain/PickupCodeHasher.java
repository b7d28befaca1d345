package dev.locker.core.domain;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * HMAC-SHA256 of pickup codes under the locker's own secret, so that a copied database reveals no
 * code (an 8-digit space is too small for a plain hash). Thread-safe.
 */
public final class PickupCodeHasher {
  private final KeyedHash hash;

  /** {@code secret}: at least 32 random bytes created at the locker's first start. */
  public PickupCodeHasher(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < 32) {
      throw new IllegalArgumentException("pickup code secret must be at least 32 bytes");
    }
    this.hash = new KeyedHash(secret, "pickup-code");
  }

  /** Lower-case hex of HMAC-SHA256("pickup-code:" + digits). */
  public String hash(PickupCode code) {
    return hash.hash(code.digits().getBytes(StandardCharsets.US_ASCII));
  }
}
