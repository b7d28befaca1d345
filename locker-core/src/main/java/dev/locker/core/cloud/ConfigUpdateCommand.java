package dev.locker.core.cloud;

import static dev.locker.core.domain.OperatorSettings.LANGUAGE_DEFAULT;
import static dev.locker.core.domain.OperatorSettings.NOTIFICATION_QUIET_HOURS_FROM;
import static dev.locker.core.domain.OperatorSettings.NOTIFICATION_QUIET_HOURS_TO;
import static dev.locker.core.domain.OperatorSettings.NOTIFICATION_REMINDER_BEFORE;
import static dev.locker.core.domain.OperatorSettings.RETENTION_PERIOD;
import static dev.locker.core.domain.OperatorSettings.TARIFF_CAP;
import static dev.locker.core.domain.OperatorSettings.TARIFF_CURRENCY;
import static dev.locker.core.domain.OperatorSettings.TARIFF_FREE_PERIOD;
import static dev.locker.core.domain.OperatorSettings.TARIFF_PERIOD;
import static dev.locker.core.domain.OperatorSettings.TARIFF_PRICE_PER_PERIOD;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.config.Language;
import dev.locker.core.domain.OperatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code config.update} (contracts/mqtt.md): the operator changes some of its settings. Data, any
 * non-empty subset of:
 *
 * <pre>
 * {"tariff": {"freePeriod", "period", "pricePerPeriod", "cap", "currency"},
 *  "retention": {"period"},
 *  "notification": {"reminderBefore", "quietHours": {"from": "HH:mm", "to": "HH:mm"}},
 *  "language": {"default"}}
 * </pre>
 *
 * Durations are written as the configuration file writes them (ISO-8601 {@code PT72H}, or {@code
 * 500ms}, {@code 60s}, {@code 5m}, {@code 72h}, {@code 30d}); money in minor units (a whole number
 * {@code >= 0}); the currency in ISO 4217; the language {@code zh-Hans}, {@code zh-Hant} or {@code
 * en}; quiet hours as both ends, different. Bounds: {@link #FREE_PERIOD}, {@link #PERIOD}, {@link
 * #RETENTION}, {@link #REMINDER_BEFORE}; the cap is at least the price per period, counting the
 * stored price (or cap) when the command does not carry it.
 *
 * <p>An unknown key or a bad value anywhere rejects the whole command ({@code invalid}, the detail
 * naming each key path); nothing is applied. Otherwise every value that differs from the stored one
 * is saved, each with an audit entry {@code old -> new} ("default" when the cloud never set it), in
 * the command's transaction. Values are stored as {@link OperatorSettings} reads them.
 */
public final class ConfigUpdateCommand implements CommandHandler {
  /** Audit actor of the entries this command writes. */
  public static final String ACTOR = "cloud";

  public static final Bounds FREE_PERIOD = new Bounds(Duration.ZERO, Duration.ofDays(30));
  public static final Bounds PERIOD = new Bounds(Duration.ofMinutes(1), Duration.ofDays(30));
  public static final Bounds RETENTION = new Bounds(Duration.ofDays(1), Duration.ofDays(365));
  public static final Bounds REMINDER_BEFORE =
      new Bounds(Duration.ofMinutes(1), Duration.ofDays(30));

  /** The contract's money is an int: at most 2^31 - 1 minor units. */
  static final long MAX_MONEY = Integer.MAX_VALUE;

  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

  /** Inclusive bounds of a duration setting. */
  public record Bounds(Duration min, Duration max) {
    boolean contain(Duration d) {
      return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
    }
  }

  @Override
  public CommandOutcome apply(Command command, LockerStore.Transaction tx, Instant now) {
    CommandData data = CommandData.of(command.data());
    data.onlyKeys(Set.of("tariff", "retention", "notification", "language"));
    if (data.isEmpty()) {
      data.problem("has no setting to change");
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    data.object("tariff").ifPresent(t -> tariff(t, wanted));
    data.object("retention")
        .ifPresent(
            r -> {
              r.onlyKeys(Set.of("period"));
              nonEmpty(r);
              duration(r, "period", RETENTION).ifPresent(d -> wanted.put(RETENTION_PERIOD, d));
            });
    data.object("notification").ifPresent(n -> notification(n, wanted));
    data.object("language")
        .ifPresent(
            l -> {
              l.onlyKeys(Set.of("default"));
              nonEmpty(l);
              l.text("default", false)
                  .ifPresent(
                      tag -> {
                        if (Language.fromTag(tag).isEmpty()) {
                          l.problem("default", "must be zh-Hans, zh-Hant or en");
                        } else {
                          wanted.put(LANGUAGE_DEFAULT, tag);
                        }
                      });
            });
    Map<String, String> stored = tx.settings();
    if (data.ok()) {
      capCoversPrice(data, wanted, stored);
    }
    if (!data.ok()) {
      return new CommandOutcome.Rejected("invalid", String.join("; ", data.problems()));
    }

    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      String old = stored.get(e.getKey());
      if (e.getValue().equals(old)) {
        continue;
      }
      tx.saveSetting(e.getKey(), e.getValue());
      tx.audit(
          ACTOR,
          "config.update",
          e.getKey(),
          (old == null ? "default" : old)
              + " -> "
              + e.getValue()
              + " (command "
              + command.cmdId()
              + ")");
      changed.add(e.getKey());
    }
    return new CommandOutcome.Applied(
        changed.isEmpty() ? "nothing changed" : "changed " + String.join(", ", changed));
  }

  private static void tariff(CommandData t, Map<String, String> wanted) {
    t.onlyKeys(Set.of("freePeriod", "period", "pricePerPeriod", "cap", "currency"));
    nonEmpty(t);
    duration(t, "freePeriod", FREE_PERIOD).ifPresent(d -> wanted.put(TARIFF_FREE_PERIOD, d));
    duration(t, "period", PERIOD).ifPresent(d -> wanted.put(TARIFF_PERIOD, d));
    t.wholeNumber("pricePerPeriod", false, 0, MAX_MONEY)
        .ifPresent(n -> wanted.put(TARIFF_PRICE_PER_PERIOD, Long.toString(n)));
    t.wholeNumber("cap", false, 0, MAX_MONEY)
        .ifPresent(n -> wanted.put(TARIFF_CAP, Long.toString(n)));
    t.text("currency", false)
        .ifPresent(
            code -> {
              if (QrPaymentConfirmedCommand.isIsoCurrency(code)) {
                wanted.put(TARIFF_CURRENCY, code);
              } else {
                t.problem("currency", "must be an ISO 4217 currency code");
              }
            });
  }

  private static void notification(CommandData n, Map<String, String> wanted) {
    n.onlyKeys(Set.of("reminderBefore", "quietHours"));
    nonEmpty(n);
    duration(n, "reminderBefore", REMINDER_BEFORE)
        .ifPresent(d -> wanted.put(NOTIFICATION_REMINDER_BEFORE, d));
    n.object("quietHours")
        .ifPresent(
            q -> {
              q.onlyKeys(Set.of("from", "to"));
              Optional<LocalTime> from = time(q, "from");
              Optional<LocalTime> to = time(q, "to");
              if (from.isPresent() && to.isPresent()) {
                if (from.get().equals(to.get())) {
                  q.problem("from and to must differ");
                } else {
                  wanted.put(NOTIFICATION_QUIET_HOURS_FROM, OperatorSettings.text(from.get()));
                  wanted.put(NOTIFICATION_QUIET_HOURS_TO, OperatorSettings.text(to.get()));
                }
              }
            });
  }

  /** The cap is never below the price of one period, whichever of the two the command sets. */
  private static void capCoversPrice(
      CommandData data, Map<String, String> wanted, Map<String, String> stored) {
    Optional<Long> price = amount(wanted, stored, TARIFF_PRICE_PER_PERIOD);
    Optional<Long> cap = amount(wanted, stored, TARIFF_CAP);
    boolean touched = wanted.containsKey(TARIFF_PRICE_PER_PERIOD) || wanted.containsKey(TARIFF_CAP);
    if (touched && price.isPresent() && cap.isPresent() && cap.get() < price.get()) {
      data.problem(
          "tariff.cap",
          "must be at least tariff.pricePerPeriod ("
              + cap.get()
              + " < "
              + price.get()
              + ", counting the stored value of the one not sent)");
    }
  }

  private static Optional<Long> amount(
      Map<String, String> wanted, Map<String, String> stored, String key) {
    String text = wanted.getOrDefault(key, stored.get(key));
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void nonEmpty(CommandData section) {
    if (section.isEmpty()) {
      section.problem("is empty");
    }
  }

  /** A duration within {@code bounds}, as stored ({@link OperatorSettings#text(Duration)}). */
  private static Optional<String> duration(CommandData d, String key, Bounds bounds) {
    Optional<String> text = d.text(key, false);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<Duration> parsed = parseDuration(text.get());
    if (parsed.isEmpty()) {
      d.problem(key, "must be a duration such as PT60S, 500ms, 60s, 5m, 72h or 30d");
      return Optional.empty();
    }
    if (!bounds.contain(parsed.get())) {
      d.problem(
          key,
          "must be between " + bounds.min() + " and " + bounds.max() + ", was " + parsed.get());
      return Optional.empty();
    }
    return Optional.of(OperatorSettings.text(parsed.get()));
  }

  private static Optional<LocalTime> time(CommandData q, String key) {
    Optional<String> text = q.text(key, true);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (!HH_MM.matcher(text.get()).matches()) {
      q.problem(key, "must be a time HH:mm (00:00 to 23:59)");
      return Optional.empty();
    }
    return Optional.of(LocalTime.parse(text.get()));
  }

  static Optional<Duration> parseDuration(String text) {
    return dev.locker.core.config.Durations.parse(text);
  }
}
