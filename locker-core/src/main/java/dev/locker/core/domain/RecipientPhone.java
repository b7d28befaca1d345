package dev.locker.core.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A recipient's phone number in E.164 form ({@code +85291234567}). Structural check only here;
 * per-region validation with libphonenumber comes with notifications. Never logged: {@link
 * #toString()} shows the masked form.
 */
public record RecipientPhone(String value) {
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  public RecipientPhone {
    if (value == null || !E164.matcher(value).matches()) {
      throw new IllegalArgumentException("not an E.164 phone number");
    }
  }

  /**
   * Parses what a courier typed: spaces and dashes are ignored, a leading {@code +} is required.
   * Absent when it is not a phone number; the text is never echoed into an error.
   */
  public static Optional<RecipientPhone> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String compact = text.replaceAll("[\\s-]", "");
    return E164.matcher(compact).matches()
        ? Optional.of(new RecipientPhone(compact))
        : Optional.empty();
  }

  /** At most the last 4 digits, as screens, events and logs may show it: {@code ****4567}. */
  public String masked() {
    return "****" + value.substring(value.length() - 4);
  }

  @Override
  public String toString() {
    return masked();
  }
}
