package dev.locker.hal.lines;

import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.serial.SerialLink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads lines from a serial device on its own named thread and hands each decoded line to a
 * consumer. Health, reported on change: OFFLINE when the link fails; DEGRADED while any of the last
 * {@value #WINDOW} lines was rejected (with the latest reason); ONLINE otherwise. An idle device is
 * healthy: scanners and card readers only speak when used.
 */
public final class SerialLineReader implements AutoCloseable {
  static final int WINDOW = 20;

  private final SerialLink link;
  private final LineDecoder decoder;
  private final String device;
  private final DeviceHealthListener health;
  private final UnaryOperator<LineDecoder.Decoded> refine;
  private final UnaryOperator<byte[]> inbound;
  private final Deque<Boolean> recent = new ArrayDeque<>();
  private volatile boolean running;
  private Thread thread;
  private HealthState reported;
  private long rejectedTotal;

  public SerialLineReader(
      SerialLink link, LineDecoder.Settings settings, String device, DeviceHealthListener health) {
    this(link, settings, device, health, UnaryOperator.identity());
  }

  /**
   * {@code refine}: a device-specific check of each good line, which may turn it into a rejection
   * (a card reader's line that is not a UID); rejections count in health like decoding ones.
   */
  public SerialLineReader(
      SerialLink link,
      LineDecoder.Settings settings,
      String device,
      DeviceHealthListener health,
      UnaryOperator<LineDecoder.Decoded> refine) {
    this(link, settings, device, health, refine, UnaryOperator.identity());
  }

  /**
   * {@code inbound}: takes out of the received bytes whatever is not line text (a scanner's
   * protocol replies) before they are decoded; called on the reader thread only.
   */
  public SerialLineReader(
      SerialLink link,
      LineDecoder.Settings settings,
      String device,
      DeviceHealthListener health,
      UnaryOperator<LineDecoder.Decoded> refine,
      UnaryOperator<byte[]> inbound) {
    this.refine = Objects.requireNonNull(refine, "refine");
    this.inbound = Objects.requireNonNull(inbound, "inbound");
    this.link = Objects.requireNonNull(link, "link");
    this.decoder = new LineDecoder(settings);
    this.device = Objects.requireNonNull(device, "device");
    this.health = Objects.requireNonNull(health, "health");
  }

  /** Starts the reader thread ({@code device-reader}); every decoded line goes to {@code sink}. */
  public synchronized void start(Consumer<LineDecoder.Decoded> sink) {
    if (thread != null) {
      return;
    }
    running = true;
    report(HealthState.ONLINE, "listening on " + link.name());
    thread = new Thread(() -> read(sink), device + "-reader");
    thread.setDaemon(true);
    thread.start();
  }

  /** Sends bytes to the device (trigger and configuration commands). */
  public void send(byte[] bytes) throws IOException {
    link.write(bytes);
  }

  /** Lines rejected since start. */
  public synchronized long rejectedTotal() {
    return rejectedTotal;
  }

  private void read(Consumer<LineDecoder.Decoded> sink) {
    while (running) {
      byte[] chunk;
      try {
        chunk = link.read(512, Duration.ofMillis(200));
      } catch (IOException e) {
        if (running) {
          report(HealthState.OFFLINE, "link " + link.name() + " failed: " + e.getMessage());
        }
        return;
      }
      for (LineDecoder.Decoded raw : decoder.feed(inbound.apply(chunk))) {
        LineDecoder.Decoded decoded =
            raw instanceof LineDecoder.Decoded.Line ? refine.apply(raw) : raw;
        note(decoded);
        sink.accept(decoded);
      }
    }
  }

  private void note(LineDecoder.Decoded decoded) {
    synchronized (this) {
      boolean rejected = decoded instanceof LineDecoder.Decoded.Rejected;
      if (rejected) {
        rejectedTotal++;
      }
      recent.addLast(rejected);
      while (recent.size() > WINDOW) {
        recent.removeFirst();
      }
    }
    long bad;
    int seen;
    synchronized (this) {
      bad = recent.stream().filter(Boolean::booleanValue).count();
      seen = recent.size();
    }
    if (bad > 0) {
      String why =
          decoded instanceof LineDecoder.Decoded.Rejected r ? " (latest: " + r.reason() + ")" : "";
      report(
          HealthState.DEGRADED,
          bad + " of the last " + seen + " lines on " + link.name() + " were unreadable" + why);
    } else {
      report(HealthState.ONLINE, "reading on " + link.name());
    }
  }

  private void report(HealthState state, String detail) {
    synchronized (this) {
      if (state == reported) {
        return;
      }
      reported = state;
    }
    health.healthChanged(new DeviceHealth(device, state, detail));
  }

  @Override
  public void close() {
    running = false;
    link.close();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
