package dev.locker.ui.boot;

import dev.locker.core.Firmware;
import dev.locker.core.application.LockerPolicy;
import dev.locker.core.application.port.CardReader;
import dev.locker.core.application.port.CloudLink;
import dev.locker.core.application.port.CodeScanner;
import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.application.port.DoorMonitor;
import dev.locker.core.cloud.PahoCloudLink;
import dev.locker.core.cloud.TlsFiles;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.config.LockerConfig.BoardChannel;
import dev.locker.core.config.LockerConfig.CompartmentSpec;
import dev.locker.core.config.LockerConfig.GpioHardware;
import dev.locker.core.config.LockerConfig.GpioPins;
import dev.locker.core.config.LockerConfig.KerongHardware;
import dev.locker.core.config.LockerConfig.XorBoardHardware;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.KeyedHash;
import dev.locker.core.domain.Size;
import dev.locker.core.store.LockerSecret;
import dev.locker.hal.camera.CameraScanner;
import dev.locker.hal.camera.FrameSource;
import dev.locker.hal.camera.QrFrameDecoder;
import dev.locker.hal.cardreader.CardUidReader;
import dev.locker.hal.gpio.GpioBank;
import dev.locker.hal.input.SerialCardReader;
import dev.locker.hal.input.SerialCodeScanner;
import dev.locker.hal.kerong.HookPolarity;
import dev.locker.hal.kerong.KerongBus;
import dev.locker.hal.lines.LineDecoder;
import dev.locker.hal.locks.GpioLocks;
import dev.locker.hal.locks.KerongLocks;
import dev.locker.hal.locks.XorBoardLocks;
import dev.locker.hal.payment.ZvtPaymentTerminal;
import dev.locker.hal.scanner.LineScanner;
import dev.locker.hal.scanner.TriggerMode;
import dev.locker.hal.serial.SerialLink;
import dev.locker.hal.xorboard.XorBoardBus;
import dev.locker.hal.zvt.ZvtTerminal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a validated configuration into the parts of a {@link LockerAssembly}. */
public final class LockerParts {
  private LockerParts() {}

  /** Opens the hardware: real ports and pins on the device, emulations in the simulator. */
  public interface Devices {
    /** The serial link to {@code device} at {@code port}, framed as {@link SerialDevice} says. */
    SerialLink openSerial(SerialDevice device, LockerConfig.SerialPort port) throws IOException;

    /** The GPIO bank of a relay-and-reed-switch locker. */
    GpioBank openGpio(GpioHardware gpio);

    /** Where the camera's frames come from. */
    FrameSource openCamera(LockerConfig.CameraDevice camera);
  }

  /** A code held to the camera is seen in many frames: one read per this window. */
  static final Duration CAMERA_REPEAT_WINDOW = Duration.ofSeconds(3);

  /** The camera's health is judged on this many recent grabs. */
  static final int CAMERA_HEALTH_WINDOW = 10;

  public static LockerPolicy policy(LockerConfig config) {
    return new LockerPolicy(
        config.locker().id(),
        config.locker().name(),
        config.locker().timeZone(),
        config.pickup().codeLength(),
        config.pickup().maxConsecutiveFailures(),
        config.pickup().lockout(),
        config.pickup().maxLockout(),
        config.pickup().maxFailuresPerHour(),
        config.pickup().pickupWindow(),
        config.doors().openTimeout(),
        config.doors().unlockAttempts(),
        3,
        config.tariff());
  }

  public static Map<CompartmentId, Size> compartments(LockerConfig config) {
    Map<CompartmentId, Size> out = new LinkedHashMap<>();
    config.compartments().forEach(c -> out.put(c.id(), c.size()));
    return out;
  }

  /** Board address → hook polarity, in the driver's terms. */
  public static Map<Integer, HookPolarity> polarities(KerongHardware bus) {
    Map<Integer, HookPolarity> out = new LinkedHashMap<>();
    bus.boards()
        .forEach(
            b ->
                out.put(
                    b.address(),
                    b.hookPolarity() == LockerConfig.HookPolarity.LATCHED_IS_1
                        ? HookPolarity.LATCHED_IS_ONE
                        : HookPolarity.LATCHED_IS_ZERO));
    return out;
  }

  /** Compartment → (board, channel). */
  public static Map<CompartmentId, KerongLocks.Channel> channels(LockerConfig config) {
    Map<CompartmentId, KerongLocks.Channel> out = new LinkedHashMap<>();
    for (CompartmentSpec c : config.compartments()) {
      if (c.lock() instanceof BoardChannel k) {
        out.put(c.id(), new KerongLocks.Channel(k.board(), k.channel()));
      }
    }
    return out;
  }

  /** Compartment → (board, lock) on an 8A/80 bus. */
  public static Map<CompartmentId, XorBoardLocks.Channel> xorChannels(LockerConfig config) {
    Map<CompartmentId, XorBoardLocks.Channel> out = new LinkedHashMap<>();
    for (CompartmentSpec c : config.compartments()) {
      if (c.lock() instanceof BoardChannel k) {
        out.put(c.id(), new XorBoardLocks.Channel(k.board(), k.channel()));
      }
    }
    return out;
  }

