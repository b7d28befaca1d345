package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeypadGuardTest {
  private final KeypadGuard guard =
      new KeypadGuard(5, Duration.ofSeconds(60), Duration.ofMinutes(10), 20);
  private final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");

  private KeypadGuard.State fail(KeypadGuard.State s, Instant at, int times) {
    for (int i = 0; i < times; i++) {
      s = guard.afterFailure(s, at);
    }
    return s;
  }

  @Test
  void fourFailuresInARowLeaveTheKeypadOpen() {
    KeypadGuard.State s = fail(KeypadGuard.State.FRESH, t0, 4);
    assertThat(guard.check(s, t0)).isInstanceOf(KeypadGuard.Verdict.Allowed.class);
  }

  @Test
  void theFifthFailureLocksForSixtySecondsThenEachFurtherOneDoubles() {
    KeypadGuard.State s = fail(KeypadGuard.State.FRESH, t0, 5);
    assertThat(guard.check(s, t0))
        .isEqualTo(new KeypadGuard.Verdict.LockedOut(t0.plusSeconds(60), false));
    assertThat(guard.check(s, t0.plusSeconds(60))).isInstanceOf(KeypadGuard.Verdict.Allowed.class);

    Instant t1 = t0.plusSeconds(61);
    s = guard.afterFailure(s, t1);
    assertThat(guard.check(s, t1))
        .isEqualTo(new KeypadGuard.Verdict.LockedOut(t1.plusSeconds(120), false));

    Instant t2 = t1.plusSeconds(121);
    s = guard.afterFailure(s, t2);
    assertThat(guard.check(s, t2))
        .isEqualTo(new KeypadGuard.Verdict.LockedOut(t2.plusSeconds(240), false));
  }

  @Test
  void theLockoutStopsGrowingAtTheMaximum() {
    assertThat(guard.lockoutFor(0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(guard.lockoutFor(3)).isEqualTo(Duration.ofSeconds(480));
    assertThat(guard.lockoutFor(4)).isEqualTo(Duration.ofMinutes(10));
    assertThat(guard.lockoutFor(40)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aSuccessEndsTheRunButNotTheHourlyBudget() {
    KeypadGuard.State s = fail(KeypadGuard.State.FRESH, t0, 4);
    s = guard.afterSuccess(s, t0);
    assertThat(s.consecutiveFailures()).isZero();
    assertThat(s.recentFailures()).hasSize(4);
    s = fail(s, t0, 4);
    assertThat(guard.check(s, t0)).isInstanceOf(KeypadGuard.Verdict.Allowed.class);
  }

  @Test
  void twentyFailuresInAnHourRefuseEntryUntilTheOldestIsAnHourOld() {
    KeypadGuard.State s = KeypadGuard.State.FRESH;
    for (int i = 0; i < 20; i++) {
      s = guard.afterFailure(s, t0.plus(Duration.ofMinutes(2L * i)));
      s = guard.afterSuccess(s, t0.plus(Duration.ofMinutes(2L * i)));
    }
    Instant now = t0.plus(Duration.ofMinutes(40));
    assertThat(guard.check(s, now))
        .isEqualTo(new KeypadGuard.Verdict.LockedOut(t0.plus(Duration.ofHours(1)), true));
    assertThat(guard.check(s, t0.plus(Duration.ofHours(1)).plusSeconds(1)))
        .isInstanceOf(KeypadGuard.Verdict.Allowed.class);
  }

  @Test
  void failuresOlderThanAnHourNoLongerCount() {
    KeypadGuard.State s = fail(KeypadGuard.State.FRESH, t0, 19);
    s = guard.afterSuccess(s, t0);
    Instant later = t0.plus(Duration.ofHours(1)).plusSeconds(1);
    s = guard.afterFailure(s, later);
    assertThat(s.recentFailures()).containsExactly(later);
  }

  @Test
  void settingTheClockBackDoesNotRefillTheBudget() {
    KeypadGuard.State s = KeypadGuard.State.FRESH;
    for (int i = 0; i < 20; i++) {
      s = guard.afterSuccess(guard.afterFailure(s, t0), t0);
    }
    Instant rewound = t0.minus(Duration.ofHours(5));
    assertThat(guard.check(s, rewound)).isInstanceOf(KeypadGuard.Verdict.LockedOut.class);
  }
}
