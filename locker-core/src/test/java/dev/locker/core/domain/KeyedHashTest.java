package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Vectors computed independently with Python's hmac module: secret = bytes 0x00..0x1F. */
class KeyedHashTest {
  private static final byte[] SECRET = new byte[32];

  static {
    for (int i = 0; i < SECRET.length; i++) {
      SECRET[i] = (byte) i;
    }
  }

  @Test
  void aPickupCodeHashesAsHmacOfItsLabelledDigits() {
    assertThat(new PickupCodeHasher(SECRET).hash(new PickupCode("12345678")))
        .isEqualTo("65108ed765900ca9466c74464e8620e8d7d735f004ac6166e43fbb07dc64455c");
  }

  @Test
  void aCardUidHashesAsHmacOfItsLabelledBytes() {
    assertThat(new KeyedHash(SECRET, "card-uid").hash(HexFormat.of().parseHex("04A1B2C3")))
        .isEqualTo("e71e071e0fdde7a7ca457c81b9ebbf120b4c9f9f720d3188e673223e3a1825e3");
  }

  @Test
  void theSameBytesUnderAnotherPurposeHashDifferently() {
    byte[] digits = "12345678".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(new KeyedHash(SECRET, "card-uid").hash(digits))
        .isNotEqualTo(new KeyedHash(SECRET, "pickup-code").hash(digits));
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(() -> new KeyedHash(new byte[31], "card-uid"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
