package dev.locker.core.cloud;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The cloud's side of the link in tests: a blocking Paho client that records every message with its
 * topic, QoS and retain flag (MqttProbe keeps payloads only). Clean session: each recorder starts
 * fresh, so a retained message shows up with {@code retained = true} on subscribe.
 */
final class CloudRecorder implements AutoCloseable {

  /** One message as the cloud received it. */
  record Received(String topic, String payload, int qos, boolean retained) {}

  private final MqttClient client;
  private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();

  private CloudRecorder(MqttClient client) {
    this.client = client;
  }

  /** Connects as {@code clientId} and subscribes to each filter at QoS 1. */
  static CloudRecorder connect(String uri, String clientId, String... filters)
      throws MqttException {
    return connect(uri, clientId, Optional.empty(), filters);
  }

  static CloudRecorder connect(
      String uri, String clientId, Optional<SocketFactory> tls, String... filters)
      throws MqttException {
    MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
    client.setTimeToWait(10_000);
    CloudRecorder recorder = new CloudRecorder(client);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            recorder.inbox.add(
                new Received(
                    topic,
                    new String(message.getPayload(), StandardCharsets.UTF_8),
                    message.getQos(),
                    message.isRetained()));
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setMaxInflight(1000);
    tls.ifPresent(options::setSocketFactory);
    try {
      client.connect(options);
      for (String filter : filters) {
        client.subscribe(filter, 1);
      }
    } catch (MqttException e) {
      recorder.close();
      throw e;
    }
    return recorder;
  }

  /** Publishes UTF-8 {@code payload}, not retained, waiting for PUBACK at QoS 1. */
  void publish(String topic, String payload, int qos) throws MqttException {
    client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
  }

  /** The next {@code count} messages, in arrival order; fewer on timeout. */
  List<Received> await(int count, Duration timeout) throws InterruptedException {
    List<Received> received = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < count) {
      Received next = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      received.add(next);
    }
    return received;
  }

  /** The first message that matches, skipping others, if one comes within {@code timeout}. */
  Optional<Received> awaitFirst(Predicate<Received> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Received next = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next == null) {
        return Optional.empty();
      }
      if (match.test(next)) {
        return Optional.of(next);
      }
    }
  }

  /** Everything received so far and not yet taken. */
  List<Received> drain() {
    List<Received> all = new ArrayList<>();
    inbox.drainTo(all);
    return all;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(1000);
      }
    } catch (MqttException e) {
      // Closing below is what matters.
    } finally {
      try {
        client.close(true);
      } catch (MqttException e) {
        // Not connected any more: close(true) does not throw then.
      }
    }
  }
}
