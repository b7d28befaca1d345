package dev.locker.hal.locks;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DoorState;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debounces polled door reads: a door's state counts once it read the same on {@code reads}
 * consecutive polls. Also the source of {@link #states()} for a {@code DoorMonitor}: UNKNOWN until
 * a door's first debounced read. Thread-safe (one poller writes, anyone reads).
 */
final class DoorDebouncer {
  private final int reads;
  private final Map<CompartmentId, DoorState> reported = new ConcurrentHashMap<>();
  private final Map<CompartmentId, DoorState> candidate = new ConcurrentHashMap<>();
  private final Map<CompartmentId, Integer> streak = new ConcurrentHashMap<>();

  DoorDebouncer(Iterable<CompartmentId> doors, int reads) {
    if (reads < 1) {
      throw new IllegalArgumentException("reads must be >= 1");
    }
    this.reads = reads;
    doors.forEach(id -> reported.put(id, DoorState.UNKNOWN));
  }

  /** Records one read; returns the new state when this read makes a debounced change. */
  Optional<DoorState> observe(CompartmentId id, DoorState read) {
    int count = read == candidate.get(id) ? streak.getOrDefault(id, 0) + 1 : 1;
    candidate.put(id, read);
    streak.put(id, count);
    if (count >= reads && reported.get(id) != read) {
      reported.put(id, read);
      return Optional.of(read);
    }
    return Optional.empty();
  }

  Map<CompartmentId, DoorState> states() {
    return new TreeMap<>(reported);
  }
}
