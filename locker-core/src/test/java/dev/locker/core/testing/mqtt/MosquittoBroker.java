package dev.locker.core.testing.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Mosquitto broker (Debian's mosquitto 2.0, libraries.md §2c) run as a child process on
 * 127.0.0.1 and a free port of its own: never 1883, never the system service.
 *
 * <p>Everything lives in the folder given to {@link #start}: {@code mosquitto.conf}, the log {@code
 * mosquitto.log} (broker log, appended across restarts), {@code mosquitto.out} (its stdout and
 * stderr) and the persistence file {@code data/mosquitto.db}.
 *
 * <p>What survives what, for persistent sessions ({@code cleanSession=false}): their subscriptions,
 * the QoS 1/2 messages queued for them while offline, QoS 1/2 messages in flight, and retained
 * messages are kept in memory and written to {@code mosquitto.db} on a clean stop ({@link #stop()}:
 * SIGTERM) and on each autosave. {@link #restart()} loads that file.
 *
 * <ul>
 *   <li>{@link #stop()} then {@link #restart()}: everything above survives.
 *   <li>{@link #kill()} (SIGKILL) then {@link #restart()}: the broker comes back with the file as
 *       last written. With {@link Autosave#ON_CLEAN_STOP_ONLY} (the default) every change since the
 *       last clean stop is lost: sessions, subscriptions and queued messages made after it are
 *       gone, those saved by it come back (a message already delivered may then be delivered
 *       again). With {@link Autosave#AFTER_EVERY_CHANGE} mosquitto rewrites the file after each
 *       change, so a kill loses little, but nothing promises that the very last change before the
 *       kill was written: tests must not rely on it.
 * </ul>
 *
 * <p>Without the mosquitto binary the test cannot run: under CI ({@code CI=true}) that fails the
 * test, elsewhere it is skipped with a message saying what to install. Not thread-safe: one test
 * thread drives it.
 */
public final class MosquittoBroker implements AutoCloseable {

  /** When mosquitto writes its in-memory state to the persistence file. */
  public enum Autosave {
    /** Only on a clean stop ({@code autosave_interval 0}). A kill reverts to the last stop. */
    ON_CLEAN_STOP_ONLY,
    /** After every change ({@code autosave_on_changes true}, {@code autosave_interval 1}). */
    AFTER_EVERY_CHANGE
  }

  /**
   * @param startTimeout how long start and restart wait for the port to accept connections
   * @param stopTimeout how long stop waits after SIGTERM before it sends SIGKILL
   * @param autosave when the persistence file is written
   */
  public record Settings(Duration startTimeout, Duration stopTimeout, Autosave autosave) {
    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(10), Duration.ofSeconds(10), Autosave.ON_CLEAN_STOP_ONLY);

    public Settings withAutosave(Autosave autosave) {
      return new Settings(startTimeout, stopTimeout, autosave);
    }
  }

  /**
   * A second listener, with TLS, beside the plain one: the broker presents {@code certFile} (with
   * {@code keyFile}) and requires every client to present a certificate signed by a CA in {@code
   * caFile} ({@code require_certificate true}), over TLS 1.2 or newer.
   */
  public record TlsListener(Path caFile, Path certFile, Path keyFile) {}

  private static final List<String> SBIN_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");
  private static final int START_ATTEMPTS = 3;

  private final Path binary;
  private final Path folder;
  private final Settings settings;
  private final int port;
  private final Optional<TlsListener> tls;
  private final int tlsPort;
  private volatile Process process;
  private Thread killOnJvmExit;

  private MosquittoBroker(
      Path binary,
      Path folder,
      Settings settings,
      int port,
      Optional<TlsListener> tls,
      int tlsPort) {
    this.binary = binary;
    this.folder = folder;
    this.settings = settings;
    this.port = port;
    this.tls = tls;
    this.tlsPort = tlsPort;
  }

  /** The mosquitto binary: on the PATH, or in /usr/sbin (where Debian puts it) and its kin. */
  public static Optional<Path> findBinary() {
    List<String> dirs =
        new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(SBIN_DIRS);
    return dirs.stream()
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "mosquitto"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The mosquitto binary; fails under CI, skips elsewhere, when it is missing. */
  public static Path requireMosquitto() {
    Optional<Path> found = findBinary();
    if (found.isPresent()) {
      return found.get();
    }
    String message =
        "mosquitto is needed for the MQTT broker tests: install mosquitto (apt-get install"
            + " mosquitto)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable: abort throws");
  }

  /** Starts a broker with {@link Settings#DEFAULTS}; see {@link #start(Path, Settings)}. */
  public static MosquittoBroker start(Path folder) throws IOException, InterruptedException {
    return start(folder, Settings.DEFAULTS);
  }

  /**
   * Starts a broker on a free loopback port with its files in {@code folder}, and returns once the
   * port accepts connections. If another process took the port first, tries again with a new one.
   *
   * @throws IOException if it did not come up within {@link Settings#startTimeout()}; the message
   *     carries the end of its log
   */
  public static MosquittoBroker start(Path folder, Settings settings)
      throws IOException, InterruptedException {
    return start(folder, settings, Optional.empty());
  }

  /**
   * As {@link #start(Path, Settings)}, with a TLS listener on a second free loopback port ({@link
   * #tlsUri()}) beside the plain one.
   */
  public static MosquittoBroker start(Path folder, Settings settings, TlsListener tls)
      throws IOException, InterruptedException {
    return start(folder, settings, Optional.of(tls));
  }

  private static MosquittoBroker start(Path folder, Settings settings, Optional<TlsListener> tls)
      throws IOException, InterruptedException {
    Path binary = requireMosquitto();
    Files.createDirectories(folder.resolve("data"));
    IOException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      MosquittoBroker broker =
          new MosquittoBroker(
              binary,
              folder,
              settings,
              FreePort.onLoopback(),
              tls,
              tls.isPresent() ? FreePort.onLoopback() : -1);
      broker.writeConfig();
      try {
        broker.launch();
        return broker;
      } catch (IOException e) {
        broker.close();
        last = e;
      }
    }
    throw last;
  }

  public int port() {
    return port;
  }

  /** {@code tcp://127.0.0.1:PORT}, for Paho. */
  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  /** {@code ssl://127.0.0.1:PORT} of the TLS listener. */
  public String tlsUri() {
    if (tls.isEmpty()) {
      throw new IllegalStateException("this broker was started without a TLS listener");
    }
    return "ssl://127.0.0.1:" + tlsPort;
  }

  public Path folder() {
    return folder;
  }

  public Path log() {
    return folder.resolve("mosquitto.log");
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The broker's pid while it runs. */
  public Optional<Long> pid() {
    return isRunning() ? Optional.of(process.pid()) : Optional.empty();
  }

  /**
   * SIGTERM and wait: mosquitto closes its connections (clients see the connection lost) and saves
   * its state to the persistence file. Sends SIGKILL if it has not exited within {@link
   * Settings#stopTimeout()}. Does nothing if it is not running.
   */
  public void stop() throws InterruptedException {
    if (!isRunning()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  /** SIGKILL and wait: nothing is saved (see the class comment for what survives). */
  public void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    process.waitFor(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Stops the broker if it runs, then starts it again on the same port with the same configuration
   * and persistence file, and returns once the port accepts connections.
   */
  public void restart() throws IOException, InterruptedException {
    stop();
    launch();
  }

  /** Stops the broker (SIGTERM, then SIGKILL if needed). The folder is left for the test. */
  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
    } finally {
      if (killOnJvmExit != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(killOnJvmExit);
        } catch (IllegalStateException alreadyExiting) {
          // The hook is running or about to: it kills the process itself.
        }
        killOnJvmExit = null;
      }
    }
  }

  @Override
  public String toString() {
    return "mosquitto on " + uri() + (isRunning() ? " (pid " + process.pid() + ")" : " (stopped)");
  }

  private void writeConfig() throws IOException {
    Path data = folder.resolve("data").toAbsolutePath();
    List<String> lines = new ArrayList<>();
    lines.add("# Written by " + MosquittoBroker.class.getName() + " for one test.");
    lines.add("listener " + port + " 127.0.0.1");
    lines.add("allow_anonymous true");
    // Ignored unless started as root; as root, keeps mosquitto able to write this folder.
    lines.add("user " + System.getProperty("user.name"));
    lines.add("persistence true");
    lines.add("persistence_location " + data + "/");
    lines.add("persistence_file mosquitto.db");
    switch (settings.autosave()) {
      case ON_CLEAN_STOP_ONLY -> lines.add("autosave_interval 0");
      case AFTER_EVERY_CHANGE -> {
        lines.add("autosave_on_changes true");
        lines.add("autosave_interval 1");
      }
    }
    lines.add("max_queued_messages 10000");
    // Forward each message to its subscribers at once rather than 20 at a time: a kill then loses
    // little beyond what the kernel already had.
    lines.add("max_inflight_messages 0");
    lines.add("log_dest file " + log().toAbsolutePath());
    lines.add("log_type all");
    lines.add("connection_messages true");
    lines.add("log_timestamp_format %Y-%m-%dT%H:%M:%S");
    // Listener options (cafile … tls_version) apply to the listener line above them.
    tls.ifPresent(
        listener -> {
          lines.add("listener " + tlsPort + " 127.0.0.1");
          lines.add("cafile " + listener.caFile().toAbsolutePath());
          lines.add("certfile " + listener.certFile().toAbsolutePath());
          lines.add("keyfile " + listener.keyFile().toAbsolutePath());
          lines.add("require_certificate true");
          lines.add("tls_version tlsv1.2");
        });
    Files.write(folder.resolve("mosquitto.conf"), lines, StandardCharsets.UTF_8);
  }

  private void launch() throws IOException, InterruptedException {
    Path out = folder.resolve("mosquitto.out");
    process =
        new ProcessBuilder(
                binary.toString(),
                "-c",
                folder.resolve("mosquitto.conf").toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    if (killOnJvmExit == null) {
      // A test JVM that exits without close() must not leave a broker behind.
      killOnJvmExit = new Thread(() -> kill(process), "mosquitto-" + port + "-kill-on-exit");
      Runtime.getRuntime().addShutdownHook(killOnJvmExit);
    }
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    while (!FreePort.isListening(port) || (tls.isPresent() && !FreePort.isListening(tlsPort))) {
      if (!process.isAlive()) {
        throw new IOException(
            "mosquitto on port " + port + " exited with " + process.exitValue() + ": " + tail());
      }
      if (System.nanoTime() > deadline) {
        kill(process);
        throw new IOException(
            "mosquitto did not listen on port "
                + port
                + " within "
                + settings.startTimeout()
                + ": "
                + tail());
      }
      Thread.sleep(20);
    }
  }

  private static void kill(Process process) {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  private String tail() {
    List<String> lines = new ArrayList<>();
    for (Path file : List.of(folder.resolve("mosquitto.out"), log())) {
      try {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        lines.addAll(all.subList(Math.max(0, all.size() - 5), all.size()));
      } catch (IOException e) {
        // Not written yet.
      }
    }
    return String.join(" | ", lines);
  }
}
