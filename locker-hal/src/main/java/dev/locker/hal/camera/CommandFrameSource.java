package dev.locker.hal.camera;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A camera driven by a still-capture command that writes one PNG or JPEG to its standard output,
 * for example {@code rpicam-still} on a Raspberry Pi camera or {@code fswebcam} on a USB webcam.
 * Each {@link #grab()} runs the command once, reads the image with ImageIO and turns every failure
 * (command missing, non-zero exit, timeout, too much output, not an image) into {@link
 * FrameSource.Grab.Failed} with a reason; a command that overruns its timeout is killed together
 * with its child processes.
 *
 * <p>Starting the camera per frame is slow (on a Pi about a second per still): this source suits a
 * scanner that grabs every second or so. Thread-safe: every grab runs its own process; the two
 * pipes of that process are read on short-lived daemon threads {@code camera-capture-out} and
 * {@code camera-capture-err}. An interrupt during a grab kills the process and returns {@code
 * Failed} with the interrupt flag set again.
 */
public final class CommandFrameSource implements FrameSource {
  /** How much of the command's standard error is kept for the failure reason. */
  private static final int STDERR_TAIL = 4096;

  /** The longest stderr line quoted in a failure reason. */
  private static final int REASON_QUOTE = 200;

  /**
   * How long the output may still be read after the command exited, even past its timeout: up to a
   * pipe buffer (64 KiB on Linux) of the image can still be in flight.
   */
  private static final Duration DRAIN_GRACE = Duration.ofMillis(500);

  private final Settings settings;

  /**
   * @param command the program and its arguments, run without a shell
   * @param timeout how long one capture may take, from start to exit
   * @param maxImageBytes more output than this is refused (and the command killed)
   */
  public record Settings(List<String> command, Duration timeout, int maxImageBytes) {
    public Settings {
      command = List.copyOf(command);
      Objects.requireNonNull(timeout, "timeout");
      if (command.isEmpty() || command.get(0).isBlank()) {
        throw new IllegalArgumentException("command must name a program");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      if (maxImageBytes < 1) {
        throw new IllegalArgumentException("maxImageBytes must be >= 1");
      }
    }

    /**
     * A Raspberry Pi camera through libcamera's {@code rpicam-still}: no preview, shortest capture
     * delay, 1280x720 PNG to standard output.
     */
    public static Settings rpicamStill(Duration timeout) {
      return new Settings(
          List.of(
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
              "-"),
          timeout,
          16 * 1024 * 1024);
    }

    /** A USB (V4L2) webcam through {@code fswebcam}: no banner, PNG to standard output. */
    public static Settings fswebcam(Duration timeout) {
      return new Settings(
          List.of("fswebcam", "--no-banner", "--png", "-1", "-"), timeout, 16 * 1024 * 1024);
    }
  }

  public CommandFrameSource(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The program's file name, for example {@code "rpicam-still"}. */
  @Override
  public String name() {
    Path program = Path.of(settings.command().get(0)).getFileName();
    return program == null ? settings.command().get(0) : program.toString();
  }

  @Override
  public Grab grab() {
    Process process;
    try {
      process = new ProcessBuilder(settings.command()).start();
    } catch (IOException | RuntimeException e) {
      return new Grab.Failed("cannot start " + name() + ": " + e.getMessage());
    }
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    Pipe out = new Pipe(process.getInputStream(), settings.maxImageBytes(), false, process);
    Pipe err = new Pipe(process.getErrorStream(), STDERR_TAIL, true, process);
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // The command does not read its input; a closed stdin is all it needs to know.
    }
    out.start("camera-capture-out");
    err.start("camera-capture-err");
    try {
      if (!process.waitFor(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
        kill(process);
        return new Grab.Failed(
            name() + " did not finish within " + settings.timeout().toMillis() + " ms; killed");
      }
      boolean outDone = out.await(Math.max(remainingNanos(deadline), DRAIN_GRACE.toNanos()));
      err.await(TimeUnit.MILLISECONDS.toNanos(200));
      if (out.overflowed()) {
        return new Grab.Failed(
            name() + " wrote more than " + settings.maxImageBytes() + " bytes; killed");
      }
      int exit = process.exitValue();
      if (exit != 0) {
        return new Grab.Failed(name() + " exited with status " + exit + err.lastLine());
      }
      if (!outDone) {
        return new Grab.Failed(
            name() + " exited but a child process kept its output open past the timeout");
      }
      return image(out.bytes(), err);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      return new Grab.Failed(name() + " was interrupted");
    }
  }

  private Grab image(byte[] bytes, Pipe err) {
    if (bytes.length == 0) {
      return new Grab.Failed(name() + " wrote no image" + err.lastLine());
    }
    // ImageIO.read closes the stream itself, except when it returns null.
    ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
    try {
      BufferedImage image = ImageIO.read(in);
      if (image == null) {
        in.close();
        return new Grab.Failed(
            name() + " wrote " + bytes.length + " bytes that are not a PNG or JPEG image");
      }
      return new Grab.Frame(image);
    } catch (IOException | RuntimeException e) {
      return new Grab.Failed(
          name() + " wrote a damaged image (" + bytes.length + " bytes): " + e.getMessage());
    }
  }

  private static long remainingNanos(long deadline) {
    return deadline - System.nanoTime();
  }

  /** Kills the command and whatever it started (a shell's children keep the pipes open). */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * Reads one pipe of the command to its end on a daemon thread. Standard output is kept whole up
   * to the limit, beyond which the command is killed; standard error keeps only its last bytes.
   */
  private static final class Pipe implements Runnable {
    private final InputStream in;
    private final int limit;
    private final boolean tail;
    private final Process process;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private volatile boolean overflowed;
    private Thread thread;

    Pipe(InputStream in, int limit, boolean tail, Process process) {
      this.in = in;
      this.limit = limit;
      this.tail = tail;
      this.process = process;
    }

    void start(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void run() {
      byte[] buffer = new byte[64 * 1024];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          synchronized (this) {
            if (!tail && data.size() + n > limit) {
              overflowed = true;
              kill(process);
              return;
            }
            data.write(buffer, 0, n);
            if (tail && data.size() > 2 * limit) {
              byte[] all = data.toByteArray();
              data.reset();
              data.write(all, all.length - limit, limit);
            }
          }
        }
      } catch (IOException e) {
        // The pipe closes when the command is killed; what was read so far is all there is.
      }
    }

    /** Waits up to {@code nanos} for the end of the pipe; whether it was reached. */
    boolean await(long nanos) throws InterruptedException {
      TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(nanos, 1));
      return !thread.isAlive();
    }

    boolean overflowed() {
      return overflowed;
    }

    synchronized byte[] bytes() {
      return data.toByteArray();
    }

    /** ": " and the last non-blank line of the pipe, printable and short; empty if none. */
    synchronized String lastLine() {
      String text = data.toString(StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return "";
      }
      String last = text.substring(text.lastIndexOf('\n') + 1).strip();
      StringBuilder clean = new StringBuilder();
      last.codePoints()
          .limit(REASON_QUOTE)
          .forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
      return ": " + clean;
    }
  }
}
