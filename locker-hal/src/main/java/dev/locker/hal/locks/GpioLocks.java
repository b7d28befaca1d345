package dev.locker.hal.locks;

import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DoorState;
import dev.locker.hal.gpio.DoorSwitch;
import dev.locker.hal.gpio.GpioBank;
import dev.locker.hal.gpio.Relay;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compartment locks on GPIO relays and doors on reed switches. A solenoid lock has no feedback, so
 * an unlock is {@link UnlockOutcome.Released} once its pulse ended; the locker then waits for the
 * door switch to read open, and "door did not open" comes from that wait.
 *
 * <p>Door switches are polled on a daemon thread named {@code gpio-poll}, not only listened to:
 * with pi4j 2.8.0 a gpiod input listener may never start (pi4j #455, fixed in 3.0.2 only). A door's
 * change counts after {@code debounceReads} equal polls.
 */
public final class GpioLocks extends PolledDoors implements CompartmentLocks, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GpioLocks.class);

  private final GpioBank bank;
  private final Settings settings;

  /** A compartment's relay and door switch. */
  public record Wiring(Relay relay, DoorSwitch door) {
    public Wiring {
      Objects.requireNonNull(relay, "relay");
      Objects.requireNonNull(door, "door");
    }
  }

  /**
   * @param pulse relay on-time per unlock
   * @param pollInterval time between two reads of every switch
   * @param debounceReads equal reads in a row before a door change counts
   */
  public record Settings(
      Map<CompartmentId, Wiring> wiring, Duration pulse, Duration pollInterval, int debounceReads) {
    public Settings {
      wiring = Map.copyOf(wiring);
      Objects.requireNonNull(pulse, "pulse");
      Objects.requireNonNull(pollInterval, "pollInterval");
    }
  }

  public GpioLocks(GpioBank bank, Settings settings) {
    super(
        "gpio-poll", settings.wiring().keySet(), settings.pollInterval(), settings.debounceReads());
    this.bank = Objects.requireNonNull(bank, "bank");
    this.settings = settings;
  }

  /** The bank the locks are on (for the simulator's physical model). */
  public GpioBank bank() {
    return bank;
  }

  @Override
  public UnlockOutcome unlock(CompartmentId compartment) {
    Wiring wiring = settings.wiring().get(compartment);
    if (wiring == null) {
      return new UnlockOutcome.Unreachable("no lock configured for " + compartment);
    }
    try {
      wiring.relay().pulse(settings.pulse());
      return new UnlockOutcome.Released();
    } catch (IOException e) {
      return new UnlockOutcome.Unreachable(e.getMessage());
    }
  }

  @Override
  void readAll() {
    settings
        .wiring()
        .forEach(
            (id, wiring) -> {
              try {
                observe(id, wiring.door().isClosed() ? DoorState.CLOSED : DoorState.OPEN);
              } catch (RuntimeException e) {
                log.warn("door switch {} could not be read: {}", wiring.door().id(), e.toString());
              }
            });
  }

  /** Stops polling and shuts the GPIO bank down: every relay off. */
  @Override
  public void close() {
    stop();
    bank.close();
  }
}
