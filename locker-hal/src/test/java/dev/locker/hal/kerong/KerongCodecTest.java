package dev.locker.hal.kerong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KR-CU16 frames as annotated bytes (STYLE.md §10). Every good frame is one of the examples in
 * device-protocols.md §1.1, computed there by frames.py.
 */
class KerongCodecTest {

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  // ---------------------------------------------------------------- host -> board

  @Test
  void statusQueryOfBoard0() {
    byte[] expected =
        bytes(
            0x02, // STX
            0x00, // ADDR: board 0 << 4, lock nibble ignored
            0x30, // CMD: get status
            0x03, // ETX
            0x35); // SUM: 02+00+30+03
    assertThat(KerongFrame.statusQuery(0).encode()).isEqualTo(expected);
  }

  @Test
  void statusQueryOfBoard1() {
    byte[] expected =
        bytes(
            0x02, // STX
            0x10, // ADDR: board 1 << 4
            0x30, // CMD: get status
            0x03, // ETX
            0x45); // SUM
    assertThat(KerongFrame.statusQuery(1).encode()).isEqualTo(expected);
  }

  @Test
  void unlockBoard0Lock1() {
    byte[] expected =
        bytes(
            0x02, // STX
            0x00, // ADDR: board 0, lock index 0 (lock 1)
            0x31, // CMD: unlock
            0x03, // ETX
            0x36); // SUM
    assertThat(KerongFrame.unlock(0, 1).encode()).isEqualTo(expected);
  }

  @Test
  void unlockBoard0Lock16() {
    byte[] expected =
        bytes(
            0x02, // STX
            0x0F, // ADDR: board 0, lock index 15 (lock 16)
            0x31, // CMD: unlock
            0x03, // ETX
            0x45); // SUM
    assertThat(KerongFrame.unlock(0, 16).encode()).isEqualTo(expected);
  }

  @Test
  void unlockBoard1Lock3() {
    byte[] expected =
        bytes(
            0x02, // STX
            0x12, // ADDR: board 1 << 4 | lock index 2
            0x31, // CMD: unlock
            0x03, // ETX
            0x48); // SUM
    KerongFrame frame = KerongFrame.unlock(1, 3);
    assertThat(frame.encode()).isEqualTo(expected);
    assertThat(frame.board()).isEqualTo(1);
    assertThat(frame.channel()).isEqualTo(3);
  }

  @Test
  void unlockAllAndQueryAllAndSetUnlockTime() {
    assertThat(new KerongFrame(0x00, 0x33, new byte[0]).encode())
        .isEqualTo(bytes(0x02, 0x00, 0x33, 0x03, 0x38)); // unlock-all board 0
    assertThat(new KerongFrame(0x00, 0x32, new byte[0]).encode())
        .isEqualTo(bytes(0x02, 0x00, 0x32, 0x03, 0x37)); // query all boards
    assertThat(new KerongFrame(0x00, 0x37, bytes(0xF4, 0x01)).encode())
        .isEqualTo(
            bytes(
                0x02, // STX
                0x00, // ADDR
                0x37, // CMD: set unlock time
                0xF4, // 500 low byte
                0x01, // 500 high byte (little-endian)
                0x03, // ETX
                0x31)); // SUM
  }

  @Test
  void channelsOutsideOneToSixteenAreRefused() {
    assertThatThrownBy(() -> KerongFrame.unlock(0, 0)).hasMessageContaining("1..16");
    assertThatThrownBy(() -> KerongFrame.unlock(0, 17)).hasMessageContaining("1..16");
  }

  // ---------------------------------------------------------------- board -> host

