package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.domain.KeypadGuard.State;
import dev.locker.core.domain.KeypadGuard.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Brute-force protection of the pickup keypad (reliability-security.md §5.1). */
class KeypadGuardTest {
  private static final Duration LOCKOUT = Duration.ofSeconds(60);
  private static final Duration MAX_LOCKOUT = Duration.ofMinutes(10);
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final KeypadGuard guard = new KeypadGuard(5, LOCKOUT, MAX_LOCKOUT, 20);

  private static Verdict locked(Instant until, boolean hourly) {
    return new Verdict.LockedOut(until, hourly);
  }

  private static final Verdict ALLOWED = new Verdict.Allowed();

  /** {@code n} failures at {@code at}, as the use case records them (only when allowed). */
  private State failures(State state, int n, Instant at) {
    State s = state;
    for (int i = 0; i < n; i++) {
      assertThat(guard.check(s, at))
          .as("failure %d at %s is allowed", i + 1, at)
          .isEqualTo(ALLOWED);
      s = guard.afterFailure(s, at);
    }
    return s;
  }

  /**
   * 20 failures one minute apart from {@code start}, with a success after every fourth so that no
   * run of 5 locks the keypad: only the hourly budget is spent.
   */
  private State twentyFailuresOneMinuteApart(Instant start) {
    State s = State.FRESH;
    for (int i = 0; i < 20; i++) {
      Instant at = start.plus(Duration.ofMinutes(i));
      s = failures(s, 1, at);
      if (i % 4 == 3 && i < 19) {
        s = guard.afterSuccess(s, at);
      }
    }
    return s;
  }

  @Test
  void fourFailuresInARowStillLetTheRecipientTry() {
    State s = failures(State.FRESH, 4, T0);

    assertThat(s.consecutiveFailures()).isEqualTo(4);
    assertThat(guard.check(s, T0)).isEqualTo(ALLOWED);
  }

  @Test
  void theFifthFailureInARowLocksTheKeypadForSixtySeconds() {
    State s = failures(State.FRESH, 5, T0);

    assertThat(s.lockedUntil()).isEqualTo(T0.plusSeconds(60));
    assertThat(guard.check(s, T0)).isEqualTo(locked(T0.plusSeconds(60), false));
    assertThat(guard.check(s, T0.plusSeconds(60).minusMillis(1)))
        .isEqualTo(locked(T0.plusSeconds(60), false));
    assertThat(guard.check(s, T0.plusSeconds(60))).isEqualTo(ALLOWED);
  }

  @Test
  void eachFailureAfterALockoutDoublesItUpToTheCap() {
    State s = failures(State.FRESH, 5, T0);
    List<Duration> lockouts = new ArrayList<>();
    lockouts.add(Duration.between(T0, s.lockedUntil()));
    for (int i = 0; i < 6; i++) {
      Instant now = s.lockedUntil();
      s = failures(s, 1, now);
      lockouts.add(Duration.between(now, s.lockedUntil()));
      assertThat(guard.check(s, now)).isEqualTo(locked(s.lockedUntil(), false));
    }

    assertThat(lockouts)
        .containsExactly(
            Duration.ofSeconds(60),
            Duration.ofSeconds(120),
            Duration.ofSeconds(240),
            Duration.ofSeconds(480),
            MAX_LOCKOUT,
            MAX_LOCKOUT,
            MAX_LOCKOUT);
    assertThat(s.consecutiveFailures()).isEqualTo(11);
  }

