package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PickupCodeTest {
  @ParameterizedTest
  @ValueSource(strings = {"012345", "0123456", "01234567", "012345678", "0123456789"})
  void aCodeIsSixToTenDigits(String digits) {
    assertThat(new PickupCode(digits).digits()).isEqualTo(digits);
  }

  @ParameterizedTest(name = "''{0}''")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "12345",
        "01234567890",
        "1234 5678",
        "1234-5678",
        "1234567a",
        "+1234567",
        "١٢٣٤٥٦٧٨"
      })
  void anythingElseIsNotACode(String text) {
    assertThatThrownBy(() -> new PickupCode(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a pickup code is 6 to 10 digits");
  }

  @Test
  void theKeypadIsToldWhatIsWrongInWordsForTheRecipient() {
    assertThat(PickupCode.problemWith(null, 8)).contains("enter your 8-digit pickup code");
    assertThat(PickupCode.problemWith("", 6)).contains("enter your 6-digit pickup code");
    assertThat(PickupCode.problemWith("1234x678", 8)).contains("a pickup code has digits only");
    assertThat(PickupCode.problemWith(" 12345678", 8)).contains("a pickup code has digits only");
    assertThat(PickupCode.problemWith("١٢٣٤٥٦٧٨", 8)).contains("a pickup code has digits only");
    assertThat(PickupCode.problemWith("1234567", 8)).contains("a pickup code has 8 digits");
    assertThat(PickupCode.problemWith("123456789", 8)).contains("a pickup code has 8 digits");
    assertThat(PickupCode.problemWith("12345678", 10)).contains("a pickup code has 10 digits");
    assertThat(PickupCode.problemWith("12345678", 8)).isEmpty();
    assertThat(PickupCode.problemWith("0000000000", 10)).isEmpty();
  }

  @Test
  void aProblemNeverEchoesWhatWasTyped() {
    assertThat(PickupCode.problemWith("98765x", 8).orElseThrow()).doesNotContain("98765");
    assertThat(PickupCode.problemWith("9876543", 8).orElseThrow()).doesNotContain("9876543");
  }

  @Test
  void toStringHidesTheDigits() {
    PickupCode code = new PickupCode("73519048");

    assertThat(code.toString()).isEqualTo("PickupCode[8 digits]");
    for (int i = 0; i + 3 <= 8; i++) {
      assertThat(code.toString()).doesNotContain("73519048".substring(i, i + 3));
    }
  }

  @Test
  void codesAreValues() {
    assertThat(new PickupCode("12345678")).isEqualTo(new PickupCode("12345678"));
    assertThat(new PickupCode("12345678")).isNotEqualTo(new PickupCode("12345679"));
  }
}
