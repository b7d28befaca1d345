package dev.locker.core.domain;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of pickup codes under the locker's own secret, so that a copied database reveals no
 * code (an 8-digit space is too small for a plain hash). Thread-safe.
 */
public final class PickupCodeHasher {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;

  /** {@code secret}: at least 32 random bytes created at the locker's first start. */
  public PickupCodeHasher(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < 32) {
      throw new IllegalArgumentException("pickup code secret must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  /** Lower-case hex of HMAC-SHA256("pickup-code:" + digits). */
  public String hash(PickupCode code) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update("pickup-code:".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return HexFormat.of()
          .formatHex(
              mac.doFinal(code.digits().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }
}
