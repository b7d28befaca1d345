package dev.locker.core.testing.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real broker: persistent sessions across a clean restart and a kill, and a clean close. */
@Timeout(60)
class MosquittoBrokerIT {
  private static final String EVENTS = "locker/v1/LCK-0001/event";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path folder;
  private MosquittoBroker broker;

  @BeforeEach
  void startBroker() throws Exception {
    broker = MosquittoBroker.start(folder);
  }

  @AfterEach
  void closeBroker() throws Exception {
    broker.close();
    Waiting.until(
        () -> MqttProbe.livePahoThreads().isEmpty(),
        WAIT,
        () -> "Paho threads left: " + MqttProbe.livePahoThreads());
  }

  @Test
  void offlinePersistentSubscriber_brokerStoppedAndRestarted_receivesEveryQueuedMessageInOrder()
      throws Exception {
    // given a cloud subscriber with a persistent session that has gone offline
    try (MqttProbe cloud =
        MqttProbe.connect(broker.uri(), "cloud", MqttProbe.Settings.PERSISTENT)) {
      cloud.subscribe(EVENTS, 1);
    }
    // and 20 QoS 1 events the broker acknowledged while it was away
    List<String> events = numbered("event", 20);
    try (MqttProbe locker =
        MqttProbe.connect(broker.uri(), "LCK-0001", MqttProbe.Settings.PERSISTENT)) {
      for (String event : events) {
        locker.publish(EVENTS, event, 1);
      }
    }

    // when the broker stops cleanly and starts again on the same port
    int port = broker.port();
    broker.stop();
    assertThat(FreePort.isListening(port)).as("stopped broker's port").isFalse();
    broker.restart();

    // then the subscriber finds its session and receives every event, in order
    assertThat(broker.port()).isEqualTo(port);
    try (MqttProbe cloud =
        MqttProbe.connect(broker.uri(), "cloud", MqttProbe.Settings.PERSISTENT)) {
      assertThat(cloud.sessionPresent()).as("session present after restart").isTrue();
      assertThat(cloud.awaitMessages(events.size(), WAIT)).containsExactlyElementsOf(events);
    }
  }

  @Test
  void killedBroker_restarts_withTheStateOfItsLastCleanStop() throws Exception {
    // given a persistent subscription that a clean stop has written to the persistence file
    try (MqttProbe cloud =
        MqttProbe.connect(broker.uri(), "cloud", MqttProbe.Settings.PERSISTENT)) {
      cloud.subscribe(EVENTS, 1);
    }
    broker.restart();
    // and events queued for the offline subscriber after that stop
    try (MqttProbe locker =
        MqttProbe.connect(broker.uri(), "LCK-0001", MqttProbe.Settings.PERSISTENT)) {
      for (String event : numbered("lost", 5)) {
        locker.publish(EVENTS, event, 1);
      }
    }

    // when the broker is killed (Autosave.ON_CLEAN_STOP_ONLY) and started again
    broker.kill();
    assertThat(broker.isRunning()).isFalse();
    broker.restart();

    // then the session and subscription came back, the queued events did not: the first message
    // the subscriber gets is one published after the restart
    try (MqttProbe cloud =
        MqttProbe.connect(broker.uri(), "cloud", MqttProbe.Settings.PERSISTENT)) {
      assertThat(cloud.sessionPresent()).as("session present after kill").isTrue();
      try (MqttProbe locker =
          MqttProbe.connect(broker.uri(), "LCK-0001", MqttProbe.Settings.PERSISTENT)) {
        locker.publish(EVENTS, "after-restart", 1);
      }
      assertThat(cloud.awaitMessages(1, WAIT)).containsExactly("after-restart");
    }
  }

  @Test
  void closedBroker_leavesNothingListeningAndNoProcess() throws Exception {
    int port = broker.port();
    long pid = broker.pid().orElseThrow();
    try (MqttProbe probe =
        MqttProbe.connect(broker.uri(), "probe", MqttProbe.Settings.PERSISTENT)) {
      assertThat(probe.isConnected()).isTrue();
    }

    broker.close();

    assertThat(FreePort.isListening(port)).as("port " + port + " after close").isFalse();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid " + pid).isEmpty();
    assertThat(broker.log()).content().contains("mosquitto version");
  }

  static List<String> numbered(String prefix, int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + "-" + i).toList();
  }
}
