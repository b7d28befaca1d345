package dev.locker.core.domain;

import java.util.Optional;

/**
 * An unlock intent: the durable record, committed before any unlock frame is sent, of why a door is
 * about to open. Start-up reconciles open intents with what the doors report.
 *
 * <pre>
 *            DOOR_OPENED              DOOR_CLOSED
 *   PENDING ─────────────► DOOR_OPENED ───────────► COMPLETED
 *      │ FAIL (lock jammed, board silent, door never seen open)
 *      ▼
 *   FAILED
 * </pre>
 */
public enum IntentState {
  PENDING,
  DOOR_OPENED,
  COMPLETED,
  FAILED;

  /** What happens to an intent. */
  public enum Event {
    DOOR_OPENED,
    DOOR_CLOSED,
    FAIL
  }

  public Optional<IntentState> on(Event event) {
    IntentState next =
        switch (this) {
          case PENDING ->
              switch (event) {
                case DOOR_OPENED -> DOOR_OPENED;
                case FAIL -> FAILED;
                default -> null;
              };
          case DOOR_OPENED -> event == Event.DOOR_CLOSED ? COMPLETED : null;
          case COMPLETED, FAILED -> null;
        };
    return Optional.ofNullable(next);
  }

  public IntentState next(Event event) {
    return on(event).orElseThrow(() -> new IllegalTransition("unlock intent", this, event));
  }

  public boolean isOpen() {
    return this == PENDING || this == DOOR_OPENED;
  }
}
