package dev.locker.sim;

import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.config.LockerConfig.KerongChannel;
import dev.locker.core.config.LockerConfig.KerongHardware;
import dev.locker.core.domain.CompartmentId;
import dev.locker.hal.serial.InMemorySerialLink;
import dev.locker.sim.kerong.KerongBusEmulator;
import dev.locker.ui.boot.HealthRelay;
import dev.locker.ui.boot.LockerAssembly;
import dev.locker.ui.boot.LockerParts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A whole locker without hardware: the real firmware (use cases, SQLite store, Kerong driver and
 * adapter) wired to emulated lock boards through an in-memory RS-485 link. The emulator is the
 * physical world: people open and close its doors.
 */
public final class SimulatedLocker implements AutoCloseable {
  /** The default profile, shipped inside simulator.jar. */
  public static final String DEFAULT_PROFILE = "/profiles/simulator.yaml";

  private final LockerConfig config;
  private final KerongBusEmulator boards;
  private final LockerAssembly assembly;

  private SimulatedLocker(LockerConfig config, KerongBusEmulator boards, LockerAssembly assembly) {
    this.config = config;
    this.boards = boards;
    this.assembly = assembly;
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

  /** Starts a simulated locker for a Kerong profile, its state in {@code dataDir}. */
  public static SimulatedLocker start(
      LockerConfig config, Path dataDir, Clock clock, DeviceHealthListener health)
      throws IOException, LockerParts.UnsupportedHardware {
    if (!(config.hardware() instanceof KerongHardware bus)) {
      throw new LockerParts.UnsupportedHardware(
          "the simulator emulates Kerong boards; hardware.driver gpio comes with the GPIO driver");
    }
    InMemorySerialLink[] wire = InMemorySerialLink.pair("rs485");
    KerongBusEmulator boards =
        new KerongBusEmulator(
            wire[1],
            LockerParts.polarities(bus),
            Clock.systemUTC(),
            KerongBusEmulator.Options.defaults());
    try {
      LockerAssembly assembly =
          LockerAssembly.start(
              LockerParts.from(
                  config, dataDir, clock, b -> wire[0], new HealthRelay(health::healthChanged)));
      return new SimulatedLocker(config, boards, assembly);
    } catch (IOException | RuntimeException | LockerParts.UnsupportedHardware e) {
      boards.close();
      throw e;
    }
  }

  public LockerConfig config() {
    return config;
  }

  public LockerAssembly assembly() {
    return assembly;
  }

  public KerongBusEmulator boards() {
    return boards;
  }

  /** The board and channel of a compartment's lock. */
  public Optional<KerongChannel> channel(CompartmentId id) {
    return config.compartments().stream()
        .filter(c -> c.id().equals(id))
        .map(c -> (KerongChannel) c.lock())
        .findFirst();
  }

  /** A person closes the door of {@code id}. */
  public void closeDoor(CompartmentId id) {
    KerongChannel c = channel(id).orElseThrow(() -> new IllegalArgumentException("no " + id));
    boards.closeDoor(c.board(), c.channel());
  }

  /** Someone forces the door of {@code id} open. */
  public void forceOpen(CompartmentId id) {
    KerongChannel c = channel(id).orElseThrow(() -> new IllegalArgumentException("no " + id));
    boards.forceOpen(c.board(), c.channel());
  }

  public boolean isDoorOpen(CompartmentId id) {
    KerongChannel c = channel(id).orElseThrow(() -> new IllegalArgumentException("no " + id));
    return boards.isDoorOpen(c.board(), c.channel());
  }

  @Override
  public void close() {
    assembly.close();
    boards.close();
  }
}
