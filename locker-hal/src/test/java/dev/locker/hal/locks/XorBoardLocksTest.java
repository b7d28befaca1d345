package dev.locker.hal.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.application.port.CompartmentLocks.UnlockOutcome;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.serial.InMemorySerialLink;
import dev.locker.hal.serial.SerialLink;
import dev.locker.hal.xorboard.XorBoardBus;
import dev.locker.hal.xorboard.XorFrame;
import dev.locker.hal.xorboard.XorFramer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The XOR board bus and its compartment adapter against a scripted board on an in-memory link: the
 * exact bytes on the wire, and when an unlock is (and is not) sent again. The door poller is not
 * started, so every frame on the wire comes from the call under test.
 */
class XorBoardLocksTest {
  private static final CompartmentId A01 = CompartmentId.of("A01");
  private static final byte[] SILENCE = new byte[0];

  private ScriptedBoard board;
  private XorBoardLocks locks;
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();

  /** A board that answers each request with whatever {@code script} returns for it. */
  private static final class ScriptedBoard implements AutoCloseable {
    final List<XorFrame.LockFrame> requests = new CopyOnWriteArrayList<>();
    final SerialLink link;
    final Thread thread;
    final Function<XorFrame.LockFrame, byte[]> script;

    ScriptedBoard(SerialLink link, Function<XorFrame.LockFrame, byte[]> script) {
      this.link = link;
      this.script = script;
      XorFramer framer = new XorFramer(XorFramer.Expecting.LOCK_FRAMES);
      thread =
          new Thread(
              () -> {
                try {
                  while (true) {
                    for (XorFramer.Decoded d : framer.feed(link.read(64, Duration.ofSeconds(1)))) {
                      if (d instanceof XorFramer.Decoded.Frame f) {
                        XorFrame.LockFrame request = (XorFrame.LockFrame) f.frame();
                        requests.add(request);
                        byte[] reply = script.apply(request);
                        if (reply.length > 0) {
                          link.write(reply);
                        }
                      }
                    }
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "scripted-xorboard");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      link.close();
    }
  }

  /** A bus on a fresh in-memory wire whose far end is a board playing {@code script}. */
  private XorBoardBus bus(Function<XorFrame.LockFrame, byte[]> script, int retries) {
    InMemorySerialLink[] wire = InMemorySerialLink.pair("xor");
    board = new ScriptedBoard(wire[1], script);
    return new XorBoardBus(
        wire[0], new XorBoardBus.Settings(Duration.ofMillis(100), retries, Set.of(1)), health::add);
  }

  private void given(Function<XorFrame.LockFrame, byte[]> script) {
    locks =
        new XorBoardLocks(
            bus(script, 2),
            new XorBoardLocks.Settings(
                Map.of(A01, new XorBoardLocks.Channel(1, 1)), Duration.ofMillis(20), 1));
  }

  @AfterEach
  void tearDown() {
    if (locks != null) {
      locks.close();
    }
    if (board != null) {
      board.close();
    }
  }

  private static boolean isUnlock(XorFrame.LockFrame f) {
    return f.head() == XorFrame.UNLOCK;
  }

  // ---------------------------------------------------------------- the wire

  @Test
  void anUnlockIsTheUnlockFrameThenAQueryOfThatLock() {
    given(
        request ->
            isUnlock(request)
                ? XorFrame.unlockReply(1, 1, true).encode() // 8A 01 01 00 8A: opened
                : XorFrame.lockReply(1, 1, false).encode()); // 80 01 01 00 80: open

    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());

    assertThat(board.requests)
        .extracting(XorFrame::encode)
        .containsExactly(
            new byte[] {(byte) 0x8A, 0x01, 0x01, 0x11, (byte) 0x9B}, // unlock board 1 lock 1
            new byte[] {(byte) 0x80, 0x01, 0x01, 0x33, (byte) 0xB3}); // query board 1 lock 1
    assertThat(health).extracting(DeviceHealth::state).containsExactly(HealthState.ONLINE);
  }

  @Test
  void aLostUnlockReplyWithTheLockReadingOpenIsReleasedWithoutASecondUnlock() {
    given(request -> isUnlock(request) ? SILENCE : XorFrame.lockReply(1, 1, false).encode());

    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());

    assertThat(board.requests).filteredOn(XorBoardLocksTest::isUnlock).hasSize(1);
    assertThat(health).extracting(DeviceHealth::state).containsExactly(HealthState.DEGRADED);
    assertThat(health.get(0).detail()).contains("an unlock went unanswered");
  }

