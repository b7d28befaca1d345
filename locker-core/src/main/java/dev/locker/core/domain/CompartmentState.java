package dev.locker.core.domain;

import java.util.Optional;

/**
 * What a compartment holds and whether a flow is using it. Faults and out-of-service are flags on
 * {@link Compartment}, not states: a faulty compartment keeps its parcel.
 *
 * <pre>
 *            RESERVE              DOOR_OPENED            DOOR_CLOSED
 *   FREE ───────────► RESERVED ─────────────► LOADING ─────────────► OCCUPIED
 *    ▲                   │ UNLOCK_FAILED                                │ RELEASE
 *    └───────────────────┘                                              ▼
 *    ▲                            UNLOCK_FAILED                     RELEASING
 *    │                 OCCUPIED ◄───────────────────────────────────────┤
 *    │   DOOR_CLOSED                            DOOR_OPENED             │
 *    └───────────────── EMPTYING ◄──────────────────────────────────────┘
 * </pre>
 *
 * A deposit reserves a free compartment and commits the intent before the unlock; the parcel is in
 * the locker only when the door has been opened (LOADING) and closed again (OCCUPIED). A pickup
 * releases an occupied compartment; the parcel is out once the door opened (EMPTYING), and the
 * compartment is free again when the door closes.
 */
public enum CompartmentState {
  FREE,
  RESERVED,
  LOADING,
  OCCUPIED,
  RELEASING,
  EMPTYING;

  /** What happens to a compartment. */
  public enum Event {
    RESERVE,
    RELEASE,
    DOOR_OPENED,
    DOOR_CLOSED,
    UNLOCK_FAILED
  }

  /** The transition table: the next state, or empty when the event is illegal in this state. */
  public Optional<CompartmentState> on(Event event) {
    CompartmentState next =
        switch (this) {
          case FREE -> event == Event.RESERVE ? RESERVED : null;
          case RESERVED ->
              switch (event) {
                case DOOR_OPENED -> LOADING;
                case UNLOCK_FAILED -> FREE;
                default -> null;
              };
          case LOADING -> event == Event.DOOR_CLOSED ? OCCUPIED : null;
          case OCCUPIED -> event == Event.RELEASE ? RELEASING : null;
          case RELEASING ->
              switch (event) {
                case DOOR_OPENED -> EMPTYING;
                case UNLOCK_FAILED -> OCCUPIED;
                default -> null;
              };
          case EMPTYING -> event == Event.DOOR_CLOSED ? FREE : null;
        };
    return Optional.ofNullable(next);
  }

  /** The next state; throws {@link IllegalTransition} for an event the table does not allow. */
  public CompartmentState next(Event event) {
    return on(event).orElseThrow(() -> new IllegalTransition("compartment", this, event));
  }

  /** True while an unlock intent of a flow is open on this compartment. */
  public boolean inFlow() {
    return this == RESERVED || this == LOADING || this == RELEASING || this == EMPTYING;
  }
}
