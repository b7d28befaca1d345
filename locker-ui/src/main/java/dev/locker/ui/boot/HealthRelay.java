package dev.locker.ui.boot;

import dev.locker.core.application.Locker;
import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.domain.DeviceHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries device health from the drivers, which exist before the locker does, to the locker once it
 * runs. Until then it keeps each device's latest report and hands them over when attached.
 * Thread-safe; also tells an optional observer (logs, the simulator) every report.
 */
public final class HealthRelay implements DeviceHealthListener {
  private final Consumer<DeviceHealth> observer;
  private final Map<String, DeviceHealth> early = new LinkedHashMap<>();
  private final Map<String, DeviceHealth> latest = new java.util.TreeMap<>();
  private Locker locker;

  public HealthRelay(Consumer<DeviceHealth> observer) {
    this.observer = observer;
  }

  @Override
  public void healthChanged(DeviceHealth health) {
    observer.accept(health);
    Locker target;
    synchronized (this) {
      latest.put(health.device(), health);
      target = locker;
      if (target == null) {
        early.put(health.device(), health);
        return;
      }
    }
    target.deviceHealthChanged(health);
  }

  /** The latest report of every device that reported, by device name (for telemetry). */
  public synchronized java.util.List<DeviceHealth> latest() {
    return java.util.List.copyOf(latest.values());
  }

  /** From now on reports go to {@code target}; the latest early report of each device first. */
  public void attach(Locker target) {
    Map<String, DeviceHealth> pending;
    synchronized (this) {
      locker = target;
      pending = new LinkedHashMap<>(early);
      early.clear();
    }
    pending.values().forEach(target::deviceHealthChanged);
  }
}
