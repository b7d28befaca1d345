package dev.locker.core.testing;

import dev.locker.core.application.port.DoorMonitor;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DoorState;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Door sensors a test moves by hand: {@link #open} and {@link #close} change the state and tell the
 * listener, as a debounced sensor would.
 */
public final class FakeDoors implements DoorMonitor {
  private final Map<CompartmentId, DoorState> states = new ConcurrentHashMap<>();
  private volatile Listener listener;

  public FakeDoors(Iterable<CompartmentId> doors) {
    doors.forEach(id -> states.put(id, DoorState.CLOSED));
  }

  @Override
  public void start(Listener listener) {
    this.listener = listener;
  }

  @Override
  public Map<CompartmentId, DoorState> currentStates() {
    return new TreeMap<>(states);
  }

  @Override
  public void stop() {
    listener = null;
  }

  public void open(CompartmentId id) {
    set(id, DoorState.OPEN);
  }

  public void close(CompartmentId id) {
    set(id, DoorState.CLOSED);
  }

  /** Sets a state without telling anyone: what a restarted locker finds. */
  public void setSilently(CompartmentId id, DoorState state) {
    states.put(id, state);
  }

  private void set(CompartmentId id, DoorState state) {
    states.put(id, state);
    Listener current = listener;
    if (current != null) {
      current.doorChanged(id, state);
    }
  }
}
