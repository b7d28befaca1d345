package dev.locker.hal.camera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.hal.camera.FrameSource.Grab;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture-command camera with real processes standing in for {@code rpicam-still}: {@code cat}
 * of an image the test wrote, and commands that fail in each way a camera tool can.
 */
class CommandFrameSourceIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Path png;

  @BeforeEach
  void writeAFrame() throws Exception {
    BufferedImage frame = new BufferedImage(320, 240, BufferedImage.TYPE_BYTE_GRAY);
    frame.getRaster().setSample(10, 20, 0, 200);
    png = dir.resolve("frame.png");
    Files.write(png, QrencodeImages.png(frame));
  }

  private static Grab grab(Duration timeout, String... command) {
    return new CommandFrameSource(
            new CommandFrameSource.Settings(List.of(command), timeout, 1 << 22))
        .grab();
  }

  private static Grab.Failed failed(Grab grab) {
    assertThat(grab).isInstanceOf(Grab.Failed.class);
    return (Grab.Failed) grab;
  }

  @Test
  void aPngOnStandardOutputIsAFrame() {
    Grab grab = grab(TIMEOUT, "cat", png.toString());

    assertThat(grab).isInstanceOf(Grab.Frame.class);
    BufferedImage image = ((Grab.Frame) grab).image();
    assertThat(image.getWidth()).isEqualTo(320);
    assertThat(image.getHeight()).isEqualTo(240);
    assertThat(image.getRaster().getSample(10, 20, 0)).isEqualTo(200);
  }

  @Test
  void aJpegOnStandardOutputIsAFrame() throws Exception {
    Path jpeg = dir.resolve("frame.jpg");
    BufferedImage frame = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    javax.imageio.ImageIO.write(frame, "jpeg", jpeg.toFile());

    Grab grab = grab(TIMEOUT, "sh", "-c", "cat \"$0\"", jpeg.toString());

    assertThat(grab).isInstanceOf(Grab.Frame.class);
    assertThat(((Grab.Frame) grab).image().getWidth()).isEqualTo(64);
  }

  @Test
  void aCommandThatFailsIsAFailedGrabWithItsExitStatusAndLastErrorLine() {
    Grab grab =
        grab(
            TIMEOUT,
            "sh",
            "-c",
            "echo 'Preview window unavailable' >&2; echo 'ERROR: *** no cameras available ***' >&2;"
                + " exit 255");

    assertThat(failed(grab).reason())
        .isEqualTo("sh exited with status 255: ERROR: *** no cameras available ***");
  }

  @Test
  void aCommandThatPrintsTextIsNotAFrame() {
    Grab grab = grab(TIMEOUT, "echo", "PICKUP:LCK-0042:839214");

    assertThat(failed(grab).reason())
        .isEqualTo("echo wrote 23 bytes that are not a PNG or JPEG image")
        .doesNotContain("839214");
  }

  @Test
  void aCommandThatWritesNothingIsNotAFrame() {
    assertThat(failed(grab(TIMEOUT, "true")).reason()).isEqualTo("true wrote no image");
  }

  @Test
  void aTruncatedPngIsNotAFrame() throws Exception {
    byte[] whole = Files.readAllBytes(png);
    Path cut = dir.resolve("cut.png");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));

    assertThat(failed(grab(TIMEOUT, "cat", cut.toString())).reason()).startsWith("cat wrote");
  }

  @Test
  void aCommandThatOverrunsItsTimeoutIsKilledWithItsChildren() throws Exception {
    Path pid = dir.resolve("sleep.pid");

    Grab grab =
        grab(
            Duration.ofMillis(300),
            "sh",
            "-c",
            "sleep 60 & echo $! > \"$0\"; wait",
            pid.toString());

    assertThat(failed(grab).reason()).isEqualTo("sh did not finish within 300 ms; killed");
    long sleeper = Long.parseLong(Files.readString(pid).strip());
    awaitGone(sleeper);
  }

  @Test
  void aMissingProgramIsAFailedGrab() {
    Grab grab = grab(TIMEOUT, "/nonexistent/bin/rpicam-still", "-o", "-");

    assertThat(failed(grab).reason())
        .startsWith("cannot start rpicam-still: ")
        .contains("No such file or directory");
  }

  @Test
  void moreOutputThanAnImageCanBeIsRefused() {
    Grab grab =
        new CommandFrameSource(
                new CommandFrameSource.Settings(
                    List.of("head", "-c", "5000000", "/dev/zero"), TIMEOUT, 1_000_000))
            .grab();

    assertThat(failed(grab).reason()).isEqualTo("head wrote more than 1000000 bytes; killed");
  }

  @Test
  void aChildThatKeepsTheOutputOpenAfterTheCommandExitedEndsTheGrab() throws Exception {
    Path pid = dir.resolve("child.pid");

    Grab grab =
        grab(
            Duration.ofMillis(300),
            "sh",
            "-c",
            "cat \"$0\"; sleep 60 & echo $! > \"$1\"",
            png.toString(),
            pid.toString());

    // When the command exits while the reader is not inside read(), the JDK drains what is
    // buffered and closes its end of the pipe (ProcessPipeInputStream.processExited), so the
    // complete image may arrive after all. Either way the grab ends instead of waiting for the
    // child, and a failure says why.
    try {
      if (grab instanceof Grab.Failed failure) {
        assertThat(failure.reason())
            .isEqualTo("sh exited but a child process kept its output open past the timeout");
      } else {
        assertThat(grab).isInstanceOf(Grab.Frame.class);
      }
    } finally {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void anInterruptedGrabKillsTheCommandAndKeepsTheInterrupt() throws Exception {
    AtomicReference<Grab> result = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread grabber =
        new Thread(
            () -> {
              result.set(grab(TIMEOUT, "sleep", "60"));
              stillInterrupted.set(Thread.currentThread().isInterrupted());
            },
            "test-grabber");
    grabber.start();
    Thread.sleep(200);

    grabber.interrupt();
    grabber.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(grabber.isAlive()).isFalse();
    assertThat(failed(result.get()).reason()).isEqualTo("sleep was interrupted");
    assertThat(stillInterrupted.get()).isTrue();
  }

  @Test
  void theShippedCommandsAreTheDocumentedOnes() {
    assertThat(CommandFrameSource.Settings.rpicamStill(TIMEOUT).command())
        .containsExactly(
            "rpicam-still",
            "-n",
            "-t",
            "1",
            "--width",
            "1280",
            "--height",
            "720",
            "-e",
            "png",
            "-o",
            "-");
    assertThat(CommandFrameSource.Settings.fswebcam(TIMEOUT).command())
        .containsExactly("fswebcam", "--no-banner", "--png", "-1", "-");
    assertThat(new CommandFrameSource(CommandFrameSource.Settings.rpicamStill(TIMEOUT)).name())
        .isEqualTo("rpicam-still");
  }

  private static void awaitGone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      if (System.nanoTime() > deadline) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        throw new AssertionError("process " + pid + " outlived the killed capture command");
      }
      Thread.sleep(20);
    }
  }
}
