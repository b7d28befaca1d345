package dev.locker.hal.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Zebra SSI replies taken out of a scanner's text stream, as annotated bytes. */
class SsiReplyFilterTest {

  /** CMD_ACK from the decoder. */
  private static final byte[] ACK = {
    0x04, // length: 4 bytes before the checksum
    (byte) 0xD0, // opcode CMD_ACK
    0x00, // source: decoder
    0x00, // status
    (byte) 0xFF,
    0x2C // checksum: -(04 + D0) = FF2C
  };

  /** CMD_NAK, cause 01 (resend). */
  private static final byte[] NAK = {
    0x05, // length
    (byte) 0xD1, // opcode CMD_NAK
    0x00, // source: decoder
    0x00, // status
    0x01, // cause: resend
    (byte) 0xFF,
    0x29 // checksum: -(05 + D1 + 01) = FF29
  };

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      out.writeBytes(p instanceof byte[] b ? b : ((String) p).getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void anAckBeforeAReadIsTakenOutAndCounted() {
    SsiReplyFilter filter = new SsiReplyFilter();
    assertThat(text(filter.feed(bytes(ACK, "]Q112345678\r\n")))).isEqualTo("]Q112345678\r\n");
    assertThat(filter.acks()).isEqualTo(1);
  }

  @Test
  void aNakBetweenTwoReadsIsTakenOutAndCounted() {
    SsiReplyFilter filter = new SsiReplyFilter();
    assertThat(text(filter.feed(bytes("AB\r\n", NAK, "CD\r\n")))).isEqualTo("AB\r\nCD\r\n");
    assertThat(filter.naks()).isEqualTo(1);
  }

  @Test
  void aReplySplitAcrossChunksIsHeldBackUntilWhole() {
    SsiReplyFilter filter = new SsiReplyFilter();
    StringBuilder out = new StringBuilder();
    byte[] stream = bytes("X\r", ACK, "Y\r");
    for (byte b : stream) {
      out.append(text(filter.feed(new byte[] {b})));
    }
    assertThat(out).hasToString("X\rY\r");
    assertThat(filter.acks()).isEqualTo(1);
  }

  @Test
  void aReplyWithAWrongChecksumIsLeftForTheLineDecoderToReject() {
    byte[] bad = ACK.clone();
    bad[5] = 0x2D;
    SsiReplyFilter filter = new SsiReplyFilter();
    assertThat(filter.feed(bytes(bad, "\r"))).isEqualTo(bytes(bad, "\r"));
    assertThat(filter.acks()).isZero();
  }

  @Test
  void replyBytesInsideALineAreText() {
    SsiReplyFilter filter = new SsiReplyFilter();
    byte[] inside = bytes("AB", ACK, "\r");
    assertThat(filter.feed(inside)).isEqualTo(inside);
  }

  @Test
  void randomAndMutatedStreamsNeverThrowAndNeverLoseText() {
    long seed = 0x551L;
    Random random = new Random(seed);
    for (int n = 0; n < 100_000; n++) {
      SsiReplyFilter filter = new SsiReplyFilter();
      byte[] input = new byte[random.nextInt(40)];
      random.nextBytes(input);
      if (random.nextBoolean() && input.length > 0) {
        System.arraycopy(ACK, 0, input, 0, Math.min(ACK.length, input.length));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int at = 0;
      while (at < input.length) {
        int len = Math.min(input.length - at, 1 + random.nextInt(8));
        byte[] chunk = new byte[len];
        System.arraycopy(input, at, chunk, 0, len);
        out.writeBytes(filter.feed(chunk));
        at += len;
      }
      byte[] passed = out.toByteArray();
      long heldBack = input.length - passed.length - 6 * filter.acks() - 7 * filter.naks();
      assertThat(heldBack)
          .as(
              "seed %d case %d: only whole replies are removed, or a reply's start held back",
              seed, n)
          .isBetween(0L, 6L);
    }
  }
}
