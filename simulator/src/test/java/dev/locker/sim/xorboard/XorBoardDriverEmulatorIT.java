package dev.locker.sim.xorboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.application.port.CompartmentLocks.UnlockOutcome;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.DoorState;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.locks.XorBoardLocks;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SerialWire;
import dev.locker.hal.xorboard.XorBoardBus;
import dev.locker.hal.xorboard.XorFrame;
import dev.locker.hal.xorboard.XorFramer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real "8A/80" XOR board driver and compartment adapter against the emulated boards, over every
 * wire (in memory, and jssc on a socat pty pair at 9600 8N1), each fault plan a scenario. After
 * every scenario the boards must not have received an unlock-all.
 */
class XorBoardDriverEmulatorIT {
  private static final CompartmentId A01 = CompartmentId.of("A01");
  private static final CompartmentId A02 = CompartmentId.of("A02");
  private static final CompartmentId B01 = CompartmentId.of("B01");

  @TempDir Path dir;
  private SerialWire.Ends wire;
  private XorBoardEmulator boards;
  private XorBoardLocks locks;
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();
  private final List<String> doorReports = new CopyOnWriteArrayList<>();

  /** Boards 1 and 2 on one bus: A01, A02 on board 1 locks 1 and 2; B01 on board 2 lock 1. */
  private void given(SerialWire transport) throws Exception {
    givenBoards(transport, XorBoardEmulator.Options.defaults());
    XorBoardBus bus =
        new XorBoardBus(
            wire.host(),
            new XorBoardBus.Settings(Duration.ofMillis(150), 2, Set.of(1, 2)),
            health::add);
    locks =
        new XorBoardLocks(
            bus,
            new XorBoardLocks.Settings(
                Map.of(
                    A01, new XorBoardLocks.Channel(1, 1),
                    A02, new XorBoardLocks.Channel(1, 2),
                    B01, new XorBoardLocks.Channel(2, 1)),
                Duration.ofMillis(30),
                2));
    locks.start((id, state) -> doorReports.add(id + "=" + state));
    awaitTrue(
        () ->
            locks.currentStates().get(A01) == DoorState.CLOSED
                && locks.currentStates().get(B01) == DoorState.CLOSED,
        "first reads");
  }

  private void givenBoards(SerialWire transport, XorBoardEmulator.Options options)
      throws Exception {
    wire = transport.open(dir, "rs485", JsscSerialLink.LineSettings.eightN1(9600));
    boards =
        new XorBoardEmulator(
            wire.device(),
            Set.of(1, 2),
            Clock.systemUTC(),
            options.withSpringDelay(Duration.ofMillis(50)));
  }