  @Test
  void theLockoutNeverExceedsTheCapHoweverLongTheRun() {
    assertThat(guard.lockoutFor(0)).isEqualTo(LOCKOUT);
    assertThat(guard.lockoutFor(3)).isEqualTo(Duration.ofSeconds(480));
    assertThat(guard.lockoutFor(4)).isEqualTo(MAX_LOCKOUT);
    assertThat(guard.lockoutFor(Integer.MAX_VALUE)).isEqualTo(MAX_LOCKOUT);
    KeypadGuard capBelowBase = new KeypadGuard(5, Duration.ofMinutes(5), Duration.ofMinutes(2), 20);
    assertThat(capBelowBase.lockoutFor(0)).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aSuccessEndsTheRunButNotTheHourlyBudget() {
    State s = failures(State.FRESH, 4, T0);

    State after = guard.afterSuccess(s, T0.plusSeconds(1));

    assertThat(after.consecutiveFailures()).isZero();
    assertThat(after.recentFailures()).containsExactly(T0, T0, T0, T0);
    State again = failures(after, 4, T0.plusSeconds(2));
    assertThat(guard.check(again, T0.plusSeconds(2))).isEqualTo(ALLOWED);
    assertThat(again.recentFailures()).hasSize(8);
    State fifth = guard.afterFailure(again, T0.plusSeconds(2));
    assertThat(guard.check(fifth, T0.plusSeconds(2))).isEqualTo(locked(T0.plusSeconds(62), false));
  }

  @Test
  void aSuccessAfterALockoutStartsTheNextRunAtTheBaseLockout() {
    State s = failures(State.FRESH, 5, T0);
    s = failures(s, 1, s.lockedUntil());
    Instant free = s.lockedUntil();

    s = guard.afterSuccess(s, free);
    s = failures(s, 5, free);

    assertThat(guard.check(s, free)).isEqualTo(locked(free.plus(LOCKOUT), false));
  }

  @Test
  void theSixthFailureAfterTheLockoutLocksForOneHundredTwentySeconds() {
    State s = failures(State.FRESH, 5, T0);
    Instant lockoutOver = T0.plusSeconds(60);

    State sixth = failures(s, 1, lockoutOver);
    State seventh = failures(sixth, 1, sixth.lockedUntil());

    assertThat(guard.check(sixth, lockoutOver))
        .isEqualTo(locked(lockoutOver.plusSeconds(120), false));
    assertThat(guard.check(seventh, sixth.lockedUntil()))
        .isEqualTo(locked(sixth.lockedUntil().plusSeconds(240), false));
  }

  @Test
  void twentyFailuresWithinAnHourLockUntilTheOldestIsAnHourOld() {
    State s = twentyFailuresOneMinuteApart(T0);
    Instant last = T0.plus(Duration.ofMinutes(19));
    Instant oldestAnHourOld = T0.plus(KeypadGuard.WINDOW);

    assertThat(s.consecutiveFailures()).as("no run of five").isLessThan(5);
    assertThat(guard.check(s, last)).isEqualTo(locked(oldestAnHourOld, true));
    assertThat(guard.check(s, oldestAnHourOld.minusMillis(1)))
        .isEqualTo(locked(oldestAnHourOld, true));
    assertThat(guard.check(s, oldestAnHourOld)).isEqualTo(ALLOWED);
  }

  @Test
  void theHourlyLimitOutranksARunningLockout() {
    State s = twentyFailuresOneMinuteApart(T0);
    Instant last = T0.plus(Duration.ofMinutes(19));
    State withRun = new State(5, last.plus(Duration.ofHours(2)), s.recentFailures());

    assertThat(guard.check(withRun, last)).isEqualTo(locked(T0.plus(KeypadGuard.WINDOW), true));
    assertThat(guard.check(withRun, T0.plus(KeypadGuard.WINDOW)))
        .isEqualTo(locked(last.plus(Duration.ofHours(2)), false));
  }

  @Test
  void failuresOlderThanAnHourNoLongerCount() {
    State s = twentyFailuresOneMinuteApart(T0);
    Instant later = T0.plus(KeypadGuard.WINDOW).plus(Duration.ofMinutes(5));

    assertThat(guard.check(s, later)).as("T0 .. T0+5min no longer count").isEqualTo(ALLOWED);
    State after = guard.afterFailure(guard.afterSuccess(s, later), later);

    assertThat(after.recentFailures())
        .allMatch(t -> t.isAfter(later.minus(KeypadGuard.WINDOW)))
        .hasSize(20 - 6 + 1)
        .endsWith(later);
    assertThat(guard.check(after, later)).isEqualTo(ALLOWED);
    assertThat(guard.afterSuccess(after, later.plus(KeypadGuard.WINDOW)).recentFailures())
        .isEmpty();
  }

  @Test
  void onlyTheFailuresTheBudgetNeedsAreKept() {
    KeypadGuard patient = new KeypadGuard(1000, LOCKOUT, MAX_LOCKOUT, 20);
    State s = State.FRESH;
    for (int i = 0; i < 50; i++) {
      s = patient.afterFailure(s, T0.plusSeconds(i));
    }

    assertThat(s.recentFailures())
        .hasSize(20)
        .startsWith(T0.plusSeconds(30))
        .endsWith(T0.plusSeconds(49));
    assertThat(patient.check(s, T0.plusSeconds(49)))
        .isEqualTo(locked(T0.plusSeconds(30).plus(KeypadGuard.WINDOW), true));
  }

  @Test
  void aClockSetBackDoesNotRefillTheBudget() {
    State s = twentyFailuresOneMinuteApart(T0);
    Instant setBack = T0.minus(Duration.ofHours(3));

    assertThat(guard.check(s, setBack)).isInstanceOf(Verdict.LockedOut.class);
    assertThat(((Verdict.LockedOut) guard.check(s, setBack)).hourlyLimit()).isTrue();
    assertThat(guard.afterSuccess(s, setBack).recentFailures())
        .as("failures stamped in the future stay")
        .hasSize(20);
  }

  @Test
  void aClockSetBackDoesNotLiftARunningLockout() {
    State s = failures(State.FRESH, 5, T0);

    assertThat(guard.check(s, T0.minus(Duration.ofDays(1))))
        .isEqualTo(locked(T0.plusSeconds(60), false));
  }

  @Test
  void afterAClockSetBackTheHourlyLockoutEndsWhenTheOldestFailureIsAnHourOld() {
    State s = State.FRESH;
    for (int i = 0; i < 19; i++) {
      Instant at = T0.plus(Duration.ofMinutes(i));
      s = failures(s, 1, at);
      if (i % 4 == 3) {
        s = guard.afterSuccess(s, at);
      }
    }
    Instant setBack = T0.minus(Duration.ofMinutes(30));
    s = failures(s, 1, setBack);

    Verdict verdict = guard.check(s, setBack);

    assertThat(guard.check(s, setBack.plus(KeypadGuard.WINDOW))).isEqualTo(ALLOWED);
    assertThat(verdict).isEqualTo(locked(setBack.plus(KeypadGuard.WINDOW), true));
  }

  @Test
  void theStateIsAValue() {
    List<Instant> failures = new ArrayList<>(List.of(T0, T0.plusSeconds(1)));
    State a = new State(2, T0.plusSeconds(60), failures);
    State b = new State(2, T0.plusSeconds(60), List.of(T0, T0.plusSeconds(1)));

    failures.add(T0.plusSeconds(2));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.recentFailures()).hasSize(2);
    assertThatThrownBy(() -> a.recentFailures().add(T0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(new State(a.consecutiveFailures(), a.lockedUntil(), a.recentFailures()))
        .isEqualTo(a);
    assertThat(State.FRESH).isEqualTo(new State(0, Instant.EPOCH, List.of()));
  }

  @Test
  void decisionsReturnNewStatesAndLeaveTheOldOnesAlone() {
    State before = failures(State.FRESH, 3, T0);
    State copy =
        new State(before.consecutiveFailures(), before.lockedUntil(), before.recentFailures());

    guard.afterFailure(before, T0.plusSeconds(1));
    guard.afterSuccess(before, T0.plusSeconds(1));

    assertThat(before).isEqualTo(copy);
    assertThat(State.FRESH.consecutiveFailures()).isZero();
    assertThat(State.FRESH.recentFailures()).isEmpty();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new KeypadGuard(0, LOCKOUT, MAX_LOCKOUT, 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeypadGuard(5, LOCKOUT, MAX_LOCKOUT, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeypadGuard(5, Duration.ofSeconds(-1), MAX_LOCKOUT, 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeypadGuard(5, LOCKOUT, Duration.ofSeconds(-1), 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new State(0, null, List.of()))
        .isInstanceOf(NullPointerException.class);
  }

  /**
   * Random keypad sessions on a clock that only moves forward: whenever the guard says "locked
   * until u", entry is refused for every instant before u and that lockout is over at u; the state
   * never keeps more failures than the hourly budget.
   */
  @RepeatedTest(50)
  void aLockoutLastsExactlyUntilTheTimeItNames(RepetitionInfo repetition) {
    Random random = new Random(0xC0DE_0000L + repetition.getCurrentRepetition());
    int maxPerHour = 3 + random.nextInt(20);
    KeypadGuard g = new KeypadGuard(1 + random.nextInt(6), LOCKOUT, MAX_LOCKOUT, maxPerHour);
    State s = State.FRESH;
    Instant now = T0;
    for (int step = 0; step < 300; step++) {
      now =
          now.plusMillis(
              random.nextInt(4) == 0 ? random.nextInt(30 * 60_000) : random.nextInt(20_000));
      Verdict verdict = g.check(s, now);
      if (verdict instanceof Verdict.LockedOut out) {
        assertThat(out.until()).isAfter(now);
        assertThat(g.check(s, out.until().minusMillis(1))).isInstanceOf(Verdict.LockedOut.class);
        assertThat(g.check(s, out.until())).isNotEqualTo(out);
        if (out.hourlyLimit()) {
          Verdict at = g.check(s, out.until());
          assertThat(at instanceof Verdict.LockedOut l && l.hourlyLimit())
              .as("hourly lockout over at %s", out.until())
              .isFalse();
        }
        continue;
      }
      s = random.nextInt(5) == 0 ? g.afterSuccess(s, now) : g.afterFailure(s, now);
      assertThat(s.recentFailures()).hasSizeLessThanOrEqualTo(maxPerHour);
    }
  }
}
