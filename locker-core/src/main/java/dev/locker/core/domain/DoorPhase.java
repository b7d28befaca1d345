package dev.locker.core.domain;

import java.util.Optional;

/**
 * What the locker believes about one door, combining its sensor with the reason it was unlocked.
 * Every opening has a recorded reason: an opening while CLOSED (nothing authorised) is FORCED.
 *
 * <pre>
 *            AUTHORISE            SENSOR_OPEN             SENSOR_CLOSED
 *   CLOSED ───────────► RELEASED ─────────────► OPEN ──────────────────► CLOSED
 *    │  ▲                  │ RELEASE_LAPSED
 *    │  └──────────────────┘  (unlock failed, or the door was never seen open)
 *    │  SENSOR_OPEN (no reason recorded)        SENSOR_CLOSED
 *    └──────────────────────────────► FORCED ──────────────────► CLOSED
 * </pre>
 */
public enum DoorPhase {
  CLOSED,
  RELEASED,
  OPEN,
  FORCED;

  /** What happens to a door. */
  public enum Event {
    AUTHORISE,
    SENSOR_OPEN,
    SENSOR_CLOSED,
    RELEASE_LAPSED
  }

  /** The transition table: the next phase, or empty when the event is illegal in this phase. */
  public Optional<DoorPhase> on(Event event) {
    DoorPhase next =
        switch (this) {
          case CLOSED ->
              switch (event) {
                case AUTHORISE -> RELEASED;
                case SENSOR_OPEN -> FORCED;
                default -> null;
              };
          case RELEASED ->
              switch (event) {
                case SENSOR_OPEN -> OPEN;
                case RELEASE_LAPSED -> CLOSED;
                default -> null;
              };
          case OPEN, FORCED -> event == Event.SENSOR_CLOSED ? CLOSED : null;
        };
    return Optional.ofNullable(next);
  }

  public DoorPhase next(Event event) {
    return on(event).orElseThrow(() -> new IllegalTransition("door", this, event));
  }

  public boolean isOpen() {
    return this == OPEN || this == FORCED;
  }
}