  /** The pi4j id of a compartment's relay. */
  public static String relayId(CompartmentId id) {
    return "relay-" + id;
  }

  /** The pi4j id of a compartment's door switch. */
  public static String doorId(CompartmentId id) {
    return "door-" + id;
  }

  /**
   * The parts of a locker for {@code config}: policy, compartments and its lock hardware, opened
   * through {@code devices}. The first-read timeout is long enough for every door to be read and
   * debounced, and at least 2 s.
   */
  public static LockerAssembly.Parts from(
      LockerConfig config, Path dataDir, Clock clock, Devices devices, HealthRelay health)
      throws IOException {
    Peripherals peripherals = peripherals(config, dataDir, clock, devices, health);
    try {
      return withLocks(config, dataDir, clock, devices, health, peripherals);
    } catch (IOException | RuntimeException e) {
      peripherals.close();
      throw e;
    }
  }

  /**
   * The scanner, card reader and payment terminal of {@code config}, not started yet. Card UIDs are
   * hashed under the locker's secret (label {@code card-uid}) before they leave the reader's
   * adapter.
   */
  public static Peripherals peripherals(
      LockerConfig config, Path dataDir, Clock clock, Devices devices, HealthRelay health)
      throws IOException {
    LockerConfig.Devices wanted = config.devices();
    List<CodeScanner> scanners = new ArrayList<>();
    Optional<CardReader> card = Optional.empty();
    Optional<ZvtTerminal> terminal = Optional.empty();
    Optional<ZvtPaymentTerminal> payment = Optional.empty();
    try {
      if (wanted.scanner().isPresent()) {
        LockerConfig.ScannerDevice s = wanted.scanner().get();
        LineScanner scanner =
            new LineScanner(
                devices.openSerial(SerialDevice.SCANNER, s.serial()),
                new LineScanner.Settings(
                    new LineDecoder.Settings(s.prefix(), s.stripAimId(), s.maxLength()),
                    TriggerMode.valueOf(s.trigger().name()),
                    s.repeatWindow()),
                clock,
                health);
        scanners.add(new SerialCodeScanner(scanner));
      }
      if (wanted.camera().isPresent()) {
        LockerConfig.CameraDevice c = wanted.camera().get();
        scanners.add(
            new CameraScanner(
                devices.openCamera(c),
                new QrFrameDecoder(QrFrameDecoder.Settings.defaults()),
                new CameraScanner.Settings(
                    c.onlyWhenTriggered()
                        ? CameraScanner.Mode.TRIGGERED
                        : CameraScanner.Mode.ALWAYS_ON,
                    c.interval(),
                    CAMERA_REPEAT_WINDOW,
                    c.maxLength(),
                    CAMERA_HEALTH_WINDOW),
                clock,
                health));
      }
      if (wanted.cardReader().isPresent()) {
        byte[] secret =
            LockerSecret.loadOrCreate(
                dataDir.resolve(LockerAssembly.SECRET), new java.security.SecureRandom());
        KeyedHash uidHash = new KeyedHash(secret, "card-uid");
        CardUidReader reader =
            new CardUidReader(
                devices.openSerial(SerialDevice.CARD_READER, wanted.cardReader().get().serial()),
                health);
        card = Optional.of(new SerialCardReader(reader, uidHash::hash));
      }
      if (wanted.paymentTerminal().isPresent()) {
        LockerConfig.PaymentTerminalDevice t = wanted.paymentTerminal().get();
        ZvtTerminal zvt =
            new ZvtTerminal(
                devices.openSerial(SerialDevice.PAYMENT_TERMINAL, t.serial()),
                ZvtTerminal.Settings.standard(
                    t.password(), java.util.Currency.getInstance(t.currency()).getNumericCode()),
                health);
        terminal = Optional.of(zvt);
        payment = Optional.of(new ZvtPaymentTerminal(zvt, t.currency()));
      }
    } catch (IOException | RuntimeException e) {
      scanners.forEach(CodeScanner::stop);
      card.ifPresent(CardReader::stop);
      terminal.ifPresent(ZvtTerminal::close);
      throw e;
    }
    return new Peripherals(scanners, card, payment);
  }

  /** The lock hardware: its locks, door monitor and closer, and how long its first reads take. */
  private record LockHardware(
      CompartmentLocks locks, DoorMonitor doors, AutoCloseable closer, Duration firstReads) {
    /** First reads are given at least 2 s. */
    LockHardware {
      firstReads = max(firstReads, Duration.ofSeconds(2));
    }
  }

