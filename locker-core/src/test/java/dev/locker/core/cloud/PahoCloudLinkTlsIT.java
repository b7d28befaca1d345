package dev.locker.core.cloud;

import static dev.locker.core.cloud.Eventually.WAIT;
import static dev.locker.core.cloud.Eventually.until;
import static dev.locker.core.cloud.PahoCloudLinkIT.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.locker.core.application.port.CloudLink.Channel;
import dev.locker.core.cloud.CloudRecorder.Received;
import dev.locker.core.cloud.PahoCloudLinkIT.RecordingListener;
import dev.locker.core.testing.mqtt.MosquittoBroker;
import dev.locker.core.testing.mqtt.MqttProbe;
import dev.locker.core.testing.mqtt.TestPki;
import dev.locker.core.testing.mqtt.TestPki.Issued;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud link over TLS to a Mosquitto TLS listener that requires client certificates, with a CA,
 * a server certificate (127.0.0.1, localhost) and client certificates made per run by {@link
 * TestPki}. The cloud side watches on the broker's plain listener.
 */
@Timeout(120)
class PahoCloudLinkTlsIT {
  private static final String ID = "LCK-0001";
  private static final String STATUS = "locker/v1/LCK-0001/status";
  private static final String EVENT = "locker/v1/LCK-0001/event";
  private static final Backoff.Settings QUICK =
      new Backoff.Settings(Duration.ofMillis(50), Duration.ofMillis(400));

  @TempDir Path folder;
  private TestPki fleet;
  private TestPki stranger;
  private MosquittoBroker broker;
  private PahoCloudLink link;
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void startBrokerWithTls() throws Exception {
    fleet = TestPki.create(folder.resolve("pki"), "fleet");
    stranger = TestPki.create(folder.resolve("pki"), "stranger");
    Issued server = fleet.server();
    broker =
        MosquittoBroker.start(
            folder.resolve("mosquitto"),
            MosquittoBroker.Settings.DEFAULTS,
            new MosquittoBroker.TlsListener(
                fleet.caCertificate(), server.certificate(), server.key()));
  }

  @AfterEach
  void closeAll() throws Exception {
    if (link != null) {
      link.close();
    }
    broker.close();
    until(
        () -> MqttProbe.livePahoThreads().isEmpty(),
        () -> "Paho threads left: " + MqttProbe.livePahoThreads());
  }

  @Test
  void clientCertificateAndPinnedCa_connect_announceOnline_andCarryEvents() throws Exception {
    Issued locker = fleet.client(ID);
    link = link(tls(fleet.caCertificate(), locker));

    link.start(listener);

    until(() -> listener.connects.get() == 1, () -> link.toString());
    link.publish(Channel.EVENT, bytes("{\"seq\":1}")).get(10, TimeUnit.SECONDS);
    try (CloudRecorder cloud = CloudRecorder.connect(broker.uri(), "cloud", STATUS, EVENT)) {
      assertThat(cloud.await(1, WAIT))
          .extracting(Received::topic, Received::retained)
          .containsExactly(tuple(STATUS, true));
    }
    assertThat(link.status().connected()).isTrue();
  }

  @Test
  void aServerCertificateFromAnotherCa_isRefused_andTheStatusSaysTls() throws Exception {
    // the locker pins the stranger's CA; the broker's certificate is the fleet's
    Issued locker = stranger.client(ID);
    link = link(tls(stranger.caCertificate(), locker));

    link.start(listener);

    until(() -> link.scheduledDelays().size() >= 2, () -> link.toString());
    assertThat(listener.connects.get()).isZero();
    assertThat(link.status().connected()).isFalse();
    assertThat(link.status().lastProblem())
        .contains("TLS handshake failed: the broker's certificate is not signed by the pinned CA");
  }

  @Test
  void aClientWithoutCertificate_isRefusedByTheBroker() throws Exception {
    link = link(trustOnly(fleet));

    link.start(listener);

    until(() -> link.scheduledDelays().size() >= 2, () -> link.toString());
    assertThat(listener.connects.get()).isZero();
    assertThat(link.status().lastProblem())
        .contains("TLS handshake failed: Received fatal alert: certificate_required");
  }

  @Test
  void aClientCertificateFromAnotherCa_isRefusedByTheBroker() throws Exception {
    Issued impostor = stranger.client(ID);
    // it trusts the broker (fleet CA) but presents a certificate the broker does not
    link = link(tls(fleet.caCertificate(), impostor));

    link.start(listener);

    until(() -> link.scheduledDelays().size() >= 2, () -> link.toString());
    assertThat(listener.connects.get()).isZero();
    assertThat(link.status().lastProblem())
        .contains("TLS handshake failed: Received fatal alert: unknown_ca");
  }

  private PahoCloudLink link(SSLSocketFactory tls) {
    PahoCloudLink.Settings settings =
        PahoCloudLink.Settings.of(
                ID, broker.tlsUri(), "1.4.2", Optional.of(tls), false, Clock.systemUTC())
            .withBackoff(QUICK)
            .withConnectTimeout(Duration.ofSeconds(5));
    return new PahoCloudLink(settings, new Random(3));
  }

  private static SSLSocketFactory tls(Path ca, Issued client) {
    TlsFiles.Result result =
        new TlsFiles(ca, client.certificate(), client.key()).load(Clock.systemUTC());
    assertThat(result).isInstanceOf(TlsFiles.Result.Ready.class);
    return ((TlsFiles.Result.Ready) result).socketFactory();
  }

  /** Trusts the CA of {@code pki} and has no certificate of its own to present. */
  private static SSLSocketFactory trustOnly(TestPki pki) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", pki.caX509());
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }
}
