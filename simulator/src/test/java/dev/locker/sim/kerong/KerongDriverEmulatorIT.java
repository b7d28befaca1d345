package dev.locker.sim.kerong;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.application.port.CompartmentLocks.UnlockOutcome;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.DoorState;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.kerong.HookPolarity;
import dev.locker.hal.kerong.KerongBus;
import dev.locker.hal.kerong.KerongFrame;
import dev.locker.hal.locks.KerongLocks;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SerialWire;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real Kerong driver and compartment adapter against the emulated boards, over every wire (in
 * memory, and jssc on a socat pty pair), each fault plan a scenario.
 */
class KerongDriverEmulatorIT {
  private static final CompartmentId A01 = CompartmentId.of("A01");
  private static final CompartmentId A02 = CompartmentId.of("A02");
  private static final CompartmentId B01 = CompartmentId.of("B01");

  @TempDir Path dir;
  private SerialWire.Ends wire;
  private KerongBusEmulator boards;
  private KerongLocks locks;
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();
  private final List<String> doorReports = new CopyOnWriteArrayList<>();

  private void given(
      SerialWire transport, HookPolarity polarity, KerongBusEmulator.UnlockReply reply)
      throws Exception {
    wire = transport.open(dir, "rs485", JsscSerialLink.LineSettings.eightN1(19200));
    Map<Integer, HookPolarity> polarities = Map.of(0, polarity, 1, polarity);
    boards =
        new KerongBusEmulator(
            wire.device(),
            polarities,
            Clock.systemUTC(),
            KerongBusEmulator.Options.defaults()
                .withSpringDelay(Duration.ofMillis(50))
                .withUnlockReply(reply));
    KerongBus bus =
        new KerongBus(
            wire.host(),
            new KerongBus.Settings(Duration.ofMillis(150), 2, Duration.ofMillis(50), polarities),
            health::add);
    locks =
        new KerongLocks(
            bus,
            new KerongLocks.Settings(
                Map.of(
                    A01, new KerongLocks.Channel(0, 1),
                    A02, new KerongLocks.Channel(0, 2),
                    B01, new KerongLocks.Channel(1, 1)),
                Duration.ofMillis(30),
                2));
    locks.start((id, state) -> doorReports.add(id + "=" + state));
    awaitTrue(
        () ->
            locks.currentStates().get(A01) == DoorState.CLOSED
                && locks.currentStates().get(B01) == DoorState.CLOSED,
        "first reads of every board");
  }

