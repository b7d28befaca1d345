package dev.locker.hal.lines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.hal.lines.LineDecoder.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scanner and card-reader lines as bytes: terminators, prefix, AIM id, and every bad kind. */
class LineDecoderTest {
  private final LineDecoder plain = new LineDecoder(new LineDecoder.Settings("", true, 64));

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aQrReadWithAimIdAndCr() {
    byte[] wire = {
      ']',
      'Q',
      '1', // AIM: QR code, model 2
      'L',
      'C',
      'K',
      '-',
      '1', // data
      0x0D // CR
    };
    assertThat(plain.feed(wire)).containsExactly(new Decoded.Line("LCK-1", "]Q1"));
  }

  @Test
  void crLfCountsAsOneTerminatorAndLfAloneEndsALineToo() {
    assertThat(plain.feed(ascii("A1\r\nB2\nC3\r")))
        .containsExactly(
            new Decoded.Line("A1", ""), new Decoded.Line("B2", ""), new Decoded.Line("C3", ""));
  }

  @Test
  void aLineSplitAcrossChunksIsReassembled() {
    assertThat(plain.feed(ascii("]C0JD00"))).isEmpty();
    assertThat(plain.pendingBytes()).isEqualTo(7);
    assertThat(plain.feed(ascii("01\r"))).containsExactly(new Decoded.Line("JD0001", "]C0"));
  }

  @Test
  void theConfiguredPrefixIsStrippedAndRequired() {
    LineDecoder prefixed = new LineDecoder(new LineDecoder.Settings("@@", true, 64));
    assertThat(prefixed.feed(ascii("@@]Q1hello\r")))
        .containsExactly(new Decoded.Line("hello", "]Q1"));
    assertThat(prefixed.feed(ascii("hello\r")))
        .containsExactly(new Decoded.Rejected("missing the configured prefix"));
  }

  @Test
  void anOverlongLineIsRejectedWholeAndTheNextLineIsFine() {
    LineDecoder shortLines = new LineDecoder(new LineDecoder.Settings("", false, 8));
    assertThat(shortLines.feed(ascii("123456789012\rOK\r")))
        .containsExactly(
            new Decoded.Rejected("line longer than 8 bytes"), new Decoded.Line("OK", ""));
  }

  @Test
  void controlCharactersAreRejectedWithTheirPosition() {
    assertThat(plain.feed(new byte[] {'A', 0x07, 'B', 0x0D}))
        .containsExactly(new Decoded.Rejected("control character U+0007 at position 2"));
    assertThat(plain.feed(new byte[] {'A', 0x00, 0x0D}))
        .containsExactly(new Decoded.Rejected("control character U+0000 at position 2"));
  }

  @Test
  void utf8TextIsKeptAndBrokenUtf8Rejected() {
    assertThat(plain.feed(ascii("取件码123\r"))).containsExactly(new Decoded.Line("取件码123", ""));
    assertThat(plain.feed(new byte[] {'A', (byte) 0xC3, 0x0D}))
        .containsExactly(new Decoded.Rejected("not valid UTF-8"));
  }

  @Test
  void emptyLinesAreIgnoredAndAnAimIdAloneIsNoData() {
    assertThat(plain.feed(ascii("\r\r\n\n"))).isEmpty();
    assertThat(plain.feed(ascii("]Q1\r")))
        .containsExactly(new Decoded.Rejected("no data after prefix and identifier"));
  }

  @ParameterizedTest
  @ValueSource(longs = {101, 202, 303, 404})
  void hundredThousandRandomAndMutatedInputsNeverThrowAndNeverPassAControlCharacter(long seed) {
    Random random = new Random(seed);
    LineDecoder decoder = new LineDecoder(new LineDecoder.Settings("", true, 128));
    byte[] good = ascii("]Q1PICKUP:LCK-0042:839214\r\n");
    int cases = 25_000;
    for (int i = 0; i < cases; i++) {
      byte[] input;
      if (random.nextBoolean()) {
        input = new byte[random.nextInt(64)];
        random.nextBytes(input);
      } else {
        input = good.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      List<Decoded> out;
      try {
        out = decoder.feed(input);
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ", case " + i + ": " + e, e);
      }
      for (Decoded d : out) {
        if (d instanceof Decoded.Line line) {
          assertThat(line.text().chars().noneMatch(Character::isISOControl))
              .as("seed %d case %d", seed, i)
              .isTrue();
          assertThat(line.text().length()).isLessThanOrEqualTo(128);
        }
      }
    }
    // After any garbage, a clean line still comes through once a terminator resets the framing.
    List<Decoded> after = decoder.feed(ascii("\r]Q1PICKUP:LCK-0042:839214\r"));
    assertThat(after).contains(new Decoded.Line("PICKUP:LCK-0042:839214", "]Q1"));
  }
}