  @Test
  void aLostUnlockReplyWithTheLockReadingClosedSendsTheUnlockAgain() {
    int[] unlocks = {0};
    given(
        request -> {
          if (isUnlock(request)) {
            unlocks[0]++;
            return unlocks[0] == 1 ? SILENCE : XorFrame.unlockReply(1, 1, true).encode();
          }
          return XorFrame.lockReply(1, 1, unlocks[0] < 2).encode(); // the first unlock was lost
        });

    assertThat(locks.unlock(A01)).isEqualTo(new UnlockOutcome.Released());

    assertThat(board.requests)
        .containsExactly(
            XorFrame.unlock(1, 1), // unanswered
            XorFrame.queryLock(1, 1), // reads closed: the board never heard the unlock
            XorFrame.unlock(1, 1), // sent again
            XorFrame.queryLock(1, 1)); // reads open
  }

  @Test
  void aBoardThatNeverAnswersUnlocksButReadsClosedIsStillLockedAfterEveryTry() {
    given(request -> isUnlock(request) ? SILENCE : XorFrame.lockReply(1, 1, true).encode());

    UnlockOutcome outcome = locks.unlock(A01);

    assertThat(outcome)
        .isEqualTo(
            new UnlockOutcome.StillLocked(
                "board 1 lock 1 reads closed; none of 3 unlock frames was answered"));
    assertThat(board.requests).filteredOn(XorBoardLocksTest::isUnlock).hasSize(3);
  }

  @Test
  void aStrayFrameForAnotherLockIsNotTakenForTheAnswer() {
    given(
        request ->
            isUnlock(request)
                ? XorFrame.unlockReply(1, 1, true).encode()
                : concat(
                    XorFrame.lockReply(1, 2, false).encode(), // lock 2 reads open: not ours
                    XorFrame.lockReply(1, 1, true).encode())); // lock 1 reads closed

    assertThat(locks.unlock(A01)).isInstanceOf(UnlockOutcome.StillLocked.class);
  }

  @Test
  void aBoardFrameThatAlsoParsesAsALockFrameIsReadWhole() {
    byte[] ambiguous = {(byte) 0x80, 0x01, 0x01, 0x11, (byte) 0x91, 0x33, 0x33};
    XorBoardBus bus = bus(request -> ambiguous, 0);

    XorBoardBus.StatusResult result = bus.status(1);
    bus.close();

    assertThat(result)
        .isEqualTo(new XorBoardBus.StatusResult.Read(new XorBoardBus.BoardState(1, 0x011191)));
  }

  @Test
  void aClosedLinkIsUnreachableAndOffline() {
    given(request -> SILENCE);
    board.close();
    locks.close();

    UnlockOutcome outcome = locks.unlock(A01);

    assertThat(outcome).isInstanceOf(UnlockOutcome.Unreachable.class);
    assertThat(((UnlockOutcome.Unreachable) outcome).detail()).contains("failed");
    assertThat(health).last().extracting(DeviceHealth::state).isEqualTo(HealthState.OFFLINE);
  }

  // ---------------------------------------------------------------- configuration

  @Test
  void boardAddressesOutsideOneTo99AndLocksOutsideOneTo24AreRefused() {
    assertThatThrownBy(() -> new XorBoardLocks.Channel(0, 1)).hasMessageContaining("1..99");
    assertThatThrownBy(() -> new XorBoardLocks.Channel(100, 1)).hasMessageContaining("1..99");
    assertThatThrownBy(() -> new XorBoardLocks.Channel(1, 0)).hasMessageContaining("1..24");
    assertThatThrownBy(() -> new XorBoardLocks.Channel(1, 25)).hasMessageContaining("1..24");
    assertThatThrownBy(() -> new XorBoardBus.Settings(Duration.ofMillis(100), 2, Set.of(0)))
        .hasMessageContaining("1..99");
    assertThatThrownBy(() -> new XorBoardBus.Settings(Duration.ofMillis(100), -1, Set.of(1)))
        .hasMessageContaining("retries");
  }

  @Test
  void aCompartmentOnABoardThatIsNotOnTheBusIsRefusedAtConstruction() {
    InMemorySerialLink[] wire = InMemorySerialLink.pair("xor");
    XorBoardBus bus =
        new XorBoardBus(
            wire[0], new XorBoardBus.Settings(Duration.ofMillis(100), 2, Set.of(1)), h -> {});

    assertThatThrownBy(
            () ->
                new XorBoardLocks(
                    bus,
                    new XorBoardLocks.Settings(
                        Map.of(A01, new XorBoardLocks.Channel(2, 1)), Duration.ofMillis(20), 1)))
        .hasMessageContaining("A01 is on board 2, which is not on");
    bus.close();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
