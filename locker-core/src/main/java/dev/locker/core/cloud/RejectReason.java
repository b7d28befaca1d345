package dev.locker.core.cloud;

/** Why a command was not applied: the {@code reason} of its ack (contracts/mqtt.md). */
public enum RejectReason {
  /** Not a command envelope at all; answered with {@code cmdId: null}. */
  MALFORMED("malformed"),
  /** Unknown key id, or the signature does not verify over the body. */
  BAD_SIGNATURE("bad_signature"),
  /** Signed, but for another locker. */
  WRONG_LOCKER("wrong_locker"),
  /** Signed, but past its {@code expiresAt} (beyond the allowed clock skew). */
  EXPIRED("expired"),
  /** Its {@code cmdId} was answered before. */
  REPLAYED("replayed"),
  /** Signed and in time, but its body or data break the contract. */
  INVALID("invalid"),
  /** More commands of its type in the window than its limit allows. */
  RATE_LIMITED("rate_limited");

  private final String wire;

  RejectReason(String wire) {
    this.wire = wire;
  }

  /** The reason as the ack writes it. */
  public String wire() {
    return wire;
  }
}
