package dev.locker.core.config;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.Tariff;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
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
    Devices devices,
    Optional<Cloud> cloud,
    Optional<Tariff> tariff,
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
  public sealed interface Hardware permits KerongHardware, XorBoardHardware, GpioHardware {}

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

  /**
   * Generic "8A/80" lock boards (24 locks each, XOR checksum) on one RS-485 bus
   * (device-protocols.md §1.2).
   */
  public record XorBoardHardware(
      String port,
      int baud,
      Duration replyTimeout,
      int retries,
      Duration pollInterval,
      int debounceReads,
      List<Integer> boards)
      implements Hardware {
    public XorBoardHardware {
      boards = List.copyOf(boards);
    }
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

  /** The peripherals besides the locks; each is optional. */
  public record Devices(
      Optional<ScannerDevice> scanner,
      Optional<CardReaderDevice> cardReader,
      Optional<CameraDevice> camera,
      Optional<PaymentTerminalDevice> paymentTerminal) {
    public static final Devices NONE =
        new Devices(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A serial port and its speed; the framing is the device's own (8N1, or 8N2 for ZVT). */
  public record SerialPort(String port, int baud) {}

  /**
   * A barcode/QR scanner in serial line mode (device-protocols.md §3.1).
   *
   * @param prefix text the scanner is programmed to send before each read; required and stripped
   * @param stripAimId whether reads start with an AIM symbology identifier (]Q1) to strip
   * @param maxLength longest read accepted, in characters
   * @param repeatWindow the same text again within this window is one read
   */
  public record ScannerDevice(
      SerialPort serial,
      String prefix,
      boolean stripAimId,
      int maxLength,
      ScannerTrigger trigger,
      Duration repeatWindow) {}

  /** How the scanner is told to scan: not at all, or by vendor trigger commands. */
  public enum ScannerTrigger {
    NONE,
    HONEYWELL,
    ZEBRA_SSI
  }

  /** A card reader that sends each card's UID as a line of hex. */
  public record CardReaderDevice(SerialPort serial) {}

  /**
   * A camera decoded for QR codes: {@code command} captures one frame and writes it as PNG or JPEG
   * to standard output.
   *
   * @param onlyWhenTriggered grab frames only while a screen asks for a scan
   */
  public record CameraDevice(
      List<String> command,
      Duration interval,
      Duration captureTimeout,
      boolean onlyWhenTriggered,
      int maxLength) {
    public CameraDevice {
      command = List.copyOf(command);
    }
  }

  /**
   * A payment terminal speaking ZVT over serial (9600 8N2, device-protocols.md §4.2).
   *
   * @param password the terminal's 6-digit ECR password, set by its acquirer
   * @param currency ISO 4217 code of the amounts (EUR, HKD, CNY)
   */
  public record PaymentTerminalDevice(SerialPort serial, String password, String currency) {
    @Override
    public String toString() {
      return "PaymentTerminalDevice[serial=" + serial + ", currency=" + currency + "]";
    }
  }

  /**
   * The operator's MQTT broker and how its commands are trusted.
   *
   * @param commandKeys the cloud's Ed25519 public keys (base64) by key id; commands signed with any
   *     of them are accepted, so a key is rotated by adding the new one before removing the old
   * @param remoteOpens at most this many remote {@code compartment.open} commands are applied
   *     within {@code remoteOpenWindow}
   */
  public record Cloud(
      String brokerUrl,
      boolean insecurePlaintext,
      Optional<Path> caFile,
      Optional<Path> certFile,
      Optional<Path> keyFile,
      Duration telemetryInterval,
      Duration commandClockSkew,
      Duration commandMaxLifetime,
      Map<String, String> commandKeys,
      int remoteOpens,
      Duration remoteOpenWindow) {
    public Cloud {
      commandKeys = Map.copyOf(commandKeys);
    }
  }

  /** One compartment: its label, size, place in the cabinet and lock. */
  public record CompartmentSpec(CompartmentId id, Size size, Position position, LockAddress lock) {}

  /** Column 1 is leftmost seen from the front; row 1 is the bottom row. */
  public record Position(int column, int row) {}

  /** Where a compartment's lock is wired. */
  public sealed interface LockAddress permits BoardChannel, GpioPins {}

  /** Lock {@code channel} of lock board {@code board} (1..16 on a KR-CU16, 1..24 on an 8A/80). */
  public record BoardChannel(int board, int channel) implements LockAddress {}

  /** A relay on {@code relayPin} and a reed switch on {@code doorPin} (BCM numbers). */
  public record GpioPins(int relayPin, int doorPin) implements LockAddress {}
}
