package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PickupCodeHasherTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] secret(int length) {
    byte[] secret = new byte[length];
    RANDOM.nextBytes(secret);
    return secret;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 31})
  void aSecretShorterThanThirtyTwoBytesIsRefused(int length) {
    assertThatThrownBy(() -> new PickupCodeHasher(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void aSecretIsRequired() {
    assertThatThrownBy(() -> new PickupCodeHasher(null)).isInstanceOf(NullPointerException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 33, 64})
  void hashesAreSixtyFourLowerCaseHexCharacters(int secretLength) {
    PickupCodeHasher hasher = new PickupCodeHasher(secret(secretLength));

    assertThat(hasher.hash(new PickupCode("12345678"))).matches("[0-9a-f]{64}");
    assertThat(hasher.hash(new PickupCode("000000"))).matches("[0-9a-f]{64}");
  }

  @Test
  void theSameSecretAndCodeAlwaysGiveTheSameHash() {
    byte[] secret = secret(32);
    PickupCodeHasher one = new PickupCodeHasher(secret);
    PickupCodeHasher other = new PickupCodeHasher(secret.clone());

    assertThat(one.hash(new PickupCode("31415926")))
        .isEqualTo(one.hash(new PickupCode("31415926")))
        .isEqualTo(other.hash(new PickupCode("31415926")));
  }

  @Test
  void anotherLockersSecretGivesAnotherHash() {
    byte[] secret = secret(32);
    byte[] oneBitOff = secret.clone();
    oneBitOff[31] ^= 1;
    PickupCode code = new PickupCode("31415926");

    assertThat(new PickupCodeHasher(secret).hash(code))
        .isNotEqualTo(new PickupCodeHasher(oneBitOff).hash(code))
        .isNotEqualTo(new PickupCodeHasher(secret(32)).hash(code));
  }

  @Test
  void differentCodesGiveDifferentHashes() {
    PickupCodeHasher hasher = new PickupCodeHasher(secret(32));
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      hashes.add(hasher.hash(new PickupCode(String.format("%08d", i))));
    }

    assertThat(hashes).hasSize(2_000);
    assertThat(hasher.hash(new PickupCode("012345")))
        .as("a leading zero counts")
        .isNotEqualTo(hasher.hash(new PickupCode("0012345")));
  }

  @Test
  void theHashIsHmacSha256OfThePrefixedDigits() throws Exception {
    byte[] secret = secret(32);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(mac.doFinal("pickup-code:27182818".getBytes(StandardCharsets.US_ASCII)));

    assertThat(new PickupCodeHasher(secret).hash(new PickupCode("27182818"))).isEqualTo(expected);
  }

  @Test
  void changingTheCallersArrayLaterDoesNotChangeTheKey() {
    byte[] secret = secret(32);
    PickupCodeHasher hasher = new PickupCodeHasher(secret);
    String before = hasher.hash(new PickupCode("27182818"));

    java.util.Arrays.fill(secret, (byte) 0);

    assertThat(hasher.hash(new PickupCode("27182818"))).isEqualTo(before);
  }
}
