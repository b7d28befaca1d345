package dev.locker.hal.locks;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import dev.locker.core.application.port.CompartmentLocks.UnlockOutcome;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.DoorState;
import dev.locker.hal.gpio.GpioBank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Relays and reed switches through pi4j's mock provider. */
class GpioLocksTest {
  private static final CompartmentId A01 = CompartmentId.of("A01");
  private static final CompartmentId A02 = CompartmentId.of("A02");
  private GpioBank bank;
  private GpioLocks locks;
  private final List<String> reports = new CopyOnWriteArrayList<>();
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();

  private void given(boolean activeHigh) throws Exception {
    bank = GpioBank.open("mock");
    locks =
        new GpioLocks(
            bank,
            new GpioLocks.Settings(
                Map.of(
                    A01,
                    new GpioLocks.Wiring(
                        bank.relay("relay-A01", 5, activeHigh),
                        bank.doorSwitch("door-A01", 6, true, Duration.ofMillis(30))),
                    A02,
                    new GpioLocks.Wiring(
                        bank.relay("relay-A02", 13, activeHigh),
                        bank.doorSwitch("door-A02", 19, true, Duration.ofMillis(30)))),
                Duration.ofMillis(120),
                Duration.ofMillis(20),
                2),
            health::add);
    door("door-A01").mockState(DigitalState.LOW);
    door("door-A02").mockState(DigitalState.LOW);
    locks.start((id, state) -> reports.add(id + "=" + state));
    await(
        () ->
            locks.currentStates().get(A01) == DoorState.CLOSED
                && locks.currentStates().get(A02) == DoorState.CLOSED,
        "first reads of both doors");
  }

  @AfterEach
  void tearDown() {
    if (locks != null) {
      locks.close();
    }
  }

  private MockDigitalInput door(String id) {
    return (MockDigitalInput) bank.pi4j().registry().get(id);
  }

  private DigitalOutput relay(String id) {
    return (DigitalOutput) bank.pi4j().registry().get(id);
  }

  @Test
  void anActiveHighRelayIsPulsedHighThenLeftLow() throws Exception {
    given(true);
    List<DigitalState> states = new CopyOnWriteArrayList<>();
    relay("relay-A01").addListener(e -> states.add(e.state()));

    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());

    assertThat(states).containsExactly(DigitalState.HIGH, DigitalState.LOW);
    assertThat(relay("relay-A01").state()).isEqualTo(DigitalState.LOW);
    assertThat(relay("relay-A02").state()).isEqualTo(DigitalState.LOW);
  }

  @Test
  void anActiveLowRelayIsPulsedLowThenLeftHigh() throws Exception {
    given(false);
    assertThat(relay("relay-A01").state()).isEqualTo(DigitalState.HIGH);
    List<DigitalState> states = new CopyOnWriteArrayList<>();
    relay("relay-A01").addListener(e -> states.add(e.state()));

    locks.unlock(A01);

    assertThat(states).containsExactly(DigitalState.LOW, DigitalState.HIGH);
  }

  @Test
  void aDoorOpeningAndClosingIsReportedAfterDebounce() throws Exception {
    given(true);

    door("door-A01").mockState(DigitalState.HIGH);
    await(() -> locks.currentStates().get(A01) == DoorState.OPEN, "A01 open");
    door("door-A01").mockState(DigitalState.LOW);
    await(() -> locks.currentStates().get(A01) == DoorState.CLOSED, "A01 closed");

    assertThat(reports).containsSubsequence("A01=CLOSED", "A01=OPEN", "A01=CLOSED");
  }

  @Test
  void aCompartmentWithoutWiringIsUnreachable() throws Exception {
    given(true);
    assertThat(locks.unlock(CompartmentId.of("Z9")))
        .isEqualTo(new UnlockOutcome.Unreachable("no lock configured for Z9"));
  }

  @Test
  void shuttingDownLeavesEveryRelayOff() throws Exception {
    given(false);
    DigitalOutput relay = relay("relay-A01");
    relay.high();
    relay.low();
    locks.close();
    assertThat(relay.state()).isEqualTo(DigitalState.HIGH);
    locks = null;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
