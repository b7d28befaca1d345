package dev.locker.core.cloud;

import static dev.locker.core.cloud.HandlerFixture.assertWellFormed;
import static dev.locker.core.cloud.HandlerFixture.detail;
import static dev.locker.core.testing.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.OperatorSettings;
import dev.locker.core.domain.Tariff;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code config.update}: all or nothing, one audit entry per changed key. */
class ConfigUpdateCommandTest {
  private static final CommandHandler HANDLER = new ConfigUpdateCommand();

  /** What the locker's configuration says before the cloud changes anything. */
  static final OperatorSettings DEFAULTS =
      new OperatorSettings(
          new Tariff(Duration.ofHours(24), Duration.ofHours(24), 200, 1000, "HKD"),
          Duration.ofDays(30),
          Duration.ofHours(12),
          Optional.empty(),
          "en");

  @TempDir Path dir;
  private HandlerFixture locker;

  @BeforeEach
  void open() {
    locker = HandlerFixture.sqlite(dir);
  }

  @AfterEach
  void close() {
    locker.close();
  }

  private CommandOutcome update(Map<String, Object> data) {
    CommandOutcome outcome = locker.apply(HANDLER, "config.update", data);
    assertWellFormed(outcome, "outcome");
    return outcome;
  }

  private Map<String, String> settings() {
    return locker.store.read(r -> r.settings());
  }

  private OperatorSettings effective() {
    return DEFAULTS.overlay(settings());
  }

  private void assertInvalid(Map<String, Object> data, String detailPart) {
    HandlerFixture.State before = locker.state();

    CommandOutcome outcome = update(data);

    assertThat(outcome).isInstanceOf(CommandOutcome.Rejected.class);
    assertThat(((CommandOutcome.Rejected) outcome).reason()).isEqualTo("invalid");
    assertThat(detail(outcome)).contains(detailPart);
    assertThat(locker.state()).as("nothing applied, nothing audited").isEqualTo(before);
  }

