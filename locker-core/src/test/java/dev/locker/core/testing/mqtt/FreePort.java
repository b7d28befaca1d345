package dev.locker.core.testing.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * Loopback ports for test brokers and proxies. Nothing here ever binds or dials outside 127.0.0.1,
 * and never 1883, where a system Mosquitto service may be listening.
 */
public final class FreePort {
  /** 127.0.0.1, by address, so that no name lookup or IPv6 preference changes it. */
  public static final InetAddress LOOPBACK = loopback();

  /** The IANA MQTT port, which a Debian mosquitto service may hold: tests never use it. */
  static final int MQTT_DEFAULT_PORT = 1883;

  private FreePort() {}

  /**
   * A port on 127.0.0.1 that the kernel just handed out as free and that is released again before
   * this returns. Another process may take it in between: starters that bind it retry with a new
   * port when the bind fails.
   */
  public static int onLoopback() {
    while (true) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = probe.getLocalPort();
        if (port != MQTT_DEFAULT_PORT) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
    }
  }

  /** Whether something on 127.0.0.1 accepts a TCP connection on {@code port} (200 ms to answer). */
  public static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError("a four-byte address is always valid", e);
    }
  }
}
