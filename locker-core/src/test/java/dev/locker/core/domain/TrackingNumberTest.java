package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TrackingNumberTest {
  @ParameterizedTest(name = "''{0}'' is {1}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "JD0001|JD0001",
        "jd0001|JD0001",
        "  JD0001\t|JD0001",
        "1Z999-AA1-0123456784|1Z999-AA1-0123456784",
        "ABCD|ABCD",
        "1234567890123456789012345678901234567890|1234567890123456789012345678901234567890",
      })
  void scannerAndKeyboardTextIsTrimmedAndUpperCased(String text, String value) {
    assertThat(TrackingNumber.parse(text)).contains(new TrackingNumber(value));
    assertThat(TrackingNumber.parse(text).orElseThrow()).hasToString(value);
  }

  @ParameterizedTest(name = "''{0}''")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "   ",
        "ABC",
        "12345678901234567890123456789012345678901",
        "JD 0001",
        "JD_0001",
        "JD0001;DROP",
        "JD/0001",
        "JD\n0001",
      })
  void anythingElseIsNotATrackingNumber(String text) {
    assertThat(TrackingNumber.parse(text)).isEmpty();
    assertThatThrownBy(() -> new TrackingNumber(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
