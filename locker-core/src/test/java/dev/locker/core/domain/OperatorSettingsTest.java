package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The effective operator settings: what the cloud stored, over the configured defaults. */
class OperatorSettingsTest {
  static final OperatorSettings DEFAULTS =
      new OperatorSettings(
          new Tariff(Duration.ofHours(24), Duration.ofHours(24), 200, 1000, "HKD"),
          Duration.ofDays(30),
          Duration.ofHours(12),
          Optional.empty(),
          "en");

  @Test
  void theTariffInForceIsTheConfiguredOneWithTheCloudsValuesOverIt() {
    Tariff configured =
        new Tariff(
            Duration.ofHours(12), Duration.ofHours(12), 50, 300, "CNY", Map.of(Size.XL, 80L));
    Map<String, String> stored =
        Map.of(OperatorSettings.TARIFF_PRICE_PER_PERIOD, "60", OperatorSettings.TARIFF_CAP, "360");

    assertThat(OperatorSettings.tariff(Optional.of(configured), stored))
        .contains(
            new Tariff(
                Duration.ofHours(12), Duration.ofHours(12), 60, 360, "CNY", Map.of(Size.XL, 80L)));
    assertThat(OperatorSettings.tariff(Optional.empty(), stored))
        .as("half a tariff from the cloud and none configured: free")
        .isEmpty();
    assertThat(
            OperatorSettings.tariff(
                Optional.empty(),
                Map.of(
                    OperatorSettings.TARIFF_FREE_PERIOD, "PT24H",
                    OperatorSettings.TARIFF_PERIOD, "PT24H",
                    OperatorSettings.TARIFF_PRICE_PER_PERIOD, "1000",
                    OperatorSettings.TARIFF_CAP, "5000",
                    OperatorSettings.TARIFF_CURRENCY, "HKD")))
        .contains(new Tariff(Duration.ofHours(24), Duration.ofHours(24), 1000, 5000, "HKD"));
  }

  @Test
  void withNothingStoredTheDefaultsAreInForce() {
    assertThat(DEFAULTS.overlay(Map.of())).isEqualTo(DEFAULTS);
  }

  @Test
  void everyStoredValueOverlaysItsDefault() {
    OperatorSettings changed =
        DEFAULTS.overlay(
            Map.of(
                "tariff.freePeriod", "PT48H",
                "tariff.period", "PT12H",
                "tariff.pricePerPeriod", "300",
                "tariff.cap", "1500",
                "tariff.currency", "CNY",
                "retention.period", "PT168H",
                "notification.reminderBefore", "PT6H",
                "notification.quietHours.from", "22:00",
                "notification.quietHours.to", "07:30",
                "language.default", "zh-Hans"));

    assertThat(changed)
        .isEqualTo(
            new OperatorSettings(
                new Tariff(Duration.ofHours(48), Duration.ofHours(12), 300, 1500, "CNY"),
                Duration.ofDays(7),
                Duration.ofHours(6),
                Optional.of(
                    new OperatorSettings.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 30))),
                "zh-Hans"));
  }

  @Test
  void storedFormsReadBackToTheSameSettings() {
    OperatorSettings quiet =
        new OperatorSettings(
            new Tariff(Duration.ZERO, Duration.ofMinutes(90), 0, 0, "CNY"),
            Duration.ofDays(365),
            Duration.ofMinutes(1),
            Optional.of(new OperatorSettings.QuietHours(LocalTime.of(0, 5), LocalTime.of(6, 0))),
            "zh-Hant");

    assertThat(DEFAULTS.overlay(quiet.stored())).isEqualTo(quiet);
    assertThat(quiet.stored()).containsKeys(OperatorSettings.KEYS.toArray(String[]::new));
    assertThat(DEFAULTS.stored()).doesNotContainKey("notification.quietHours.from");
  }

  @Test
  void quietHoursNeedBothEndsStored() {
    assertThat(DEFAULTS.overlay(Map.of("notification.quietHours.from", "22:00")).quietHours())
        .isEmpty();
  }

  @Test
  void aStoredValueThisFirmwareCannotReadLeavesTheDefault() {
    OperatorSettings read =
        DEFAULTS.overlay(
            Map.of(
                "tariff.period", "P1W",
                "tariff.freePeriod", "-PT1H",
                "tariff.cap", "lots",
                "tariff.pricePerPeriod", "-5",
                "tariff.currency", "dollars",
                "retention.period", "PT0S",
                "notification.quietHours.from", "10pm",
                "notification.quietHours.to", "08:00",
                "language.default", " ",
                "tariff.vat", "8"));

    assertThat(read).isEqualTo(DEFAULTS);
  }

  @Test
  void quietHoursMaySpanMidnight() {
    OperatorSettings.QuietHours night =
        new OperatorSettings.QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0));
    OperatorSettings.QuietHours lunch =
        new OperatorSettings.QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0));

    assertThat(night.contains(LocalTime.of(22, 0))).isTrue();
    assertThat(night.contains(LocalTime.of(3, 0))).isTrue();
    assertThat(night.contains(LocalTime.of(8, 0))).as("the end is excluded").isFalse();
    assertThat(night.contains(LocalTime.of(12, 0))).isFalse();
    assertThat(lunch.contains(LocalTime.of(12, 30))).isTrue();
    assertThat(lunch.contains(LocalTime.of(23, 0))).isFalse();
    assertThatThrownBy(
            () -> new OperatorSettings.QuietHours(LocalTime.of(8, 0), LocalTime.of(8, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
