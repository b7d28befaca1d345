package dev.locker.core.cloud;

import static dev.locker.core.cloud.Eventually.WAIT;
import static dev.locker.core.cloud.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.locker.core.application.port.CloudLink;
import dev.locker.core.application.port.CloudLink.Channel;
import dev.locker.core.cloud.CloudRecorder.Received;
import dev.locker.core.testing.mqtt.EmbeddedBroker;
import dev.locker.core.testing.mqtt.FreePort;
import dev.locker.core.testing.mqtt.MosquittoBroker;
import dev.locker.core.testing.mqtt.MqttProbe;
import dev.locker.core.testing.mqtt.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The Paho cloud link against real brokers on loopback: Moquette in this JVM and a Mosquitto
 * process, with a {@link TcpProxy} where the locker's network has to break. Plain TCP ({@code
 * insecurePlaintext}); TLS is {@link PahoCloudLinkTlsIT}.
 */
@Timeout(120)
class PahoCloudLinkIT {
  private static final String ID = "LCK-0001";
  private static final String STATUS = "locker/v1/LCK-0001/status";
  private static final String EVENT = "locker/v1/LCK-0001/event";
  private static final String TELEMETRY = "locker/v1/LCK-0001/telemetry";
  private static final String CMD = "locker/v1/LCK-0001/cmd";
  private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Backoff.Settings QUICK =
      new Backoff.Settings(Duration.ofMillis(50), Duration.ofMillis(400));

  /** The brokers a test runs against. */
  enum Broker {
    MOQUETTE,
    MOSQUITTO
  }

