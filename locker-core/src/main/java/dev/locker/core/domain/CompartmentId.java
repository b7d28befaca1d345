package dev.locker.core.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/** The label printed on a compartment door, such as {@code A07}. */
public record CompartmentId(String value) implements Comparable<CompartmentId> {
  /** Letters and digits, 1 to 8 characters: what fits on a door label and a screen line. */
  public static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9]{1,8}");

  public CompartmentId {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("compartment id must be 1-8 letters or digits: " + value);
    }
  }

  public static CompartmentId of(String value) {
    return new CompartmentId(value);
  }

  @Override
  public int compareTo(CompartmentId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
