package dev.locker.ui.boot;

import dev.locker.core.application.Locker;
import dev.locker.core.application.port.PaymentTerminal;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the card payments a crash, a lost link or a failed door left open ({@link
 * Locker#resolvePayments}): once as soon as the locker runs, then every {@code period}, on its own
 * thread ("payment-settlement"), since every round talks to the terminal.
 */
final class PaymentSettlement implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PaymentSettlement.class);

  /** How often open payments are tried again. */
  static final Duration PERIOD = Duration.ofMinutes(2);

  private final ScheduledExecutorService executor;

  private PaymentSettlement(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  static PaymentSettlement start(Locker locker, PaymentTerminal terminal, Duration period) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "payment-settlement");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            locker.resolvePayments(terminal);
          } catch (RuntimeException e) {
            log.error("payment settlement failed a round; it tries again", e);
          }
        },
        0,
        period.toMillis(),
        TimeUnit.MILLISECONDS);
    return new PaymentSettlement(executor);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
