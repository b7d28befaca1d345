package dev.locker.hal.health;

import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of one device on a bus, judged on its last {@code size} exchanges and reported on a
 * change of state only: OFFLINE after an exchange that found no valid answer; DEGRADED while an
 * exchange in the window needed retries or met garbage, saying how many and the latest trouble;
 * ONLINE otherwise. Thread-safe; the listener is called on the recording thread.
 */
public final class ExchangeWindow {
  private final String device;
  private final int size;
  private final String where;
  private final DeviceHealthListener listener;
  private final Deque<Boolean> troubled = new ArrayDeque<>();
  private String latestTrouble = "";
  private DeviceHealth reported;

  /**
   * @param device the device's name in health reports ({@code lockboard-3})
   * @param where the link it answers on, for the details ({@code /dev/ttyUSB0})
   */
  public ExchangeWindow(String device, int size, String where, DeviceHealthListener listener) {
    this.device = Objects.requireNonNull(device, "device");
    this.where = Objects.requireNonNull(where, "where");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1");
    }
    this.size = size;
  }

  /**
   * Records one exchange: {@code trouble} says what went wrong on the way (empty: a clean
   * exchange), {@code failure} why it found no valid answer at all (empty: it did).
   */
  public void record(Optional<String> trouble, Optional<String> failure) {
    DeviceHealth now;
    synchronized (this) {
      trouble.ifPresent(t -> latestTrouble = t);
      troubled.addLast(trouble.isPresent());
      while (troubled.size() > size) {
        troubled.removeFirst();
      }
      if (failure.isPresent()) {
        now = new DeviceHealth(device, HealthState.OFFLINE, failure.get());
      } else if (troubled.contains(Boolean.TRUE)) {
        long count = troubled.stream().filter(Boolean::booleanValue).count();
        now =
            new DeviceHealth(
                device,
                HealthState.DEGRADED,
                count
                    + " of the last "
                    + troubled.size()
                    + " exchanges on "
                    + where
                    + " needed retries or met garbage (latest: "
                    + latestTrouble
                    + ")");
      } else {
        now = new DeviceHealth(device, HealthState.ONLINE, "answering on " + where);
      }
      if (reported != null && reported.state() == now.state()) {
        return;
      }
      reported = now;
    }
    listener.healthChanged(now);
  }

  /** The latest report, if an exchange was recorded. */
  public synchronized Optional<DeviceHealth> reported() {
    return Optional.ofNullable(reported);
  }
}
