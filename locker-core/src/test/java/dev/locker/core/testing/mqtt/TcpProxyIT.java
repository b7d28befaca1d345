package dev.locker.core.testing.mqtt;

import static dev.locker.core.testing.mqtt.MosquittoBrokerIT.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A locker-side Paho client publishes through a {@link TcpProxy} to a real Mosquitto; the cloud
 * subscriber dials the broker directly, so only the locker's link breaks.
 *
 * <p>Reconnecting is driven by hand ({@link MqttProbe#reconnect()} in a poll loop), not by Paho's
 * automatic reconnect: the cloud link will own its reconnect loop, because the contract asks for
 * exponential backoff with full jitter (Paho doubles without jitter) and Paho's automatic reconnect
 * never covers a failed first connect (paho.mqtt.java #825, #930). These tests prove the path that
 * loop will take: connectionLost, connect refused while the network is down, connect again after.
 */
@Timeout(60)
class TcpProxyIT {
  private static final String EVENTS = "locker/v1/LCK-0001/event";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path folder;
  private MosquittoBroker broker;
  private TcpProxy proxy;
  private MqttProbe cloud;
  private MqttProbe locker;

  @BeforeEach
  void startBrokerProxyAndClients() throws Exception {
    broker = MosquittoBroker.start(folder);
    proxy = TcpProxy.to(broker.port());
    cloud = MqttProbe.connect(broker.uri(), "cloud", MqttProbe.Settings.PERSISTENT);
    cloud.subscribe(EVENTS, 1);
    locker =
        MqttProbe.connect(
            proxy.uri(),
            "LCK-0001",
            MqttProbe.Settings.PERSISTENT.withKeepAlive(Duration.ofSeconds(1)));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {locker, cloud, proxy, broker}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    // Also after a cut or a blackhole and a reconnect, close() leaves no Paho thread behind.
    Waiting.until(
        () -> MqttProbe.livePahoThreads().isEmpty(),
        WAIT,
        () -> "Paho threads left: " + MqttProbe.livePahoThreads());
  }

  @Test
  void everyQoS1Publish_throughTheProxy_reachesTheSubscriberInOrder() throws Exception {
    List<String> events = numbered("event", 200);

    for (String event : events) {
      locker.publish(EVENTS, event, 1);
    }

    assertThat(cloud.awaitMessages(events.size(), WAIT)).containsExactlyElementsOf(events);
    assertThat(proxy.bytesClientToBroker()).as("client → broker").isPositive();
    assertThat(proxy.bytesBrokerToClient()).as("broker → client").isPositive();
    assertThat(proxy.bytesDropped()).isZero();
    assertThat(proxy.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void cut_losesTheConnectionAndRefusesNewOnes_restore_letsTheClientReconnectAndCarryOn()
      throws Exception {
    List<String> before = numbered("before", 10);
    for (String event : before) {
      locker.publish(EVENTS, event, 1);
    }

    // when the network is cut
    proxy.cut();

    // then Paho reports the lost connection, and a connect attempt is refused
    assertThat(locker.awaitConnectionLost(WAIT)).as("connectionLost").isPresent();
    assertThat(proxy.openConnections()).isZero();
    assertThat(FreePort.isListening(proxy.port())).as("proxy port while cut").isFalse();
    assertThatThrownBy(locker::reconnect)
        .isInstanceOfSatisfying(
            MqttException.class,
            e ->
                assertThat(e.getReasonCode())
                    .isEqualTo(MqttException.REASON_CODE_SERVER_CONNECT_ERROR));

    // when it is restored, the client's own reconnect loop gets through
    proxy.restore();
    reconnectWithin(WAIT);
    assertThat(locker.sessionPresent()).as("session kept by the broker").isTrue();
    List<String> after = numbered("after", 10);
    for (String event : after) {
      locker.publish(EVENTS, event, 1);
    }

    // then the subscriber has everything, in order
    List<String> all = new ArrayList<>(before);
    all.addAll(after);
    assertThat(cloud.awaitMessages(all.size(), WAIT)).containsExactlyElementsOf(all);
    assertThat(locker.connectionLosses()).isEqualTo(1);
  }

  @Test
  void blackhole_isFoundByKeepalive_restore_dropsTheBrokenConnectionAndTheClientReconnects()
      throws Exception {
    // when bytes stop flowing but no connection closes
    proxy.blackhole();

    // then the 1 s keepalive finds the dead link (Paho: no PINGRESP in time)
    assertThat(locker.awaitConnectionLost(WAIT))
        .as("connectionLost by keepalive")
        .get()
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_CLIENT_TIMEOUT));
    assertThat(proxy.bytesDropped()).as("PINGREQ dropped").isPositive();

    // and after restore the client reconnects and publishes again
    proxy.restore();
    reconnectWithin(WAIT);
    locker.publish(EVENTS, "after-blackhole", 1);
    assertThat(cloud.awaitMessages(1, WAIT)).containsExactly("after-blackhole");
  }

  @Test
  void closedProxy_leavesNoListenerNoThreadsAndNoPahoThreads() throws Exception {
    int port = proxy.port();
    locker.publish(EVENTS, "one", 1);

    locker.close();
    cloud.close();
    proxy.close();

    assertThat(FreePort.isListening(port)).as("proxy port after close").isFalse();
    assertThat(proxy.state()).isEqualTo(TcpProxy.State.CLOSED);
    Waiting.until(
        () -> threadsNamed("tcp-proxy-" + port).isEmpty(),
        WAIT,
        () -> "proxy threads left: " + threadsNamed("tcp-proxy-" + port));
    Waiting.until(
        () -> MqttProbe.livePahoThreads().isEmpty(),
        WAIT,
        () -> "Paho threads left: " + MqttProbe.livePahoThreads());
  }

  @Test
  void restoreAfterBlackhole_closesOnlyTheConnectionsThatLostBytes() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, FreePort.LOOPBACK);
        TcpProxy raw = TcpProxy.to(echo.getLocalPort())) {
      Thread echoer = new Thread(() -> echoEach(echo), "tcp-proxy-it-echo");
      echoer.setDaemon(true);
      echoer.start();
      try (Socket quiet = new Socket(FreePort.LOOPBACK, raw.port());
          Socket talker = new Socket(FreePort.LOOPBACK, raw.port())) {
        quiet.setSoTimeout(5000);
        talker.setSoTimeout(5000);
        Waiting.until(() -> raw.openConnections() == 2, WAIT, raw::toString);

        raw.blackhole();
        talker.getOutputStream().write("lost".getBytes(StandardCharsets.US_ASCII));
        Waiting.until(() -> raw.bytesDropped() == 4, WAIT, () -> raw.bytesDropped() + " dropped");
        raw.restore();

        assertThat(talker.getInputStream().read()).as("talker after restore: EOF").isEqualTo(-1);
        quiet.getOutputStream().write('x');
        assertThat(quiet.getInputStream().read()).as("quiet after restore: echo").isEqualTo('x');
        assertThat(raw.openConnections()).isEqualTo(1);
      }
    }
  }

  /** Echoes every byte back on each accepted connection, until the server socket closes. */
  private static void echoEach(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket connection = server.accept();
        Thread pump =
            new Thread(
                () -> {
                  try (connection) {
                    connection.getInputStream().transferTo(connection.getOutputStream());
                  } catch (IOException closed) {
                    // The test is over with this connection.
                  }
                },
                "tcp-proxy-it-echo-connection");
        pump.setDaemon(true);
        pump.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void reconnectWithin(Duration timeout) throws InterruptedException {
    Waiting.until(
        () -> {
          try {
            locker.reconnect();
            return true;
          } catch (MqttException stillDown) {
            return false;
          }
        },
        timeout,
        () -> "locker did not reconnect through " + proxy);
  }

  static List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(prefix))
        .toList();
  }
}
