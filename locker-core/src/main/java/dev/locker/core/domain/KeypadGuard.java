package dev.locker.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Brute-force protection of the pickup keypad, per locker (reliability-security.md §5.1).
 *
 * <ul>
 *   <li>After {@code maxConsecutive} failures in a row the keypad locks for {@code lockout}; each
 *       further failure doubles the lockout, up to {@code maxLockout}. A success resets the run.
 *   <li>At most {@code maxPerHour} failures in any trailing hour; at that point code entry is
 *       refused until the oldest failure in the window is an hour old.
 * </ul>
 *
 * Pure: the state is a value the store persists, so lockouts survive a restart.
 */
public final class KeypadGuard {
  public static final Duration WINDOW = Duration.ofHours(1);

  private final int maxConsecutive;
  private final Duration lockout;
  private final Duration maxLockout;
  private final int maxPerHour;

  public KeypadGuard(int maxConsecutive, Duration lockout, Duration maxLockout, int maxPerHour) {
    if (maxConsecutive < 1 || maxPerHour < 1 || lockout.isNegative() || maxLockout.isNegative()) {
      throw new IllegalArgumentException("keypad limits must be positive");
    }
    this.maxConsecutive = maxConsecutive;
    this.lockout = lockout;
    this.maxLockout = maxLockout;
    this.maxPerHour = maxPerHour;
  }

  /** The persisted keypad state: the current run of failures and the failures of the last hour. */
  public record State(int consecutiveFailures, Instant lockedUntil, List<Instant> recentFailures) {
    public static final State FRESH = new State(0, Instant.EPOCH, List.of());

    public State {
      Objects.requireNonNull(lockedUntil, "lockedUntil");
      // Kept in time order whatever the order of recording (a clock set back appends an earlier
      // failure last): check() reads the oldest of the window from the front.
      recentFailures = recentFailures.stream().sorted().toList();
    }
  }

  /** Whether code entry is allowed now. */
  public sealed interface Verdict {
    record Allowed() implements Verdict {}

    /** Refused until {@code until}; {@code hourlyLimit} when the per-hour budget is spent. */
    record LockedOut(Instant until, boolean hourlyLimit) implements Verdict {}
  }

  public Verdict check(State state, Instant now) {
    List<Instant> recent = within(state.recentFailures(), now);
    if (recent.size() >= maxPerHour) {
      return new Verdict.LockedOut(recent.get(recent.size() - maxPerHour).plus(WINDOW), true);
    }
    if (now.isBefore(state.lockedUntil())) {
      return new Verdict.LockedOut(state.lockedUntil(), false);
    }
    return new Verdict.Allowed();
  }

  /** The state after a wrong, used or expired code was entered at {@code now}. */
  public State afterFailure(State state, Instant now) {
    int run = state.consecutiveFailures() + 1;
    List<Instant> recent = new ArrayList<>(within(state.recentFailures(), now));
    recent.add(now);
    Instant lockedUntil = state.lockedUntil();
    if (run >= maxConsecutive) {
      lockedUntil = now.plus(lockoutFor(run - maxConsecutive));
    }
    // Keep no more than the hourly budget needs: the window's newest maxPerHour entries.
    List<Instant> kept = recent.subList(Math.max(0, recent.size() - maxPerHour), recent.size());
    return new State(run, lockedUntil, kept);
  }

  /** The state after a code was accepted: the run of failures ends; the hourly budget stays. */
  public State afterSuccess(State state, Instant now) {
    return new State(0, state.lockedUntil(), within(state.recentFailures(), now));
  }

  /** lockout × 2^doublings, capped at maxLockout. */
  Duration lockoutFor(int doublings) {
    Duration d = lockout;
    for (int i = 0; i < doublings && d.compareTo(maxLockout) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxLockout) > 0 ? maxLockout : d;
  }

  private static List<Instant> within(List<Instant> failures, Instant now) {
    Instant from = now.minus(WINDOW);
    // Failures stamped after now (a clock set back) still count: rewinding the clock must not
    // refill the budget.
    return failures.stream().filter(t -> t.isAfter(from)).toList();
  }
}
