package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PickupCodeGeneratorTest {
  /**
   * χ² with 9 degrees of freedom exceeds 50 with probability about 1e-7 for uniform digits: a
   * threshold generous enough never to flake, and still far below what a biased generator scores
   * (digits from {@code byte % 10} score about 290 over 800,000 digits; a missing digit, 80,000).
   */
  private static final double CHI_SQUARED_LIMIT = 50.0;

  @ParameterizedTest
  @ValueSource(ints = {6, 7, 8, 9, 10})
  void codesHaveTheConfiguredLengthAndDigitsOnly(int length) {
    PickupCodeGenerator generator = new PickupCodeGenerator(new SecureRandom(), length);

    assertThat(generator.length()).isEqualTo(length);
    for (int i = 0; i < 1_000; i++) {
      String digits = generator.next().digits();
      assertThat(digits).hasSize(length).matches("[0-9]+");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 4, 5, 11, 12, Integer.MAX_VALUE})
  void onlyLengthsSixToTenAreAllowed(int length) {
    assertThatThrownBy(() -> new PickupCodeGenerator(new SecureRandom(), length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("6..10")
        .hasMessageContaining(Integer.toString(length));
  }

  @Test
  void aRandomSourceIsRequired() {
    assertThatThrownBy(() -> new PickupCodeGenerator(null, 8))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void codesDoNotRepeatInAPracticalNumberOfDraws() {
    PickupCodeGenerator generator = new PickupCodeGenerator(new SecureRandom(), 10);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      seen.add(generator.next().digits());
    }
    // 10^10 codes: the chance of even one repeat among 10,000 draws is about 0.5 %; five or more
    // repeats would take a broken generator.
    assertThat(seen).hasSizeGreaterThan(10_000 - 5);
  }

  /**
   * Digits are uniform overall and at every position (a generator that never starts with 0 would
   * pass the overall test but fail position 0). Computed by hand: Σ (observed − expected)² /
   * expected.
   */
  @Test
  void digitsAreUniformOverAHundredThousandCodes() {
    int length = 8;
    int codes = 100_000;
    PickupCodeGenerator generator = new PickupCodeGenerator(new SecureRandom(), length);
    long[] overall = new long[10];
    long[][] byPosition = new long[length][10];
    for (int i = 0; i < codes; i++) {
      String digits = generator.next().digits();
      for (int p = 0; p < length; p++) {
        int d = digits.charAt(p) - '0';
        overall[d]++;
        byPosition[p][d]++;
      }
    }

    assertThat(chiSquared(overall))
        .as("χ² of all %d digits", codes * length)
        .isLessThan(CHI_SQUARED_LIMIT);
    for (int p = 0; p < length; p++) {
      assertThat(chiSquared(byPosition[p]))
          .as("χ² at position %d", p)
          .isLessThan(CHI_SQUARED_LIMIT);
    }
  }

  @Test
  void theStatisticFlagsABiasedSource() {
    long[] moduloBias = new long[10];
    for (int b = 0; b < 256; b++) {
      moduloBias[b % 10] += 3125;
    }
    long[] missingNine = {
      88_889, 88_889, 88_889, 88_889, 88_889, 88_889, 88_889, 88_889, 88_888, 0
    };

    assertThat(chiSquared(moduloBias)).isGreaterThan(CHI_SQUARED_LIMIT);
    assertThat(chiSquared(missingNine)).isGreaterThan(CHI_SQUARED_LIMIT);
    assertThat(chiSquared(new long[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10})).isZero();
  }

  private static double chiSquared(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    double expected = total / (double) counts.length;
    double sum = 0;
    for (long c : counts) {
      sum += (c - expected) * (c - expected) / expected;
    }
    return sum;
  }
}
