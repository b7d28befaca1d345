package dev.locker.core.config;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Size;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A locker's configuration, as loaded and validated by {@link ConfigLoader}: plain immutable
 * records that every module may read. docs/configuration.md describes every key.
 */
public record LockerConfig(
    Identity locker,
    Pickup pickup,
    Doors doors,
    Hardware hardware,
    Optional<Cloud> cloud,
    List<CompartmentSpec> compartments) {

  public LockerConfig {
    compartments = List.copyOf(compartments);
  }

  /** Who the locker is and where it stands. */
  public record Identity(
      String id, String name, String address, ZoneId timeZone, Language defaultLanguage) {}

  /** Pickup codes and the keypad's brute-force limits. */
  public record Pickup(
      int codeLength,
      int maxConsecutiveFailures,
      Duration lockout,
      Duration maxLockout,
      int maxFailuresPerHour,
      Duration pickupWindow) {}

  /** How doors are driven and watched. */
  public record Doors(Duration openTimeout, int unlockAttempts, Duration leftOpenAlarm) {}

  /** The lock hardware: one driver family per locker. */
  public sealed interface Hardware permits KerongHardware, GpioHardware {}

  /** KR-CU16 boards on one RS-485 bus. */
  public record KerongHardware(
      String port,
      int baud,
      Duration replyTimeout,
      int retries,
      Duration unlockDrain,
      Duration pollInterval,
      int debounceReads,
      List<KerongBoard> boards)
      implements Hardware {
    public KerongHardware {
      boards = List.copyOf(boards);
    }
  }

  /** One board on the bus: its address (DIP switches) and how it reports a latched hook. */
  public record KerongBoard(int address, HookPolarity hookPolarity, Duration unlockTime) {}

  /** How a board's hook bit reads for a latched lock (device-protocols.md §1.1). */
  public enum HookPolarity {
    LATCHED_IS_1,
    LATCHED_IS_0
  }

  /** Relays and reed switches on the board's GPIO header. */
  public record GpioHardware(
      String provider,
      Duration pulse,
      Duration debounce,
      Duration pollInterval,
      boolean relayActiveHigh,
      boolean doorClosedIsLow)
      implements Hardware {}

  /** The operator's MQTT broker. */
  public record Cloud(
      String brokerUrl,
      boolean insecurePlaintext,
      Optional<Path> caFile,
      Optional<Path> certFile,
      Optional<Path> keyFile,
      Duration telemetryInterval,
      Duration commandClockSkew) {}

  /** One compartment: its label, size, place in the cabinet and lock. */
  public record CompartmentSpec(CompartmentId id, Size size, Position position, LockAddress lock) {}

  /** Column 1 is leftmost seen from the front; row 1 is the bottom row. */
  public record Position(int column, int row) {}

  /** Where a compartment's lock is wired. */
  public sealed interface LockAddress permits KerongChannel, GpioPins {}

  /** Lock {@code channel} (1..16) of board {@code board}. */
  public record KerongChannel(int board, int channel) implements LockAddress {}

  /** A relay on {@code relayPin} and a reed switch on {@code doorPin} (BCM numbers). */
  public record GpioPins(int relayPin, int doorPin) implements LockAddress {}
}
