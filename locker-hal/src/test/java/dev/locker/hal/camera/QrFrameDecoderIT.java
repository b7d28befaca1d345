package dev.locker.hal.camera;

import static dev.locker.hal.camera.QrencodeImages.encode;
import static dev.locker.hal.camera.QrencodeImages.gaussianNoise;
import static dev.locker.hal.camera.QrencodeImages.jpeg;
import static dev.locker.hal.camera.QrencodeImages.placeIn;
import static dev.locker.hal.camera.QrencodeImages.rotate;
import static dev.locker.hal.camera.QrencodeImages.saltAndPepper;
import static dev.locker.hal.camera.QrencodeImages.scale;
import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.hal.camera.QrFrameDecoder.Result;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder on codes made by an independent generator, {@code qrencode}, as a camera would show
 * them: turned, near and far, noisy, off-centre in a 1280x720 frame, JPEG-compressed. The noise
 * limits are those measured in libraries.md §2f: 3000 salt-and-pepper pixels decode up to about 5°
 * of rotation; without noise, 30°.
 */
class QrFrameDecoderIT {
  private static final String PICKUP = "PICKUP:LCK-0042:839214";
  private static final QrFrameDecoder decoder =
      new QrFrameDecoder(QrFrameDecoder.Settings.defaults());

  @TempDir static Path dir;
  private static BufferedImage pickup;

  @BeforeAll
  static void generate() throws Exception {
    pickup = encode(dir, PICKUP);
  }

