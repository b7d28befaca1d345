package dev.locker.core.domain;

import java.util.Optional;

/**
 * The life of a parcel at this locker.
 *
 * <pre>
 *             DEPOSIT                PICK_UP
 *   EXPECTED ─────────► DEPOSITED ─────────► PICKED_UP
 *      │                    │ EXPIRE
 *      │ CANCEL             ▼           RETURN
 *      ▼                 EXPIRED ─────────────► RETURNED
 *   CANCELLED
 * </pre>
 *
 * EXPECTED is a pre-advice from the cloud, or a parcel a courier is putting in right now. A parcel
 * is DEPOSITED only once its door was opened and closed again; PICKED_UP once the door opened for
 * the recipient. An expired parcel's code no longer works; a courier takes it back (RETURNED).
 */
public enum ParcelState {
  EXPECTED,
  DEPOSITED,
  PICKED_UP,
  EXPIRED,
  RETURNED,
  CANCELLED;

  /** What happens to a parcel. */
  public enum Event {
    DEPOSIT,
    PICK_UP,
    EXPIRE,
    RETURN,
    CANCEL
  }

  public Optional<ParcelState> on(Event event) {
    ParcelState next =
        switch (this) {
          case EXPECTED ->
              switch (event) {
                case DEPOSIT -> DEPOSITED;
                case CANCEL -> CANCELLED;
                default -> null;
              };
          case DEPOSITED ->
              switch (event) {
                case PICK_UP -> PICKED_UP;
                case EXPIRE -> EXPIRED;
                default -> null;
              };
          case EXPIRED -> event == Event.RETURN ? RETURNED : null;
          case PICKED_UP, RETURNED, CANCELLED -> null;
        };
    return Optional.ofNullable(next);
  }

  public ParcelState next(Event event) {
    return on(event).orElseThrow(() -> new IllegalTransition("parcel", this, event));
  }

  /** Final states: nothing more happens to the parcel here. */
  public boolean isFinal() {
    return this == PICKED_UP || this == RETURNED || this == CANCELLED;
  }
}
