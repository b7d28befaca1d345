package dev.locker.hal.zvt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded fuzzing of every ZVT parser, 100,000 cases each (4 seeds × 25,000; the seed and case are
 * in every failure message): random bytes and mutations of valid frames. Nothing throws; a frame
 * the framer yields stands byte for byte on the wire with a good CRC, so garbage can never become
 * an approval; and pure noise never decodes to an approved status information.
 */
class ZvtFuzzTest {
  private static final HexFormat HEX = HexFormat.of();

  private static final byte[][] VALID_APDUS = {
    StatusInformationTest.realExample().encode(),
    Apdu.of(0x80, 0x00).encode(),
    Apdu.of(0x04, 0xFF, 0x0A).encode(),
    Apdu.of(0x06, 0x0F).encode(),
    Apdu.of(0x06, 0x1E, 0x6C).encode(),
    Apdu.of(0x06, 0x01, Bmp.amount(1010)).encode(),
    ReceiptText.textBlock(List.of("LOCKER 7", "20,40 EUR")).encode(),
  };

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void theFramerNeverThrowsAndYieldsOnlyFramesThatAreOnTheWire(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 25_000; i++) {
      boolean noise = random.nextBoolean();
      byte[] input = noise ? noise(random, 64) : mutatedFrames(random);
      String wire = HEX.formatHex(input);
      ZvtFramer framer = new ZvtFramer(Duration.ofMillis(200));
      int pos = 0;
      long now = 0;
      while (pos < input.length) {
        int n = Math.min(input.length - pos, 1 + random.nextInt(16));
        byte[] chunk = new byte[n];
        System.arraycopy(input, pos, chunk, 0, n);
        pos += n;
        now += random.nextInt(10) == 0 ? Duration.ofMillis(300).toNanos() : 1000;
        List<ZvtFramer.Decoded> decoded;
        try {
          decoded = framer.feed(chunk, now);
        } catch (RuntimeException e) {
          throw new AssertionError("seed " + seed + " case " + i + ": " + e, e);
        }
        for (ZvtFramer.Decoded d : decoded) {
          if (d instanceof ZvtFramer.Decoded.Frame f) {
            assertThat(wire)
                .as("seed %d case %d: %s must be on the wire", seed, i, f)
                .contains(HEX.formatHex(ZvtFrame.encode(f.apdu())));
            boolean approval = isApproval(f.apdu());
            assertThat(noise && approval)
                .as("seed %d case %d: noise decoded to an approval", seed, i)
                .isFalse();
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14})
  void theApduStatusInformationAndReceiptParsersNeverThrow(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 25_000; i++) {
      byte[] input;
      switch (random.nextInt(3)) {
        case 0 -> input = noise(random, 48);
        case 1 -> {
          byte[] body = noise(random, 40); // a status information header on random fields
          input = Bmp.concat(new byte[] {0x04, 0x0F, (byte) body.length}, body);
        }
        default -> input = mutate(random, VALID_APDUS[random.nextInt(VALID_APDUS.length)]);
      }
      try {
        Apdu.Parse parse = Apdu.parse(input);
        if (parse instanceof Apdu.Parse.Parsed p) {
          Bmp.decode(p.apdu().data());
          ReceiptText.lines(p.apdu());
          StatusInformation.Decoding d = StatusInformation.decode(p.apdu());
          if (d instanceof StatusInformation.Decoding.Decoded ok
              && ok.info().maskedPan().isPresent()) {
            long digits = ok.info().maskedPan().get().chars().filter(Character::isDigit).count();
            assertThat(digits).as("seed %d case %d: PAN digits kept", seed, i).isLessThan(5);
          }
          AuthorizationMachine machine = new AuthorizationMachine();
          machine.on(new AuthorizationMachine.Event.Received(Apdu.of(0x80, 0x00)));
          machine.on(new AuthorizationMachine.Event.Received(p.apdu()));
        }
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " case " + i + ": " + e, e);
      }
    }
  }

  private static boolean isApproval(byte[] apdu) {
    return Apdu.parse(apdu) instanceof Apdu.Parse.Parsed p
        && StatusInformation.decode(p.apdu()) instanceof StatusInformation.Decoding.Decoded ok
        && ok.info().approved();
  }

  private static byte[] noise(Random random, int max) {
    byte[] out = new byte[random.nextInt(max)];
    random.nextBytes(out);
    if (out.length > 2 && random.nextInt(3) == 0) {
      out[random.nextInt(out.length - 1)] = ZvtFrame.DLE; // give frame starts a chance
    }
    return out;
  }

  /** One to three valid frames, then one to three bytes flipped, dropped or inserted. */
  private static byte[] mutatedFrames(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      out.writeBytes(ZvtFrame.encode(VALID_APDUS[random.nextInt(VALID_APDUS.length)]));
    }
    return mutate(random, out.toByteArray());
  }

  private static byte[] mutate(Random random, byte[] base) {
    byte[] input = base.clone();
    for (int m = 1 + random.nextInt(3); m > 0 && input.length > 1; m--) {
      int at = random.nextInt(input.length);
      switch (random.nextInt(3)) {
        case 0 -> input[at] = (byte) random.nextInt(256);
        case 1 -> {
          byte[] shorter = new byte[input.length - 1];
          System.arraycopy(input, 0, shorter, 0, at);
          System.arraycopy(input, at + 1, shorter, at, input.length - at - 1);
          input = shorter;
        }
        default -> {
          byte[] longer = new byte[input.length + 1];
          System.arraycopy(input, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(input, at, longer, at + 1, input.length - at);
          input = longer;
        }
      }
    }
    return input;
  }
}
