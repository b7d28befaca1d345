package dev.locker.core.domain;

import java.util.Objects;

/**
 * The health of one device with the reason a technician can act on, for example {@code
 * DeviceHealth("lockboard-1", OFFLINE, "no reply to 3 status queries on /dev/ttyUSB0")}.
 */
public record DeviceHealth(String device, HealthState state, String detail) {
  public DeviceHealth {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
  }

  public static DeviceHealth online(String device) {
    return new DeviceHealth(device, HealthState.ONLINE, "ok");
  }
}