  private void given(SerialWire transport) throws Exception {
    given(transport, HookPolarity.LATCHED_IS_ONE, KerongBusEmulator.UnlockReply.NONE);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (locks != null) {
      locks.close();
    }
    if (boards != null) {
      boards.close();
    }
    if (wire != null) {
      wire.close();
    }
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void anUnlockReleasesTheLatchTheDoorOpensAndClosingItIsReported(SerialWire transport)
      throws Exception {
    given(transport);

    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());
    awaitTrue(() -> locks.currentStates().get(A01) == DoorState.OPEN, "A01 reported open");
    awaitTrue(() -> boards.isDoorOpen(0, 1), "the door sprang open");

    boards.closeDoor(0, 1);

    awaitTrue(() -> locks.currentStates().get(A01) == DoorState.CLOSED, "A01 reported closed");
    assertThat(doorReports).containsSubsequence("A01=CLOSED", "A01=OPEN", "A01=CLOSED");
    assertThat(locks.currentStates().get(A02)).isEqualTo(DoorState.CLOSED);
    assertThat(boards.received())
        .extracting(KerongBusEmulator.ReceivedFrame::frame)
        .contains(KerongFrame.unlock(0, 1));
    assertThat(health).last().extracting(DeviceHealth::state).isEqualTo(HealthState.ONLINE);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aBoardThatAnswersUnlocksWithAStatusFrameWorksTheSame(SerialWire transport) throws Exception {
    given(transport, HookPolarity.LATCHED_IS_ONE, KerongBusEmulator.UnlockReply.STATUS);

    assertThat(locks.unlock(B01)).isEqualTo(new UnlockOutcome.Released());
    awaitTrue(() -> locks.currentStates().get(B01) == DoorState.OPEN, "B01 reported open");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void invertedHookPolarityOnBothEndsReadsTheSameDoors(SerialWire transport) throws Exception {
    given(transport, HookPolarity.LATCHED_IS_ZERO, KerongBusEmulator.UnlockReply.NONE);

    assertThat(locks.currentStates().get(A01)).isEqualTo(DoorState.CLOSED);
    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());
    awaitTrue(() -> locks.currentStates().get(A01) == DoorState.OPEN, "A01 reported open");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aJammedLockStaysLocked(SerialWire transport) throws Exception {
    given(transport);
    boards.jam(0, 2, true);

    UnlockOutcome outcome = locks.unlock(A02);

    assertThat(outcome).isInstanceOf(UnlockOutcome.StillLocked.class);
    assertThat(((UnlockOutcome.StillLocked) outcome).detail()).contains("board 0 lock 2");
    assertThat(boards.isDoorOpen(0, 2)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aStuckSensorThatReadsLatchedMakesTheUnlockLookJammed(SerialWire transport) throws Exception {
    given(transport);
    boards.stickSensor(0, 1, true);

    assertThat(locks.unlock(A01)).isInstanceOf(UnlockOutcome.StillLocked.class);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aSilentBoardIsUnreachableAndOfflineAndComesBackOnline(SerialWire transport)
      throws Exception {
    given(transport);
    boards.silence(1, true);

    UnlockOutcome outcome = locks.unlock(B01);

    assertThat(outcome).isInstanceOf(UnlockOutcome.Unreachable.class);
    assertThat(((UnlockOutcome.Unreachable) outcome).detail())
        .contains("no reply to 3 status queries to board 1");
    awaitTrue(
        () ->
            health.stream()
                .anyMatch(
                    h -> h.device().equals("lockboard-1") && h.state() == HealthState.OFFLINE),
        "board 1 offline");
    assertThat(locks.currentStates().get(B01)).isEqualTo(DoorState.CLOSED);

    boards.silence(1, false);

    awaitTrue(
        () ->
            lastHealth("lockboard-1").state() != HealthState.OFFLINE
                && locks.unlock(B01) instanceof UnlockOutcome.Released,
        "board 1 answers again");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void garbageOnTheLineIsSurvivedAndShowsAsDegraded(SerialWire transport) throws Exception {
    given(transport);
    boards.garbage(true);

    for (int i = 0; i < 5; i++) {
      assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());
      boards.closeDoor(0, 1);
    }

    awaitTrue(() -> lastHealth("lockboard-0").state() == HealthState.DEGRADED, "board 0 degraded");
    assertThat(lastHealth("lockboard-0").detail()).contains("garbled");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aReplyLaterThanTheTimeoutIsRetried(SerialWire transport) throws Exception {
    given(transport);
    boards.delayReplies(Duration.ofMillis(200));

    assertThat(locks.unlock(A02)).isEqualTo(new UnlockOutcome.Released());
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aBoardBusyAfterAnUnlockIsWaitedOut(SerialWire transport) throws Exception {
    given(transport);
    boards.busyAfterUnlock(Duration.ofMillis(180));

    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aForcedDoorIsReportedOpenWithoutAnyUnlock(SerialWire transport) throws Exception {
    given(transport);

    boards.forceOpen(1, 1);

    awaitTrue(() -> locks.currentStates().get(B01) == DoorState.OPEN, "B01 reported open");
    assertThat(boards.received())
        .extracting(f -> f.frame().command())
        .doesNotContain(KerongFrame.UNLOCK);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aCompartmentWithNoLockConfiguredIsUnreachable(SerialWire transport) throws Exception {
    given(transport);

    assertThat(locks.unlock(CompartmentId.of("Z99")))
        .isEqualTo(new UnlockOutcome.Unreachable("no lock configured for Z99"));
  }

  private DeviceHealth lastHealth(String device) {
    return health.stream()
        .filter(h -> h.device().equals(device))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no health reported for " + device));
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }
}
