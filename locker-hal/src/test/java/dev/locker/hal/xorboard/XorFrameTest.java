package dev.locker.hal.xorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.hal.xorboard.XorFramer.Decoded;
import dev.locker.hal.xorboard.XorFramer.Expecting;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "8A/80" XOR board frames as annotated bytes (STYLE.md §10). Every good frame is one of the
 * examples in device-protocols.md §1.2, computed there by frames.py; malformed frames stand beside
 * them.
 */
class XorFrameTest {

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  // ---------------------------------------------------------------- host -> board

  @Test
  void unlockBoard1Lock1() {
    byte[] wire =
        bytes(
            0x8A, // HEAD: unlock
            0x01, // BOARD 1
            0x01, // LOCK 1
            0x11, // CODE: unlock
            0x9B); // XOR: 8A^01^01^11
    assertThat(XorFrame.unlock(1, 1).encode()).isEqualTo(wire);
    assertThat(single(wire, Expecting.LOCK_FRAMES)).isEqualTo(XorFrame.unlock(1, 1));
  }

  @Test
  void unlockBoard1Lock24() {
    byte[] wire =
        bytes(
            0x8A, // HEAD: unlock
            0x01, // BOARD 1
            0x18, // LOCK 24
            0x11, // CODE: unlock
            0x82); // XOR
    assertThat(XorFrame.unlock(1, 24).encode()).isEqualTo(wire);
    assertThat(single(wire, Expecting.LOCK_FRAMES)).isEqualTo(XorFrame.unlock(1, 24));
  }

  @Test
  void queryBoard1Lock1() {
    byte[] wire =
        bytes(
            0x80, // HEAD: query
            0x01, // BOARD 1
            0x01, // LOCK 1
            0x33, // CODE: query
            0xB3); // XOR: 80^01^01^33
    assertThat(XorFrame.queryLock(1, 1).encode()).isEqualTo(wire);
    assertThat(single(wire, Expecting.LOCK_FRAMES)).isEqualTo(XorFrame.queryLock(1, 1));
  }

  @Test
  void queryAllOfBoard1() {
    byte[] wire =
        bytes(
            0x80, // HEAD: query
            0x01, // BOARD 1
            0x00, // LOCK 00: all locks
            0x33, // CODE: query
            0xB2); // XOR
    assertThat(XorFrame.queryAll(1).encode()).isEqualTo(wire);
    assertThat(single(wire, Expecting.LOCK_FRAMES)).isEqualTo(XorFrame.queryAll(1));
  }

  @Test
  void unlockAllOfBoard1ExistsOnTheWireForTheEmulator() {
    byte[] wire =
        bytes(
            0x8A, // HEAD: unlock
            0x01, // BOARD 1
            0x00, // LOCK 00: every lock, one after another
            0x11, // CODE: unlock
            0x9A); // XOR (also literal in the reference source)
    assertThat(XorFrame.unlockAll(1).encode()).isEqualTo(wire);
    assertThat(single(wire, Expecting.LOCK_FRAMES)).isEqualTo(XorFrame.unlockAll(1));
  }

  @Test
  void unlockAndQueryOfLockZeroOrBeyond24AreRefusedByTheFactories() {
    assertThatThrownBy(() -> XorFrame.unlock(1, 0)).hasMessageContaining("1..24");
    assertThatThrownBy(() -> XorFrame.unlock(1, 25)).hasMessageContaining("1..24");
    assertThatThrownBy(() -> XorFrame.queryLock(1, 0)).hasMessageContaining("1..24");
    assertThatThrownBy(() -> new XorFrame.LockFrame(0x8A, 1, 25, 0x11))
        .hasMessageContaining("0..24");
    assertThatThrownBy(() -> new XorFrame.LockFrame(0x8A, 1, 1, 0x33))
        .hasMessageContaining("not defined");
  }

  // ---------------------------------------------------------------- board -> host

  @Test
  void replyLock1Open() {
    byte[] wire =
        bytes(
            0x80, // HEAD: query reply
            0x01, // BOARD 1
            0x01, // LOCK 1
            0x00, // STATE: open
            0x80); // XOR
    XorFrame.LockFrame frame = (XorFrame.LockFrame) single(wire, Expecting.LOCK_FRAMES);
    assertThat(frame.reportsClosed()).isFalse();
    assertThat(XorFrame.lockReply(1, 1, false).encode()).isEqualTo(wire);
  }