  @Test
  void statusReplyLocks1And2ClosedItemInLock1() {
    byte[] wire =
        bytes(
            0x02, // STX
            0x00, // ADDR: board 0
            0x35, // CMD: status reply
            0x03, // HOOK 1-8: locks 1 and 2 latched
            0x00, // HOOK 9-16
            0x01, // IR 1-8: item in lock 1
            0x00, // IR 9-16
            0x03, // ETX
            0x3E); // SUM
    KerongFrame frame = single(wire);
    assertThat(frame.command()).isEqualTo(KerongFrame.STATUS_REPLY);
    assertThat(frame.hookBits()).isEqualTo(0b11);
    assertThat(frame.irBits()).isEqualTo(0b1);
    assertThat(KerongFrame.statusReply(0, 0b11, 0b1).encode()).isEqualTo(wire);
  }

  @Test
  void statusReplyAllSixteenLatchedNoItems() {
    byte[] wire =
        bytes(
            0x02, // STX
            0x00, // ADDR
            0x35, // CMD
            0xFF, // HOOK 1-8 latched
            0xFF, // HOOK 9-16 latched
            0x00, // IR 1-8
            0x00, // IR 9-16
            0x03, // ETX
            0x38); // SUM
    assertThat(single(wire).hookBits()).isEqualTo(0xFFFF);
  }

  // ---------------------------------------------------------------- malformed, split, merged

  @Test
  void aBadChecksumIsRejectedWithBothSums() {
    byte[] wire = bytes(0x02, 0x00, 0x35, 0x03, 0x00, 0x01, 0x00, 0x03, 0x3F); // SUM off by one
    List<KerongFramer.Decoded> out = new KerongFramer().feed(wire);
    assertThat(out).first().isInstanceOf(KerongFramer.Decoded.Rejected.class);
    assertThat(((KerongFramer.Decoded.Rejected) out.get(0)).reason())
        .startsWith("bad checksum 0x3F, expected 0x3E");
    assertThat(out).noneMatch(d -> d instanceof KerongFramer.Decoded.Frame);
  }

  @Test
  void aMissingEtxIsRejected() {
    byte[] wire = bytes(0x02, 0x00, 0x30, 0x04, 0x36); // 0x04 where ETX belongs
    List<KerongFramer.Decoded> out = new KerongFramer().feed(wire);
    assertThat(((KerongFramer.Decoded.Rejected) out.get(0)).reason()).startsWith("no ETX");
  }

  @Test
  void anUnknownCommandIsRejectedByName() {
    byte[] wire = bytes(0x02, 0x00, 0x41, 0x03, 0x46);
    List<KerongFramer.Decoded> out = new KerongFramer().feed(wire);
    assertThat(((KerongFramer.Decoded.Rejected) out.get(0)).reason())
        .startsWith("unknown command 0x41");
  }

  @Test
  void garbageBeforeAndAfterAFrameIsDroppedAndTheFrameKept() {
    byte[] wire =
        bytes(
            0xFF, 0x13, // line noise
            0x02, 0x00, 0x35, 0xFF, 0xFF, 0x00, 0x00, 0x03, 0x38, // the reply
            0xA5); // more noise
    List<KerongFramer.Decoded> out = new KerongFramer().feed(wire);
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isInstanceOf(KerongFramer.Decoded.Rejected.class);
    assertThat(out.get(1)).isInstanceOf(KerongFramer.Decoded.Frame.class);
    assertThat(out.get(2)).isInstanceOf(KerongFramer.Decoded.Rejected.class);
  }

  @Test
  void aFrameSplitByteByByteIsReassembled() {
    byte[] wire = bytes(0x02, 0x10, 0x35, 0x01, 0x00, 0x00, 0x00, 0x03, 0x4B);
    KerongFramer framer = new KerongFramer();
    for (int i = 0; i < wire.length - 1; i++) {
      assertThat(framer.feed(new byte[] {wire[i]})).isEmpty();
    }
    List<KerongFramer.Decoded> out = framer.feed(new byte[] {wire[wire.length - 1]});
    assertThat(out).hasSize(1);
    assertThat(((KerongFramer.Decoded.Frame) out.get(0)).frame().board()).isEqualTo(1);
    assertThat(framer.pendingBytes()).isZero();
  }

