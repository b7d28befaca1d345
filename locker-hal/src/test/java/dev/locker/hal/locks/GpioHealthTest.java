package dev.locker.hal.locks;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import dev.locker.core.application.port.CompartmentLocks.UnlockOutcome;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.gpio.BrokenGpio;
import dev.locker.hal.gpio.GpioBank;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GPIO locks report their health, naming the line that fails. */
class GpioHealthTest {
  private static final CompartmentId A01 = CompartmentId.of("A01");
  private static final CompartmentId A02 = CompartmentId.of("A02");

  private GpioBank bank;
  private GpioLocks locks;
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();

  private GpioLocks.Wiring working(String id, int relayPin, int doorPin) {
    GpioLocks.Wiring w =
        new GpioLocks.Wiring(
            bank.relay("relay-" + id, relayPin, true),
            bank.doorSwitch("door-" + id, doorPin, true, Duration.ofMillis(10)));
    ((MockDigitalInput) bank.pi4j().registry().get("door-" + id)).mockState(DigitalState.LOW);
    return w;
  }

  private void given(Map<CompartmentId, GpioLocks.Wiring> wiring) {
    locks =
        new GpioLocks(
            bank,
            new GpioLocks.Settings(wiring, Duration.ofMillis(50), Duration.ofMillis(20), 2),
            health::add);
    locks.start((id, state) -> {});
  }

  @AfterEach
  void tearDown() {
    if (locks != null) {
      locks.close();
    }
  }

  @Test
  void workingLinesAreOnline() throws Exception {
    bank = GpioBank.open("mock");
    given(Map.of(A01, working("A01", 5, 6), A02, working("A02", 13, 19)));

    await(HealthState.ONLINE);
    assertThat(health.get(0).device()).isEqualTo("gpio");
    assertThat(health.get(0).detail()).isEqualTo("2 relays and door switches answering");
  }

  @Test
  void oneUnreadableSwitchIsDegradedAndNamed() throws Exception {
    bank = GpioBank.open("mock");
    Map<CompartmentId, GpioLocks.Wiring> wiring = new LinkedHashMap<>();
    wiring.put(
        A01,
        new GpioLocks.Wiring(bank.relay("relay-A01", 5, true), BrokenGpio.doorSwitch("door-A01")));
    wiring.put(A02, working("A02", 13, 19));
    given(wiring);

    DeviceHealth degraded = await(HealthState.DEGRADED);
    assertThat(degraded.detail())
        .contains("door switch door-A01 could not be read")
        .contains("busy");
  }

  @Test
  void noReadableSwitchIsOffline() throws Exception {
    bank = GpioBank.open("mock");
    given(
        Map.of(
            A01,
            new GpioLocks.Wiring(
                bank.relay("relay-A01", 5, true), BrokenGpio.doorSwitch("door-A01"))));

    assertThat(await(HealthState.OFFLINE).detail()).startsWith("no door switch can be read");
  }

  @Test
  void aRelayThatCannotBePulsedIsUnreachableAndDegraded() throws Exception {
    bank = GpioBank.open("mock");
    Map<CompartmentId, GpioLocks.Wiring> wiring = new LinkedHashMap<>();
    wiring.put(
        A01,
        new GpioLocks.Wiring(
            BrokenGpio.relay("relay-A01"),
            bank.doorSwitch("door-A01", 6, true, Duration.ofMillis(10))));
    ((MockDigitalInput) bank.pi4j().registry().get("door-A01")).mockState(DigitalState.LOW);
    given(wiring);
    await(HealthState.ONLINE);

    assertThat(locks.unlock(A01)).isInstanceOf(UnlockOutcome.Unreachable.class);
    assertThat(await(HealthState.DEGRADED).detail())
        .contains("relay relay-A01 could not be pulsed");
  }

  private DeviceHealth await(HealthState state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (DeviceHealth h : health) {
        if (h.state() == state) {
          return h;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("never " + state + "; reported " + health);
  }
}
