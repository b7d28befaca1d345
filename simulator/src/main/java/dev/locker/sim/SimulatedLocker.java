package dev.locker.sim;

import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.config.LockerConfig.GpioHardware;
import dev.locker.core.config.LockerConfig.KerongHardware;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.hal.camera.FrameSource;
import dev.locker.hal.gpio.GpioBank;
import dev.locker.hal.serial.InMemorySerialLink;
import dev.locker.hal.serial.SerialLink;
import dev.locker.sim.camera.CameraEmulator;
import dev.locker.sim.kerong.KerongBusEmulator;
import dev.locker.sim.lockboard.EmulatedLockBoards;
import dev.locker.sim.scanner.LineDeviceEmulator;
import dev.locker.sim.xorboard.XorBoardEmulator;
import dev.locker.sim.zvt.ZvtTerminalEmulator;
import dev.locker.ui.boot.HealthRelay;
import dev.locker.ui.boot.LockerAssembly;
import dev.locker.ui.boot.LockerParts;
import dev.locker.ui.boot.SerialDevice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A whole locker without hardware: the real firmware (use cases, SQLite store, drivers and
 * adapters) on emulated hardware, chosen by the profile. Lock-board profiles (Kerong KR-CU16 or
 * 8A/80) get emulated boards on an in-memory RS-485 link; GPIO profiles get pi4j's mock GPIO with a
 * physical door model; a profile's scanner, card reader, camera and payment terminal get emulated
 * ones. The {@link Cabinet} is the physical world: people open and close its doors.
 */
public final class SimulatedLocker implements AutoCloseable {
  /** The default profile, shipped inside simulator.jar. */
  public static final String DEFAULT_PROFILE = "/profiles/simulator.yaml";

  private final LockerConfig config;
  private final Cabinet cabinet;
  private final Emulators emulators;
  private final Map<String, DeviceHealth> health;
  private final LockerAssembly assembly;

  private SimulatedLocker(
      LockerConfig config,
      Cabinet cabinet,
      Emulators emulators,
      Map<String, DeviceHealth> health,
      LockerAssembly assembly) {
    this.config = config;
    this.cabinet = cabinet;
    this.emulators = emulators;
    this.health = health;
    this.assembly = assembly;
  }

  /** The emulated peripherals, made as the firmware opens their ports. */
  private static final class Emulators implements AutoCloseable {
    LineDeviceEmulator scanner;
    LineDeviceEmulator cardReader;
    ZvtTerminalEmulator terminal;
    CameraEmulator camera;

    @Override
    public void close() {
      if (terminal != null) {
        terminal.close();
      }
      if (scanner != null) {
        scanner.close();
      }
      if (cardReader != null) {
        cardReader.close();
      }
    }
  }

