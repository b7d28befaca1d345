package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RecipientPhoneTest {
  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "+852 9123 4567|+85291234567|****4567",
        "+852-9123-4567|+85291234567|****4567",
        "+85291234567|+85291234567|****4567",
        "+1 415 555 0100|+14155550100|****0100",
        "+1234567|+1234567|****4567",
        "+123456789012345|+123456789012345|****2345",
      })
  void aCourierMayTypeSpacesAndDashes(String typed, String e164, String masked) {
    RecipientPhone phone = RecipientPhone.parse(typed).orElseThrow();

    assertThat(phone.value()).isEqualTo(e164);
    assertThat(phone.masked()).isEqualTo(masked);
  }

  @ParameterizedTest(name = "''{0}''")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "85291234567",
        "0085291234567",
        "+0852912345",
        "+123456",
        "+1234567890123456",
        "+852 9123 456A",
        "+852.9123.4567",
        "++85291234567",
        "+",
      })
  void anythingElseIsNotAPhoneNumber(String text) {
    assertThat(RecipientPhone.parse(text)).isEmpty();
  }

  @Test
  void theConstructorWantsE164AndNeverEchoesTheText() {
    assertThatThrownBy(() -> new RecipientPhone("+852 9123 4567"))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("9123");
    assertThatThrownBy(() -> new RecipientPhone(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"+85291234567", "+1234567", "+123456789012345", "+14155550100"})
  void toStringShowsAtMostTheLastFourDigits(String number) {
    RecipientPhone phone = new RecipientPhone(number);

    assertThat(phone.toString()).isEqualTo(phone.masked()).doesNotContain(number);
    String digits = number.substring(1);
    String shown = phone.toString().replaceAll("[^0-9]", "");
    assertThat(shown).hasSize(4);
    assertThat(digits).endsWith(shown);
    for (int i = 0; i + 5 <= digits.length(); i++) {
      assertThat(phone.toString()).doesNotContain(digits.substring(i, i + 5));
    }
  }
}
