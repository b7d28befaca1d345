package dev.locker.core.application.port;

import dev.locker.core.domain.DeviceHealth;

/**
 * Receives device health changes. Drivers call it on their own threads, only when the state or
 * detail changes; implementations post to the locker loop.
 */
@FunctionalInterface
public interface DeviceHealthListener {
  void healthChanged(DeviceHealth health);

  DeviceHealthListener IGNORE = health -> {};
}
