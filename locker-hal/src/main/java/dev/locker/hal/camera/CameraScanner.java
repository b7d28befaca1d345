package dev.locker.hal.camera;

import dev.locker.core.application.port.CodeScanner;
import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * locker-core's {@link CodeScanner} on a camera: a recipient holds the QR code from their message
 * up to the lens. One named daemon thread, {@code camera-scan}, grabs a frame from the {@link
 * FrameSource}, decodes it with the {@link QrFrameDecoder}, then pauses for the interval; in {@link
 * Mode#TRIGGERED} it grabs only between {@code trigger(true)} and {@code trigger(false)}.
 *
 * <p>A code held in view is seen in many frames but reported once: the same text again within the
 * repeat window of its last sighting is dropped (the serial {@code LineScanner} does the same).
 * Text with a control character, a U+FFFD replacement character (bytes that are not UTF-8), no
 * characters, or more than the maximum length is rejected: it never reaches the listener and counts
 * in health. The decoded text is never logged: a pickup QR is a credential.
 *
 * <p>Health of device {@value #DEVICE}, over the last {@code healthWindow} grabs, reported on
 * change of state or reason:
 *
 * <pre>
 *   ONLINE    every grab gave a frame, and no code was rejected
 *   DEGRADED  some grab failed or a code was rejected (reason of the latest such grab)
 *   OFFLINE   the window is full and every grab in it failed (reason of the latest failure)
 * </pre>
 *
 * A grab that merely shows no code, or a code too damaged to read, is a healthy grab: the camera
 * works, the person in front of it has not found the right angle yet.
 */
public final class CameraScanner implements CodeScanner, AutoCloseable {
  /** The device name in health reports. */
  public static final String DEVICE = "camera";

  /**
   * How long {@link #stop()} waits for the scan thread to end (a grab in progress is interrupted).
   */
  private static final long STOP_WAIT_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(CameraScanner.class);

  private final FrameSource frames;
  private final QrFrameDecoder decoder;
  private final Settings settings;
  private final Clock clock;
  private final DeviceHealthListener health;
  private final Object wake = new Object();
  private final Deque<Outcome> recent = new ArrayDeque<>();
  private volatile boolean running;
  private boolean triggered;
  private Thread thread;
  private String lastText = "";
  private Instant lastAt = Instant.EPOCH;
  private DeviceHealth reported;
  private long rejectedReads;
  private long failedGrabs;

  /** When the camera looks. */
  public enum Mode {
    /** Grabs all the time (a presentation scanner). */
    ALWAYS_ON,
    /** Grabs only while triggered, for example while the pickup screen is shown. */
    TRIGGERED
  }

  /**
   * @param mode always on, or only while triggered
   * @param interval pause after each grab before the next
   * @param repeatWindow the same text seen again within this time of its last sighting is not
   *     reported again
   * @param maxLength the longest text accepted, in UTF-8 bytes (as the serial scanner's line limit)
   * @param healthWindow how many recent grabs health is judged on
   */
  public record Settings(
      Mode mode, Duration interval, Duration repeatWindow, int maxLength, int healthWindow) {
    public Settings {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(repeatWindow, "repeatWindow");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("interval must not be negative");
      }
      if (maxLength < 1) {
        throw new IllegalArgumentException("maxLength must be >= 1");
      }
      if (healthWindow < 1) {
        throw new IllegalArgumentException("healthWindow must be >= 1");
      }
    }
  }

  private enum Kind {
    GOOD,
    FAILED,
    REJECTED
  }

  private record Outcome(Kind kind, String reason) {
    static final Outcome GOOD = new Outcome(Kind.GOOD, "");
  }

  public CameraScanner(
      FrameSource frames,
      QrFrameDecoder decoder,
      Settings settings,
      Clock clock,
      DeviceHealthListener health) {
    this.frames = Objects.requireNonNull(frames, "frames");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.health = Objects.requireNonNull(health, "health");
  }

  /**
   * Starts the {@code camera-scan} thread; each new, accepted code goes to {@code listener} on that
   * thread with zxing's AIM identifier ({@code "]Q1"} for a plain QR code, {@code "]Q2"} for one
   * with an ECI header). A second call while running is ignored.
   */
  @Override
  public void start(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    Thread scan;
    synchronized (this) {
      if (thread != null) {
        return;
      }
      running = true;
      recent.clear();
      scan = new Thread(() -> loop(listener), "camera-scan");
      scan.setDaemon(true);
      thread = scan;
    }
    report(new DeviceHealth(DEVICE, HealthState.ONLINE, "watching through " + frames.name()));
    scan.start();
  }

  /** In {@link Mode#TRIGGERED}, starts or stops grabbing; a no-op in {@link Mode#ALWAYS_ON}. */
  @Override
  public void trigger(boolean on) {
    synchronized (wake) {
      triggered = on;
      wake.notifyAll();
    }
  }

  /**
   * Stops the scan thread: a grab in progress is interrupted, and no listener call happens after
   * this returns (unless the thread did not end within {@value #STOP_WAIT_SECONDS} s, which is
   * logged). Idempotent.
   */
  @Override
  public void stop() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
      thread = null;
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    t.interrupt();
    try {
      t.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      log.warn("camera-scan did not end within {} s of stop", STOP_WAIT_SECONDS);
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Codes rejected since construction (control characters, too long, not UTF-8, empty). */
  public synchronized long rejectedReads() {
    return rejectedReads;
  }

  /** Grabs that gave no frame since construction. */
  public synchronized long failedGrabs() {
    return failedGrabs;
  }

  private void loop(Listener listener) {
    while (running) {
      try {
        if (!awaitTurn()) {
          return;
        }
        scanOnce(listener);
        if (!settings.interval().isZero()) {
          TimeUnit.NANOSECONDS.sleep(settings.interval().toNanos());
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Waits until a grab is due (always, or while triggered); false when stopped. */
  private boolean awaitTurn() throws InterruptedException {
    synchronized (wake) {
      while (running && settings.mode() == Mode.TRIGGERED && !triggered) {
        wake.wait();
      }
    }
    return running;
  }

  private void scanOnce(Listener listener) {
    FrameSource.Grab grab;
    try {
      grab = frames.grab();
    } catch (RuntimeException e) {
      grab = new FrameSource.Grab.Failed(frames.name() + " failed: " + e.getClass().getName());
    }
    if (!running) {
      return; // interrupted by stop(): not the camera's fault
    }
    if (grab instanceof FrameSource.Grab.Failed failed) {
      note(new Outcome(Kind.FAILED, failed.reason()));
      return;
    }
    QrFrameDecoder.Result result = decoder.decode(((FrameSource.Grab.Frame) grab).image());
    if (!(result instanceof QrFrameDecoder.Result.Decoded decoded) || isRepeat(decoded.text())) {
      note(Outcome.GOOD);
      return;
    }
    Optional<String> problem = problem(decoded.text());
    if (problem.isPresent()) {
      note(new Outcome(Kind.REJECTED, problem.get()));
      return;
    }
    note(Outcome.GOOD);
    try {
      listener.scanned(decoded.text(), decoded.symbology());
    } catch (RuntimeException e) {
      log.warn("camera read listener failed: {}", e.getClass().getName());
    }
  }

  /** Whether the same text was seen within the repeat window; records this sighting either way. */
  private synchronized boolean isRepeat(String text) {
    Instant now = clock.instant();
    boolean repeat = text.equals(lastText) && now.isBefore(lastAt.plus(settings.repeatWindow()));
    lastText = text;
    lastAt = now;
    return repeat;
  }

  /** Why {@code text} may not be reported, if it may not. Never quotes the text. */
  private Optional<String> problem(String text) {
    if (text.isEmpty()) {
      return Optional.of("code holds no text");
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > settings.maxLength()) {
      return Optional.of("code longer than " + settings.maxLength() + " bytes");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return Optional.of(
            String.format("control character U+%04X at position %d", (int) c, i + 1));
      }
      if (c == '\uFFFD') {
        return Optional.of("code is not valid UTF-8");
      }
    }
    return Optional.empty();
  }

  private void note(Outcome outcome) {
    DeviceHealth now;
    synchronized (this) {
      if (outcome.kind() == Kind.FAILED) {
        failedGrabs++;
      } else if (outcome.kind() == Kind.REJECTED) {
        rejectedReads++;
      }
      recent.addLast(outcome);
      while (recent.size() > settings.healthWindow()) {
        recent.removeFirst();
      }
      now = assess();
    }
    report(now);
  }

  private DeviceHealth assess() {
    long failed = recent.stream().filter(o -> o.kind() == Kind.FAILED).count();
    Optional<Outcome> latestBad =
        recent.stream().filter(o -> o.kind() != Kind.GOOD).reduce((first, second) -> second);
    if (latestBad.isEmpty()) {
      return new DeviceHealth(DEVICE, HealthState.ONLINE, "watching through " + frames.name());
    }
    if (failed == settings.healthWindow()) {
      return new DeviceHealth(
          DEVICE,
          HealthState.OFFLINE,
          "no frame in the last "
              + settings.healthWindow()
              + " grabs; latest: "
              + latestBad.get().reason());
    }
    String detail =
        latestBad.get().kind() == Kind.FAILED
            ? "some frame grabs failed; latest: " + latestBad.get().reason()
            : "a code was rejected: " + latestBad.get().reason();
    return new DeviceHealth(DEVICE, HealthState.DEGRADED, detail);
  }

  private void report(DeviceHealth next) {
    synchronized (this) {
      if (next.equals(reported)) {
        return;
      }
      reported = next;
    }
    health.healthChanged(next);
  }
}
