package dev.locker.core.domain;

import java.util.Optional;

/**
 * Where a notification the locker asked the cloud to send stands, as delivery receipts ({@code
 * notification.status}) report it.
 *
 * <pre>
 *                DELIVERED
 *   REQUESTED ─────────────► DELIVERED ◄─┐
 *      │                        ▲   │    │ DELIVERED (the same receipt again)
 *      │ FAILED       DELIVERED │   └────┘
 *      ▼                        │
 *    FAILED ────────────────────┘
 *     ▲  │
 *     └──┘ FAILED (the same receipt again)
 * </pre>
 *
 * A receipt may arrive twice (QoS 1, or the gateway reporting again): the same status again is a
 * transition to itself and changes nothing. A late "delivered" after "failed" wins, because the
 * message did reach the recipient. "Failed" after "delivered" is refused: a delivered message
 * cannot be undelivered. What follows a failed SMS (the e-mail fallback) is issue 7's.
 */
public enum NotificationStatus {
  REQUESTED,
  DELIVERED,
  FAILED;

  /** A delivery receipt from the cloud (contracts/mqtt.md {@code status}). */
  public enum Receipt {
    DELIVERED("delivered"),
    FAILED("failed");

    private final String wire;

    Receipt(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Optional<Receipt> fromWire(String text) {
      for (Receipt receipt : values()) {
        if (receipt.wire.equals(text)) {
          return Optional.of(receipt);
        }
      }
      return Optional.empty();
    }
  }

  public Optional<NotificationStatus> on(Receipt receipt) {
    NotificationStatus next =
        switch (this) {
          case REQUESTED -> receipt == Receipt.DELIVERED ? DELIVERED : FAILED;
          case FAILED -> receipt == Receipt.DELIVERED ? DELIVERED : FAILED;
          case DELIVERED -> receipt == Receipt.DELIVERED ? DELIVERED : null;
        };
    return Optional.ofNullable(next);
  }

  public NotificationStatus next(Receipt receipt) {
    return on(receipt).orElseThrow(() -> new IllegalTransition("notification", this, receipt));
  }
}
