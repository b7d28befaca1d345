package dev.locker.core.cloud;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/** Poll-until for the cloud link's tests: the timeout is a generous bound, never a measurement. */
final class Eventually {
  static final Duration WAIT = Duration.ofSeconds(15);

  private Eventually() {}

  /** Fails with {@code what} if {@code condition} has not held within {@link #WAIT}. */
  static void until(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        Assertions.fail("not within " + WAIT + ": " + what.get());
      }
      Thread.sleep(20);
    }
  }
}
