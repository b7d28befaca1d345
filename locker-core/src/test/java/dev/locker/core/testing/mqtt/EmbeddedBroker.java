package dev.locker.core.testing.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Moquette 0.17 in this JVM on 127.0.0.1 and a free port: an MQTT 3.1.1 broker that starts in
 * milliseconds, for tests that need a broker but never restart it (libraries.md §2c: Moquette lost
 * offline-buffered messages across a restart in 2 of 8 runs, and speaks no MQTT 5).
 *
 * <p>Anonymous clients are allowed, websockets and telemetry are off, and sessions live in memory
 * only ({@code persistence_enabled=false}): {@link #stop()} forgets every session and queued
 * message. {@code data_path} still points into the folder given to {@link #start}, so that nothing
 * Moquette might write lands in the working directory. Not thread-safe: one test thread drives it.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final int START_ATTEMPTS = 3;

  private final Server server = new Server();
  private final int port;
  private boolean running;

  private EmbeddedBroker(int port) {
    this.port = port;
  }

  /**
   * Starts a broker on a free loopback port; if another process took the port first, tries again
   * with a new one.
   */
  public static EmbeddedBroker start(Path folder) throws IOException {
    Files.createDirectories(folder);
    IOException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      EmbeddedBroker broker = new EmbeddedBroker(FreePort.onLoopback());
      try {
        broker.server.startServer(new MemoryConfig(broker.properties(folder)));
        broker.running = true;
        return broker;
      } catch (IOException | RuntimeException e) {
        broker.server.stopServer();
        last = e instanceof IOException io ? io : new IOException(e);
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

  public boolean isRunning() {
    return running;
  }

  /**
   * Closes every connection and the listening port, and ends the broker's threads. Blocks for about
   * 2 s: Moquette waits out Netty's graceful-shutdown quiet period.
   */
  public void stop() {
    if (running) {
      running = false;
      server.stopServer();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "moquette on " + uri() + (running ? "" : " (stopped)");
  }

  private Properties properties(Path folder) {
    Properties properties = new Properties();
    properties.setProperty("host", "127.0.0.1");
    properties.setProperty("port", Integer.toString(port));
    properties.setProperty("websocket_port", "disabled");
    properties.setProperty("allow_anonymous", "true");
    // Moquette 0.17 reports usage to its authors unless told not to; tests contact nothing.
    properties.setProperty("telemetry_enabled", "false");
    properties.setProperty("persistence_enabled", "false");
    properties.setProperty("data_path", folder.toAbsolutePath().toString());
    return properties;
  }
}
