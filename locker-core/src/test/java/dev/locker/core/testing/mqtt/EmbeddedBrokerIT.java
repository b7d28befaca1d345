package dev.locker.core.testing.mqtt;

import static dev.locker.core.testing.mqtt.MosquittoBrokerIT.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Moquette in this JVM: the same QoS 1 round trip as against Mosquitto, and a clean close. */
@Timeout(60)
class EmbeddedBrokerIT {
  private static final String EVENTS = "locker/v1/LCK-0001/event";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path folder;
  private EmbeddedBroker broker;

  @BeforeEach
  void startBroker() throws Exception {
    broker = EmbeddedBroker.start(folder);
  }

  @AfterEach
  void closeBroker() {
    broker.close();
  }

  @Test
  void everyQoS1Publish_reachesThePersistentSubscriberInOrder() throws Exception {
    List<String> events = numbered("event", 200);
    try (MqttProbe cloud = MqttProbe.connect(broker.uri(), "cloud", MqttProbe.Settings.PERSISTENT);
        MqttProbe locker =
            MqttProbe.connect(broker.uri(), "LCK-0001", MqttProbe.Settings.PERSISTENT)) {
      cloud.subscribe(EVENTS, 1);

      for (String event : events) {
        locker.publish(EVENTS, event, 1);
      }

      assertThat(cloud.awaitMessages(events.size(), WAIT)).containsExactlyElementsOf(events);
    }
  }

  @Test
  void closedBroker_leavesNothingListeningAndNoBrokerOrPahoThreads() throws Exception {
    int port = broker.port();
    try (MqttProbe probe =
        MqttProbe.connect(broker.uri(), "probe", MqttProbe.Settings.PERSISTENT)) {
      probe.publish(EVENTS, "one", 1);
    }
    assertThat(moquetteThreads()).as("broker threads while it runs").isNotEmpty();

    broker.close();

    assertThat(broker.isRunning()).isFalse();
    assertThat(FreePort.isListening(port)).as("port " + port + " after close").isFalse();
    Waiting.until(
        () -> MqttProbe.livePahoThreads().isEmpty(),
        WAIT,
        () -> "Paho threads left: " + MqttProbe.livePahoThreads());
    Waiting.until(
        () -> moquetteThreads().isEmpty(), WAIT, () -> "broker threads left: " + moquetteThreads());
  }

  /** Moquette 0.17's own threads: Netty event loops and its session executors. */
  private static List<String> moquetteThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("nioEventLoopGroup") || name.startsWith("Session Executor"))
        .toList();
  }
}
