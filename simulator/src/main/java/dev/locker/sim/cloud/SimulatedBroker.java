package dev.locker.sim.cloud;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The simulated locker's MQTT broker: Moquette in this JVM, on loopback only, anonymous, sessions
 * in memory. It stands in for the operator's broker so that {@code java -jar simulator.jar} runs a
 * complete locker, cloud link included, with nothing outside the machine.
 */
public final class SimulatedBroker implements AutoCloseable {
  private final Server server = new Server();
  private final int port;

  private SimulatedBroker(int port) {
    this.port = port;
  }

  /**
   * Starts on 127.0.0.1 and {@code port}, or on a free port when {@code port} is 0; {@code folder}
   * takes whatever Moquette writes.
   */
  public static SimulatedBroker start(int port, Path folder) throws IOException {
    Files.createDirectories(folder);
    SimulatedBroker broker = new SimulatedBroker(port == 0 ? freePort() : port);
    Properties properties = new Properties();
    properties.setProperty("host", "127.0.0.1");
    properties.setProperty("port", Integer.toString(broker.port));
    properties.setProperty("websocket_port", "disabled");
    properties.setProperty("allow_anonymous", "true");
    // Moquette 0.17 reports usage to its authors unless told not to; the simulator contacts
    // nothing.
    properties.setProperty("telemetry_enabled", "false");
    properties.setProperty("persistence_enabled", "false");
    properties.setProperty("data_path", folder.toAbsolutePath().toString());
    try {
      broker.server.startServer(new MemoryConfig(properties));
    } catch (IOException | RuntimeException e) {
      broker.server.stopServer();
      throw new IOException("the simulated MQTT broker cannot listen on port " + broker.port, e);
    }
    return broker;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code tcp://127.0.0.1:PORT}. */
  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
