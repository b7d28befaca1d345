package dev.locker.sim;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.config.LockerConfig.GpioHardware;
import dev.locker.core.config.LockerConfig.GpioPins;
import dev.locker.core.domain.CompartmentId;
import dev.locker.hal.gpio.GpioBank;
import dev.locker.ui.boot.LockerParts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A cabinet of solenoid locks on relays and doors on reed switches, on pi4j's mock GPIO under the
 * real driver. Physics: while a lock's relay is energised the door is free; it springs open a
 * moment later and stays open until a person closes it (the solenoid latches again once the pulse
 * is over). The reed switch reads the configured level for open and closed.
 */
final class GpioCabinet implements Cabinet {
  private static final long SPRING_MILLIS = 150;

  private final GpioBank bank;
  private final GpioHardware gpio;
  private final Map<CompartmentId, GpioPins> pins = new LinkedHashMap<>();
  private final Map<CompartmentId, Boolean> open = new LinkedHashMap<>();
  private final java.util.Set<CompartmentId> jammed = new java.util.HashSet<>();
  private final java.util.Set<CompartmentId> stuck = new java.util.HashSet<>();
  private final ScheduledExecutorService physics =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gpio-cabinet-physics");
            t.setDaemon(true);
            return t;
          });
  private volatile String lastCommand = "no unlock yet";

  /** Attaches to the relays and switches the firmware created; every door starts closed. */
  GpioCabinet(GpioBank bank, LockerConfig config) {
    this.bank = bank;
    this.gpio = (GpioHardware) config.hardware();
    config.compartments().forEach(c -> pins.put(c.id(), (GpioPins) c.lock()));
    DigitalState on = gpio.relayActiveHigh() ? DigitalState.HIGH : DigitalState.LOW;
    for (CompartmentId id : pins.keySet()) {
      open.put(id, false);
      setSwitch(id, false);
      DigitalOutput relay =
          bank.pi4j().registry().get(LockerParts.relayId(id), DigitalOutput.class);
      relay.addListener(
          e -> {
            if (e.state() == on) {
              lastCommand =
                  "relay on GPIO "
                      + pins.get(id).relayPin()
                      + " energised for "
                      + gpio.pulse().toMillis()
                      + " ms";
              physics.schedule(() -> springOpen(id), SPRING_MILLIS, TimeUnit.MILLISECONDS);
            }
          });
    }
  }

  private synchronized void springOpen(CompartmentId id) {
    if (!open.get(id) && !jammed.contains(id)) {
      open.put(id, true);
      setSwitch(id, true);
    }
  }

  private void setSwitch(CompartmentId id, boolean doorOpen) {
    if (stuck.contains(id)) {
      return;
    }
    MockDigitalInput door =
        bank.pi4j().registry().get(LockerParts.doorId(id), MockDigitalInput.class);
    boolean low = doorOpen != gpio.doorClosedIsLow();
    door.mockState(low ? DigitalState.LOW : DigitalState.HIGH);
  }

  private void require(CompartmentId id) {
    if (!pins.containsKey(id)) {
      throw new IllegalArgumentException("no compartment " + id);
    }
  }

  @Override
  public synchronized void closeDoor(CompartmentId id) {
    require(id);
    open.put(id, false);
    setSwitch(id, false);
  }

  @Override
  public synchronized void forceOpen(CompartmentId id) {
    require(id);
    open.put(id, true);
    setSwitch(id, true);
  }

  @Override
  public synchronized boolean isDoorOpen(CompartmentId id) {
    require(id);
    return open.get(id);
  }

  @Override
  public synchronized boolean isLatched(CompartmentId id) {
    return !isDoorOpen(id);
  }

  /**
   * A jammed solenoid does not release when its relay is energised; a stuck reed switch keeps
   * reading closed. A GPIO cabinet has no bus, so it cannot fall silent or send garbage.
   */
  @Override
  public synchronized void apply(LockFault fault) {
    if (fault instanceof LockFault.Jam jam) {
      require(jam.id());
      jammed.add(jam.id());
    } else if (fault instanceof LockFault.StuckSensor s) {
      require(s.id());
      setSwitch(s.id(), false);
      stuck.add(s.id());
    } else if (fault instanceof LockFault.Clear) {
      jammed.clear();
      stuck.clear();
      open.forEach(this::setSwitch);
    } else {
      throw new UnsupportedOperationException(
          "GPIO locks have no bus: they cannot fall silent or send garbage");
    }
  }

  @Override
  public boolean has(CompartmentId id) {
    return pins.containsKey(id);
  }

  @Override
  public String lastCommand() {
    return lastCommand;
  }

  @Override
  public String description() {
    return pins.size() + " solenoid locks on relays and reed switches (mock GPIO)";
  }

  @Override
  public void close() {
    physics.shutdownNow();
  }
}