  @Test
  void replyLock1Closed() {
    byte[] wire =
        bytes(
            0x80, // HEAD: query reply
            0x01, // BOARD 1
            0x01, // LOCK 1
            0x11, // STATE: closed
            0x91); // XOR
    XorFrame.LockFrame frame = (XorFrame.LockFrame) single(wire, Expecting.LOCK_FRAMES);
    assertThat(frame.reportsClosed()).isTrue();
    assertThat(XorFrame.lockReply(1, 1, true).encode()).isEqualTo(wire);
  }

  @Test
  void unlockReplyOpenedAndStillClosed() {
    byte[] opened =
        bytes(
            0x8A, // HEAD: unlock reply
            0x01, // BOARD 1
            0x01, // LOCK 1
            0x00, // STATE: opened
            0x8A); // XOR
    assertThat(XorFrame.unlockReply(1, 1, true).encode()).isEqualTo(opened);
    byte[] stillClosed =
        bytes(
            0x8A, // HEAD: unlock reply
            0x01, // BOARD 1
            0x01, // LOCK 1
            0x11, // STATE: still closed: the same bytes as the unlock request
            0x9B); // XOR
    assertThat(XorFrame.unlockReply(1, 1, false).encode()).isEqualTo(stillClosed);
    assertThat(XorFrame.unlockReply(1, 1, false)).isEqualTo(XorFrame.unlock(1, 1));
  }

  @Test
  void replyToQueryAllDoors17And9And1Closed() {
    byte[] wire =
        bytes(
            0x80, // HEAD: query reply
            0x01, // BOARD 1
            0x01, // G3: locks 17..24, lock 17 closed
            0x01, // G2: locks 9..16, lock 9 closed
            0x01, // G1: locks 1..8, lock 1 closed
            0x33, // fixed
            0xB3); // XOR of the six bytes before
    XorFrame.BoardFrame frame = (XorFrame.BoardFrame) single(wire, Expecting.BOARD_FRAMES);
    assertThat(frame.board()).isEqualTo(1);
    assertThat(frame.closedBits()).isEqualTo(0x010101);
    assertThat(frame.closed(1)).isTrue();
    assertThat(frame.closed(9)).isTrue();
    assertThat(frame.closed(17)).isTrue();
    assertThat(frame.closed(2)).isFalse();
    assertThat(frame.closed(24)).isFalse();
    assertThat(XorFrame.boardReply(1, 0x010101).encode()).isEqualTo(wire);
  }

  @Test
  void aBoardFrameWhoseFirstFiveBytesAreAValidLockFrameIsReadWholeWhenABoardFrameIsAwaited() {
    byte[] wire =
        bytes(
            0x80, // HEAD
            0x01, // BOARD 1
            0x01, // G3: lock 17 closed        (as a lock frame: LOCK 1)
            0x11, // G2: locks 9, 13 closed    (as a lock frame: STATE closed)
            0x91, // G1: locks 1, 5, 8 closed  (as a lock frame: its valid XOR)
            0x33, // fixed
            0x33); // XOR
    assertThat(single(wire, Expecting.BOARD_FRAMES)).isEqualTo(XorFrame.boardReply(1, 0x011191));
    List<Decoded> asLockFrames = new XorFramer(Expecting.LOCK_FRAMES).feed(wire);
    assertThat(asLockFrames).first().isEqualTo(new Decoded.Frame(XorFrame.lockReply(1, 1, true)));
  }

  // ---------------------------------------------------------------- malformed beside good

  @Test
  void aBadXorIsRejectedWithBothValues() {
    byte[] wire = bytes(0x80, 0x01, 0x01, 0x11, 0x90); // reply lock 1 closed, XOR off by one
    List<Decoded> out = new XorFramer(Expecting.LOCK_FRAMES).feed(wire);
    assertThat(((Decoded.Rejected) out.get(0)).reason()).startsWith("bad XOR 0x90, expected 0x91");
    assertThat(out).noneMatch(d -> d instanceof Decoded.Frame);
  }

  @Test
  void aBoardFrameWithABadXorIsRejected() {
    byte[] wire = bytes(0x80, 0x01, 0x01, 0x01, 0x01, 0x33, 0xB4); // XOR should be B3
    List<Decoded> out = new XorFramer(Expecting.BOARD_FRAMES).feed(wire);
    assertThat(((Decoded.Rejected) out.get(0)).reason()).startsWith("bad XOR 0xB4, expected 0xB3");
    assertThat(out).noneMatch(d -> d instanceof Decoded.Frame);
  }

  @Test
  void aBoardFrameWithoutTheFixed33IsRejected() {
    byte[] wire = bytes(0x80, 0x01, 0x01, 0x01, 0x01, 0x34, 0xB4); // 34 where 33 belongs, XOR ok
    List<Decoded> out = new XorFramer(Expecting.BOARD_FRAMES).feed(wire);
    assertThat(((Decoded.Rejected) out.get(0)).reason()).startsWith("byte 5 is 0x34");
  }

