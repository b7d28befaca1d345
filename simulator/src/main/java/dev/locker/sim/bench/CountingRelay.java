package dev.locker.sim.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 that counts the bytes it forwards each way: the benchmark puts it
 * between the cloud link and the broker to see what an event costs on the wire.
 *
 * <p>"Up" is client to target (locker to broker), "down" target to client. A chunk is counted when
 * it has been read and before it is written on, so whatever the far side has received is already in
 * the count. Every connection, one after another or at once, adds to the same two counters. The
 * relay adds no delay of its own beyond a copy: its sockets have Nagle's algorithm off.
 *
 * <p>Threads: one acceptor ({@code bench-relay-PORT}) and two pumps per connection ({@code
 * bench-relay-PORT-N-up}, {@code …-down}), all daemons. An end of stream is passed on as a half
 * close; a connection's sockets are closed when both directions ended or either failed. {@link
 * #close()} closes every socket, which ends every thread. Thread-safe.
 */
public final class CountingRelay implements AutoCloseable {
  private static final int BUFFER = 16 * 1024;

  /** Bytes forwarded so far, each way. */
  public record Counts(long up, long down) {
    /** What was forwarded since {@code earlier}. */
    public Counts minus(Counts earlier) {
      return new Counts(up - earlier.up, down - earlier.down);
    }
  }

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final AtomicLong up = new AtomicLong();
  private final AtomicLong down = new AtomicLong();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private CountingRelay(InetSocketAddress target, ServerSocket server) {
    this.target = target;
    this.server = server;
  }

  /** Listens on a free port of 127.0.0.1 and relays each connection to {@code target}. */
  public static CountingRelay start(InetSocketAddress target) throws IOException {
    Objects.requireNonNull(target, "target");
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    CountingRelay relay = new CountingRelay(target, server);
    Thread acceptor = new Thread(relay::acceptLoop, "bench-relay-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
    return relay;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code tcp://127.0.0.1:PORT}, for an MQTT client. */
  public String uri() {
    return "tcp://127.0.0.1:" + port();
  }

  /** Bytes forwarded so far, over every connection. */
  public Counts counts() {
    return new Counts(up.get(), down.get());
  }

  /** Connections accepted so far. */
  public int connections() {
    return accepted.get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      int n = accepted.incrementAndGet();
      Socket broker = new Socket();
      try {
        client.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        broker.connect(target);
      } catch (IOException e) {
        // The target is down: the client sees its connection closed.
        closeQuietly(client);
        closeQuietly(broker);
        continue;
      }
      open.add(client);
      open.add(broker);
      if (closed) {
        closeQuietly(client);
        closeQuietly(broker);
        return;
      }
      AtomicInteger directions = new AtomicInteger(2);
      String name = "bench-relay-" + port() + "-" + n;
      startPump(name + "-up", client, broker, up, directions);
      startPump(name + "-down", broker, client, down, directions);
    }
  }

  private void startPump(
      String name, Socket from, Socket to, AtomicLong counter, AtomicInteger directions) {
    Thread pump =
        new Thread(
            () -> {
              pump(from, to, counter);
              if (directions.decrementAndGet() == 0) {
                release(from);
                release(to);
              }
            },
            name);
    pump.setDaemon(true);
    pump.start();
  }

  private void pump(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[BUFFER];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        counter.addAndGet(n);
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // A reset or a close from either side ends both directions at once.
      release(from);
      release(to);
    }
  }

  private void release(Socket socket) {
    open.remove(socket);
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is best effort; the socket is unusable either way.
    }
  }
}