  /** Loads the default profile from the jar. */
  public static ConfigLoader.Result defaultProfile() {
    try (InputStream in = SimulatedLocker.class.getResourceAsStream(DEFAULT_PROFILE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULT_PROFILE + " is missing from simulator.jar");
      }
      return ConfigLoader.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), "simulator.yaml (built in)");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULT_PROFILE, e);
    }
  }

  /**
   * Starts a simulated locker for {@code config}, its state in {@code dataDir}, offline: the
   * profile's cloud link is left out.
   */
  public static SimulatedLocker start(
      LockerConfig config, Path dataDir, Clock clock, DeviceHealthListener health)
      throws IOException {
    return start(config, dataDir, clock, health, Optional.empty());
  }

  /**
   * Starts a simulated locker whose cloud link (when the profile has one) goes to {@code broker}
   * instead of the profile's broker; without {@code broker} it runs offline.
   */
  public static SimulatedLocker start(
      LockerConfig config,
      Path dataDir,
      Clock clock,
      DeviceHealthListener health,
      Optional<String> broker)
      throws IOException {
    Cabinet[] cabinet = new Cabinet[1];
    Emulators emulators = new Emulators();
    Map<String, DeviceHealth> latest = new ConcurrentSkipListMap<>();
    LockerParts.Devices devices =
        new LockerParts.Devices() {
          @Override
          public SerialLink openSerial(SerialDevice device, LockerConfig.SerialPort port) {
            InMemorySerialLink[] wire = InMemorySerialLink.pair(device.name().toLowerCase());
            switch (device) {
              case LOCK_BUS -> cabinet[0] = lockBoards(config, wire[1]);
              case SCANNER -> emulators.scanner = scanner(config, wire[1]);
              case CARD_READER ->
                  emulators.cardReader =
                      new LineDeviceEmulator(
                          wire[1], LineDeviceEmulator.Format.plain(), 11, "cardreader-emulator");
              case PAYMENT_TERMINAL ->
                  emulators.terminal =
                      new ZvtTerminalEmulator(
                          wire[1],
                          Clock.systemUTC(),
                          ZvtTerminalEmulator.Options.defaults(
                              config.devices().paymentTerminal().orElseThrow().password()));
            }
            return wire[0];
          }

          @Override
          public GpioBank openGpio(GpioHardware gpio) {
            return GpioBank.open("mock");
          }

          @Override
          public FrameSource openCamera(LockerConfig.CameraDevice camera) {
            emulators.camera = new CameraEmulator(5);
            return emulators.camera;
          }
        };
    LockerAssembly.Parts parts;
    try {
      parts =
          LockerParts.from(
              config,
              dataDir,
              clock,
              devices,
              new HealthRelay(
                  h -> {
                    latest.put(h.device(), h);
                    health.healthChanged(h);
                  }));
    } catch (IOException | RuntimeException e) {
      emulators.close();
      throw e;
    }
    LockerAssembly.Parts built = parts;
    parts = built.withCloud(broker.flatMap(uri -> built.cloud().map(c -> c.withBroker(uri))));
    if (parts.locks() instanceof dev.locker.hal.locks.GpioLocks) {
      cabinet[0] = new GpioCabinet(gpioBank(parts), config);
    }
    try {
      return new SimulatedLocker(
          config, cabinet[0], emulators, latest, LockerAssembly.start(parts));
    } catch (RuntimeException e) {
      cabinet[0].close();
      emulators.close();
      throw e;
    }
  }

  private static Cabinet lockBoards(LockerConfig config, SerialLink device) {
    if (config.hardware() instanceof LockerConfig.XorBoardHardware xor) {
      XorBoardEmulator boards =
          new XorBoardEmulator(
              device,
              new java.util.LinkedHashSet<>(xor.boards()),
              Clock.systemUTC(),
              XorBoardEmulator.Options.defaults());
      Map<CompartmentId, BoardCabinet.Wiring> wiring = new LinkedHashMap<>();
      LockerParts.xorChannels(config)
          .forEach((id, c) -> wiring.put(id, new BoardCabinet.Wiring(c.board(), c.lock())));
      return new BoardCabinet(
          boards,
          wiring,
          xor.boards().size() + " emulated 8A/80 XOR lock boards (RS-485, " + xor.baud() + " 8N1)");
    }
    KerongHardware bus = (KerongHardware) config.hardware();
    KerongBusEmulator boards =
        new KerongBusEmulator(
            device,
            LockerParts.polarities(bus),
            Clock.systemUTC(),
            KerongBusEmulator.Options.defaults());
    Map<CompartmentId, BoardCabinet.Wiring> wiring = new LinkedHashMap<>();
    LockerParts.channels(config)
        .forEach((id, c) -> wiring.put(id, new BoardCabinet.Wiring(c.board(), c.channel())));
    return new BoardCabinet(
        boards,
        wiring,
        bus.boards().size() + " emulated Kerong KR-CU16 boards (RS-485, " + bus.baud() + " 8N1)");
  }

  /** A scanner that frames its reads as the profile says the real one is programmed to. */
  private static LineDeviceEmulator scanner(LockerConfig config, SerialLink device) {
    LockerConfig.ScannerDevice spec = config.devices().scanner().orElseThrow();
    return new LineDeviceEmulator(
        device,
        new LineDeviceEmulator.Format(spec.prefix(), spec.stripAimId() ? "]Q1" : "", "\r\n"),
        7,
        "scanner-emulator");
  }

  private static GpioBank gpioBank(LockerAssembly.Parts parts) {
    return ((dev.locker.hal.locks.GpioLocks) parts.locks()).bank();
  }

  public LockerConfig config() {
    return config;
  }

  public LockerAssembly assembly() {
    return assembly;
  }

  public Cabinet cabinet() {
    return cabinet;
  }

  /** The emulated scanner, when the profile has one: {@code read(text)} is a person scanning. */
  public Optional<LineDeviceEmulator> scanner() {
    return Optional.ofNullable(emulators.scanner);
  }

  /** The emulated card reader, when the profile has one: {@code read(uid)} is a card held to it. */
  public Optional<LineDeviceEmulator> cardReader() {
    return Optional.ofNullable(emulators.cardReader);
  }

  /** The emulated camera, when the profile has one: what is held in front of it. */
  public Optional<CameraEmulator> camera() {
    return Optional.ofNullable(emulators.camera);
  }

  /** The emulated ZVT terminal, when the profile has one: its outcome and fault plans. */
  public Optional<ZvtTerminalEmulator> terminal() {
    return Optional.ofNullable(emulators.terminal);
  }

  /** The latest health each device reported, by device name. */
  public Map<String, DeviceHealth> deviceHealth() {
    return java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(health));
  }

  /** The emulated lock boards, for a lock-board profile. */
  public Optional<EmulatedLockBoards> lockBoards() {
    return cabinet instanceof BoardCabinet b ? Optional.of(b.boards()) : Optional.empty();
  }

  @Override
  public void close() {
    assembly.close();
    cabinet.close();
    emulators.close();
  }
}