  @Test
  void twoMergedFramesAreBothDecoded() {
    byte[] wire =
        bytes(
            0x02, 0x00, 0x30, 0x03, 0x35, // status query board 0
            0x02, 0x12, 0x31, 0x03, 0x48); // unlock board 1 lock 3
    List<KerongFramer.Decoded> out = new KerongFramer().feed(wire);
    assertThat(out)
        .extracting(d -> ((KerongFramer.Decoded.Frame) d).frame())
        .containsExactly(KerongFrame.statusQuery(0), KerongFrame.unlock(1, 3));
  }

  @Test
  void aTruncatedFrameFollowedByAGoodOneResynchronisesOnTheNextStx() {
    byte[] wire =
        bytes(
            0x02, 0x00, 0x35, 0xFF, // a reply cut short
            0x02, 0x00, 0x35, 0x03, 0x00, 0x01, 0x00, 0x03, 0x3E); // a whole reply
    List<KerongFramer.Decoded> out = new KerongFramer().feed(wire);
    assertThat(out).filteredOn(d -> d instanceof KerongFramer.Decoded.Frame).hasSize(1);
    assertThat(out).filteredOn(d -> d instanceof KerongFramer.Decoded.Rejected).isNotEmpty();
  }

  /**
   * 100,000 random and mutated inputs (4 seeds × 25,000): the framer never throws, and every frame
   * it yields stands byte for byte in its input, so garbage can never produce a command (an unlock
   * above all) that was not on the wire.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4})
  void garbageNeverBecomesAFrameThatWasNotOnTheWire(long seed) {
    java.util.Random random = new java.util.Random(seed);
    byte[][] seeds = {
      KerongFrame.statusQuery(0).encode(),
      KerongFrame.unlock(1, 3).encode(),
      KerongFrame.statusReply(0, 0xFFFF, 0x0001).encode()
    };
    for (int i = 0; i < 25_000; i++) {
      byte[] input;
      if (random.nextBoolean()) {
        input = new byte[random.nextInt(48)];
        random.nextBytes(input);
      } else {
        byte[] base = seeds[random.nextInt(seeds.length)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int copies = 1 + random.nextInt(3); copies > 0; copies--) {
          out.writeBytes(base);
        }
        input = out.toByteArray();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      List<KerongFramer.Decoded> decoded;
      try {
        decoded = new KerongFramer().feed(input);
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " case " + i + ": " + e, e);
      }
      String wire = java.util.HexFormat.of().formatHex(input);
      for (KerongFramer.Decoded d : decoded) {
        if (d instanceof KerongFramer.Decoded.Frame f) {
          assertThat(wire)
              .as("seed %d case %d: %s must be on the wire", seed, i, f.frame())
              .contains(java.util.HexFormat.of().formatHex(f.frame().encode()));
        }
      }
    }
  }

  @Test
  void afterAnyNoiseAGoodFrameIsFoundOnceTheNoiseIsFlushed() {
    java.util.Random random = new java.util.Random(99);
    KerongFramer framer = new KerongFramer();
    for (int round = 0; round < 200; round++) {
      byte[] noise = new byte[random.nextInt(40)];
      random.nextBytes(noise);
      framer.feed(noise);
    }
    byte[] good = KerongFrame.statusReply(2, 0x1234, 0x0001).encode();
    long found = 0;
    for (int i = 0; i < 3; i++) {
      found +=
          framer.feed(good).stream()
              .filter(d -> d instanceof KerongFramer.Decoded.Frame f && f.frame().board() == 2)
              .count();
    }
    assertThat(found).isGreaterThanOrEqualTo(2);
  }

  private static KerongFrame single(byte[] wire) {
    List<KerongFramer.Decoded> out = new KerongFramer().feed(wire);
    assertThat(out).hasSize(1);
    return ((KerongFramer.Decoded.Frame) out.get(0)).frame();
  }
}
