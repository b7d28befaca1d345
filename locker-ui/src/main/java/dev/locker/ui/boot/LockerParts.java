package dev.locker.ui.boot;

import dev.locker.core.application.LockerPolicy;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.config.LockerConfig.CompartmentSpec;
import dev.locker.core.config.LockerConfig.KerongChannel;
import dev.locker.core.config.LockerConfig.KerongHardware;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Size;
import dev.locker.hal.kerong.HookPolarity;
import dev.locker.hal.kerong.KerongBus;
import dev.locker.hal.locks.KerongLocks;
import dev.locker.hal.serial.SerialLink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a validated configuration into the parts of a {@link LockerAssembly}. */
public final class LockerParts {
  private LockerParts() {}

  /** Opens the serial link of a lock bus: jssc on the device, an emulator in the simulator. */
  @FunctionalInterface
  public interface LinkOpener {
    SerialLink open(KerongHardware bus) throws IOException;
  }

  /** The configured hardware cannot be driven by this firmware build. */
  public static final class UnsupportedHardware extends Exception {
    public UnsupportedHardware(String message) {
      super(message);
    }
  }

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
        3);
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
      if (c.lock() instanceof KerongChannel k) {
        out.put(c.id(), new KerongLocks.Channel(k.board(), k.channel()));
      }
    }
    return out;
  }

  /**
   * The parts of a locker for {@code config}: policy, compartments and its lock hardware on the
   * link {@code opener} gives. The first-read timeout is three poll rounds of every board, at least
   * 2 s.
   */
  public static LockerAssembly.Parts from(
      LockerConfig config, Path dataDir, Clock clock, LinkOpener opener, HealthRelay health)
      throws IOException, UnsupportedHardware {
    if (!(config.hardware() instanceof KerongHardware bus)) {
      throw new UnsupportedHardware(
          "hardware.driver gpio: the GPIO lock driver is not part of this firmware build yet;"
              + " use driver kerong-cu16");
    }
    SerialLink link = opener.open(bus);
    KerongBus kerong =
        new KerongBus(
            link,
            new KerongBus.Settings(
                bus.replyTimeout(), bus.retries(), bus.unlockDrain(), polarities(bus)),
            health);
    KerongLocks locks =
        new KerongLocks(
            kerong,
            new KerongLocks.Settings(channels(config), bus.pollInterval(), bus.debounceReads()));
    Duration firstReads =
        bus.replyTimeout()
            .multipliedBy((bus.retries() + 1L) * bus.boards().size())
            .plus(bus.pollInterval())
            .multipliedBy(bus.debounceReads() + 1L);
    if (firstReads.compareTo(Duration.ofSeconds(2)) < 0) {
      firstReads = Duration.ofSeconds(2);
    }
    return new LockerAssembly.Parts(
        policy(config),
        compartments(config),
        locks,
        locks,
        locks,
        health,
        dataDir,
        clock,
        firstReads);
  }
}
