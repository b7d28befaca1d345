package dev.locker.core.domain;

import java.util.Objects;
import java.util.UUID;

/** A parcel's identity in this locker and in its events. */
public record ParcelId(String value) {
  public ParcelId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("parcel id is blank");
    }
  }

  public static ParcelId random() {
    return new ParcelId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