  @TempDir Path folder;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAllAndCheckThreads() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    until(
        () -> MqttProbe.livePahoThreads().isEmpty(),
        () -> "Paho threads left: " + MqttProbe.livePahoThreads());
    until(() -> !cloudLinkThreadAlive(), () -> "the cloud-link thread is still alive");
  }

  // --- connecting, status, publishing ---------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Broker.class)
  void connected_announcesRetainedOnlineWithFirmware_thenEventsGoAtQos1AndTelemetryAtQos0(
      Broker kind) throws Exception {
    String uri = start(kind);
    RecordingListener listener = new RecordingListener();
    PahoCloudLink link = link(uri);

    link.start(listener);
    until(() -> listener.connects.get() == 1, () -> "connected() " + link.status());

    CloudRecorder cloud = recorder(uri, STATUS, EVENT, TELEMETRY);
    assertThat(cloud.await(1, WAIT))
        .singleElement()
        .satisfies(
            online ->
                assertRetained(
                    kind,
                    online,
                    "{\"online\":true,\"firmware\":\"1.4.2\",\"at\":\"2026-11-22T10:15:30Z\"}"));

    link.publish(Channel.EVENT, bytes("{\"seq\":1}")).get(10, TimeUnit.SECONDS);
    link.publish(Channel.TELEMETRY, bytes("{\"health\":\"ok\"}")).get(10, TimeUnit.SECONDS);

    assertThat(cloud.await(2, WAIT))
        .containsExactly(
            new Received(EVENT, "{\"seq\":1}", 1, false),
            new Received(TELEMETRY, "{\"health\":\"ok\"}", 0, false));
    CloudLink.Status status = link.status();
    assertThat(status.connected()).isTrue();
    assertThat(status.since()).contains(NOW);
    assertThat(status.reconnects()).isEqualTo(1);
    assertThat(status.nextAttempt()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Broker.class)
  void cleanClose_leavesRetainedOfflineAndNoThreads(Broker kind) throws Exception {
    String uri = start(kind);
    RecordingListener listener = new RecordingListener();
    PahoCloudLink link = link(uri);
    link.start(listener);
    until(() -> listener.connects.get() == 1, link::toString);

    link.close();

    assertThat(link.status().connected()).isFalse();
    assertThat(cloudLinkThreadAlive()).as("cloud-link thread after close").isFalse();
    until(() -> MqttProbe.livePahoThreads().isEmpty(), () -> "" + MqttProbe.livePahoThreads());
    assertThat(recorder(uri, STATUS).await(1, WAIT))
        .singleElement()
        .satisfies(
            offline ->
                assertRetained(
                    kind, offline, "{\"online\":false,\"at\":\"2026-11-22T10:15:30Z\"}"));
    assertThat(link.publish(Channel.EVENT, bytes("late"))).isCompletedExceptionally();
  }

  @ParameterizedTest
  @EnumSource(Broker.class)
  void lockersConnectionCut_brokerPublishesTheRetainedWill_andTheLinkComesBackOnline(Broker kind)
      throws Exception {
    String uri = start(kind);
    TcpProxy proxy = proxy(uri);
    RecordingListener listener = new RecordingListener();
    PahoCloudLink link = link(proxy.uri());
    link.start(listener);
    until(() -> listener.connects.get() == 1, link::toString);

    CloudRecorder watching = recorder(uri, STATUS);
    assertThat(watching.awaitFirst(m -> m.payload().contains("\"online\":true"), WAIT)).isPresent();

    // when the locker's network is cut
    proxy.cut();

    // then the broker announces it offline with the last will, retained
    until(() -> listener.disconnects.size() == 1, link::toString);
    assertThat(watching.awaitFirst(m -> m.payload().equals("{\"online\":false}"), WAIT))
        .as("the will, live")
        .isPresent();
    if (kind == Broker.MOSQUITTO) {
      // Moquette 0.17 publishes the will but does not retain it: a new subscriber still gets the
      // last retained online status there.
      assertThat(recorder(uri, STATUS).await(1, WAIT))
          .as("the will, retained for a new subscriber")
          .singleElement()
          .satisfies(will -> assertRetained(kind, will, "{\"online\":false}"));
    }
    assertThat(link.status().connected()).isFalse();
    assertThat(link.status().lastProblem()).isPresent();

    // and when the network is back the link reconnects by itself and says online again
    proxy.restore();
    until(() -> listener.connects.get() == 2, link::toString);
    assertThat(watching.awaitFirst(m -> m.payload().contains("\"online\":true"), WAIT)).isPresent();
    assertThat(link.status().reconnects()).isEqualTo(2);
  }

  // --- reconnecting -----------------------------------------------------------------------------

  @Test
  void brokerKilledAndRestarted_theLinkReconnectsByItself() throws Exception {
    MosquittoBroker broker = mosquitto();
    RecordingListener listener = new RecordingListener();
    PahoCloudLink link = link(broker.uri());
    link.start(listener);
    until(() -> listener.connects.get() == 1, link::toString);

    broker.kill();
    until(() -> listener.disconnects.size() == 1, link::toString);
    until(
        () -> link.status().lastProblem().orElse("").equals("connection refused"), link::toString);
    assertThat(link.status().nextAttempt()).isPresent();

    broker.restart();

    until(() -> listener.connects.get() == 2, link::toString);
    CloudLink.Status status = link.status();
    assertThat(status.connected()).isTrue();
    assertThat(status.reconnects()).isEqualTo(2);
    assertThat(status.nextAttempt()).isEmpty();
    link.publish(Channel.EVENT, bytes("after restart")).get(10, TimeUnit.SECONDS);
  }

  @Test
  void commandsSentWhileTheLockerWasAway_evenAcrossABrokerRestart_arriveAfterReconnect()
      throws Exception {
    MosquittoBroker broker = mosquitto();
    TcpProxy proxy = proxy(broker.uri());
    RecordingListener listener = new RecordingListener();
    PahoCloudLink link = link(proxy.uri());
    link.start(listener);
    until(() -> listener.connects.get() == 1, link::toString);

    // given the locker is cut off, and the broker restarts cleanly meanwhile
    proxy.cut();
    until(() -> listener.disconnects.size() == 1, link::toString);
    broker.stop();
    broker.restart();

    // when the cloud sends commands at QoS 1
    try (CloudRecorder cloud = CloudRecorder.connect(broker.uri(), "cloud")) {
      for (int n = 1; n <= 3; n++) {
        cloud.publish(CMD, "{\"cmd\":" + n + "}", 1);
      }
    }

    // then they reach the locker, in order, once it is back
    proxy.restore();
    until(() -> listener.commands.size() >= 3, () -> listener.commands + " " + link);
    assertThat(listener.commands).containsExactly("{\"cmd\":1}", "{\"cmd\":2}", "{\"cmd\":3}");
    until(() -> listener.connects.get() == 2, link::toString);
  }

  @Test
  void aCommandListenerThatThrows_doesNotCostTheConnectionOrTheNextCommand() throws Exception {
    MosquittoBroker broker = mosquitto();
    RecordingListener listener = new RecordingListener();
    listener.throwOnCommand = true;
    PahoCloudLink link = link(broker.uri());
    link.start(listener);
    until(() -> listener.connects.get() == 1, link::toString);

    CloudRecorder cloud = recorder(broker.uri());
    cloud.publish(CMD, "first", 1);
    until(() -> listener.commands.size() == 1, () -> "" + listener.commands);
    listener.throwOnCommand = false;
    cloud.publish(CMD, "second", 1);

    until(() -> listener.commands.size() == 2, () -> "" + listener.commands);
    assertThat(listener.disconnects).isEmpty();
    assertThat(link.status().reconnects()).isEqualTo(1);
  }

  @Test
  void brokerDown_attemptsAreSpacedByTheSeededBackoff() throws Exception {
    int nothingListens = FreePort.onLoopback();
    long seed = 1234;
    PahoCloudLink link =
        new PahoCloudLink(
            settings("tcp://127.0.0.1:" + nothingListens).withBackoff(QUICK), new Random(seed));
    toClose.add(link);

    link.start(new RecordingListener());
    until(() -> link.scheduledDelays().size() >= 6, () -> "" + link.scheduledDelays());

    Backoff expected = new Backoff(QUICK, new Random(seed));
    List<Duration> first6 = link.scheduledDelays().subList(0, 6);
    for (int n = 0; n < 6; n++) {
      assertThat(first6.get(n)).as("wait %d of seed %d", n + 1, seed).isEqualTo(expected.next());
    }
    CloudLink.Status status = link.status();
    assertThat(status.connected()).isFalse();
    assertThat(status.lastProblem()).contains("connection refused");
    assertThat(status.nextAttempt()).isPresent();
    assertThat(status.reconnects()).isZero();
  }

  @Test
  void aPeerThatAcceptsAndClosesAtOnce_leavesNoPahoConnectThreadBehind() throws Exception {
    // given a proxy whose broker is not there: it accepts each connection and closes it at once,
    // the case in which Paho 1.2.5's connect thread waits forever for its receiver (#850)
    TcpProxy proxy = proxy("tcp://127.0.0.1:" + FreePort.onLoopback());
    PahoCloudLink link = link(proxy.uri());

    link.start(new RecordingListener());
    until(() -> link.scheduledDelays().size() >= 4, link::toString);
    link.close();

    assertThat(proxy.acceptedConnections()).isGreaterThanOrEqualTo(4);
    assertThat(link.status().lastProblem()).isPresent();
    until(
        () -> MqttProbe.livePahoThreads().isEmpty(),
        () -> "Paho threads left: " + MqttProbe.livePahoThreads());
  }

  // --- publish failures ---------------------------------------------------------------------

  @Test
  void publishWhileDisconnected_failsNotDeliveredAtOnce() throws Exception {
    PahoCloudLink link = link("tcp://127.0.0.1:" + FreePort.onLoopback());

    assertNotDelivered(link.publish(Channel.EVENT, bytes("before start")), "not connected");
    link.start(new RecordingListener());
    until(() -> link.status().lastProblem().isPresent(), link::toString);

    for (Channel channel : Channel.values()) {
      assertNotDelivered(link.publish(channel, bytes("down")), "not connected");
    }
  }

  @Test
  void connectionDropsWithPublishesInFlight_everyFutureFails_andPahoSendsNoCopiesOfItsOwn()
      throws Exception {
    MosquittoBroker broker = mosquitto();
    TcpProxy proxy = proxy(broker.uri());
    CloudRecorder cloud = recorder(broker.uri(), EVENT);
    RecordingListener listener = new RecordingListener();
    PahoCloudLink link = link(proxy.uri());
    link.start(listener);
    until(() -> listener.connects.get() == 1, link::toString);

    // given 20 events sent into a network that swallows them
    proxy.blackhole();
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    for (int n = 1; n <= 20; n++) {
      inFlight.add(link.publish(Channel.EVENT, bytes("lost-" + n)));
    }
    until(() -> proxy.bytesDropped() > 0, proxy::toString);
    assertThat(inFlight).noneMatch(CompletableFuture::isDone);

    // when the broken connection is closed
    proxy.restore();

    // then every one of them fails, none is left hanging
    for (CompletableFuture<Void> future : inFlight) {
      assertNotDelivered(future, "not confirmed by the broker");
    }

    // and after the reconnect only what the publisher sends again arrives, once
    until(() -> listener.connects.get() == 2, link::toString);
    link.publish(Channel.EVENT, bytes("resent-1")).get(10, TimeUnit.SECONDS);
    assertThat(cloud.await(1, WAIT)).extracting(Received::payload).containsExactly("resent-1");
    assertThat(cloud.drain()).isEmpty();
  }

  @Test
  void moreThanMaxInflightAtOnce_theExcessFailsNotDeliveredWithoutAnException() throws Exception {
    MosquittoBroker broker = mosquitto();
    TcpProxy proxy = proxy(broker.uri());
    RecordingListener listener = new RecordingListener();
    PahoCloudLink link = new PahoCloudLink(settings(proxy.uri()).withMaxInflight(8));
    toClose.add(link);
    link.start(listener);
    until(() -> listener.connects.get() == 1, link::toString);
    proxy.blackhole();

    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int n = 1; n <= 12; n++) {
      futures.add(link.publish(Channel.EVENT, bytes("event-" + n)));
    }

    assertThat(futures.subList(0, 8)).noneMatch(CompletableFuture::isDone);
    for (CompletableFuture<Void> excess : futures.subList(8, 12)) {
      assertNotDelivered(excess, "too many unconfirmed publishes (8 in flight)");
    }
    // telemetry (QoS 0) is not held back by the QoS 1 window
    assertThat(link.publish(Channel.TELEMETRY, bytes("{}"))).isNotCompletedExceptionally();

    proxy.restore();
    for (CompletableFuture<Void> future : futures.subList(0, 8)) {
      assertNotDelivered(future, "not confirmed by the broker");
    }
  }

  // --- what Paho itself would do: the reason for a fresh client per connection -------------

  @Test
  void pahoLearningTest_theSameClientInstance_resendsItsUnconfirmedQos1OnReconnect()
      throws Exception {
    MosquittoBroker broker = mosquitto();
    TcpProxy proxy = proxy(broker.uri());
    CloudRecorder cloud = recorder(broker.uri(), EVENT);
    MqttAsyncClient paho = new MqttAsyncClient(proxy.uri(), ID, new MemoryPersistence());
    toClose.add(
        () -> {
          if (paho.isConnected()) {
            paho.disconnectForcibly(0, 1000, false);
          }
          paho.close(true);
        });
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(false);
    options.setAutomaticReconnect(false);
    paho.connect(options).waitForCompletion(10_000);

    proxy.blackhole();
    List<IMqttDeliveryToken> tokens = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      tokens.add(paho.publish(EVENT, bytes("unconfirmed-" + n), 1, false));
    }
    until(() -> proxy.bytesDropped() > 0, proxy::toString);
    proxy.restore();
    until(() -> !paho.isConnected(), () -> "Paho still connected");
    until(() -> tokens.stream().allMatch(t -> t.getException() != null), tokens::toString);

    paho.connect(options).waitForCompletion(10_000);

    // Paho re-sends its own copies, and the tokens that had failed now complete without error
    assertThat(cloud.await(5, WAIT))
        .extracting(Received::payload)
        .containsExactly(
            "unconfirmed-1", "unconfirmed-2", "unconfirmed-3", "unconfirmed-4", "unconfirmed-5");
    until(() -> tokens.stream().allMatch(IMqttDeliveryToken::isComplete), tokens::toString);
    assertThat(tokens).allMatch(t -> t.getException() == null);
    paho.disconnect().waitForCompletion(5000);
  }

  // --- the plaintext warning ------------------------------------------------------------------

  @Test
  void insecurePlaintext_logsOneWarningAtStart() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(PahoCloudLink.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      PahoCloudLink link = link("tcp://127.0.0.1:" + FreePort.onLoopback());
      link.start(new RecordingListener());
      until(() -> link.scheduledDelays().size() >= 2, link::toString);
      link.close();

      assertThat(appender.list)
          .filteredOn(event -> event.getLevel() == Level.WARN)
          .extracting(ILoggingEvent::getFormattedMessage)
          .singleElement()
          .asString()
          .startsWith("cloud link is NOT encrypted");
    } finally {
      logger.detachAppender(appender);
    }
  }

  // --- fixtures ---------------------------------------------------------------------------------

  private String start(Broker kind) throws Exception {
    return switch (kind) {
      case MOQUETTE -> {
        EmbeddedBroker broker = EmbeddedBroker.start(folder.resolve("moquette"));
        toClose.add(broker);
        yield broker.uri();
      }
      case MOSQUITTO -> mosquitto().uri();
    };
  }

  private MosquittoBroker mosquitto() throws Exception {
    MosquittoBroker broker = MosquittoBroker.start(folder.resolve("mosquitto"));
    toClose.add(broker);
    return broker;
  }

  private TcpProxy proxy(String brokerUri) throws Exception {
    TcpProxy proxy =
        TcpProxy.to(Integer.parseInt(brokerUri.substring(brokerUri.lastIndexOf(':') + 1)));
    toClose.add(proxy);
    return proxy;
  }

  private CloudRecorder recorder(String uri, String... filters) throws Exception {
    CloudRecorder recorder = CloudRecorder.connect(uri, "cloud-" + toClose.size(), filters);
    toClose.add(recorder);
    return recorder;
  }

  private PahoCloudLink link(String uri) {
    PahoCloudLink link = new PahoCloudLink(settings(uri), new Random(7));
    toClose.add(link);
    return link;
  }

  static PahoCloudLink.Settings settings(String uri) {
    return PahoCloudLink.Settings.of(ID, uri, "1.4.2", Optional.empty(), true, CLOCK)
        .withBackoff(QUICK)
        .withKeepAlive(Duration.ofSeconds(2))
        .withConnectTimeout(Duration.ofSeconds(5));
  }

  /**
   * A status message a new subscriber got: it was kept by the broker. Moquette 0.17 delivers
   * retained messages with the retain flag clear, so only Mosquitto's flag is checked.
   */
  static void assertRetained(Broker kind, Received received, String payload) {
    assertThat(received.topic()).isEqualTo(STATUS);
    assertThat(received.payload()).isEqualTo(payload);
    assertThat(received.qos()).isEqualTo(1);
    if (kind == Broker.MOSQUITTO) {
      assertThat(received.retained()).as("retain flag").isTrue();
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static void assertNotDelivered(CompletableFuture<Void> future, String reason)
      throws InterruptedException {
    try {
      future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("delivered, expected NotDelivered: " + reason);
    } catch (ExecutionException e) {
      assertThat(e.getCause())
          .isInstanceOf(CloudLink.NotDelivered.class)
          .hasMessageContaining(reason);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("still pending after " + WAIT + ", expected NotDelivered", e);
    }
  }

  static boolean cloudLinkThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals(PahoCloudLink.THREAD_NAME));
  }

  /** Records what the link tells its listener. */
  static final class RecordingListener implements CloudLink.Listener {
    final AtomicInteger connects = new AtomicInteger();
    final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    volatile boolean throwOnCommand;

    @Override
    public void connected() {
      connects.incrementAndGet();
    }

    @Override
    public void disconnected(String reason) {
      disconnects.add(reason);
    }

    @Override
    public void command(byte[] payload) {
      commands.add(new String(payload, StandardCharsets.UTF_8));
      if (throwOnCommand) {
        throw new IllegalStateException("listener bug");
      }
    }
  }
}
