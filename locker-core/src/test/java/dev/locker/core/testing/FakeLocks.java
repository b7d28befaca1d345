package dev.locker.core.testing;

import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.domain.CompartmentId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks that release and let the door spring open, unless a test jammed them or silenced the board.
 * Records every unlock, so tests can check that none happened without a reason.
 */
public final class FakeLocks implements CompartmentLocks {
  private final FakeDoors doors;
  private final Set<CompartmentId> jammed = ConcurrentHashMap.newKeySet();
  private final Set<CompartmentId> stuckClosed = ConcurrentHashMap.newKeySet();
  private final Map<CompartmentId, Integer> jamCount = new ConcurrentHashMap<>();
  private volatile boolean boardSilent;
  private final List<CompartmentId> unlocks = new ArrayList<>();

  public FakeLocks(FakeDoors doors) {
    this.doors = doors;
  }

  /** The lock stays locked on every unlock. */
  public void jam(CompartmentId id) {
    jammed.add(id);
  }

  public void unjam(CompartmentId id) {
    jammed.remove(id);
    jamCount.remove(id);
  }

  /** The lock stays locked on the next {@code times} unlocks, then works. */
  public void jamFor(CompartmentId id, int times) {
    jamCount.put(id, times);
  }

  /** The lock releases but the door never springs open (a stuck door, a GPIO lock). */
  public void doorStuckClosed(CompartmentId id) {
    stuckClosed.add(id);
  }

  public void silenceBoard(boolean silent) {
    boardSilent = silent;
  }

  public synchronized List<CompartmentId> unlocks() {
    return List.copyOf(unlocks);
  }

  @Override
  public UnlockOutcome unlock(CompartmentId compartment) {
    synchronized (this) {
      unlocks.add(compartment);
    }
    if (boardSilent) {
      return new UnlockOutcome.Unreachable("no reply from board 0");
    }
    if (jammed.contains(compartment)) {
      return new UnlockOutcome.StillLocked("latch reads locked after unlock");
    }
    Integer left = jamCount.get(compartment);
    if (left != null && left > 0) {
      jamCount.put(compartment, left - 1);
      return new UnlockOutcome.StillLocked("latch reads locked after unlock");
    }
    if (!stuckClosed.contains(compartment)) {
      doors.open(compartment);
    }
    return new UnlockOutcome.Released();
  }
}
