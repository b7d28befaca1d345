package dev.locker.hal.locks;

import dev.locker.core.application.port.DoorMonitor;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DoorState;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DoorMonitor} that reads every door once per poll interval on one named daemon thread and
 * reports debounced changes. Subclasses say how one round of reads is done; this class owns the
 * thread, the listener and the debouncing.
 */
abstract class PolledDoors implements DoorMonitor {
  private static final Logger log = LoggerFactory.getLogger(PolledDoors.class);

  private final String threadName;
  private final Duration pollInterval;
  private final DoorDebouncer doors;
  private volatile Listener listener;
  private volatile boolean running;
  private Thread poller;

  PolledDoors(
      String threadName, Iterable<CompartmentId> doors, Duration pollInterval, int debounceReads) {
    this.threadName = Objects.requireNonNull(threadName, "threadName");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.doors = new DoorDebouncer(doors, debounceReads);
  }

  /** Reads every door once, calling {@link #observe} for each door read. Runs on the poller. */
  abstract void readAll();

  /** Records one read of a door; reports it when it makes a debounced change. */
  final void observe(CompartmentId id, DoorState read) {
    doors
        .observe(id, read)
        .ifPresent(
            changed -> {
              Listener current = listener;
              if (current != null) {
                current.doorChanged(id, changed);
              }
            });
  }

  final boolean polling() {
    return running;
  }

  /**
   * One round for a bus of lock boards: reads each board once, lowest address first, and stops
   * early when polling stops. A board whose read throws is logged and the next board is read.
   */
  final void readBoards(Collection<Integer> boards, IntConsumer readBoard) {
    for (int board : new TreeSet<>(boards)) {
      if (!polling()) {
        return;
      }
      try {
        readBoard.accept(board);
      } catch (RuntimeException e) {
        log.error("polling board {} failed", board, e);
      }
    }
  }

  @Override
  public synchronized void start(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    if (poller != null) {
      return;
    }
    running = true;
    poller = new Thread(this::loop, threadName);
    poller.setDaemon(true);
    poller.start();
  }

  @Override
  public Map<CompartmentId, DoorState> currentStates() {
    return doors.states();
  }

  @Override
  public void stop() {
    Thread thread;
    synchronized (this) {
      running = false;
      thread = poller;
      poller = null;
    }
    if (thread != null && thread != Thread.currentThread()) {
      thread.interrupt();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    while (running) {
      readAll();
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
