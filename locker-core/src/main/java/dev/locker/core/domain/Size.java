package dev.locker.core.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Compartment and parcel sizes, smallest first. A parcel fits every size at or above its own. */
public enum Size {
  S,
  M,
  L,
  XL;

  /** This size and every larger one, smallest first: the order in which deposits look for room. */
  public List<Size> andLarger() {
    return Arrays.asList(values()).subList(ordinal(), values().length);
  }

  public boolean fits(Size parcel) {
    return compareTo(parcel) >= 0;
  }

  /** Parses {@code S, M, L, XL} exactly (upper case); anything else is absent. */
  public static Optional<Size> parse(String text) {
    for (Size size : values()) {
      if (size.name().equals(text)) {
        return Optional.of(size);
      }
    }
    return Optional.empty();
  }
}
