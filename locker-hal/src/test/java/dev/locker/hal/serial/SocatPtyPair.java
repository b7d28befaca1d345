package dev.locker.hal.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Two connected pseudo-terminals made by {@code socat} (device-protocols.md §5): what is written to
 * one end is read at the other, through the kernel's tty layer, so jssc runs as on a real port.
 *
 * <p>Without socat the test cannot run: under CI ({@code CI=true}) that fails the test, elsewhere
 * it is skipped with a message saying what to install.
 */
public final class SocatPtyPair implements AutoCloseable {
  private final Process socat;
  private final Path hostEnd;
  private final Path deviceEnd;

  private SocatPtyPair(Process socat, Path hostEnd, Path deviceEnd) {
    this.socat = socat;
    this.hostEnd = hostEnd;
    this.deviceEnd = deviceEnd;
  }

  /** Whether {@code socat} is on the PATH. */
  public static boolean socatAvailable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "socat"))) {
        return true;
      }
    }
    return false;
  }

  /** Fails under CI, skips elsewhere, when socat is missing. */
  public static void requireSocat() {
    if (socatAvailable()) {
      return;
    }
    String message = "socat is needed for the serial pty tests: install it (apt-get install socat)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }

  /** Starts socat with the two links in {@code folder} and waits until both exist. */
  public static SocatPtyPair start(Path folder) throws IOException, InterruptedException {
    requireSocat();
    Files.createDirectories(folder);
    Path host = folder.resolve("tty-host");
    Path device = folder.resolve("tty-device");
    Files.deleteIfExists(host);
    Files.deleteIfExists(device);
    Process process =
        new ProcessBuilder(
                "socat",
                "pty,raw,echo=0,link=" + host.toAbsolutePath(),
                "pty,raw,echo=0,link=" + device.toAbsolutePath())
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve("socat.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(Files.exists(host) && Files.exists(device))) {
      if (!process.isAlive()) {
        throw new IOException("socat exited with " + process.exitValue() + "; see socat.log");
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("socat did not create its ptys within 10 s");
      }
      Thread.sleep(10);
    }
    return new SocatPtyPair(process, host, device);
  }

  public String hostPath() {
    return hostEnd.toAbsolutePath().toString();
  }

  public String devicePath() {
    return deviceEnd.toAbsolutePath().toString();
  }

  @Override
  public void close() {
    socat.destroy();
    try {
      if (!socat.waitFor(5, TimeUnit.SECONDS)) {
        socat.destroyForcibly();
        socat.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      socat.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
