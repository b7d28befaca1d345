package dev.locker.core.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** A carrier's tracking number, as scanned from the parcel label or typed by the courier. */
public record TrackingNumber(String value) {
  /** Letters, digits and dashes, 4 to 40: what carriers print as Code 128 on labels. */
  public static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9-]{4,40}");

  public TrackingNumber {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a tracking number: " + value);
    }
  }

  /** Parses scanner or keyboard text; absent when it is not a tracking number. */
  public static Optional<TrackingNumber> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    // Validate before upper-casing: Unicode case mapping turns 'ı' and 'ſ' into ASCII 'I' and 'S'.
    String trimmed = text.strip();
    return FORMAT.matcher(trimmed).matches()
        ? Optional.of(new TrackingNumber(trimmed.toUpperCase(java.util.Locale.ROOT)))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return value;
  }
}
