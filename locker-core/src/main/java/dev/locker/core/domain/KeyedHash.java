package dev.locker.core.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under the locker's own secret, with a purpose label in front of the data so that one
 * secret serves several look-ups (pickup codes, card UIDs) without one hash ever standing for
 * another. Used for values whose space is too small for a plain hash. Thread-safe.
 */
public final class KeyedHash {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;
  private final byte[] purpose;

  /**
   * @param secret at least 32 random bytes created at the locker's first start
   * @param purpose what is hashed, for example {@code "card-uid"}; written as {@code purpose + ":"}
   */
  public KeyedHash(byte[] secret, String purpose) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < 32) {
      throw new IllegalArgumentException("the keyed-hash secret must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    this.purpose = (purpose + ":").getBytes(StandardCharsets.US_ASCII);
  }

  /** Lower-case hex of HMAC-SHA256(purpose ":" data). */
  public String hash(byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(purpose);
      return HexFormat.of().formatHex(mac.doFinal(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }
}
