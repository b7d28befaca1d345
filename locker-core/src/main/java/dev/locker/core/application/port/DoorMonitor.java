package dev.locker.core.application.port;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DoorState;
import java.util.Map;

/**
 * Watches the door sensors (a lock board's latch bits, or reed switches) and reports changes,
 * debounced. Implemented in locker-hal.
 *
 * <p>Threads: the monitor reads on its own named thread and calls the listener there; the listener
 * must only post the change to the locker loop, never touch domain state itself.
 */
public interface DoorMonitor {

  /** Starts watching; every later change, and the first state read of each door, is reported. */
  void start(Listener listener);

  /** The latest debounced state of every configured door ({@code UNKNOWN} before a first read). */
  Map<CompartmentId, DoorState> currentStates();

  /** Stops watching and releases the monitor's thread. Idempotent. */
  void stop();

  /** Receives door changes. Called on the monitor's thread. */
  @FunctionalInterface
  interface Listener {
    void doorChanged(CompartmentId compartment, DoorState state);
  }
}
