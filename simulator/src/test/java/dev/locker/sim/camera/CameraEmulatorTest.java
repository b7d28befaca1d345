package dev.locker.sim.camera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.hal.camera.FrameSource.Grab;
import dev.locker.hal.camera.QrFrameDecoder;
import dev.locker.hal.camera.QrFrameDecoder.Result;
import dev.locker.sim.camera.CameraEmulator.Fault;
import dev.locker.sim.camera.CameraEmulator.View;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the emulated camera sees, as the real decoder reads it. */
class CameraEmulatorTest {
  private static final String PICKUP = "PICKUP:LCK-SIM-0001:4711";
  private final QrFrameDecoder decoder = new QrFrameDecoder(QrFrameDecoder.Settings.defaults());

  private Result seen(CameraEmulator camera) {
    Grab grab = camera.grab();
    assertThat(grab).isInstanceOf(Grab.Frame.class);
    BufferedImage image = ((Grab.Frame) grab).image();
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(720);
    return decoder.decode(image);
  }

  static Stream<Arguments> viewsACameraCopesWith() {
    View straight = View.straight();
    return Stream.of(
        Arguments.of("held square", straight),
        Arguments.of("turned 25 degrees", straight.rotatedBy(25)),
        Arguments.of("turned -40 degrees", straight.rotatedBy(-40)),
        Arguments.of("upside down", straight.rotatedBy(180)),
        Arguments.of("held far away", straight.withSize(140)),
        Arguments.of("held close", straight.withSize(680)),
        Arguments.of("noisy sensor", straight.withNoise(25)),
        Arguments.of("slightly blurred", straight.blurredBy(2)),
        Arguments.of("glare: low contrast", straight.withContrast(0.25)),
        Arguments.of("everything a little", straight.rotatedBy(12).withNoise(10).blurredBy(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("viewsACameraCopesWith")
  void aCodeHeldUpIsRead(String how, View view) {
    CameraEmulator camera = new CameraEmulator(3);

    camera.show(PICKUP, view);

    assertThat(seen(camera)).isEqualTo(new Result.Decoded(PICKUP, "]Q1"));
  }

  @Test
  void unicodeTextComesThroughExactlyWithTheEciIdentifier() {
    CameraEmulator camera = new CameraEmulator(4);

    camera.show("取件码 4711");

    // zxing's writer declares UTF-8 with an ECI header; AIM says so with modifier 2 (ISO/IEC
    // 18004).
    assertThat(seen(camera)).isEqualTo(new Result.Decoded("取件码 4711", "]Q2"));
  }

  @Test
  void theEmptySceneHoldsNoCode() {
    CameraEmulator camera = new CameraEmulator(5);

    assertThat(seen(camera)).isEqualTo(new Result.NoCode());
  }

  @Test
  void aCodeHalfOutOfViewIsNotRead() {
    CameraEmulator camera = new CameraEmulator(6);

    camera.show(PICKUP, View.straight().partlyInView(0.5));

    assertThat(seen(camera)).isNotInstanceOf(Result.Decoded.class);
  }

  @Test
  void aHeavilyBlurredCodeIsNotRead() {
    CameraEmulator camera = new CameraEmulator(7);

    camera.show(PICKUP, View.straight().withSize(200).blurredBy(12));

    assertThat(seen(camera)).isNotInstanceOf(Result.Decoded.class);
  }

  @Test
  void clearingTakesTheCodeAway() {
    CameraEmulator camera = new CameraEmulator(8);
    camera.show(PICKUP);

    camera.clear();

    assertThat(seen(camera)).isEqualTo(new Result.NoCode());
  }

  @Test
  void aFailedLensGivesNoFrameUntilRepaired() {
    CameraEmulator camera = new CameraEmulator(9);
    camera.show(PICKUP);

    camera.fault(Fault.LENS_FAILURE);

    assertThat(camera.grab()).isInstanceOf(Grab.Failed.class);
    assertThat(((Grab.Failed) camera.grab()).reason()).contains("lens failure");

    camera.fault(Fault.NONE);

    assertThat(seen(camera)).isEqualTo(new Result.Decoded(PICKUP, "]Q1"));
    assertThat(camera.grabs()).isEqualTo(3);
  }

  @Test
  void aCoveredLensGivesDarkFramesWithoutTheCode() {
    CameraEmulator camera = new CameraEmulator(10);
    camera.show(PICKUP);

    camera.fault(Fault.COVERED);

    Grab grab = camera.grab();
    assertThat(grab).isInstanceOf(Grab.Frame.class);
    assertThat(mean(((Grab.Frame) grab).image())).isLessThan(10);
    assertThat(decoder.decode(((Grab.Frame) grab).image())).isEqualTo(new Result.NoCode());
  }

  @Test
  void theSameSeedGivesTheSameFramesAndAnotherSeedOthers() {
    CameraEmulator one = new CameraEmulator(11);
    CameraEmulator two = new CameraEmulator(11);
    CameraEmulator other = new CameraEmulator(12);
    for (CameraEmulator camera : new CameraEmulator[] {one, two, other}) {
      camera.show(PICKUP, View.straight().rotatedBy(7).withNoise(12));
    }

    byte[] first = pixels(one.grab());

    assertThat(pixels(two.grab())).isEqualTo(first);
    assertThat(pixels(other.grab())).isNotEqualTo(first);
    assertThat(pixels(one.grab())).as("the next frame has fresh noise").isNotEqualTo(first);
  }

  private static byte[] pixels(Grab grab) {
    BufferedImage image = ((Grab.Frame) grab).image();
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }

  private static double mean(BufferedImage image) {
    long sum = 0;
    for (byte b : ((DataBufferByte) image.getRaster().getDataBuffer()).getData()) {
      sum += b & 0xFF;
    }
    return (double) sum / (image.getWidth() * image.getHeight());
  }
}
