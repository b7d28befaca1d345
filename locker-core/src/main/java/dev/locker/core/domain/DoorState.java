package dev.locker.core.domain;

/**
 * What a door sensor reports. {@code UNKNOWN} until the first successful read after start-up, and
 * again while the sensor cannot be read.
 */
public enum DoorState {
  OPEN,
  CLOSED,
  UNKNOWN
}