  @AfterEach
  void tearDown() {
    try {
      if (locks != null) {
        assertThat(unlockFrames())
            .as("the driver never sends unlock-all")
            .noneMatch(f -> f.lock() == XorFrame.ALL_LOCKS);
      }
    } finally {
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
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void anUnlockOpensTheDoorAndClosingItIsReported(SerialWire transport) throws Exception {
    given(transport);

    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());
    awaitTrue(() -> boards.isDoorOpen(1, 1), "the door sprang open");
    awaitTrue(() -> locks.currentStates().get(A01) == DoorState.OPEN, "A01 reported open");

    boards.closeDoor(1, 1);

    awaitTrue(() -> locks.currentStates().get(A01) == DoorState.CLOSED, "A01 reported closed");
    assertThat(doorReports).containsSubsequence("A01=CLOSED", "A01=OPEN", "A01=CLOSED");
    assertThat(locks.currentStates().get(A02)).isEqualTo(DoorState.CLOSED);
    assertThat(unlockFrames()).containsExactly(XorFrame.unlock(1, 1));
    assertThat(XorFrame.unlock(1, 1).encode())
        .isEqualTo(new byte[] {(byte) 0x8A, 0x01, 0x01, 0x11, (byte) 0x9B});
    assertThat(lastHealth("lockboard-1").state()).isEqualTo(HealthState.ONLINE);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aJammedLockStaysLocked(SerialWire transport) throws Exception {
    given(transport);
    boards.jam(1, 2, true);

    UnlockOutcome outcome = locks.unlock(A02);

    assertThat(outcome).isInstanceOf(UnlockOutcome.StillLocked.class);
    assertThat(((UnlockOutcome.StillLocked) outcome).detail())
        .contains("board 1 lock 2 reads closed")
        .contains("still closed");
    assertThat(unlockFrames()).as("not pulsed again").containsExactly(XorFrame.unlock(1, 2));
    assertThat(boards.isDoorOpen(1, 2)).isFalse();
    assertThat(locks.currentStates().get(A02)).isEqualTo(DoorState.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aSensorStuckClosedMakesTheUnlockLookJammed(SerialWire transport) throws Exception {
    given(transport);
    boards.stickSensor(1, 1, true);

    assertThat(locks.unlock(A01)).isInstanceOf(UnlockOutcome.StillLocked.class);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aSilentBoardIsUnreachableAndOfflineAndComesBackOnline(SerialWire transport)
      throws Exception {
    given(transport);
    boards.silence(2, true);

    UnlockOutcome outcome = locks.unlock(B01);

    assertThat(outcome).isInstanceOf(UnlockOutcome.Unreachable.class);
    assertThat(((UnlockOutcome.Unreachable) outcome).detail())
        .contains("no reply to 3 queries after the unlock to board 2");
    awaitTrue(
        () -> lastHealth("lockboard-2").state() == HealthState.OFFLINE, "board 2 reported offline");
    assertThat(lastHealth("lockboard-2").detail()).contains("no valid reply to 3 queries");
    assertThat(locks.currentStates().get(B01))
        .as("keeps its last state")
        .isEqualTo(DoorState.CLOSED);
    assertThat(boards.isDoorOpen(2, 1)).isFalse();

    boards.silence(2, false);

    awaitTrue(
        () ->
            lastHealth("lockboard-2").state() != HealthState.OFFLINE
                && locks.unlock(B01) instanceof UnlockOutcome.Released,
        "board 2 answers again");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void garbageOnTheLineIsRetriedShowsAsDegradedAndNeverSendsAnUnintendedUnlock(SerialWire transport)
      throws Exception {
    given(transport);
    boards.garbage(true);

    for (int i = 0; i < 5; i++) {
      assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());
      boards.closeDoor(1, 1);
    }

    awaitTrue(() -> lastHealth("lockboard-1").state() == HealthState.DEGRADED, "board 1 degraded");
    assertThat(lastHealth("lockboard-1").detail()).contains("garbled");
    assertThat(unlockFrames())
        .as("exactly the five unlocks asked for, to the lock asked for")
        .containsExactly(
            XorFrame.unlock(1, 1),
            XorFrame.unlock(1, 1),
            XorFrame.unlock(1, 1),
            XorFrame.unlock(1, 1),
            XorFrame.unlock(1, 1));
    assertThat(boards.isDoorOpen(1, 2)).isFalse();
    assertThat(boards.isDoorOpen(2, 1)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void everySecondReplyWithABadChecksumIsRetriedAndShowsAsDegraded(SerialWire transport)
      throws Exception {
    given(transport);
    boards.corruptChecksums(2);

    assertThat(locks.unlock(A02)).isEqualTo(new UnlockOutcome.Released());

    awaitTrue(() -> lastHealth("lockboard-1").state() == HealthState.DEGRADED, "board 1 degraded");
    assertThat(unlockFrames()).containsExactly(XorFrame.unlock(1, 2));
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aBoardWhoseEveryChecksumIsWrongIsOfflineWithTheGarbageNamed(SerialWire transport)
      throws Exception {
    given(transport);
    boards.corruptChecksums(1);

    UnlockOutcome outcome = locks.unlock(B01);

    assertThat(outcome).isInstanceOf(UnlockOutcome.Unreachable.class);
    awaitTrue(() -> lastHealth("lockboard-2").state() == HealthState.OFFLINE, "board 2 offline");
    assertThat(lastHealth("lockboard-2").detail()).contains("garbled");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aReplyLaterThanTheTimeoutIsRetried(SerialWire transport) throws Exception {
    given(transport);
    boards.delayReplies(Duration.ofMillis(200));

    assertThat(locks.unlock(A02)).isEqualTo(new UnlockOutcome.Released());
    assertThat(unlockFrames()).containsExactly(XorFrame.unlock(1, 2));
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aBoardBusyAfterAnUnlockIsWaitedOut(SerialWire transport) throws Exception {
    given(transport);
    boards.busyAfterUnlock(Duration.ofMillis(180));

    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());
    assertThat(unlockFrames()).containsExactly(XorFrame.unlock(1, 1));
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aForcedDoorIsReportedOpenWithoutAnyUnlock(SerialWire transport) throws Exception {
    given(transport);

    boards.forceOpen(2, 1);

    awaitTrue(() -> locks.currentStates().get(B01) == DoorState.OPEN, "B01 reported open");
    assertThat(unlockFrames()).isEmpty();
    assertThat(locks.currentStates().get(A01)).isEqualTo(DoorState.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void twoBoardsOnOneBusAreAddressedApart(SerialWire transport) throws Exception {
    given(transport);

    assertThat(locks.unlock(B01)).isEqualTo(new UnlockOutcome.Released());

    awaitTrue(() -> locks.currentStates().get(B01) == DoorState.OPEN, "B01 reported open");
    assertThat(boards.isDoorOpen(1, 1)).as("board 1's lock 1 is another door").isFalse();
    assertThat(locks.currentStates().get(A01)).isEqualTo(DoorState.CLOSED);
    assertThat(unlockFrames()).containsExactly(XorFrame.unlock(2, 1));
    awaitTrue(
        () ->
            lastHealth("lockboard-1").state() == HealthState.ONLINE
                && lastHealth("lockboard-2").state() == HealthState.ONLINE,
        "both boards online");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aCompartmentWithNoLockConfiguredIsUnreachable(SerialWire transport) throws Exception {
    given(transport);

    assertThat(locks.unlock(CompartmentId.of("Z99")))
        .isEqualTo(new UnlockOutcome.Unreachable("no lock configured for Z99"));
    assertThat(unlockFrames()).isEmpty();
  }

  /**
   * The emulator understands the unlock-all the driver never sends: the board opens its locks one
   * after another, ignores requests meanwhile, and answers when done.
   */
  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void anUnlockAllSentByHandOpensEveryDoorInTurnAndIsAnsweredAtTheEnd(SerialWire transport)
      throws Exception {
    givenBoards(
        transport, XorBoardEmulator.Options.defaults().withUnlockAllStep(Duration.ofMillis(100)));

    wire.host().write(XorFrame.unlockAll(1).encode());
    wire.host().write(XorFrame.queryLock(1, 24).encode());

    XorFramer framer = new XorFramer(XorFramer.Expecting.LOCK_FRAMES);
    List<XorFrame> replies = new ArrayList<>();
    awaitTrue(
        () -> {
          try {
            framer.feed(wire.host().read(64, Duration.ofMillis(50))).stream()
                .filter(d -> d instanceof XorFramer.Decoded.Frame)
                .forEach(d -> replies.add(((XorFramer.Decoded.Frame) d).frame()));
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
          return !replies.isEmpty();
        },
        "the unlock-all reply");
    assertThat(replies)
        .as("the query sent during the sequence went unanswered")
        .containsExactly(new XorFrame.LockFrame(XorFrame.UNLOCK, 1, 0, XorFrame.OPEN));
    awaitTrue(() -> boards.isDoorOpen(1, 24), "the last door sprang open");
    for (int lock = 1; lock <= 24; lock++) {
      assertThat(boards.isDoorOpen(1, lock)).as("board 1 lock %d", lock).isTrue();
    }
    assertThat(boards.isDoorOpen(2, 1)).as("board 2 was not addressed").isFalse();
  }

  private List<XorFrame.LockFrame> unlockFrames() {
    return boards.received().stream()
        .map(XorBoardEmulator.ReceivedFrame::frame)
        .filter(f -> f.head() == XorFrame.UNLOCK)
        .toList();
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
