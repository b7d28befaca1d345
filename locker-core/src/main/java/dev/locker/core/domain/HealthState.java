package dev.locker.core.domain;

/** How well a device works, as the service menu and the {@code device.health} event show it. */
public enum HealthState {
  /** Answers as expected. */
  ONLINE,
  /** Works, but needed retries, sent garbage or answered late; a technician should look. */
  DEGRADED,
  /** Does not answer; nothing that depends on it can be done. */
  OFFLINE
}
