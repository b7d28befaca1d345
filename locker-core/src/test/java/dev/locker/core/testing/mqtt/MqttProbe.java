package dev.locker.core.testing.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A Paho mqttv3 1.2.5 client for tests on the far side of the cloud link (the cloud, or a stand-in
 * for the locker): it records every message that arrives and every lost connection.
 *
 * <p>Blocking: every call waits for the broker's answer (CONNACK, SUBACK, PUBACK) up to {@link
 * Settings#actionTimeout()}. Persistence is in memory ({@code MemoryPersistence}): Paho's default
 * constructor would create lock folders in the working directory (paho.mqtt.java #635). Paho's
 * automatic reconnect is off: a probe reconnects only when the test calls {@link #reconnect()}.
 */
public final class MqttProbe implements AutoCloseable {

  /**
   * @param cleanSession false for a persistent session (contracts/mqtt.md)
   * @param keepAlive MQTT keepalive; whole seconds, at least 1 (Paho's unit)
   * @param connectTimeout how long a connect waits for CONNACK
   * @param actionTimeout how long any blocking call waits
   */
  public record Settings(
      boolean cleanSession, Duration keepAlive, Duration connectTimeout, Duration actionTimeout) {
    /** A persistent session, 5 s keepalive, 5 s timeouts. */
    public static final Settings PERSISTENT =
        new Settings(false, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

    public Settings withKeepAlive(Duration keepAlive) {
      return new Settings(cleanSession, keepAlive, connectTimeout, actionTimeout);
    }
  }

  /** Prefix of the names Paho 1.2.5 gives its threads ("MQTT Rec: id", "MQTT Ping: id", …). */
  public static final String PAHO_THREAD_PREFIX = "MQTT";

  private static final int MAX_INFLIGHT = 1000;

  private final MqttClient client;
  private final MqttConnectOptions options;
  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
  private final BlockingQueue<Throwable> losses = new LinkedBlockingQueue<>();
  private final AtomicInteger lossCount = new AtomicInteger();
  private volatile boolean sessionPresent;

  private MqttProbe(MqttClient client, MqttConnectOptions options) {
    this.client = client;
    this.options = options;
  }

  /** A probe named {@code clientId}, connected to {@code uri}. */
  public static MqttProbe connect(String uri, String clientId, Settings settings)
      throws MqttException {
    MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
    client.setTimeToWait(settings.actionTimeout().toMillis());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(settings.cleanSession());
    options.setKeepAliveInterval((int) Math.max(1, settings.keepAlive().toSeconds()));
    options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
    options.setAutomaticReconnect(false);
    // Paho 1.2.5 completes a QoS 1 publish's token when PUBACK arrives but frees its in-flight slot
    // later, on its callback thread: with the default limit of 10, back-to-back blocking publishes
    // on a busy machine sometimes fail with 32202 "Too many publishes in progress" (seen here once
    // in about ten runs of 200 publishes).
    options.setMaxInflight(MAX_INFLIGHT);
    MqttProbe probe = new MqttProbe(client, options);
    client.setCallback(probe.new Recorder());
    try {
      probe.sessionPresent = client.connectWithResult(options).getSessionPresent();
    } catch (MqttException e) {
      probe.close();
      throw e;
    }
    return probe;
  }

  /** Subscribes and waits for SUBACK. */
  public void subscribe(String topicFilter, int qos) throws MqttException {
    client.subscribe(topicFilter, qos);
  }

  /** Publishes UTF-8 {@code payload}, not retained, and waits for PUBACK (QoS 1) or the send. */
  public void publish(String topic, String payload, int qos) throws MqttException {
    client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
  }

  /** One connect attempt with the probe's options, as a client retries after a lost connection. */
  public void reconnect() throws MqttException {
    sessionPresent = client.connectWithResult(options).getSessionPresent();
  }

  /** Whether the broker said, in the last CONNACK, that it had kept a session for this client. */
  public boolean sessionPresent() {
    return sessionPresent;
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /** The payloads of the next {@code count} messages, in arrival order; fewer on timeout. */
  public List<String> awaitMessages(int count, Duration timeout) throws InterruptedException {
    List<String> received = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < count) {
      String next = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      received.add(next);
    }
    return received;
  }

  /** The cause Paho reported with the next lost connection, if one comes within {@code timeout}. */
  public Optional<Throwable> awaitConnectionLost(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(losses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** How many times Paho has called connectionLost. */
  public int connectionLosses() {
    return lossCount.get();
  }

  /**
   * Disconnects if connected (a clean DISCONNECT: a persistent session stays on the broker), then
   * closes the client, which ends its threads (paho.mqtt.java #402: close() after disconnect()).
   */
  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(1000);
      }
    } catch (MqttException e) {
      // Closing below is what matters; the connection is gone either way.
    } finally {
      try {
        client.close(true);
      } catch (MqttException e) {
        // close(true) only throws for a client still connecting or connected; it is not.
      }
    }
  }

  /** Names of live threads that Paho started ("MQTT …"). */
  public static Set<String> livePahoThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(PAHO_THREAD_PREFIX))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private final class Recorder implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      lossCount.incrementAndGet();
      losses.add(cause);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      inbox.add(new String(message.getPayload(), StandardCharsets.UTF_8));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
