package dev.locker.core.testing.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a broker port, for tests that break the network on purpose:
 * clients dial {@link #uri()}, the proxy dials the broker, and the test decides what passes.
 *
 * <pre>
 *             cut()                      blackhole()
 *   FORWARDING ─────────► CUT    FORWARDING ─────────► BLACKHOLE
 *       ▲                  │         ▲                     │
 *       └──── restore() ───┘         └───── restore() ─────┘
 *   close() from any state ─► CLOSED (final)
 * </pre>
 *
 * <ul>
 *   <li><b>FORWARDING</b>: bytes pass both ways.
 *   <li><b>CUT</b>: every open connection is closed, and the listening socket is closed too, so new
 *       connections are <em>refused</em> by the kernel (ECONNREFUSED), as when the broker's host is
 *       down: nothing is accepted and then dropped. That matters for Paho 1.2.5, whose connect can
 *       hang or leak its "MQTT Con" thread against a server that accepts and closes at once
 *       (paho.mqtt.java #843, #850). {@link #restore()} listens again on the same port.
 *   <li><b>BLACKHOLE</b>: connections stay open and new ones are accepted and dialled through, but
 *       every byte either way is read and dropped, as on a dead link that TCP has not noticed yet:
 *       only MQTT keepalive (or a connect timeout) finds it. {@link #restore()} closes each
 *       connection that lost bytes (its MQTT stream is broken mid-packet) and forwards again on
 *       those that lost none.
 * </ul>
 *
 * <p>While forwarding, a client that connects when the broker itself is down is accepted and then
 * closed at once (the proxy cannot refuse what the kernel already accepted): a test that stops the
 * broker should {@link #cut()} the proxy too, or let clients dial the broker directly.
 *
 * <p>Threads: one acceptor per listening socket and two per connection, all daemons named {@code
 * tcp-proxy-PORT-…}; {@link #close()} ends them all. Methods are thread-safe.
 */
public final class TcpProxy implements AutoCloseable {

  public enum State {
    FORWARDING,
    CUT,
    BLACKHOLE,
    CLOSED
  }

  private static final int BUFFER = 8192;

  private final int port;
  private final int brokerPort;
  private final String name;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong clientToBroker = new AtomicLong();
  private final AtomicLong brokerToClient = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile State state = State.FORWARDING;
  private ServerSocket listener;
  private Thread acceptor;

  private TcpProxy(ServerSocket listener, int brokerPort) {
    this.listener = listener;
    this.port = listener.getLocalPort();
    this.brokerPort = brokerPort;
    this.name = "tcp-proxy-" + port;
  }

  /** A proxy on a free loopback port, forwarding to {@code brokerPort} on 127.0.0.1. */
  public static TcpProxy to(int brokerPort) throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(FreePort.LOOPBACK, 0));
    TcpProxy proxy = new TcpProxy(listener, brokerPort);
    proxy.startAcceptor(listener);
    return proxy;
  }

  /** The port clients dial. It stays the same through cut() and restore(). */
  public int port() {
    return port;
  }

  /** {@code tcp://127.0.0.1:PORT}, for Paho. */
  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  public State state() {
    return state;
  }

  /** Closes every open connection and stops listening: new connections are refused. */
  public synchronized void cut() {
    requireOpen();
    state = State.CUT;
    closeListener();
    closeLinks(List.copyOf(links));
  }

  /** Keeps connections open but drops every byte either way, from now until restore(). */
  public synchronized void blackhole() {
    requireOpen();
    if (state == State.CUT) {
      throw new IllegalStateException("restore() a cut proxy before blackholing it");
    }
    state = State.BLACKHOLE;
  }

  /**
   * Forwards again. After a cut, listens again on the same port. After a blackhole, closes the
   * connections that lost bytes. Does nothing while forwarding.
   *
   * @throws UncheckedIOException if the port cannot be bound again (another process took it)
   */
  public synchronized void restore() {
    requireOpen();
    switch (state) {
      case CUT -> {
        try {
          ServerSocket again = new ServerSocket();
          again.setReuseAddress(true);
          again.bind(new InetSocketAddress(FreePort.LOOPBACK, port));
          listener = again;
          state = State.FORWARDING;
          startAcceptor(again);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
      }
      case BLACKHOLE -> {
        state = State.FORWARDING;
        List.copyOf(links).forEach(Link::closeIfLostBytes);
      }
      case FORWARDING, CLOSED -> {}
    }
  }

  /** Connections the proxy has accepted since it started, open or not. */
  public int acceptedConnections() {
    return accepted.get();
  }

  public int openConnections() {
    return links.size();
  }

  /** Bytes forwarded from clients to the broker. */
  public long bytesClientToBroker() {
    return clientToBroker.get();
  }

  /** Bytes forwarded from the broker to clients. */
  public long bytesBrokerToClient() {
    return brokerToClient.get();
  }

  /** Bytes read and dropped, either way, while blackholed. */
  public long bytesDropped() {
    return dropped.get();
  }

  /** Stops listening, closes every connection, and waits (up to 5 s) for the proxy's threads. */
  @Override
  public void close() {
    List<Link> open;
    Thread lastAcceptor;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      closeListener();
      open = List.copyOf(links);
      closeLinks(open);
      lastAcceptor = acceptor;
    }
    try {
      if (lastAcceptor != null) {
        lastAcceptor.join(5000);
      }
      for (Link link : open) {
        link.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " → 127.0.0.1:" + brokerPort + " (" + state + ")";
  }

  private void requireOpen() {
    if (state == State.CLOSED) {
      throw new IllegalStateException(name + " is closed");
    }
  }

  private synchronized void startAcceptor(ServerSocket socket) {
    acceptor = new Thread(() -> accept(socket), name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Runs until its listening socket is closed by cut() or close(). */
  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException closed) {
        return;
      }
      int number = accepted.incrementAndGet();
      Socket broker = new Socket();
      try {
        client.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        broker.connect(new InetSocketAddress(FreePort.LOOPBACK, brokerPort), 2000);
      } catch (IOException brokerDown) {
        closeQuietly(client);
        closeQuietly(broker);
        continue;
      }
      Link link = new Link(client, broker, name + "-c" + number);
      synchronized (this) {
        if (state == State.CUT || state == State.CLOSED) {
          link.close();
          continue;
        }
        links.add(link);
      }
      link.start();
    }
  }

  private synchronized void closeListener() {
    if (listener != null) {
      closeQuietly(listener);
      listener = null;
    }
  }

  private void closeLinks(List<Link> toClose) {
    for (Link link : toClose) {
      link.close();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is all that is asked of it.
    }
  }

  /** One proxied connection: a client socket, a broker socket, and a pump thread each way. */
  private final class Link {
    private final Socket client;
    private final Socket broker;
    private final Thread up;
    private final Thread down;
    private boolean lostBytes;

    Link(Socket client, Socket broker, String name) {
      this.client = client;
      this.broker = broker;
      this.up = pump(client, broker, clientToBroker, name + "-up");
      this.down = pump(broker, client, brokerToClient, name + "-down");
    }

    void start() {
      up.start();
      down.start();
    }

    void close() {
      closeQuietly(client);
      closeQuietly(broker);
      links.remove(this);
    }

    /**
     * With {@link #dropIfBlackholed}, guarded by this link: a pump that read under BLACKHOLE has
     * marked the link before restore() looks at it, or reads FORWARDING and forwards.
     */
    synchronized void closeIfLostBytes() {
      if (lostBytes) {
        close();
      }
    }

    private synchronized boolean dropIfBlackholed(int n) {
      if (state != State.BLACKHOLE) {
        return false;
      }
      lostBytes = true;
      dropped.addAndGet(n);
      return true;
    }

    void join() throws InterruptedException {
      up.join(5000);
      down.join(5000);
    }

    private Thread pump(Socket from, Socket to, AtomicLong forwarded, String threadName) {
      Thread thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[BUFFER];
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    if (!dropIfBlackholed(n)) {
                      out.write(buffer, 0, n);
                      out.flush();
                      forwarded.addAndGet(n);
                    }
                  }
                } catch (IOException closed) {
                  // cut(), close(), restore() after a blackhole, or the other side went away.
                } finally {
                  close();
                }
              },
              threadName);
      thread.setDaemon(true);
      return thread;
    }
  }
}