  @Test
  void aLockBeyond24IsRejected() {
    byte[] wire = bytes(0x8A, 0x01, 0x19, 0x11, 0x83); // LOCK 25, XOR correct
    List<Decoded> out = new XorFramer(Expecting.LOCK_FRAMES).feed(wire);
    assertThat(((Decoded.Rejected) out.get(0)).reason()).startsWith("lock 0x19 beyond 24");
  }

  @Test
  void anUndefinedCodeIsRejected() {
    byte[] wire = bytes(0x8A, 0x01, 0x01, 0x33, 0xB9); // unlock head with the query code
    List<Decoded> out = new XorFramer(Expecting.LOCK_FRAMES).feed(wire);
    assertThat(((Decoded.Rejected) out.get(0)).reason())
        .startsWith("code 0x33 is not defined after head 0x8A");
  }

  @Test
  void garbageBeforeAndAfterAFrameIsDroppedAndTheFrameKept() {
    byte[] wire =
        bytes(
            0xFF, 0x13, // line noise
            0x80, 0x01, 0x01, 0x11, 0x91, // reply lock 1 closed
            0xA5); // more noise
    List<Decoded> out = new XorFramer(Expecting.LOCK_FRAMES).feed(wire);
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isInstanceOf(Decoded.Rejected.class);
    assertThat(out.get(1)).isEqualTo(new Decoded.Frame(XorFrame.lockReply(1, 1, true)));
    assertThat(out.get(2)).isInstanceOf(Decoded.Rejected.class);
  }

  @Test
  void aFrameSplitByteByByteIsReassembled() {
    byte[] wire = bytes(0x80, 0x01, 0x01, 0x01, 0x01, 0x33, 0xB3);
    XorFramer framer = new XorFramer(Expecting.BOARD_FRAMES);
    for (int i = 0; i < wire.length - 1; i++) {
      assertThat(framer.feed(new byte[] {wire[i]})).isEmpty();
    }
    List<Decoded> out = framer.feed(new byte[] {wire[wire.length - 1]});
    assertThat(out).containsExactly(new Decoded.Frame(XorFrame.boardReply(1, 0x010101)));
    assertThat(framer.pendingBytes()).isZero();
  }

  @Test
  void twoMergedFramesAreBothDecoded() {
    byte[] wire =
        bytes(
            0x8A, 0x01, 0x01, 0x11, 0x9B, // unlock board 1 lock 1
            0x80, 0x01, 0x01, 0x33, 0xB3); // query board 1 lock 1
    List<Decoded> out = new XorFramer(Expecting.LOCK_FRAMES).feed(wire);
    assertThat(out)
        .containsExactly(
            new Decoded.Frame(XorFrame.unlock(1, 1)), new Decoded.Frame(XorFrame.queryLock(1, 1)));
  }

  @Test
  void aTruncatedFrameFollowedByAGoodOneResynchronisesOnTheNextHead() {
    byte[] wire =
        bytes(
            0x80, 0x01, 0x01, // a reply cut short
            0x80, 0x01, 0x01, 0x00, 0x80); // a whole reply: lock 1 open
    List<Decoded> out = new XorFramer(Expecting.LOCK_FRAMES).feed(wire);
    assertThat(out).contains(new Decoded.Frame(XorFrame.lockReply(1, 1, false)));
    assertThat(out).filteredOn(d -> d instanceof Decoded.Rejected).isNotEmpty();
  }

  @Test
  void aStaleLockFrameIsGarbageWhileABoardFrameIsAwaited() {
    byte[] wire =
        bytes(
            0x8A, 0x01, 0x01, 0x00, 0x8A, // a late unlock reply
            0x80, 0x01, 0x00, 0x00, 0x01, 0x33, 0xB3); // the board frame: lock 1 closed
    List<Decoded> out = new XorFramer(Expecting.BOARD_FRAMES).feed(wire);
    assertThat(out).filteredOn(d -> d instanceof Decoded.Frame).hasSize(1);
    assertThat(out).last().isEqualTo(new Decoded.Frame(XorFrame.boardReply(1, 0x000001)));
  }

  // ---------------------------------------------------------------- fuzz