  @Test
  void everySettingOfTheContractIsAppliedInOneCommand() {
    CommandOutcome outcome =
        update(
            obj(
                "tariff",
                obj(
                    "freePeriod",
                    "48h",
                    "period",
                    "PT12H",
                    "pricePerPeriod",
                    300,
                    "cap",
                    1500,
                    "currency",
                    "CNY"),
                "retention",
                obj("period", "90d"),
                "notification",
                obj("reminderBefore", "6h", "quietHours", obj("from", "22:00", "to", "08:00")),
                "language",
                obj("default", "zh-Hans")));

    assertThat(outcome)
        .isEqualTo(
            new CommandOutcome.Applied(
                "changed tariff.freePeriod, tariff.period, tariff.pricePerPeriod, tariff.cap,"
                    + " tariff.currency, retention.period, notification.reminderBefore,"
                    + " notification.quietHours.from, notification.quietHours.to,"
                    + " language.default"));
    assertThat(effective())
        .isEqualTo(
            new OperatorSettings(
                new Tariff(Duration.ofHours(48), Duration.ofHours(12), 300, 1500, "CNY"),
                Duration.ofDays(90),
                Duration.ofHours(6),
                Optional.of(
                    new OperatorSettings.QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0))),
                "zh-Hans"));
    assertThat(settings()).containsEntry("retention.period", "PT2160H");
    assertThat(locker.state().auditSize()).as("one audit entry per key").isEqualTo(10);
  }

  @Test
  void aSubsetChangesOnlyItsKeysAndTheRestKeepTheirDefaults() {
    update(obj("retention", obj("period", "7d")));

    assertThat(settings()).containsExactly(Map.entry("retention.period", "PT168H"));
    assertThat(effective())
        .isEqualTo(
            new OperatorSettings(
                DEFAULTS.tariff(),
                Duration.ofDays(7),
                DEFAULTS.reminderBefore(),
                DEFAULTS.quietHours(),
                DEFAULTS.defaultLanguage()));
  }

  @Test
  void eachChangedKeyIsAuditedOldToNewAndAnUnchangedOneIsNot() {
    update(obj("tariff", obj("pricePerPeriod", 300, "cap", 1500)));
    long audited = locker.state().auditSize();

    CommandOutcome outcome = update(obj("tariff", obj("pricePerPeriod", 300, "cap", 2000)));

    assertThat(outcome).isEqualTo(new CommandOutcome.Applied("changed tariff.cap"));
    assertThat(locker.state().auditSize()).isEqualTo(audited + 1);
    assertThat(settings()).containsEntry("tariff.cap", "2000");
  }

  @Test
  void theSameUpdateAgainIsAppliedAndChangesNothing() {
    Map<String, Object> data =
        obj("language", obj("default", "zh-Hant"), "notification", obj("reminderBefore", "PT6H"));
    update(data);
    HandlerFixture.State before = locker.state();

    CommandOutcome again = update(data);

    assertThat(again).isEqualTo(new CommandOutcome.Applied("nothing changed"));
    assertThat(locker.state()).isEqualTo(before);
  }

  @Test
  void durationsAreWrittenAsTheConfigurationFileWritesThem() {
    for (String written : List.of("6h", "PT6H", "pt6h", "360m", "21600s", "21600000ms", " 6h ")) {
      update(obj("notification", obj("reminderBefore", written)));
      assertThat(effective().reminderBefore()).as(written).isEqualTo(Duration.ofHours(6));
    }
  }

  @Test
  void anUnknownKeyAnywhereRejectsTheWholeCommandNamingItsPath() {
    assertInvalid(
        obj("retention", obj("period", "7d"), "tariff", obj("cap", 500, "vat", 8)),
        "tariff.vat is not a known key");
    assertInvalid(
        obj("notification", obj("quietHours", obj("from", "22:00", "to", "08:00", "tz", "UTC"))),
        "notification.quietHours.tz is not a known key");
    assertInvalid(obj("locker", obj("id", "LCK-0002")), "locker is not a known key");
    assertThat(settings()).isEmpty();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "retention.period | 0d | retention.period must be between PT24H and PT8760H, was PT0S",
        "retention.period | 366d | retention.period must be between PT24H and PT8760H",
        "retention.period | 23h | retention.period must be between",
        "retention.period | forever | retention.period must be a duration such as PT60S",
        "retention.period | -PT24H | retention.period must be between",
        "retention.period | 99999999999999999999d | retention.period must be a duration",
        "tariff.period | 59s | tariff.period must be between PT1M and PT720H",
        "tariff.freePeriod | 31d | tariff.freePeriod must be between PT0S and PT720H",
        "tariff.currency | XYZ | tariff.currency must be an ISO 4217 currency code",
        "tariff.currency | hkd | tariff.currency must be an ISO 4217 currency code",
        "notification.reminderBefore | 0s | notification.reminderBefore must be between PT1M",
        "language.default | fr | language.default must be zh-Hans, zh-Hant or en",
        "language.default | zh-hans | language.default must be zh-Hans, zh-Hant or en",
      })
  void aBadValueRejectsTheWholeCommand(String path, String value, String detail) {
    String[] keys = path.split("\\.");
    Map<String, Object> data =
        obj(keys[0], obj(keys[1], value), "language", obj("default", "zh-Hant"));
    if (keys[0].equals("language")) {
      data = obj("language", obj("default", value), "retention", obj("period", "7d"));
    }

    assertInvalid(data, detail);
  }

  @Test
  void moneyIsAWholeNumberOfMinorUnitsWithinAnInt() {
    assertInvalid(
        obj("tariff", obj("pricePerPeriod", -1)), "tariff.pricePerPeriod must be between 0");
    assertInvalid(obj("tariff", obj("pricePerPeriod", 3.5)), "must be a whole number");
    assertInvalid(obj("tariff", obj("pricePerPeriod", "300")), "must be a whole number, was text");
    assertInvalid(obj("tariff", obj("cap", 2_147_483_648L)), "tariff.cap must be between 0 and");
    assertInvalid(
        obj("tariff", obj("cap", new java.math.BigInteger("99999999999999999999"))),
        "tariff.cap must be between 0 and");

    assertThat(update(obj("tariff", obj("pricePerPeriod", 0, "cap", Integer.MAX_VALUE))))
        .isInstanceOf(CommandOutcome.Applied.class);
  }

  @Test
  void theCapIsNeverBelowThePriceOfOnePeriodCountingTheStoredValue() {
    assertInvalid(
        obj("tariff", obj("pricePerPeriod", 500, "cap", 400)),
        "tariff.cap must be at least tariff.pricePerPeriod (400 < 500");
    update(obj("tariff", obj("pricePerPeriod", 300, "cap", 1500)));

    assertInvalid(obj("tariff", obj("cap", 200)), "tariff.cap must be at least");
    assertInvalid(obj("tariff", obj("pricePerPeriod", 1600)), "(1500 < 1600");
    assertThat(update(obj("tariff", obj("cap", 300)))).isInstanceOf(CommandOutcome.Applied.class);
  }

  @Test
  void quietHoursAreBothEndsAsHhMmAndDifferent() {
    assertInvalid(
        obj("notification", obj("quietHours", obj("from", "22:00"))),
        "notification.quietHours.to is required");
    assertInvalid(
        obj("notification", obj("quietHours", obj("from", "22:00", "to", "8:00"))),
        "notification.quietHours.to must be a time HH:mm");
    assertInvalid(
        obj("notification", obj("quietHours", obj("from", "24:00", "to", "08:00"))),
        "notification.quietHours.from must be a time HH:mm");
    assertInvalid(
        obj("notification", obj("quietHours", obj("from", "08:00", "to", "08:00"))),
        "notification.quietHours from and to must differ");
    assertInvalid(
        obj("notification", obj("quietHours", "22:00-08:00")),
        "notification.quietHours must be an object, was text");
  }

  @Test
  void anEmptyCommandOrAnEmptySectionIsInvalid() {
    assertInvalid(Map.of(), "data has no setting to change");
    assertInvalid(obj("tariff", obj()), "tariff is empty");
    assertInvalid(obj("retention", List.of("7d")), "retention must be an object, was a list");
  }

  @Test
  void everyProblemIsNamedInOneRejection() {
    assertInvalid(
        obj(
            "tariff",
            obj("period", "0s", "currency", "EURO"),
            "language",
            obj("default", "de"),
            "extra",
            true),
        "extra is not a known key; tariff.period must be between PT1M and PT720H, was PT0S;"
            + " tariff.currency must be an ISO 4217 currency code;"
            + " language.default must be zh-Hans, zh-Hant or en");
  }

  @Test
  void tenThousandMutatedUpdatesAreEachAppliedOrRejectedWithAReason() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Map<String, Object> valid =
        obj(
            "tariff",
            obj(
                "freePeriod",
                "24h",
                "period",
                "PT24H",
                "pricePerPeriod",
                300,
                "cap",
                1500,
                "currency",
                "HKD"),
            "retention",
            obj("period", "30d"),
            "notification",
            obj("reminderBefore", "12h", "quietHours", obj("from", "22:00", "to", "08:00")),
            "language",
            obj("default", "zh-Hant"));
    try (HandlerFixture fast = HandlerFixture.inMemory()) {
      for (int i = 0; i < 10_000; i++) {
        Map<String, Object> data = DataFuzz.mutate(valid, random);
        String context = "seed " + seed + ", case " + i + ": " + data;
        HandlerFixture.State before = fast.state();

        CommandOutcome outcome = fast.apply(HANDLER, "config.update", data);

        assertWellFormed(outcome, context);
        if (outcome instanceof CommandOutcome.Rejected) {
          assertThat(fast.state()).as(context + " wrote nothing").isEqualTo(before);
        } else {
          OperatorSettings now = DEFAULTS.overlay(fast.state().settings());
          assertThat(now.stored())
              .as(context + ": every stored value reads back")
              .containsAllEntriesOf(fast.state().settings());
        }
      }
    }
  }
}
