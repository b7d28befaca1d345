package dev.locker.core.domain;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings the operator may change from the cloud ({@code config.update}): the tariff, how long
 * personal data is kept, when recipients are reminded and left alone, and the default language. The
 * effective value of each is the one the cloud stored, else the default the caller passes (from the
 * locker's configuration): {@code defaults.overlay(store.settings())}.
 *
 * <p>Stored values are texts in the forms {@link #stored()} writes: durations in ISO-8601 ({@code
 * PT72H}), money in minor units, times as {@code HH:mm}. A stored value this firmware cannot read
 * (written by newer firmware, say) leaves the default in force.
 *
 * @param retention how long personal data of a finished parcel is kept
 * @param reminderBefore how long before a parcel's deadline the recipient is reminded
 * @param quietHours when no message goes out; none when empty
 * @param defaultLanguage a BCP 47 tag ({@code zh-Hans}, {@code zh-Hant}, {@code en})
 */
public record OperatorSettings(
    Tariff tariff,
    Duration retention,
    Duration reminderBefore,
    Optional<QuietHours> quietHours,
    String defaultLanguage) {

  public static final String TARIFF_FREE_PERIOD = "tariff.freePeriod";
  public static final String TARIFF_PERIOD = "tariff.period";
  public static final String TARIFF_PRICE_PER_PERIOD = "tariff.pricePerPeriod";
  public static final String TARIFF_CAP = "tariff.cap";
  public static final String TARIFF_CURRENCY = "tariff.currency";
  public static final String RETENTION_PERIOD = "retention.period";
  public static final String NOTIFICATION_REMINDER_BEFORE = "notification.reminderBefore";
  public static final String NOTIFICATION_QUIET_HOURS_FROM = "notification.quietHours.from";
  public static final String NOTIFICATION_QUIET_HOURS_TO = "notification.quietHours.to";
  public static final String LANGUAGE_DEFAULT = "language.default";

  /** Every key, in the contract's order; a key is the JSON path of its value in the command. */
  public static final List<String> KEYS =
      List.of(
          TARIFF_FREE_PERIOD,
          TARIFF_PERIOD,
          TARIFF_PRICE_PER_PERIOD,
          TARIFF_CAP,
          TARIFF_CURRENCY,
          RETENTION_PERIOD,
          NOTIFICATION_REMINDER_BEFORE,
          NOTIFICATION_QUIET_HOURS_FROM,
          NOTIFICATION_QUIET_HOURS_TO,
          LANGUAGE_DEFAULT);

  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  /**
   * A daily window in the locker's time zone in which no message goes out, from {@code from}
   * (included) to {@code to} (excluded); it may span midnight ({@code 22:00} to {@code 08:00}).
   */
  public record QuietHours(LocalTime from, LocalTime to) {
    public QuietHours {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (from.equals(to)) {
        throw new IllegalArgumentException("quiet hours from and to are different times");
      }
    }

    public boolean contains(LocalTime time) {
      return from.isBefore(to)
          ? !time.isBefore(from) && time.isBefore(to)
          : !time.isBefore(from) || time.isBefore(to);
    }
  }

  public OperatorSettings {
    Objects.requireNonNull(tariff, "tariff");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(reminderBefore, "reminderBefore");
    Objects.requireNonNull(quietHours, "quietHours");
    Objects.requireNonNull(defaultLanguage, "defaultLanguage");
    if (retention.isNegative() || retention.isZero() || reminderBefore.isNegative()) {
      throw new IllegalArgumentException("retention is > 0 and reminderBefore >= 0");
    }
    if (defaultLanguage.isBlank()) {
      throw new IllegalArgumentException("a default language is a BCP 47 tag");
    }
  }

  /**
   * These settings with every value in {@code stored} that this firmware reads put over them. Quiet
   * hours are taken only when both ends are stored. Unknown keys are ignored.
   */
  public OperatorSettings overlay(Map<String, String> stored) {
    Tariff t = overlay(tariff, stored);
    Optional<LocalTime> from = time(stored, NOTIFICATION_QUIET_HOURS_FROM);
    Optional<LocalTime> to = time(stored, NOTIFICATION_QUIET_HOURS_TO);
    Optional<QuietHours> quiet =
        from.isPresent() && to.isPresent() && !from.get().equals(to.get())
            ? Optional.of(new QuietHours(from.get(), to.get()))
            : quietHours;
    return new OperatorSettings(
        t,
        duration(stored, RETENTION_PERIOD)
            .filter(d -> !d.isZero() && !d.isNegative())
            .orElse(retention),
        duration(stored, NOTIFICATION_REMINDER_BEFORE)
            .filter(d -> !d.isNegative())
            .orElse(reminderBefore),
        quiet,
        Optional.ofNullable(stored.get(LANGUAGE_DEFAULT))
            .filter(s -> !s.isBlank())
            .orElse(defaultLanguage));
  }

  /**
   * The tariff in force: the configured one with the values the cloud stored put over it; without a
   * configured tariff, one the cloud stored whole (all five values), else none (storage is free).
   */
  public static Optional<Tariff> tariff(Optional<Tariff> configured, Map<String, String> stored) {
    if (configured.isPresent()) {
      return Optional.of(overlay(configured.get(), stored));
    }
    Optional<Duration> free = duration(stored, TARIFF_FREE_PERIOD).filter(d -> !d.isNegative());
    Optional<Duration> period =
        duration(stored, TARIFF_PERIOD).filter(d -> !d.isNegative() && !d.isZero());
    Optional<Long> price = amount(stored, TARIFF_PRICE_PER_PERIOD);
    Optional<Long> cap = amount(stored, TARIFF_CAP);
    Optional<String> currency =
        Optional.ofNullable(stored.get(TARIFF_CURRENCY)).filter(Money::isCurrency);
    if (free.isEmpty()
        || period.isEmpty()
        || price.isEmpty()
        || cap.isEmpty()
        || currency.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Tariff(free.get(), period.get(), price.get(), cap.get(), currency.get()));
  }

  private static Tariff overlay(Tariff tariff, Map<String, String> stored) {
    return tariff.withBase(
        duration(stored, TARIFF_FREE_PERIOD)
            .filter(d -> !d.isNegative())
            .orElse(tariff.freePeriod()),
        duration(stored, TARIFF_PERIOD)
            .filter(d -> !d.isNegative() && !d.isZero())
            .orElse(tariff.period()),
        amount(stored, TARIFF_PRICE_PER_PERIOD).orElse(tariff.pricePerPeriod()),
        amount(stored, TARIFF_CAP).orElse(tariff.cap()),
        Optional.ofNullable(stored.get(TARIFF_CURRENCY))
            .filter(Money::isCurrency)
            .orElse(tariff.currency()));
  }

  /** Every value as {@link #overlay} reads it back, by key (quiet hours only when there are). */
  public Map<String, String> stored() {
    Map<String, String> out = new TreeMap<>();
    out.put(TARIFF_FREE_PERIOD, text(tariff.freePeriod()));
    out.put(TARIFF_PERIOD, text(tariff.period()));
    out.put(TARIFF_PRICE_PER_PERIOD, Long.toString(tariff.pricePerPeriod()));
    out.put(TARIFF_CAP, Long.toString(tariff.cap()));
    out.put(TARIFF_CURRENCY, tariff.currency());
    out.put(RETENTION_PERIOD, text(retention));
    out.put(NOTIFICATION_REMINDER_BEFORE, text(reminderBefore));
    quietHours.ifPresent(
        q -> {
          out.put(NOTIFICATION_QUIET_HOURS_FROM, text(q.from()));
          out.put(NOTIFICATION_QUIET_HOURS_TO, text(q.to()));
        });
    out.put(LANGUAGE_DEFAULT, defaultLanguage);
    return out;
  }

  /** A duration as stored: ISO-8601 ({@code PT72H}). */
  public static String text(Duration duration) {
    return duration.toString();
  }

  /** A time of day as stored: {@code HH:mm}. */
  public static String text(LocalTime time) {
    return HH_MM.format(time);
  }

  private static Optional<Duration> duration(Map<String, String> stored, String key) {
    String text = stored.get(key);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> amount(Map<String, String> stored, String key) {
    String text = stored.get(key);
    if (text == null) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(text);
      return value >= 0 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<LocalTime> time(Map<String, String> stored, String key) {
    String text = stored.get(key);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalTime.parse(text, HH_MM));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
