package dev.locker.hal.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.locker.hal.camera.QrFrameDecoder.Result;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder on images no camera should produce, and a seeded fuzz: whatever the pixels, it
 * returns a result and never throws, and a code it reads is read right.
 */
class QrFrameDecoderTest {
  private static final String PICKUP = "PICKUP:LCK-0042:839214";
  private final QrFrameDecoder decoder = new QrFrameDecoder(QrFrameDecoder.Settings.defaults());

  @Test
  void aBlankFrameHasNoCode() {
    assertThat(decoder.decode(filled(1280, 720, Color.WHITE))).isEqualTo(new Result.NoCode());
    assertThat(decoder.decode(filled(1280, 720, Color.GRAY))).isEqualTo(new Result.NoCode());
  }

  @Test
  void randomNoiseHasNoCode() {
    Random random = new Random(7);
    BufferedImage noise = new BufferedImage(1280, 720, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 720; y++) {
      for (int x = 0; x < 1280; x++) {
        noise.getRaster().setSample(x, y, 0, random.nextInt(256));
      }
    }

    assertThat(decoder.decode(noise)).isEqualTo(new Result.NoCode());
  }

  @Test
  void oddImagesGiveAResultNotAnException() {
    BufferedImage[] odd = {
      filled(1, 1, Color.WHITE),
      filled(1, 1, Color.BLACK),
      filled(640, 480, Color.BLACK),
      filled(10_000, 1, Color.WHITE),
      filled(1, 10_000, Color.BLACK),
      filled(4000, 3, Color.GRAY),
      new BufferedImage(300, 300, BufferedImage.TYPE_INT_ARGB), // fully transparent
      new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_BINARY),
      new BufferedImage(64, 64, BufferedImage.TYPE_USHORT_GRAY),
      new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED),
      new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR),
    };
    for (BufferedImage image : odd) {
      assertThat(decoder.decode(image))
          .as("%dx%d type %d", image.getWidth(), image.getHeight(), image.getType())
          .isInstanceOfAny(Result.NoCode.class, Result.Unreadable.class);
    }
  }

  @Test
  void aCodeReadsFromEveryImageTypeACameraToolMightWrite() {
    BufferedImage code = render(PICKUP, 4);
    for (int type :
        new int[] {
          BufferedImage.TYPE_INT_RGB,
          BufferedImage.TYPE_INT_ARGB,
          BufferedImage.TYPE_3BYTE_BGR,
          BufferedImage.TYPE_BYTE_BINARY,
          BufferedImage.TYPE_USHORT_GRAY
        }) {
      BufferedImage converted = new BufferedImage(code.getWidth(), code.getHeight(), type);
      Graphics2D g = converted.createGraphics();
      g.drawImage(code, 0, 0, null);
      g.dispose();

      assertThat(decoder.decode(converted))
          .as("type %d", type)
          .isEqualTo(new Result.Decoded(PICKUP, "]Q1"));
    }
  }

  @Test
  void aFrameLargerThanAllowedIsRefusedBeforeDecoding() {
    QrFrameDecoder small = new QrFrameDecoder(new QrFrameDecoder.Settings(true, true, false, 1000));

    Result result = small.decode(filled(100, 11, Color.WHITE));

    assertThat(result).isInstanceOf(Result.Unreadable.class);
    assertThat(((Result.Unreadable) result).reason()).contains("100x11", "1000");
  }

  @Test
  void aDecodedCodeDoesNotShowItsTextWhenPrinted() {
    Result result = decoder.decode(render(PICKUP, 4));

    assertThat(result).isEqualTo(new Result.Decoded(PICKUP, "]Q1"));
    assertThat(result.toString()).doesNotContain("839214").contains("]Q1", "22");
  }

  /**
   * 100,000 small images (4 seeds x 25,000): random pixels, stripes and blocks, and real codes with
   * random modules flipped (so the finder, format and Reed-Solomon paths all run on bad data). Each
   * gives a result; a code that reads, reads as the text it was made from.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void fuzzedImagesNeverThrowAndNeverMisread(long seed) {
    Random random = new Random(seed);
    BitMatrix[] codes = {matrix("LCK-42"), matrix(PICKUP), matrix("取件码 4711")};
    String[] texts = {"LCK-42", PICKUP, "取件码 4711"};
    int decodedCodes = 0;
    for (int n = 0; n < 25_000; n++) {
      int kind = random.nextInt(4);
      BufferedImage image;
      int code = -1;
      if (kind == 3) {
        code = random.nextInt(codes.length);
        image = damaged(codes[code], random);
      } else {
        image = scribble(kind, random);
      }
      Result result;
      try {
        result = decoder.decode(image);
      } catch (RuntimeException e) {
        throw new AssertionError("case " + n + " of seed " + seed + " threw", e);
      }
      if (result instanceof Result.Decoded read) {
        if (code < 0 || !read.text().equals(texts[code])) {
          fail("case %d of seed %d misread as %d characters", n, seed, read.text().length());
        }
        decodedCodes++;
      }
    }
    assertThat(decodedCodes).as("damaged codes that still read, seed %d", seed).isPositive();
  }

  /** Random pixels (0), stripes (1) or blocks (2), 1 to 48 pixels a side. */
  private static BufferedImage scribble(int kind, Random random) {
    int w = 1 + random.nextInt(48);
    int h = 1 + random.nextInt(48);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int period = 1 + random.nextInt(6);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v =
            switch (kind) {
              case 0 -> random.nextInt(256);
              case 1 -> (x / period) % 2 == 0 ? 0 : 255;
              default -> ((x / period + y / period) % 3 == 0) ? 0 : 255;
            };
        image.getRaster().setSample(x, y, 0, v);
      }
    }
    return image;
  }

  /** The code at 1 or 2 pixels per module with up to 15% of its modules flipped. */
  private static BufferedImage damaged(BitMatrix matrix, Random random) {
    int scale = 1 + random.nextInt(2);
    int side = matrix.getWidth();
    double flips = random.nextDouble() * 0.15;
    BufferedImage image =
        new BufferedImage(side * scale, side * scale, BufferedImage.TYPE_BYTE_GRAY);
    for (int my = 0; my < side; my++) {
      for (int mx = 0; mx < side; mx++) {
        boolean dark = matrix.get(mx, my) ^ (random.nextDouble() < flips);
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            image.getRaster().setSample(mx * scale + dx, my * scale + dy, 0, dark ? 0 : 255);
          }
        }
      }
    }
    return image;
  }

  private static BitMatrix matrix(String text) {
    try {
      return new QRCodeWriter()
          .encode(
              text,
              BarcodeFormat.QR_CODE,
              0,
              0,
              Map.of(EncodeHintType.CHARACTER_SET, "UTF-8", EncodeHintType.MARGIN, 2));
    } catch (com.google.zxing.WriterException e) {
      throw new AssertionError(e);
    }
  }

  private static BufferedImage render(String text, int scale) {
    BitMatrix m = matrix(text);
    BufferedImage image =
        new BufferedImage(
            m.getWidth() * scale, m.getHeight() * scale, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.getRaster().setSample(x, y, 0, m.get(x / scale, y / scale) ? 0 : 255);
      }
    }
    return image;
  }

  private static BufferedImage filled(int w, int h, Color color) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }
}
