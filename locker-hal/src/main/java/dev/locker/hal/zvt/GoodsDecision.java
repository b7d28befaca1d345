package dev.locker.hal.zvt;

/**
 * The locker's answer to an approved status information (device-protocols.md §4.4): whether the
 * goods (the parcel) were issued. Decided only after the door sensor confirmed the opening.
 */
public enum GoodsDecision {
  /** The door opened: answer {@code 80 00 00}, the terminal completes the payment. */
  ISSUED,
  /** The door did not open: answer {@code 84 66 00}, the terminal reverses the payment. */
  REFUSED
}
