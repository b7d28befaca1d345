package dev.locker.core.domain;

/** Why a door was unlocked; the {@code reason} of {@code door.opened} (contracts/mqtt.md). */
public enum OpeningReason {
  DEPOSIT("deposit"),
  PICKUP("pickup"),
  SERVICE("service"),
  REMOTE("remote"),
  RETURN("return");

  private final String wire;

  OpeningReason(String wire) {
    this.wire = wire;
  }

  /** The value used in events and the database. */
  public String wire() {
    return wire;
  }

  public static OpeningReason fromWire(String wire) {
    for (OpeningReason reason : values()) {
      if (reason.wire.equals(wire)) {
        return reason;
      }
    }
    throw new IllegalArgumentException("unknown opening reason: " + wire);
  }
}
