package dev.locker.core.testing.mqtt;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/** Poll-until for the MQTT tests: the timeout is a generous upper bound, never a measurement. */
final class Waiting {
  private Waiting() {}

  /** Fails with {@code what} if {@code condition} has not held within {@code timeout}. */
  static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        Assertions.fail("not within " + timeout + ": " + what.get());
      }
      Thread.sleep(20);
    }
  }
}
