package dev.locker.core.domain;

import java.util.Optional;

/**
 * The life of one payment for one parcel (reliability-security.md §2.3). Every transition is
 * committed before the side effect it announces (the door, a reversal, the completion), so that
 * start-up knows what it must resolve.
 *
 * <pre>
 *                   APPROVE               RELEASE                    COMPLETE
 *          CHARGING ─────────────► APPROVED ────────────► RELEASED ──────────────────► PAID
 *           │    │                  ▲  │  │                │  │                        ▲
 *           │    │ LOSE     APPROVE │  │  │ WITHHOLD       │  │ LOSE                   │
 *           │    ▼                  │  │  ▼                │  │                        │
 *           │   UNKNOWN ────────────┘  │ REVERSING         │  ▼              COMPLETE  │
 *           │    │   │                 │  │                │ RELEASED_UNCONFIRMED ─────┘
 *           │    │   │         REVERSE │  │ REVERSE        │  │
 *           │    │   │ REVERSE         ▼  ▼        REVERSE │  │ REVERSE
 *           │    │   └──────────────► REVERSED             │  ▼
 *   DECLINE │    │ DECLINE                                 └► RELEASED_UNPAID
 *           ▼    ▼
 *         DECLINED
 * </pre>
 *
 * <ul>
 *   <li>CHARGING: the charge was committed before the terminal (or the QR provider) was asked.
 *       APPROVE records the approval; DECLINE covers declined, cancelled and no terminal (nothing
 *       was charged); LOSE means the link broke after the terminal took the charge.
 *   <li>UNKNOWN: recovery asks the terminal (last transaction): approved, nothing or declined, or
 *       reversed by the terminal itself.
 *   <li>APPROVED: the door may open. RELEASE once the door sensor confirmed the parcel is out;
 *       WITHHOLD when the door did not open and a reversal is owed; REVERSE when the terminal
 *       reversed on its own (its patience with the release decision ran out).
 *   <li>RELEASED: the parcel is out and the terminal is told to complete. COMPLETE is final (PAID);
 *       LOSE leaves it RELEASED_UNCONFIRMED for recovery; REVERSE means the parcel is out but the
 *       payment was reversed: RELEASED_UNPAID, final and an alarm.
 *   <li>REVERSING: a reversal is owed and retried until the terminal confirms it (REVERSED).
 * </ul>
 *
 * The money invariant (§2.3 rule 3): every APPROVED payment ends either released (PAID, or the
 * RELEASED_UNPAID alarm) or reversed; no parcel is released without APPROVED.
 */
public enum PaymentState {
  CHARGING,
  UNKNOWN,
  APPROVED,
  DECLINED,
  RELEASED,
  RELEASED_UNCONFIRMED,
  REVERSING,
  PAID,
  REVERSED,
  RELEASED_UNPAID;

  /** What happens to a payment. */
  public enum Event {
    /** The terminal (or the QR provider) approved, or recovery found it approved. */
    APPROVE,
    /** Declined, cancelled, no terminal, or recovery found nothing: nothing was charged. */
    DECLINE,
    /** The link to the terminal broke while the outcome was open. */
    LOSE,
    /** The door sensor confirmed the parcel is out. */
    RELEASE,
    /** The door did not open: the approved payment must be reversed. */
    WITHHOLD,
    /** The terminal reversed the payment (asked to, or on its own). */
    REVERSE,
    /** The terminal completed the payment. */
    COMPLETE
  }

  /** How a payment is made. */
  public enum Method {
    /** On the card terminal at the locker. */
    CARD,
    /** By scanning a QR code with a phone; the provider confirms through the cloud. */
    QR
  }

  public Optional<PaymentState> on(Event event) {
    PaymentState next =
        switch (this) {
          case CHARGING ->
              switch (event) {
                case APPROVE -> APPROVED;
                case DECLINE -> DECLINED;
                case LOSE -> UNKNOWN;
                default -> null;
              };
          case UNKNOWN ->
              switch (event) {
                case APPROVE -> APPROVED;
                case DECLINE -> DECLINED;
                case REVERSE -> REVERSED;
                default -> null;
              };
          case APPROVED ->
              switch (event) {
                case RELEASE -> RELEASED;
                case WITHHOLD -> REVERSING;
                case REVERSE -> REVERSED;
                default -> null;
              };
          case RELEASED ->
              switch (event) {
                case COMPLETE -> PAID;
                case LOSE -> RELEASED_UNCONFIRMED;
                case REVERSE -> RELEASED_UNPAID;
                default -> null;
              };
          case RELEASED_UNCONFIRMED ->
              switch (event) {
                case COMPLETE -> PAID;
                case REVERSE -> RELEASED_UNPAID;
                default -> null;
              };
          case REVERSING -> event == Event.REVERSE ? REVERSED : null;
          case DECLINED, PAID, REVERSED, RELEASED_UNPAID -> null;
        };
    return Optional.ofNullable(next);
  }

  public PaymentState next(Event event) {
    return on(event).orElseThrow(() -> new IllegalTransition("payment", this, event));
  }

  /** Final states: nothing more happens to the payment. */
  public boolean isFinal() {
    return this == DECLINED || this == PAID || this == REVERSED || this == RELEASED_UNPAID;
  }

  /**
   * States start-up must resolve before the locker takes a new payment (§2.3 rule 1): every state
   * that is not final.
   */
  public boolean needsRecovery() {
    return !isFinal();
  }
}
