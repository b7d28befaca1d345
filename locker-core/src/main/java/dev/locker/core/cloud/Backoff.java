package dev.locker.core.cloud;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Exponential backoff with full jitter for the cloud link's reconnect attempts (contracts/mqtt.md
 * "Connection"): the wait before attempt {@code n} (n ≥ 1) is drawn uniformly from {@code [0,
 * min(max, initial × 2^(n-1))]}, so that a fleet of lockers that lost a restarted broker at the
 * same moment spreads its reconnects over the whole window instead of arriving together.
 *
 * <p>{@link #reset()} after a successful connection starts the next outage at attempt 1 again. Not
 * thread-safe: the link's one reconnecting thread owns it.
 */
public final class Backoff {

  /**
   * @param initial the ceiling of the first wait
   * @param max the ceiling the doubling stops at
   */
  public record Settings(Duration initial, Duration max) {
    /** 1 s doubling to 5 min (contracts/mqtt.md). */
    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(1), Duration.ofMinutes(5));

    public Settings {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("backoff initial must be positive, not " + initial);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "backoff max (" + max + ") must not be below initial (" + initial + ")");
      }
    }
  }

  private final Settings settings;
  private final Random random;
  private int attempt;

  /**
   * @param random the source of jitter; each locker needs its own, differently seeded one (tests
   *     pass a seeded one)
   */
  public Backoff(Settings settings, Random random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The ceiling of the wait before attempt {@code attempt} (≥ 1): min(max, initial × 2^(n-1)). */
  public static Duration ceiling(Settings settings, int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, not " + attempt);
    }
    long max = settings.max().toNanos();
    long ceiling = settings.initial().toNanos();
    for (int n = 1; n < attempt && ceiling < max; n++) {
      // Doubling stops at max long before a long could overflow: max is at most ~292 years.
      ceiling = ceiling > max / 2 ? max : ceiling * 2;
    }
    return Duration.ofNanos(Math.min(ceiling, max));
  }

  /** Counts one more attempt and draws the wait before it. */
  public Duration next() {
    if (attempt < Integer.MAX_VALUE) {
      attempt++;
    }
    long ceiling = ceiling(settings, attempt).toNanos();
    return Duration.ofNanos(random.nextLong(0, ceiling + 1));
  }

  /** How many waits were drawn since the start or the last {@link #reset()}. */
  public int attempts() {
    return attempt;
  }

  /** After a successful connection: the next wait is drawn for attempt 1 again. */
  public void reset() {
    attempt = 0;
  }
}
