package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The small value types: what they accept, refuse and show. */
class ValuesTest {

  @Test
  void sizesFitThemselvesAndLargerOnes() {
    assertThat(Size.M.andLarger()).containsExactly(Size.M, Size.L, Size.XL);
    assertThat(Size.XL.andLarger()).containsExactly(Size.XL);
    assertThat(Size.L.fits(Size.M)).isTrue();
    assertThat(Size.S.fits(Size.M)).isFalse();
    assertThat(Size.parse("XL")).hasValue(Size.XL);
    assertThat(Size.parse("xl")).isEmpty();
    assertThat(Size.parse("XXL")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"JD0001", "sf1234567890", " 1Z999AA10123456784 ", "ABC-123"})
  void trackingNumbersAreNormalised(String text) {
    assertThat(TrackingNumber.parse(text))
        .hasValueSatisfying(t -> assertThat(t.value()).isUpperCase());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "has space",
        "a/b",
        "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "DROP;TABLE"
      })
  void notTrackingNumbers(String text) {
    assertThat(TrackingNumber.parse(text)).isEmpty();
  }

  @Test
  void lettersThatOnlyBecomeAsciiWhenUpperCasedAreRefused() {
    assertThat(TrackingNumber.parse("jd\u0131001")).isEmpty();
    assertThat(TrackingNumber.parse("\u017Ff0001")).isEmpty();
  }

  @Test
  void phoneNumbersAreE164AndShowOnlyTheirLastFourDigits() {
    RecipientPhone phone = RecipientPhone.parse("+852 9123-4567").orElseThrow();
    assertThat(phone.value()).isEqualTo("+85291234567");
    assertThat(phone.masked()).isEqualTo("****4567");
    assertThat(phone.toString()).isEqualTo("****4567").doesNotContain("9123");
    assertThat(RecipientPhone.parse("91234567")).isEmpty();
    assertThat(RecipientPhone.parse("+0123456789")).isEmpty();
    assertThat(RecipientPhone.parse("+85291234567890123")).isEmpty();
    assertThat(RecipientPhone.parse(null)).isEmpty();
  }

  @Test
  void pickupCodesAreSixToTenDigitsAndNeverShown() {
    assertThat(new PickupCode("123456").toString()).isEqualTo("PickupCode[6 digits]");
    assertThatThrownBy(() -> new PickupCode("12345")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PickupCode("12345678901"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PickupCode("1234567a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PickupCode.problemWith("12345678", 8)).isEmpty();
    assertThat(PickupCode.problemWith("1234", 8)).hasValue("a pickup code has 8 digits");
    assertThat(PickupCode.problemWith("12 34", 8)).hasValue("a pickup code has digits only");
    assertThat(PickupCode.problemWith("", 8)).hasValue("enter your 8-digit pickup code");
  }

  @Test
  void codesHaveTheConfiguredLengthAndUniformDigits() {
    PickupCodeGenerator generator = new PickupCodeGenerator(new SecureRandom(), 8);
    int[] counts = new int[10];
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      String digits = generator.next().digits();
      assertThat(digits).hasSize(8);
      for (char c : digits.toCharArray()) {
        counts[c - '0']++;
      }
    }
    double expected = n * 8 / 10.0;
    double chiSquared = 0;
    for (int count : counts) {
      chiSquared += (count - expected) * (count - expected) / expected;
    }
    // 9 degrees of freedom: p = 0.001 at 27.88. A biased generator lands far above.
    assertThat(chiSquared).isLessThan(27.88);
    assertThatThrownBy(() -> new PickupCodeGenerator(new SecureRandom(), 5))
        .hasMessageContaining("6..10");
  }

  @Test
  void codeHashesAreKeyedDeterministicAndHex() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    new Random(1).nextBytes(a);
    new Random(2).nextBytes(b);
    PickupCode code = new PickupCode("12345678");
    String hash = new PickupCodeHasher(a).hash(code);
    assertThat(hash).matches("[0-9a-f]{64}");
    assertThat(new PickupCodeHasher(a).hash(code)).isEqualTo(hash);
    assertThat(new PickupCodeHasher(b).hash(code)).isNotEqualTo(hash);
    assertThat(new PickupCodeHasher(a).hash(new PickupCode("12345679"))).isNotEqualTo(hash);
    assertThatThrownBy(() -> new PickupCodeHasher(new byte[16])).hasMessageContaining("32 bytes");
  }

  @Test
  void aCompartmentIsAllocatableOnlyWhenFreeClosedInServiceAndSound() {
    Compartment free = Compartment.empty(CompartmentId.of("A01"), Size.S);
    assertThat(free.isAllocatable()).isTrue();
    assertThat(free.faulty("jammed").isAllocatable()).isFalse();
    assertThat(free.inService(false).isAllocatable()).isFalse();
    assertThat(free.on(DoorPhase.Event.SENSOR_OPEN).isAllocatable()).isFalse();
    assertThat(free.on(CompartmentState.Event.RESERVE).isAllocatable()).isFalse();
    assertThat(free.faulty("jammed").faultCleared().isAllocatable()).isTrue();
  }

  @Test
  void aParcelIsOverdueOnlyWhenDepositedAndPastItsDeadline() {
    Parcel expected =
        Parcel.expected(
            ParcelId.random(),
            new TrackingNumber("JD0001"),
            Size.S,
            RecipientPhone.parse("+85291234567").orElseThrow(),
            "c1");
    Instant t = Instant.parse("2026-11-22T10:00:00Z");
    assertThat(expected.isOverdue(t.plusSeconds(1_000_000))).isFalse();
    Parcel in = expected.deposited(CompartmentId.of("A01"), t, t.plusSeconds(60));
    assertThat(in.isOverdue(t.plusSeconds(60))).isFalse();
    assertThat(in.isOverdue(t.plusSeconds(61))).isTrue();
    assertThat(in.on(ParcelState.Event.PICK_UP).isOverdue(t.plusSeconds(61))).isFalse();
    assertThat(in.recipientMasked()).isEqualTo("****4567");
    assertThat(in.compartment()).isEqualTo(Optional.of(CompartmentId.of("A01")));
  }

  @Test
  void compartmentIdsAreShortLabels() {
    Set<String> bad = new HashSet<>(java.util.List.of("", "A 1", "A-01", "ABCDEFGHI", "../x"));
    for (String id : bad) {
      assertThatThrownBy(() -> CompartmentId.of(id)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(CompartmentId.of("A07").toString()).isEqualTo("A07");
  }
}
