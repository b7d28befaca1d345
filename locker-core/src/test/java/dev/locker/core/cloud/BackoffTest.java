package dev.locker.core.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Full-jitter exponential backoff: 1 s doubling to 5 min, waits drawn from [0, ceiling]. */
class BackoffTest {
  private static final Backoff.Settings DEFAULTS = Backoff.Settings.DEFAULTS;

  @Test
  void ceilings_doubleFromOneSecond_andStopAtFiveMinutes() {
    assertThat(IntStream.rangeClosed(1, 11).mapToObj(n -> Backoff.ceiling(DEFAULTS, n)))
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(32),
            Duration.ofSeconds(64),
            Duration.ofSeconds(128),
            Duration.ofSeconds(256),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5));
    assertThat(Backoff.ceiling(DEFAULTS, Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void everyWait_liesBetweenZeroAndItsAttemptsCeiling() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Backoff backoff = new Backoff(DEFAULTS, random);
    for (int i = 0; i < 100_000; i++) {
      if (random.nextInt(15) == 0) {
        backoff.reset();
      }
      Duration wait = backoff.next();
      Duration ceiling = Backoff.ceiling(DEFAULTS, backoff.attempts());
      assertThat(wait)
          .as("seed %d, draw %d, attempt %d", seed, i, backoff.attempts())
          .isBetween(Duration.ZERO, ceiling);
    }
  }

  @Test
  void waitsOfOneLocker_growWithTheAttempts_andReachTheCap() {
    Backoff backoff = new Backoff(DEFAULTS, new Random(7));
    for (int n = 1; n <= 30; n++) {
      backoff.next();
    }

    // after many failed attempts the draws span the whole 5 min window
    long maxSeen = 0;
    for (int n = 0; n < 1000; n++) {
      maxSeen = Math.max(maxSeen, backoff.next().toMillis());
    }
    assertThat(backoff.attempts()).isEqualTo(1030);
    assertThat(maxSeen).isBetween(290_000L, 300_000L);
  }

  @Test
  void reset_startsTheNextOutageAtAttemptOne() {
    Backoff backoff = new Backoff(DEFAULTS, new Random(11));
    for (int n = 1; n <= 12; n++) {
      backoff.next();
    }

    backoff.reset();

    assertThat(backoff.attempts()).isZero();
    assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.attempts()).isEqualTo(1);
  }

  @Test
  void sameSeed_drawsTheSameWaits() {
    Backoff one = new Backoff(DEFAULTS, new Random(42));
    Backoff other = new Backoff(DEFAULTS, new Random(42));
    for (int n = 1; n <= 20; n++) {
      assertThat(one.next()).as("attempt %d", n).isEqualTo(other.next());
    }
  }

  @Test
  void aFleetOfOneThousandLockers_spreadsItsFirstReconnectsOverTheWholeSecond() {
    // given 1,000 lockers that lost the broker at the same moment, each with its own seed
    int[] perTenth = new int[10];
    Set<Duration> distinct = new HashSet<>();
    for (int locker = 0; locker < 1000; locker++) {
      Duration wait = new Backoff(DEFAULTS, new Random(locker * 7919L + 1)).next();
      distinct.add(wait);
      perTenth[(int) Math.min(9, wait.toNanos() / 100_000_000L)]++;
    }

    // then their first attempts are not all equal, and every tenth of the second gets some
    assertThat(distinct).hasSizeGreaterThan(990);
    for (int tenth = 0; tenth < 10; tenth++) {
      // 100 expected per tenth; 50 is more than 5 standard deviations below that
      assertThat(perTenth[tenth]).as("attempts in tenth %d", tenth).isGreaterThan(50);
    }
  }

  @Test
  void settings_refuseAZeroInitialOrAMaxBelowIt() {
    assertThatThrownBy(() -> new Backoff.Settings(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial must be positive");
    assertThatThrownBy(() -> new Backoff.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be below initial");
    assertThatThrownBy(() -> Backoff.ceiling(DEFAULTS, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
