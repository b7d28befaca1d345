package dev.locker.core.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.testing.ChildJvm;
import dev.locker.core.testing.mqtt.MosquittoBroker;
import dev.locker.core.testing.mqtt.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 events through every outage the issue names, against a real Mosquitto: the broker killed
 * and restarted, the network between locker and broker cut by a proxy, the locker process SIGKILLed
 * and started again. The cloud's side must see every seq from 1 to 10,000, each new one in order, a
 * repeat only of events whose confirmation was lost.
 */
class CloudOutageIT {
  private static final String LOCKER = "LCK-OUTAGE-1";
  private static final int TOTAL = 10_000;
  private static final int WINDOW = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** The cloud's side: a persistent-session subscriber that reconnects until closed. */
  private static final class Cloud implements MqttCallback, AutoCloseable {
    private final MqttClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final List<Long> arrivals = new ArrayList<>();
    private final Set<Long> distinct = new TreeSet<>();
    private final Thread keeper;
    private volatile boolean open = true;

    Cloud(String uri) throws MqttException {
      client = new MqttClient(uri, "cloud-receiver", new MemoryPersistence());
      options.setCleanSession(false);
      options.setAutomaticReconnect(false);
      options.setKeepAliveInterval(2);
      options.setConnectionTimeout(2);
      options.setMaxInflight(1000);
      client.setCallback(this);
      client.connect(options);
      client.subscribe("locker/v1/" + LOCKER + "/event", 1);
      keeper = new Thread(this::keepConnected, "cloud-receiver-keeper");
      keeper.setDaemon(true);
      keeper.start();
    }

    private void keepConnected() {
      while (open) {
        if (!client.isConnected()) {
          try {
            client.connect(options);
          } catch (MqttException e) {
            // The broker is down; try again shortly.
          }
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      long seq =
          JSON.readTree(new String(message.getPayload(), StandardCharsets.UTF_8))
              .get("seq")
              .asLong();
      synchronized (this) {
        arrivals.add(seq);
        distinct.add(seq);
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    synchronized int distinctCount() {
      return distinct.size();
    }

    synchronized List<Long> arrivals() {
      return List.copyOf(arrivals);
    }

    @Override
    public void close() throws MqttException {
      open = false;
      keeper.interrupt();
      try {
        keeper.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (client.isConnected()) {
        client.disconnect(1000);
      }
      client.close(true);
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private ChildJvm startLocker(Path db, String uri) throws Exception {
    return ChildJvm.start(
        OutageLocker.class,
        dir.resolve("locker.err"),
        List.of("-Xmx256m"),
        db.toString(),
        uri,
        LOCKER,
        Integer.toString(TOTAL));
  }

  @Test
  void everySeqArrivesThroughBrokerKillNetworkCutAndLockerKill() throws Exception {
    MosquittoBroker.requireMosquitto();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"));
        TcpProxy proxy = TcpProxy.to(broker.port())) {
      Cloud cloud = new Cloud(broker.uri());
      // A clean stop writes the cloud's session to disk, so that it survives the kill below.
      broker.stop();
      broker.restart();
      await("the cloud is back", Duration.ofSeconds(10), cloud.client::isConnected);
      Path db = dir.resolve("locker.db");
      ChildJvm locker = startLocker(db, proxy.uri());
      try {
        await("2,000 events arrived", Duration.ofSeconds(60), () -> cloud.distinctCount() >= 2000);
        broker.kill();
        Thread.sleep(500);
        broker.restart();

        await("4,500 events arrived", Duration.ofSeconds(60), () -> cloud.distinctCount() >= 4500);
        proxy.cut();
        Thread.sleep(1000);
        proxy.restore();

        await("7,000 events arrived", Duration.ofSeconds(60), () -> cloud.distinctCount() >= 7000);
        locker.kill();
        locker = startLocker(db, proxy.uri());

        ChildJvm running = locker;
        await(
            "the locker emitted every event and its outbox is empty",
            Duration.ofSeconds(120),
            () -> running.lines().contains("drained"));
        await(
            "the cloud saw 10,000 events",
            Duration.ofSeconds(30),
            () -> cloud.distinctCount() >= TOTAL);
      } finally {
        locker.close();
        cloud.close();
      }

      List<Long> arrivals = cloud.arrivals();
      TreeSet<Long> seen = new TreeSet<>();
      long highest = 0;
      int duplicates = 0;
      for (long seq : arrivals) {
        if (!seen.add(seq)) {
          duplicates++;
          continue;
        }
        assertThat(seq).as("a new event comes right after the highest seen").isEqualTo(highest + 1);
        highest = seq;
      }
      assertThat(seen).hasSize(TOTAL);
      assertThat(seen.first()).isEqualTo(1L);
      assertThat(seen.last()).isEqualTo((long) TOTAL);
      // Each outage can repeat at most what was unconfirmed when it struck: the window.
      assertThat(duplicates).as("duplicates").isLessThanOrEqualTo(3 * WINDOW);
      System.out.printf(
          "CloudOutageIT: %d arrivals, %d distinct, %d duplicates%n",
          arrivals.size(), seen.size(), duplicates);
    }
  }
}