  private static Result.Decoded decoded(Result result) {
    assertThat(result).isInstanceOf(Result.Decoded.class);
    return (Result.Decoded) result;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        PICKUP,
        "取件码 4711，请在 24 小时内到 A07 号柜取件",
        "https://l.example/p?c=ABCD-1234&l=LCK-0042",
        "83921400",
        "Ünïcödé ✓ Ελληνικά Кириллица 😀"
      })
  void aCodeDecodesToItsExactTextWithTheQrSymbology(String text) throws Exception {
    Result.Decoded read = decoded(decoder.decode(encode(dir, text)));

    assertThat(read.text()).isEqualTo(text);
    assertThat(read.symbology()).isEqualTo("]Q1");
  }

  @ParameterizedTest
  @ValueSource(chars = {'L', 'M', 'Q', 'H'})
  void everyErrorCorrectionLevelDecodes(char level) throws Exception {
    String text = "PICKUP:LCK-0042:" + "7".repeat(120);

    assertThat(decoded(decoder.decode(encode(dir, text, 4, 4, level))).text()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(doubles = {3, 7, 12, 20, 30, -15, -30, 90, 180, 270})
  void aTurnedCodeDecodes(double degrees) {
    BufferedImage frame = placeIn(rotate(pickup, degrees), 1280, 720, 300, 40, 140);

    assertThat(decoded(decoder.decode(frame)).text()).isEqualTo(PICKUP);
  }

  @ParameterizedTest
  @CsvSource({
    "0.5, 3 pixels per module: a code held far away",
    "0.34, 2 pixels per module: the smallest that reads",
    "2.0, 12 pixels per module",
    "3.5, 21 pixels per module: a code held close"
  })
  void aCodeNearOrFarDecodes(double factor, String what) {
    BufferedImage image = scale(pickup, factor);

    assertThat(decoded(decoder.decode(image)).text()).as(what).isEqualTo(PICKUP);
  }

  @Test
  void aSmallCodeOffCentreInALargeFrameDecodes() {
    for (int[] at : new int[][] {{0, 0}, {1100, 540}, {40, 500}, {900, 20}, {600, 300}}) {
      BufferedImage frame = placeIn(pickup, 1280, 720, at[0], at[1], 120);

      assertThat(decoded(decoder.decode(frame)).text())
          .as("at %d,%d", at[0], at[1])
          .isEqualTo(PICKUP);
    }
  }

  @ParameterizedTest
  @CsvSource({"10, 1", "20, 2", "30, 3", "30, 4", "30, 5", "40, 6"})
  void sensorNoiseOnAFrameDecodes(double sigma, long seed) {
    BufferedImage frame = placeIn(scale(pickup, 2.0), 1280, 720, 350, 60, 128);

    BufferedImage noisy = gaussianNoise(frame, sigma, seed);

    assertThat(decoded(decoder.decode(noisy)).text())
        .as("sigma %s, seed %d", sigma, seed)
        .isEqualTo(PICKUP);
  }

  @ParameterizedTest
  @CsvSource({"0, 11", "0, 12", "5, 13", "-5, 14", "12, 15", "-12, 16", "25, 17", "30, 18"})
  void saltAndPepperOnATurnedCodeDecodes(double degrees, long seed) {
    BufferedImage noisy = saltAndPepper(turnedCodeInAFrame(degrees), 3000, seed);

    assertThat(decoded(decoder.decode(noisy)).text())
        .as("%s degrees, seed %d", degrees, seed)
        .isEqualTo(PICKUP);
  }

  @Test
  void theHalfScaleRetryIsWhatReadsHeavilySpeckledFrames() {
    QrFrameDecoder singlePass =
        new QrFrameDecoder(new QrFrameDecoder.Settings(true, false, false, 1L << 24));
    int singlePassReads = 0;
    for (long seed = 1; seed <= 10; seed++) {
      BufferedImage noisy = saltAndPepper(turnedCodeInAFrame(0), 10_000, seed);

      assertThat(decoded(decoder.decode(noisy)).text()).as("seed %d", seed).isEqualTo(PICKUP);
      if (singlePass.decode(noisy) instanceof Result.Decoded) {
        singlePassReads++;
      }
    }
    assertThat(singlePassReads).as("frames a single pass read").isLessThan(10);
  }

  /** libraries.md §2f's frame: the code 500 px across, turned, in a 1280x720 grey frame. */
  private static BufferedImage turnedCodeInAFrame(double degrees) {
    BufferedImage code = scale(pickup, 500.0 / pickup.getWidth());
    return placeIn(rotate(code, degrees), 1280, 720, 360, 20, 140);
  }

  @ParameterizedTest
  @ValueSource(floats = {0.9f, 0.5f, 0.2f, 0.05f})
  void aJpegCompressedFrameDecodes(float quality) throws Exception {
    BufferedImage frame = placeIn(rotate(pickup, 8), 1280, 720, 400, 100, 150);

    assertThat(decoded(decoder.decode(jpeg(frame, quality))).text()).isEqualTo(PICKUP);
  }

  @Test
  void turnedNoisyCompressedAndOffCentreAllAtOnceDecodes() throws Exception {
    BufferedImage code = scale(encode(dir, "取件码 839214"), 1.5);
    BufferedImage frame = placeIn(rotate(code, 10), 1280, 720, 700, 250, 110);

    BufferedImage seen = jpeg(gaussianNoise(frame, 12, 99), 0.6f);

    assertThat(decoded(decoder.decode(seen)).text()).isEqualTo("取件码 839214");
  }

  @Test
  void aCodeWithLightModulesOnDarkDecodesOnlyWhenInvertedCodesAreAllowed() {
    BufferedImage inverted = QrencodeImages.grey(pickup);
    var raster = inverted.getRaster();
    for (int y = 0; y < inverted.getHeight(); y++) {
      for (int x = 0; x < inverted.getWidth(); x++) {
        raster.setSample(x, y, 0, 255 - raster.getSample(x, y, 0));
      }
    }

    QrFrameDecoder withInverted =
        new QrFrameDecoder(new QrFrameDecoder.Settings(true, true, true, 1L << 24));

    assertThat(decoded(withInverted.decode(inverted)).text()).isEqualTo(PICKUP);
    assertThat(decoder.decode(inverted)).isInstanceOf(Result.NoCode.class);
  }

  @Test
  void aCodeWithItsDataSmudgedIsUnreadableNotMisread() throws Exception {
    // Version 1-L (26 codewords, 7 for error correction): its data area is smudged by seeded
    // module flips in the lower right, away from the finder patterns and format information.
    BufferedImage code = encode(dir, "LCK-42", 10, 4, 'L');
    int modules = code.getWidth() / 10;
    int unreadable = 0;
    for (long seed = 1; seed <= 20; seed++) {
      BufferedImage smudged = QrencodeImages.grey(code);
      java.util.Random random = new java.util.Random(seed);
      Graphics2D g = smudged.createGraphics();
      for (int i = 0; i < 40; i++) {
        int mx = 4 + 9 + random.nextInt(12);
        int my = 4 + 9 + random.nextInt(12);
        g.setColor(random.nextBoolean() ? Color.BLACK : Color.WHITE);
        g.fillRect(mx * 10, my * 10, 10, 10);
      }
      g.dispose();

      Result result = decoder.decode(smudged);

      assertThat(result)
          .as("seed %d of %d modules", seed, modules)
          .isNotInstanceOf(Result.Decoded.class);
      if (result instanceof Result.Unreadable u) {
        assertThat(u.reason()).containsAnyOf("checksum", "format");
        unreadable++;
      }
    }
    assertThat(unreadable).as("smudges found but unreadable").isPositive();
  }
}
