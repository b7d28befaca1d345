package dev.locker.hal.locks;

import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.DoorState;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.gpio.DoorSwitch;
import dev.locker.hal.gpio.GpioBank;
import dev.locker.hal.gpio.Relay;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
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
 *
 * <p>Health of device {@value #DEVICE}, reported on change of state: OFFLINE while no door switch
 * can be read; DEGRADED while a relay pulse or a switch read failed within the last {@value
 * #WINDOW} poll rounds, naming the pin; ONLINE otherwise.
 */
public final class GpioLocks extends PolledDoors implements CompartmentLocks, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GpioLocks.class);

  public static final String DEVICE = "gpio";
  static final int WINDOW = 20;

  private final GpioBank bank;
  private final Settings settings;
  private final DeviceHealthListener health;
  private final Deque<Boolean> troubled = new ArrayDeque<>();
  private String trouble = "";
  private boolean pulseFailed;
  private HealthState reported;

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

  public GpioLocks(GpioBank bank, Settings settings, DeviceHealthListener health) {
    super(
        "gpio-poll", settings.wiring().keySet(), settings.pollInterval(), settings.debounceReads());
    this.bank = Objects.requireNonNull(bank, "bank");
    this.settings = settings;
    this.health = Objects.requireNonNull(health, "health");
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
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        pulseFailed = true;
        trouble = "relay " + wiring.relay().id() + " could not be pulsed: " + e.getMessage();
      }
      report(HealthState.DEGRADED);
      return new UnlockOutcome.Unreachable(e.getMessage());
    }
  }

  @Override
  void readAll() {
    int failed = 0;
    String why = "";
    for (Map.Entry<CompartmentId, Wiring> e : settings.wiring().entrySet()) {
      DoorSwitch door = e.getValue().door();
      try {
        observe(e.getKey(), door.isClosed() ? DoorState.CLOSED : DoorState.OPEN);
      } catch (RuntimeException ex) {
        failed++;
        why = "door switch " + door.id() + " could not be read: " + ex.getMessage();
        log.warn("{}", why);
      }
    }
    HealthState now;
    synchronized (this) {
      boolean round = failed > 0 || pulseFailed;
      pulseFailed = false;
      if (failed > 0) {
        trouble = why;
      }
      troubled.addLast(round);
      while (troubled.size() > WINDOW) {
        troubled.removeFirst();
      }
      now =
          failed > 0 && failed == settings.wiring().size()
              ? HealthState.OFFLINE
              : troubled.contains(Boolean.TRUE) ? HealthState.DEGRADED : HealthState.ONLINE;
    }
    report(now);
  }

  private void report(HealthState state) {
    String detail;
    synchronized (this) {
      if (state == reported) {
        return;
      }
      reported = state;
      detail =
          switch (state) {
            case ONLINE -> settings.wiring().size() + " relays and door switches answering";
            case DEGRADED -> trouble;
            case OFFLINE -> "no door switch can be read (latest: " + trouble + ")";
          };
    }
    health.healthChanged(new DeviceHealth(DEVICE, state, detail));
  }

  /** Stops polling and shuts the GPIO bank down: every relay off. */
  @Override
  public void close() {
    stop();
    bank.close();
  }
}
