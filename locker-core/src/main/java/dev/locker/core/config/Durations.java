package dev.locker.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a technician writes them in a profile (and the cloud in {@code config.update}): a
 * whole number with a unit ({@code 500ms}, {@code 60s}, {@code 5m}, {@code 72h}, {@code 30d}) or
 * ISO-8601 ({@code PT60S}), blanks around ignored.
 */
public final class Durations {
  private static final Pattern FRIENDLY = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** The duration {@code text} names; empty when it names none. Never throws. */
  public static Optional<Duration> parse(String text) {
    String t = text.strip();
    Matcher m = FRIENDLY.matcher(t);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return Optional.of(
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            });
      }
      return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // A number too large for a duration is no duration.
      return Optional.empty();
    }
  }
}