  /**
   * 100,000 random and mutated inputs per awaited shape (4 seeds × 25,000), fed in random chunks:
   * the framer never throws, every frame it yields stands byte for byte in its input at the place
   * the framer consumed it (so garbage can never produce a command, an unlock above all, that was
   * not on the wire), and every input byte is accounted for once: in a frame, a rejection or the
   * pending tail. The count of rejected input is printed.
   */
  @ParameterizedTest
  @EnumSource(Expecting.class)
  void garbageNeverBecomesAFrameThatWasNotOnTheWire(Expecting shape) {
    byte[][] valid = {
      XorFrame.unlock(1, 1).encode(),
      XorFrame.unlock(1, 24).encode(),
      XorFrame.queryLock(1, 1).encode(),
      XorFrame.queryAll(1).encode(),
      XorFrame.lockReply(1, 1, true).encode(),
      XorFrame.unlockReply(7, 3, true).encode(),
      XorFrame.boardReply(1, 0x010101).encode(),
      XorFrame.boardReply(2, 0xFFFFFF).encode(),
      XorFrame.boardReply(1, 0x011191).encode()
    };
    long cases = 0;
    long frames = 0;
    long rejections = 0;
    long rejectedBytes = 0;
    long inputBytes = 0;
    for (long seed = 1; seed <= 4; seed++) {
      Random random = new Random(seed);
      for (int i = 0; i < 25_000; i++, cases++) {
        byte[] input = input(random, valid);
        inputBytes += input.length;
        XorFramer framer = new XorFramer(shape);
        List<Decoded> decoded = new ArrayList<>();
        try {
          int at = 0;
          while (at < input.length) {
            int chunk = Math.min(input.length - at, 1 + random.nextInt(8));
            byte[] part = new byte[chunk];
            System.arraycopy(input, at, part, 0, chunk);
            decoded.addAll(framer.feed(part));
            at += chunk;
          }
        } catch (RuntimeException e) {
          throw new AssertionError(
              "seed " + seed + " case " + i + " on " + HexFormat.of().formatHex(input), e);
        }
        int consumed = 0;
        for (Decoded d : decoded) {
          byte[] run =
              d instanceof Decoded.Frame f ? f.frame().encode() : ((Decoded.Rejected) d).bytes();
          if (consumed + run.length > input.length
              || !Arrays.equals(input, consumed, consumed + run.length, run, 0, run.length)) {
            throw new AssertionError(
                String.format(
                    "seed %d case %d: %s does not stand at byte %d of %s",
                    seed, i, d, consumed, HexFormat.of().formatHex(input)));
          }
          consumed += run.length;
          if (d instanceof Decoded.Frame) {
            frames++;
          } else {
            rejections++;
            rejectedBytes += run.length;
          }
        }
        if (consumed + framer.pendingBytes() != input.length) {
          throw new AssertionError(
              String.format("seed %d case %d: input bytes lost or counted twice", seed, i));
        }
      }
    }
    System.out.printf(
        "XorFramer fuzz (%s): %d cases, %d input bytes, %d frames, %d rejections"
            + " covering %d bytes%n",
        shape, cases, inputBytes, frames, rejections, rejectedBytes);
    assertThat(cases).isEqualTo(100_000);
    assertThat(frames).isPositive();
    assertThat(rejections).isPositive();
  }

  /** Random bytes half the time, else 1-3 valid frames with 1-3 bytes overwritten. */
  private static byte[] input(Random random, byte[][] valid) {
    if (random.nextBoolean()) {
      byte[] noise = new byte[random.nextInt(48)];
      random.nextBytes(noise);
      return noise;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int copies = 1 + random.nextInt(3); copies > 0; copies--) {
      out.writeBytes(valid[random.nextInt(valid.length)]);
    }
    byte[] input = out.toByteArray();
    for (int flips = random.nextInt(4); flips > 0; flips--) {
      input[random.nextInt(input.length)] = (byte) random.nextInt(256);
    }
    return input;
  }

  @Test
  void afterAnyNoiseAGoodFrameIsFoundOnceTheNoiseIsFlushed() {
    Random random = new Random(99);
    XorFramer framer = new XorFramer(Expecting.LOCK_FRAMES);
    for (int round = 0; round < 200; round++) {
      byte[] noise = new byte[random.nextInt(40)];
      random.nextBytes(noise);
      framer.feed(noise);
    }
    byte[] good = XorFrame.lockReply(9, 12, true).encode();
    long found = 0;
    for (int i = 0; i < 3; i++) {
      found +=
          framer.feed(good).stream()
              .filter(d -> d instanceof Decoded.Frame f && f.frame().board() == 9)
              .count();
    }
    assertThat(found).isGreaterThanOrEqualTo(2);
  }

  private static XorFrame single(byte[] wire, Expecting shape) {
    List<Decoded> out = new XorFramer(shape).feed(wire);
    assertThat(out).hasSize(1);
    return ((Decoded.Frame) out.get(0)).frame();
  }
}
