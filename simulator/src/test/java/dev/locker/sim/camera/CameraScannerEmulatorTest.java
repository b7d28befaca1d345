package dev.locker.sim.camera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.core.testing.ManualClock;
import dev.locker.hal.camera.CameraScanner;
import dev.locker.hal.camera.CameraScanner.Mode;
import dev.locker.hal.camera.QrFrameDecoder;
import dev.locker.sim.camera.CameraEmulator.Fault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The camera scanner driver against the emulated camera: the real decoder, de-duplication, text
 * checks, health and thread, with only the lens simulated. Repeat windows run on a manual clock.
 */
class CameraScannerEmulatorTest {
  private static final String PICKUP = "PICKUP:LCK-SIM-0001:4711";
  private static final int HEALTH_WINDOW = 5;

  private final CameraEmulator camera = new CameraEmulator(42);
  private final ManualClock clock = ManualClock.at("2026-12-02T10:00:00Z");
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();
  private CameraScanner scanner;

  @AfterEach
  void stop() {
    if (scanner != null) {
      scanner.stop();
    }
  }

  private CameraScanner start(Mode mode) {
    scanner =
        new CameraScanner(
            camera,
            new QrFrameDecoder(QrFrameDecoder.Settings.defaults()),
            new CameraScanner.Settings(
                mode, Duration.ofMillis(2), Duration.ofSeconds(2), 256, HEALTH_WINDOW),
            clock,
            health::add);
    scanner.start((text, symbology) -> reads.add(symbology + " " + text));
    return scanner;
  }

  @Test
  void aCodeHeldInViewForManyFramesIsReportedOnce() {
    start(Mode.ALWAYS_ON);

    camera.show(PICKUP);
    await(() -> !reads.isEmpty(), "the code is read");
    long seen = camera.grabs();
    await(() -> camera.grabs() >= seen + 20, "20 more frames with the code in view");

    assertThat(reads).containsExactly("]Q1 " + PICKUP);
  }

  @Test
  void aSecondDifferentCodeIsReported() {
    start(Mode.ALWAYS_ON);
    camera.show(PICKUP);
    await(() -> reads.size() == 1, "the first code");

    camera.show("PICKUP:LCK-SIM-0001:0815");
    await(() -> reads.size() == 2, "the second code");

    assertThat(reads).containsExactly("]Q1 " + PICKUP, "]Q1 PICKUP:LCK-SIM-0001:0815");
  }

  @Test
  void theSameCodeShownAgainAfterTheRepeatWindowIsReportedAgain() {
    start(Mode.ALWAYS_ON);
    camera.show(PICKUP);
    await(() -> reads.size() == 1, "the code");
    camera.clear();
    long cleared = camera.grabs();
    await(() -> camera.grabs() >= cleared + 3, "frames without the code");

    clock.advance(Duration.ofSeconds(3));
    camera.show(PICKUP);
    await(() -> reads.size() == 2, "the code again");

    assertThat(reads).containsExactly("]Q1 " + PICKUP, "]Q1 " + PICKUP);
  }

  @Test
  void codesWithControlCharactersOrTooMuchTextAreRejectedAndShowInHealth() {
    start(Mode.ALWAYS_ON);

    camera.show("PICKUP:\u0007LCK");
    await(
        () -> latest().state() == HealthState.DEGRADED,
        "the control character is rejected and shows in health");
    assertThat(latest().detail())
        .isEqualTo("a code was rejected: control character U+0007 at position 8");

    camera.show("X".repeat(300));
    await(
        () -> latest().detail().equals("a code was rejected: code longer than 256 bytes"),
        "the overlong text is rejected and shows in health");

    camera.show(PICKUP);
    await(() -> latest().state() == HealthState.ONLINE, "healthy after a window of good frames");

    assertThat(reads).containsExactly("]Q1 " + PICKUP);
    assertThat(scanner.rejectedReads()).as("each code rejected once, not per frame").isEqualTo(2);
    assertThat(health).noneMatch(h -> h.detail().contains("LCK") || h.detail().contains("XXX"));
  }

  @Test
  void aLensFailureDegradesThenTakesTheCameraOfflineAndARepairBringsItBack() {
    start(Mode.ALWAYS_ON);
    await(() -> camera.grabs() >= HEALTH_WINDOW, "a window of good frames");

    camera.fault(Fault.LENS_FAILURE);
    await(() -> latest().state() == HealthState.OFFLINE, "offline");
    camera.fault(Fault.NONE);
    await(() -> latest().state() == HealthState.ONLINE, "online again");

    assertThat(health.stream().map(DeviceHealth::state))
        .containsExactly(
            HealthState.ONLINE,
            HealthState.DEGRADED,
            HealthState.OFFLINE,
            HealthState.DEGRADED,
            HealthState.ONLINE);
    assertThat(health)
        .allMatch(h -> h.device().equals("camera"))
        .element(1)
        .extracting(DeviceHealth::detail)
        .isEqualTo(
            "some frame grabs failed; latest: camera-emulator: lens failure, the camera gives no"
                + " frame");
    assertThat(health.get(2).detail())
        .isEqualTo(
            "no frame in the last 5 grabs; latest: camera-emulator: lens failure, the camera gives"
                + " no frame");
    assertThat(scanner.failedGrabs()).isGreaterThanOrEqualTo(HEALTH_WINDOW);
  }

  @Test
  void inTriggerModeTheCameraLooksOnlyWhileTriggered() throws Exception {
    start(Mode.TRIGGERED);
    camera.show(PICKUP);

    Thread.sleep(300);
    assertThat(camera.grabs()).as("no grab before the trigger").isZero();
    assertThat(reads).isEmpty();

    scanner.trigger(true);
    await(() -> reads.size() == 1, "the code once triggered");

    scanner.trigger(false);
    long atRelease = settled();
    Thread.sleep(300);
    assertThat(camera.grabs()).as("no grab after the trigger is released").isEqualTo(atRelease);
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheCamera() {
    scanner =
        new CameraScanner(
            camera,
            new QrFrameDecoder(QrFrameDecoder.Settings.defaults()),
            new CameraScanner.Settings(
                Mode.ALWAYS_ON, Duration.ofMillis(2), Duration.ofSeconds(2), 256, HEALTH_WINDOW),
            clock,
            health::add);
    scanner.start(
        (text, symbology) -> {
          reads.add(text);
          if (reads.size() == 1) {
            throw new IllegalStateException("locker loop is full");
          }
        });

    camera.show(PICKUP);
    await(() -> reads.size() == 1, "the first code");
    camera.show("PICKUP:LCK-SIM-0001:0815");
    await(() -> reads.size() == 2, "the second code");
  }

  @Test
  void stopEndsTheScanThreadAndIsIdempotent() throws Exception {
    start(Mode.ALWAYS_ON);
    await(() -> camera.grabs() > 3, "the camera runs");
    assertThat(scanThreads()).isEqualTo(1);

    scanner.stop();
    scanner.stop();

    assertThat(scanThreads()).isZero();
    long atStop = camera.grabs();
    camera.show(PICKUP);
    Thread.sleep(200);
    assertThat(camera.grabs()).isEqualTo(atStop);
    assertThat(reads).isEmpty();
  }

  private DeviceHealth latest() {
    return health.get(health.size() - 1);
  }

  private static long scanThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("camera-scan") && t.isAlive())
        .count();
  }

  /** The grab count once a grab in progress at the release has finished. */
  private long settled() throws InterruptedException {
    long before;
    do {
      before = camera.grabs();
      Thread.sleep(100);
    } while (camera.grabs() != before);
    return before;
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }
}