  private static LockerAssembly.Parts withLocks(
      LockerConfig config,
      Path dataDir,
      Clock clock,
      Devices devices,
      HealthRelay health,
      Peripherals peripherals)
      throws IOException {
    LockHardware hardware = lockHardware(config, devices, health);
    return new LockerAssembly.Parts(
        policy(config),
        compartments(config),
        hardware.locks(),
        hardware.doors(),
        hardware.closer(),
        peripherals,
        health,
        dataDir,
        clock,
        hardware.firstReads(),
        cloud(config, clock));
  }

  /**
   * The cloud link of {@code config}: Paho to the configured broker, over TLS with the pinned CA
   * and the locker's certificate unless the profile allows plain TCP. The TLS files are read when
   * the locker starts its link (see {@link CloudParts}).
   */
  static Optional<CloudParts> cloud(LockerConfig config, Clock clock) {
    return config.cloud().map(cloud -> new CloudParts(cloud, (id, c) -> pahoLink(id, c, clock)));
  }

  /**
   * A Paho link for {@code cloud}; TLS files that cannot be used are an {@link
   * IllegalStateException} naming the file and the reason.
   */
  static CloudLink pahoLink(String lockerId, LockerConfig.Cloud cloud, Clock clock) {
    Optional<javax.net.ssl.SSLSocketFactory> tls = Optional.empty();
    if (cloud.brokerUrl().startsWith("ssl://")) {
      TlsFiles.Result files =
          new TlsFiles(
                  cloud.caFile().orElseThrow(),
                  cloud.certFile().orElseThrow(),
                  cloud.keyFile().orElseThrow())
              .load(clock);
      if (files instanceof TlsFiles.Result.Refused refused) {
        throw new IllegalStateException("TLS files refused: " + refused);
      }
      tls = Optional.of(((TlsFiles.Result.Ready) files).socketFactory());
    }
    return new PahoCloudLink(
        PahoCloudLink.Settings.of(
            lockerId,
            cloud.brokerUrl(),
            Firmware.version(),
            tls,
            cloud.insecurePlaintext(),
            clock));
  }

  private static LockHardware lockHardware(LockerConfig config, Devices devices, HealthRelay health)
      throws IOException {
    if (config.hardware() instanceof GpioHardware gpio) {
      GpioBank bank = devices.openGpio(gpio);
      Map<CompartmentId, GpioLocks.Wiring> wiring = new LinkedHashMap<>();
      for (CompartmentSpec c : config.compartments()) {
        GpioPins pins = (GpioPins) c.lock();
        wiring.put(
            c.id(),
            new GpioLocks.Wiring(
                bank.relay(relayId(c.id()), pins.relayPin(), gpio.relayActiveHigh()),
                bank.doorSwitch(
                    doorId(c.id()), pins.doorPin(), gpio.doorClosedIsLow(), gpio.debounce())));
      }
      GpioLocks locks =
          new GpioLocks(
              bank, new GpioLocks.Settings(wiring, gpio.pulse(), gpio.pollInterval(), 2), health);
      return new LockHardware(locks, locks, locks, gpio.pollInterval().multipliedBy(4));
    }
    if (config.hardware() instanceof XorBoardHardware xor) {
      XorBoardBus bus =
          new XorBoardBus(
              devices.openSerial(
                  SerialDevice.LOCK_BUS, new LockerConfig.SerialPort(xor.port(), xor.baud())),
              new XorBoardBus.Settings(
                  xor.replyTimeout(), xor.retries(), new LinkedHashSet<>(xor.boards())),
              health);
      XorBoardLocks locks =
          new XorBoardLocks(
              bus,
              new XorBoardLocks.Settings(
                  xorChannels(config), xor.pollInterval(), xor.debounceReads()));
      return new LockHardware(
          locks,
          locks,
          locks,
          firstReads(
              xor.replyTimeout(),
              xor.retries(),
              xor.boards().size(),
              xor.pollInterval(),
              xor.debounceReads()));
    }
    KerongHardware bus = (KerongHardware) config.hardware();
    KerongBus kerong =
        new KerongBus(
            devices.openSerial(
                SerialDevice.LOCK_BUS, new LockerConfig.SerialPort(bus.port(), bus.baud())),
            new KerongBus.Settings(
                bus.replyTimeout(), bus.retries(), bus.unlockDrain(), polarities(bus)),
            health);
    KerongLocks locks =
        new KerongLocks(
            kerong,
            new KerongLocks.Settings(channels(config), bus.pollInterval(), bus.debounceReads()));
    return new LockHardware(
        locks,
        locks,
        locks,
        firstReads(
            bus.replyTimeout(),
            bus.retries(),
            bus.boards().size(),
            bus.pollInterval(),
            bus.debounceReads()));
  }

  /**
   * How long every door of a polled bus takes to be read and debounced, with every board silent
   * until its last retry: one poll round per debounce read, and one more.
   */
  private static Duration firstReads(
      Duration replyTimeout, int retries, int boards, Duration pollInterval, int debounceReads) {
    return replyTimeout
        .multipliedBy((retries + 1L) * boards)
        .plus(pollInterval)
        .multipliedBy(debounceReads + 1L);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
