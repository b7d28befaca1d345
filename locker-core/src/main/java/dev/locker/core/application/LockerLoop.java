package dev.locker.core.application;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns domain state ("locker-loop"). Screens and commands call into it and wait
 * for the result; devices post events to it and return at once. Work runs strictly one item at a
 * time, in submission order.
 */
public final class LockerLoop implements AutoCloseable {
  public static final String THREAD_NAME = "locker-loop";

  private final ScheduledExecutorService executor;
  private volatile Thread loopThread;

  public LockerLoop() {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, THREAD_NAME);
              thread.setDaemon(false);
              loopThread = thread;
              return thread;
            });
  }

  /** Runs {@code work} on the loop and waits for its result; runs it directly when on the loop. */
  public <T> T call(Callable<T> work) {
    if (isLoopThread()) {
      return callHere(work);
    }
    Future<T> future = executor.submit(work);
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the locker loop", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Queues {@code work} on the loop and returns at once (for device callbacks). */
  public void post(Runnable work) {
    if (!executor.isShutdown()) {
      executor.execute(work);
    }
  }

  /** Runs {@code work} on the loop every {@code period}, first after one period. */
  public ScheduledFuture<?> every(long period, TimeUnit unit, Runnable work) {
    return executor.scheduleWithFixedDelay(work, period, period, unit);
  }

  public boolean isLoopThread() {
    return Thread.currentThread() == loopThread;
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T callHere(Callable<T> work) {
    try {
      return work.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
