package dev.locker.core.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.CloudLink;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CloudLink} over MQTT 3.1.1 with Eclipse Paho mqttv3 1.2.5 (contracts/mqtt.md
 * "Connection" and "Topics").
 *
 * <pre>
 *            start()                 CONNACK, SUBACK cmd, PUBACK status online
 *   NEW ─────────────► CONNECTING ──────────────────────────────────────────► CONNECTED
 *                       ▲      │ refused, TLS failure, timeout                  │
 *                       │      ▼                                                │ connectionLost
 *                       └─ WAITING (Backoff: full jitter) ◄─────────────────────┘
 *   close() from any state: CONNECTED publishes status offline and disconnects ─► CLOSED
 * </pre>
 *
 * <p>Threads: one daemon thread named {@value #THREAD_NAME} connects, waits out the backoff and
 * closes; it alone changes the state and calls {@link Listener#connected()} and {@link
 * Listener#disconnected(String)}. Paho's automatic reconnect is off: it does not cover a failed
 * first connect and its doubling has no jitter (libraries.md §2c, §3). {@link Listener#command}
 * runs on Paho's callback thread ("MQTT Call: id"), before Paho sends the PUBACK of the command, so
 * a command is acknowledged to the broker only once the listener returned; the listener must return
 * quickly. Publish futures complete on Paho's threads too: dependent work that may block belongs in
 * the {@code *Async} stages.
 *
 * <p>Each connection gets a fresh Paho client with its own {@link MemoryPersistence}. Paho, given
 * the same client instance again with {@code cleanSession=false}, would re-send its own copies of
 * the QoS 1 messages that were unconfirmed when the connection dropped, and complete their old
 * tokens on the PUBACKs: the publisher above, told NotDelivered, sends those messages again itself,
 * so each would arrive twice even where nothing was lost. With a fresh client only the publisher's
 * copy goes out; a duplicate remains possible only where the broker had the message and its PUBACK
 * was lost. A future belongs to its token's action listener and its connection, never to a message
 * id, so a late PUBACK can never complete another publish's future. The broker keeps the session
 * (the command subscription and commands queued while the locker was away).
 */
public final class PahoCloudLink implements CloudLink {
  /** The name of the link's own thread. */
  public static final String THREAD_NAME = "cloud-link";

  private static final Logger log = LoggerFactory.getLogger(PahoCloudLink.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOCKER_ID = Pattern.compile("[A-Za-z0-9-]{3,40}");
  private static final int RECENT_DELAYS = 64;
  private static final int SUBACK_FAILURE = 0x80;
  private static final int MAX_REASON = 160;

  /**
   * @param lockerId the locker's id, also its MQTT client id ({@code [A-Za-z0-9-]{3,40}})
   * @param brokerUri {@code ssl://host:port}, or {@code tcp://host:port} with insecurePlaintext
   * @param firmware the firmware version announced in the online status
   * @param tls the socket factory from {@link TlsFiles}, required for {@code ssl://}
   * @param insecurePlaintext whether {@code tcp://} is allowed (the simulator profile only)
   * @param keepAlive MQTT keepalive, whole seconds, at least 1 s
   * @param connectTimeout the longest a connect (TCP, TLS, CONNACK) and each of the steps after it
   *     (SUBACK, PUBACK of the status) may take; whole seconds, at least 1 s
   * @param backoff the reconnect backoff
   * @param maxInflight how many QoS 1 publishes may be unconfirmed at once; more fail with {@link
   *     NotDelivered} at once. Paho's own window is set to twice this: Paho frees a slot only after
   *     it completed the token (seen in MqttProbe), and must not refuse a publish this window let
   *     through.
   * @param clock for the times in the status and its messages
   */
  public record Settings(
      String lockerId,
      String brokerUri,
      String firmware,
      Optional<SSLSocketFactory> tls,
      boolean insecurePlaintext,
      Duration keepAlive,
      Duration connectTimeout,
      Backoff.Settings backoff,
      int maxInflight,
      Clock clock) {
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Paho's default is 10 (reliability-security.md §4.5); an outbox drains faster with more. */
    public static final int DEFAULT_MAX_INFLIGHT = 64;

    public Settings {
      Objects.requireNonNull(lockerId, "lockerId");
      Objects.requireNonNull(brokerUri, "brokerUri");
      Objects.requireNonNull(firmware, "firmware");
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(keepAlive, "keepAlive");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(backoff, "backoff");
      Objects.requireNonNull(clock, "clock");
      if (!LOCKER_ID.matcher(lockerId).matches()) {
        throw new IllegalArgumentException(
            "locker id '" + lockerId + "' is not [A-Za-z0-9-]{3,40} (contracts/mqtt.md)");
      }
      URI uri;
      try {
        uri = URI.create(brokerUri);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cloud broker '" + brokerUri + "' is not a URI", e);
      }
      String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
      if (uri.getHost() == null) {
        throw new IllegalArgumentException(
            "cloud broker '" + brokerUri + "' needs a host: ssl://host:8883");
      }
      switch (scheme) {
        case "ssl" -> {
          if (tls.isEmpty()) {
            throw new IllegalArgumentException(
                "cloud broker "
                    + brokerUri
                    + " is ssl:// but no TLS material is configured (CA, client certificate"
                    + " and key)");
          }
        }
        case "tcp" -> {
          if (!insecurePlaintext) {
            throw new IllegalArgumentException(
                "cloud broker "
                    + brokerUri
                    + " is plain tcp://: use ssl:// with the TLS files, or set"
                    + " cloud.insecurePlaintext: true (simulator only)");
          }
          if (tls.isPresent()) {
            throw new IllegalArgumentException(
                "cloud broker "
                    + brokerUri
                    + " is plain tcp:// but TLS material is configured: use ssl://");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "cloud broker '"
                    + brokerUri
                    + "' must start with ssl:// (or tcp:// in the simulator)");
      }
      if (keepAlive.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("keepAlive must be at least 1 s, not " + keepAlive);
      }
      if (connectTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "connectTimeout must be at least 1 s, not " + connectTimeout);
      }
      if (maxInflight < 1 || maxInflight > 32_767) {
        throw new IllegalArgumentException("maxInflight must be 1..32767, not " + maxInflight);
      }
    }

    /** Default keepalive, timeouts, backoff and window. */
    public static Settings of(
        String lockerId,
        String brokerUri,
        String firmware,
        Optional<SSLSocketFactory> tls,
        boolean insecurePlaintext,
        Clock clock) {
      return new Settings(
          lockerId,
          brokerUri,
          firmware,
          tls,
          insecurePlaintext,
          DEFAULT_KEEP_ALIVE,
          DEFAULT_CONNECT_TIMEOUT,
          Backoff.Settings.DEFAULTS,
          DEFAULT_MAX_INFLIGHT,
          clock);
    }

    public Settings withKeepAlive(Duration keepAlive) {
      return new Settings(
          lockerId,
          brokerUri,
          firmware,
          tls,
          insecurePlaintext,
          keepAlive,
          connectTimeout,
          backoff,
          maxInflight,
          clock);
    }

    public Settings withConnectTimeout(Duration connectTimeout) {
      return new Settings(
          lockerId,
          brokerUri,
          firmware,
          tls,
          insecurePlaintext,
          keepAlive,
          connectTimeout,
          backoff,
          maxInflight,
          clock);
    }

    public Settings withBackoff(Backoff.Settings backoff) {
      return new Settings(
          lockerId,
          brokerUri,
          firmware,
          tls,
          insecurePlaintext,
          keepAlive,
          connectTimeout,
          backoff,
          maxInflight,
          clock);
    }

    public Settings withMaxInflight(int maxInflight) {
      return new Settings(
          lockerId,
          brokerUri,
          firmware,
          tls,
          insecurePlaintext,
          keepAlive,
          connectTimeout,
          backoff,
          maxInflight,
          clock);
    }

    /** {@code locker/v1/{lockerId}/{leaf}}. */
    public String topic(String leaf) {
      return "locker/v1/" + lockerId + "/" + leaf;
    }
  }

  private final Settings settings;
  private final Random jitter;
  private final String statusTopic;
  private final String commandTopic;
  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
  private final Deque<Duration> recentDelays = new ArrayDeque<>();
  private final Object lifecycle = new Object();
  private volatile Connection current;
  private volatile Status status =
      new Status(false, Optional.empty(), Optional.empty(), Optional.empty(), 0);
  private Thread thread;
  private boolean closed;
  private Listener listener;

  /** A link whose backoff jitter comes from a {@link SecureRandom}: no two lockers alike. */
  public PahoCloudLink(Settings settings) {
    this(settings, new SecureRandom());
  }

  /** A link whose backoff jitter comes from {@code jitter} (tests pass a seeded one). */
  public PahoCloudLink(Settings settings, Random jitter) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    this.statusTopic = settings.topic("status");
    this.commandTopic = settings.topic("cmd");
  }

  @Override
  public void start(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the cloud link is closed");
      }
      if (thread != null) {
        throw new IllegalStateException("the cloud link was started already");
      }
      this.listener = listener;
      if (settings.brokerUri().startsWith("tcp:")) {
        log.warn(
            "cloud link is NOT encrypted: {} is plain TCP (cloud.insecurePlaintext); events and"
                + " commands travel readable by anyone on the network",
            settings.brokerUri());
      }
      thread = new Thread(this::run, THREAD_NAME);
      thread.setDaemon(true);
      thread.start();
    }
  }

  @Override
  public CompletableFuture<Void> publish(Channel channel, byte[] payload) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(payload, "payload");
    Connection connection = current;
    if (connection == null) {
      return CompletableFuture.failedFuture(new NotDelivered("not connected"));
    }
    return switch (channel) {
      case EVENT -> connection.publish(settings.topic("event"), payload, 1);
      case ACK -> connection.publish(settings.topic("ack"), payload, 1);
      case TELEMETRY -> connection.publish(settings.topic("telemetry"), payload, 0);
    };
  }

  @Override
  public Status status() {
    return status;
  }

  /**
   * Publishes the offline status and disconnects cleanly if connected, stops reconnecting, and
   * waits for the link's thread and Paho's to end. Futures still unconfirmed fail with {@link
   * NotDelivered}. Idempotent; may be called from a listener.
   */
  @Override
  public void close() {
    Thread running;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      running = thread;
    }
    signals.add(Signal.CLOSE);
    if (running == null || running == Thread.currentThread()) {
      return;
    }
    try {
      running.join(settings.connectTimeout().multipliedBy(4).plusSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "cloud link to " + settings.brokerUri() + " as " + settings.lockerId() + ": " + status;
  }

  /** The waits the link drew before its last connection attempts, oldest first (for tests). */
  List<Duration> scheduledDelays() {
    synchronized (recentDelays) {
      return List.copyOf(recentDelays);
    }
  }

  // --- the link's thread ----------------------------------------------------------------------

  private void run() {
    Backoff backoff = new Backoff(settings.backoff(), jitter);
    try {
      while (true) {
        Optional<Connection> connected = connect();
        if (connected.isPresent()) {
          backoff.reset();
          Optional<String> lost = awaitLoss(connected.get());
          if (lost.isEmpty()) {
            return;
          }
        }
        if (isClosed()) {
          return;
        }
        Duration delay = backoff.next();
        remember(delay);
        Instant due = settings.clock().instant().plus(delay);
        status =
            new Status(
                false, status.since(), status.lastProblem(), Optional.of(due), status.reconnects());
        log.info(
            "cloud link: next connection attempt to {} in {} ms ({})",
            settings.brokerUri(),
            delay.toMillis(),
            status.lastProblem().orElse("not connected"));
        if (awaitClose(delay)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutDown();
    }
  }

  /** One connection attempt; the connection, or empty with the problem in the status. */
  private Optional<Connection> connect() {
    if (isClosed()) {
      return Optional.empty();
    }
    MqttAsyncClient client;
    try {
      client =
          new MqttAsyncClient(settings.brokerUri(), settings.lockerId(), new MemoryPersistence());
    } catch (MqttException e) {
      failedAttempt(describe(e));
      return Optional.empty();
    }
    Connection connection = new Connection(client);
    client.setCallback(connection);
    long timeout = settings.connectTimeout().toMillis();
    try {
      IMqttToken connect = client.connect(options());
      connect.waitForCompletion(timeout);
      boolean sessionPresent = connect.getSessionPresent();
      IMqttToken subscribe = client.subscribe(commandTopic, 1);
      subscribe.waitForCompletion(timeout);
      int[] granted = subscribe.getGrantedQos();
      if (granted.length > 0 && granted[0] == SUBACK_FAILURE) {
        dispose(client);
        failedAttempt("the broker refused the subscription to " + commandTopic);
        return Optional.empty();
      }
      client.publish(statusTopic, onlineStatus(), 1, true).waitForCompletion(timeout);
      if (connection.lost) {
        throw new MqttException(MqttException.REASON_CODE_CONNECTION_LOST);
      }
      current = connection;
      Instant now = settings.clock().instant();
      status =
          new Status(
              true,
              Optional.of(now),
              status.lastProblem(),
              Optional.empty(),
              status.reconnects() + 1);
      log.info(
          "cloud link connected to {} as {} (broker kept the session: {})",
          settings.brokerUri(),
          settings.lockerId(),
          sessionPresent);
      tell(Listener::connected);
      return Optional.of(connection);
    } catch (MqttException e) {
      dispose(client);
      failedAttempt(describe(e));
      return Optional.empty();
    }
  }

  /**
   * Waits, connected, for the connection to drop or for close(). The reason it dropped, or empty
   * when the link is closing.
   */
  private Optional<String> awaitLoss(Connection connection) throws InterruptedException {
    while (true) {
      Signal signal = signals.take();
      if (signal == Signal.CLOSE) {
        return Optional.empty();
      }
      if (signal instanceof Lost lost && lost.connection() == connection) {
        current = null;
        dispose(connection.client);
        Instant now = settings.clock().instant();
        status =
            new Status(
                false,
                Optional.of(now),
                Optional.of(lost.reason()),
                Optional.empty(),
                status.reconnects());
        log.info("cloud link to {} lost: {}; reconnecting", settings.brokerUri(), lost.reason());
        tell(l -> l.disconnected(lost.reason()));
        return Optional.of(lost.reason());
      }
      // A loss reported by a connection the link has already let go of.
    }
  }

  /** Waits out a backoff delay; true if close() came meanwhile. */
  private boolean awaitClose(Duration delay) throws InterruptedException {
    long deadline = System.nanoTime() + delay.toNanos();
    while (true) {
      Signal signal = signals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (signal == null) {
        return isClosed();
      }
      if (signal == Signal.CLOSE) {
        return true;
      }
    }
  }

  private void shutDown() {
    Connection connection = current;
    current = null;
    if (connection != null) {
      goodbye(connection);
    }
    Status last = status;
    status =
        new Status(
            false,
            connection != null ? Optional.of(settings.clock().instant()) : last.since(),
            last.lastProblem(),
            Optional.empty(),
            last.reconnects());
    log.info("cloud link to {} closed", settings.brokerUri());
  }

  /** Offline status (retained), then a clean DISCONNECT: the broker keeps the session. */
  private void goodbye(Connection connection) {
    long timeout = settings.connectTimeout().toMillis();
    MqttAsyncClient client = connection.client;
    if (!connection.lost && client.isConnected()) {
      try {
        client.publish(statusTopic, offlineStatus(), 1, true).waitForCompletion(timeout);
        client.disconnect(timeout).waitForCompletion(timeout);
      } catch (MqttException e) {
        log.info("cloud link: no clean goodbye to {} ({})", settings.brokerUri(), describe(e));
      }
    }
    connection.lose("link closed");
    dispose(client);
  }

  private void failedAttempt(String problem) {
    status =
        new Status(
            false, status.since(), Optional.of(problem), Optional.empty(), status.reconnects());
    log.info("cloud link: cannot connect to {}: {}", settings.brokerUri(), problem);
  }

  private MqttConnectOptions options() {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(false);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
    options.setConnectionTimeout((int) settings.connectTimeout().toSeconds());
    options.setMaxInflight(settings.maxInflight() * 2);
    options.setWill(statusTopic, json(Map.of("online", false)), 1, true);
    options.setSocketFactory(
        settings.tls().<SocketFactory>map(PatientSockets::tls).orElseGet(PatientSockets::plain));
    options.setHttpsHostnameVerificationEnabled(true);
    return options;
  }

  private byte[] onlineStatus() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("online", true);
    status.put("firmware", settings.firmware());
    status.put("at", now());
    return json(status);
  }

  private byte[] offlineStatus() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("online", false);
    status.put("at", now());
    return json(status);
  }

  private String now() {
    return settings.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static byte[] json(Map<String, Object> fields) {
    try {
      return JSON.writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("booleans and strings always serialise", e);
    }
  }

  private void remember(Duration delay) {
    synchronized (recentDelays) {
      if (recentDelays.size() == RECENT_DELAYS) {
        recentDelays.removeFirst();
      }
      recentDelays.addLast(delay);
    }
  }

  private boolean isClosed() {
    synchronized (lifecycle) {
      return closed;
    }
  }

  private void tell(Consumer<Listener> event) {
    try {
      event.accept(listener);
    } catch (RuntimeException e) {
      log.warn("cloud link listener failed: {}", e.toString());
    }
  }

  /**
   * Ends a Paho client and its threads, whatever state it is in (paho.mqtt.java #402: close() after
   * disconnect()).
   */
  private static void dispose(MqttAsyncClient client) {
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException e) {
      // The connection is going away either way.
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      try {
        client.disconnectForcibly(0, 1000, false);
        client.close(true);
      } catch (MqttException again) {
        log.debug("cloud link: Paho client not closed ({})", describe(again));
      }
    }
  }

  /**
   * A short reason a technician can act on, from a Paho failure: never a stack trace, never more
   * than a line.
   */
  static String describe(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = Optional.ofNullable(cause.getMessage()).orElse("");
      if (cause instanceof SSLException) {
        if (message.contains("unable to find valid certification path")) {
          return "TLS handshake failed: the broker's certificate is not signed by the pinned CA";
        }
        if (message.contains("No subject alternative") || message.contains("No name matching")) {
          return "TLS handshake failed: the broker's certificate does not name this host";
        }
        return shorten("TLS handshake failed: " + message);
      }
      if (cause instanceof ConnectException) {
        return "connection refused";
      }
      if (cause instanceof SocketTimeoutException) {
        return "connect timed out";
      }
      if (cause instanceof UnknownHostException) {
        return shorten("unknown host " + message);
      }
      if (cause instanceof EOFException) {
        return "connection closed by the broker";
      }
      if (cause instanceof SocketException) {
        return shorten("network error: " + message);
      }
    }
    if (failure instanceof MqttException mqtt) {
      return switch (mqtt.getReasonCode()) {
        case MqttException.REASON_CODE_INVALID_CLIENT_ID -> "the broker refused the client id";
        case MqttException.REASON_CODE_BROKER_UNAVAILABLE -> "the broker is unavailable";
        case MqttException.REASON_CODE_FAILED_AUTHENTICATION ->
            "the broker refused the credentials";
        case MqttException.REASON_CODE_NOT_AUTHORIZED -> "not authorised by the broker";
        case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "no answer from the broker in time";
        case MqttException.REASON_CODE_CONNECTION_LOST -> "connection lost";
        case MqttException.REASON_CODE_SERVER_CONNECT_ERROR -> "cannot connect to the broker";
        case MqttException.REASON_CODE_MAX_INFLIGHT -> "too many publishes in progress";
        case MqttException.REASON_CODE_CLIENT_NOT_CONNECTED -> "not connected";
        default -> "MQTT error " + mqtt.getReasonCode();
      };
    }
    return shorten(failure.getClass().getSimpleName() + ": " + failure.getMessage());
  }

  private static String shorten(String reason) {
    String line = reason.lines().findFirst().orElse("");
    return line.length() <= MAX_REASON ? line : line.substring(0, MAX_REASON - 1) + "…";
  }

  // --- Paho 1.2.5's stuck connect thread ----------------------------------------------------

  /**
   * Sockets whose first read fails no sooner than {@link #FIRST_FAILURE_NOT_BEFORE} after the
   * stream was handed out. Paho 1.2.5's connect thread ("MQTT Con") starts the receiver thread and
   * then polls every 100 ms, without end, until it sees it running ({@code CommsReceiver.start}); a
   * receiver whose first read fails at once (a TLS 1.3 broker's alert for a refused client
   * certificate, a proxy that accepts and closes) has stopped again before the first poll, and the
   * connect thread spins for the life of the process, one per attempt (paho.mqtt.java #850; seen
   * here in PahoCloudLinkTlsIT). Holding that failure back keeps the receiver running across
   * several polls. Connections that live longer are not affected.
   */
  static final class PatientSockets {
    static final Duration FIRST_FAILURE_NOT_BEFORE = Duration.ofMillis(500);
    private static final Duration WRITE_WAITS_FOR_READ_FAILURE = Duration.ofMillis(200);

    private PatientSockets() {}

    static SocketFactory plain() {
      return new SocketFactory() {
        @Override
        public Socket createSocket() {
          return new PatientPlainSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
          Socket socket = createSocket();
          socket.connect(new InetSocketAddress(host, port));
          return socket;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort)
            throws IOException {
          Socket socket = createSocket();
          socket.bind(new InetSocketAddress(local, localPort));
          socket.connect(new InetSocketAddress(host, port));
          return socket;
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
          Socket socket = createSocket();
          socket.connect(new InetSocketAddress(host, port));
          return socket;
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
            throws IOException {
          Socket socket = createSocket();
          socket.bind(new InetSocketAddress(local, localPort));
          socket.connect(new InetSocketAddress(host, port));
          return socket;
        }
      };
    }

    static SSLSocketFactory tls(SSLSocketFactory factory) {
      return new DecoratingSslSocketFactory(factory, PatientSockets::patient);
    }

    private static Socket patient(Socket socket) {
      return socket instanceof SSLSocket ssl ? new PatientSslSocket(ssl) : socket;
    }

    /**
     * Holds back an end of stream or a read failure until the stream is old enough, and tells
     * {@code failed} about the failure at once.
     */
    private static final class PatientInputStream extends FilterInputStream {
      private final long notBefore = System.nanoTime() + FIRST_FAILURE_NOT_BEFORE.toNanos();
      private final Consumer<IOException> failed;

      PatientInputStream(InputStream in, Consumer<IOException> failed) {
        super(in);
        this.failed = failed;
      }

      @Override
      public int read() throws IOException {
        try {
          int b = super.read();
          if (b < 0) {
            waitOut();
          }
          return b;
        } catch (IOException e) {
          failed.accept(e);
          waitOut();
          throw e;
        }
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
          int n = super.read(buffer, offset, length);
          if (n < 0) {
            waitOut();
          }
          return n;
        } catch (IOException e) {
          failed.accept(e);
          waitOut();
          throw e;
        }
      }

      private void waitOut() {
        long left = notBefore - System.nanoTime();
        if (left > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    private static final class PatientPlainSocket extends Socket {
      @Override
      public InputStream getInputStream() throws IOException {
        return new PatientInputStream(super.getInputStream(), failure -> {});
      }
    }

    /**
     * An SSLSocket that is {@code socket} in everything but its streams. While the read side holds
     * back a TLS alert (a refused client certificate), Paho's sender writes CONNECT into the closed
     * connection and would report only "Connection or outbound has closed": a write that fails
     * after a read failed carries the read's failure as its cause.
     */
    private static final class PatientSslSocket extends SSLSocket {
      private final SSLSocket socket;
      private final CountDownLatch readFailed = new CountDownLatch(1);
      private volatile IOException readFailure;

      PatientSslSocket(SSLSocket socket) {
        this.socket = socket;
      }

      @Override
      public InputStream getInputStream() throws IOException {
        return new PatientInputStream(
            socket.getInputStream(),
            failure -> {
              if (readFailure == null) {
                readFailure = failure;
              }
              readFailed.countDown();
            });
      }

      @Override
      public OutputStream getOutputStream() throws IOException {
        OutputStream out;
        try {
          out = socket.getOutputStream();
        } catch (IOException e) {
          // Paho asks for it after starting the receiver, which may have met the alert already.
          throw withReadFailure(e);
        }
        return new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            try {
              out.write(b);
            } catch (IOException e) {
              throw withReadFailure(e);
            }
          }

          @Override
          public void write(byte[] buffer, int offset, int length) throws IOException {
            try {
              out.write(buffer, offset, length);
            } catch (IOException e) {
              throw withReadFailure(e);
            }
          }

          @Override
          public void flush() throws IOException {
            try {
              out.flush();
            } catch (IOException e) {
              throw withReadFailure(e);
            }
          }

          @Override
          public void close() throws IOException {
            out.close();
          }
        };
      }

      private IOException withReadFailure(IOException writeFailure) {
        try {
          // The engine closes the socket a moment before the reader gets the alert.
          readFailed.await(WRITE_WAITS_FOR_READ_FAILURE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        IOException first = readFailure;
        return first == null ? writeFailure : new IOException(writeFailure.getMessage(), first);
      }

      @Override
      public void connect(SocketAddress endpoint) throws IOException {
        socket.connect(endpoint);
      }

      @Override
      public void connect(SocketAddress endpoint, int timeout) throws IOException {
        socket.connect(endpoint, timeout);
      }

      @Override
      public void bind(SocketAddress local) throws IOException {
        socket.bind(local);
      }

      @Override
      public InetAddress getInetAddress() {
        return socket.getInetAddress();
      }

      @Override
      public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
      }

      @Override
      public int getPort() {
        return socket.getPort();
      }

      @Override
      public int getLocalPort() {
        return socket.getLocalPort();
      }

      @Override
      public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
      }

      @Override
      public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
      }

      @Override
      public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
      }

      @Override
      public boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
      }

      @Override
      public void setSoLinger(boolean on, int linger) throws SocketException {
        socket.setSoLinger(on, linger);
      }

      @Override
      public int getSoLinger() throws SocketException {
        return socket.getSoLinger();
      }

      @Override
      public void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
      }

      @Override
      public int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
      }

      @Override
      public void setKeepAlive(boolean on) throws SocketException {
        socket.setKeepAlive(on);
      }

      @Override
      public boolean getKeepAlive() throws SocketException {
        return socket.getKeepAlive();
      }

      @Override
      public void setSendBufferSize(int size) throws SocketException {
        socket.setSendBufferSize(size);
      }

      @Override
      public int getSendBufferSize() throws SocketException {
        return socket.getSendBufferSize();
      }

      @Override
      public void setReceiveBufferSize(int size) throws SocketException {
        socket.setReceiveBufferSize(size);
      }

      @Override
      public int getReceiveBufferSize() throws SocketException {
        return socket.getReceiveBufferSize();
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }

      @Override
      public void shutdownInput() throws IOException {
        socket.shutdownInput();
      }

      @Override
      public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
      }

      @Override
      public boolean isConnected() {
        return socket.isConnected();
      }

      @Override
      public boolean isBound() {
        return socket.isBound();
      }

      @Override
      public boolean isClosed() {
        return socket.isClosed();
      }

      @Override
      public boolean isInputShutdown() {
        return socket.isInputShutdown();
      }

      @Override
      public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        return socket.getSupportedCipherSuites();
      }

      @Override
      public String[] getEnabledCipherSuites() {
        return socket.getEnabledCipherSuites();
      }

      @Override
      public void setEnabledCipherSuites(String[] suites) {
        socket.setEnabledCipherSuites(suites);
      }

      @Override
      public String[] getSupportedProtocols() {
        return socket.getSupportedProtocols();
      }

      @Override
      public String[] getEnabledProtocols() {
        return socket.getEnabledProtocols();
      }

      @Override
      public void setEnabledProtocols(String[] protocols) {
        socket.setEnabledProtocols(protocols);
      }

      @Override
      public SSLSession getSession() {
        return socket.getSession();
      }

      @Override
      public SSLSession getHandshakeSession() {
        return socket.getHandshakeSession();
      }

      @Override
      public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        socket.addHandshakeCompletedListener(listener);
      }

      @Override
      public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        socket.removeHandshakeCompletedListener(listener);
      }

      @Override
      public void startHandshake() throws IOException {
        socket.startHandshake();
      }

      @Override
      public void setUseClientMode(boolean mode) {
        socket.setUseClientMode(mode);
      }

      @Override
      public boolean getUseClientMode() {
        return socket.getUseClientMode();
      }

      @Override
      public void setNeedClientAuth(boolean need) {
        socket.setNeedClientAuth(need);
      }

      @Override
      public boolean getNeedClientAuth() {
        return socket.getNeedClientAuth();
      }

      @Override
      public void setWantClientAuth(boolean want) {
        socket.setWantClientAuth(want);
      }

      @Override
      public boolean getWantClientAuth() {
        return socket.getWantClientAuth();
      }

      @Override
      public void setEnableSessionCreation(boolean flag) {
        socket.setEnableSessionCreation(flag);
      }

      @Override
      public boolean getEnableSessionCreation() {
        return socket.getEnableSessionCreation();
      }

      @Override
      public SSLParameters getSSLParameters() {
        return socket.getSSLParameters();
      }

      @Override
      public void setSSLParameters(SSLParameters parameters) {
        socket.setSSLParameters(parameters);
      }

      @Override
      public String getApplicationProtocol() {
        return socket.getApplicationProtocol();
      }

      @Override
      public String getHandshakeApplicationProtocol() {
        return socket.getHandshakeApplicationProtocol();
      }

      @Override
      public String toString() {
        return socket.toString();
      }
    }
  }

  // --- one connection -------------------------------------------------------------------------

  /** What the link's thread waits for. */
  private sealed interface Signal permits Close, Lost {
    Close CLOSE = new Close();
  }

  private record Close() implements Signal {}

  private record Lost(Connection connection, String reason) implements Signal {}

  /**
   * One Paho client and one MQTT connection, with the futures of its unconfirmed publishes. A
   * future is settled exactly once, by whoever removes it from {@code pending}: its token's
   * listener, or {@link #lose} when the connection ends.
   */
  private final class Connection implements MqttCallback {
    final MqttAsyncClient client;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unconfirmedQos1 = new AtomicInteger();
    private volatile boolean lost;

    Connection(MqttAsyncClient client) {
      this.client = client;
    }

    CompletableFuture<Void> publish(String topic, byte[] payload, int qos) {
      CompletableFuture<Void> future = new CompletableFuture<>();
      if (qos > 0 && unconfirmedQos1.incrementAndGet() > settings.maxInflight()) {
        unconfirmedQos1.decrementAndGet();
        future.completeExceptionally(
            new NotDelivered(
                "too many unconfirmed publishes (" + settings.maxInflight() + " in flight)"));
        return future;
      }
      pending.add(future);
      // lose() sets lost, then empties pending: either it sees this future or this sees lost.
      if (lost) {
        settle(future, qos, new NotDelivered("not connected"));
        return future;
      }
      try {
        client.publish(
            topic,
            payload,
            qos,
            false,
            null,
            new IMqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                settle(future, qos, null);
              }

              @Override
              public void onFailure(IMqttToken token, Throwable failure) {
                settle(
                    future,
                    qos,
                    new NotDelivered("not confirmed by the broker: " + describe(failure)));
              }
            });
      } catch (MqttException e) {
        settle(future, qos, new NotDelivered(describe(e)));
      } catch (RuntimeException e) {
        // Paho 1.2.5 throws unchecked exceptions from a client that is being closed.
        settle(future, qos, new NotDelivered("not connected"));
      }
      return future;
    }

    private void settle(CompletableFuture<Void> future, int qos, NotDelivered failure) {
      if (!pending.remove(future)) {
        return;
      }
      if (qos > 0) {
        unconfirmedQos1.decrementAndGet();
      }
      if (failure == null) {
        future.complete(null);
      } else {
        future.completeExceptionally(failure);
      }
    }

    /** Fails every unconfirmed publish: whether the broker got them is unknown. */
    void lose(String reason) {
      lost = true;
      for (CompletableFuture<Void> future : List.copyOf(pending)) {
        if (pending.remove(future)) {
          future.completeExceptionally(new NotDelivered("not confirmed by the broker: " + reason));
        }
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      String reason = describe(cause);
      lose(reason);
      signals.add(new Lost(this, reason));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (!commandTopic.equals(topic)) {
        log.debug("cloud link: ignored a message on {}", topic);
        return;
      }
      try {
        listener.command(message.getPayload());
      } catch (RuntimeException e) {
        // Thrown out of here, Paho would drop the connection; the payload is not logged.
        log.warn("cloud link: the command listener failed: {}", e.toString());
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // Futures complete through each publish's action listener.
    }
  }
}
