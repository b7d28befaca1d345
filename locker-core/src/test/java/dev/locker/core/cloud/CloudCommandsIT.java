package dev.locker.core.cloud;

import static dev.locker.core.testing.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.testing.TestLocker;
import dev.locker.core.testing.mqtt.EmbeddedBroker;
import dev.locker.core.testing.mqtt.MosquittoBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Signed commands from the cloud to a whole locker (SQLite store, command processor, cloud sync,
 * Paho link) through a real broker, Moquette in this JVM and a Mosquitto process: hostile commands
 * change nothing and each gets the ack its fault deserves; a burst of remote opens beyond the limit
 * is refused and raises an alarm the cloud receives.
 */
class CloudCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = TestLocker.LOCKER_ID;
  private static final CommandGate.RateLimit OPENS =
      new CommandGate.RateLimit(3, Duration.ofMinutes(10));

  enum Broker {
    MOQUETTE,
    MOSQUITTO
  }

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final CloudSigner cloud = new CloudSigner("cloud-2026-1");
  private final CloudSigner forger = new CloudSigner("cloud-2026-1");
  private TestLocker locker;
  private CloudRecorder operator;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private void start(Broker kind) throws Exception {
    String uri;
    if (kind == Broker.MOQUETTE) {
      EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("moquette"));
      toClose.add(broker);
      uri = broker.uri();
    } else {
      MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
      toClose.add(broker);
      uri = broker.uri();
    }
    locker = TestLocker.sqlite(dir);
    toClose.add(locker);
    CommandGate gate =
        new CommandGate(
            ID,
            CommandKeys.ofKeys(Map.of(cloud.kid, cloud.publicKey())),
            new CommandGate.Policy(
                Duration.ofMinutes(2), Duration.ofHours(24), Map.of("compartment.open", OPENS)));
    CommandProcessor processor =
        new CommandProcessor(
            gate,
            locker.store(),
            locker.locker(),
            locker.clock,
            Map.of("parcel.expect", ParcelCommands.expect()),
            Optional.of(OPENS));
    PahoCloudLink link =
        new PahoCloudLink(
            PahoCloudLink.Settings.of(ID, uri, "it", Optional.empty(), true, Clock.systemUTC())
                .withBackoff(new Backoff.Settings(Duration.ofMillis(50), Duration.ofMillis(500))));
    CloudSync sync =
        new CloudSync(
            link,
            locker.store(),
            locker.loop(),
            processor,
            new Telemetry(locker.store(), List::of, "it", locker.clock, processor::unreadable),
            locker.clock,
            new CloudSync.Settings(
                32, Duration.ofMillis(20), Duration.ofHours(1), Duration.ofDays(2)));
    operator =
        CloudRecorder.connect(
            uri, "operator", "locker/v1/" + ID + "/ack", "locker/v1/" + ID + "/event");
    toClose.add(operator);
    sync.start();
    toClose.add(sync);
    Eventually.until(() -> sync.linkStatus().connected(), () -> "the locker connected");
  }

  private String command(String cmdId, String lockerId, String type, Map<String, Object> data) {
    Instant now = locker.clock.instant();
    return cloud.envelope(
        CloudSigner.body(cmdId, lockerId, type, now.minusSeconds(5), now.plusSeconds(300), data));
  }

  private void send(String message) throws Exception {
    operator.publish("locker/v1/" + ID + "/cmd", message, 1);
  }

  /** What the cloud received and no test step took yet, in arrival order. */
  private final List<CloudRecorder.Received> untaken = new ArrayList<>();

  /** The first message, old or new, that matches; the others stay for later steps. */
  private CloudRecorder.Received take(java.util.function.Predicate<CloudRecorder.Received> match)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      for (int i = 0; i < untaken.size(); i++) {
        if (match.test(untaken.get(i))) {
          return untaken.remove(i);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the cloud did not receive what it waited for");
      }
      untaken.addAll(operator.await(1, Duration.ofMillis(200)));
    }
  }

  /** The next {@code count} acks, as the cloud receives them. */
  private List<JsonNode> acks(int count) throws Exception {
    List<JsonNode> acks = new ArrayList<>();
    while (acks.size() < count) {
      acks.add(JSON.readTree(take(r -> r.topic().endsWith("/ack")).payload()));
    }
    return acks;
  }

  @ParameterizedTest
  @EnumSource(Broker.class)
  void hostileCommandsChangeNothingAndEachIsAnsweredWithItsReason(Broker kind) throws Exception {
    start(kind);
    Map<String, Object> expect = obj("tracking", "SF7001", "recipientPhone", "+85291234567");
    String once = command("cmd-once", ID, "parcel.cancel", obj("tracking", "SF0000"));
    Instant now = locker.clock.instant();
    Map<String, String> sent = new LinkedHashMap<>();
    sent.put(
        "bad_signature",
        forger.envelope(
            CloudSigner.body(
                "cmd-f", ID, "parcel.expect", now.minusSeconds(5), now.plusSeconds(60), expect)));
    sent.put(
        "expired",
        cloud.envelope(
            CloudSigner.body(
                "cmd-e",
                ID,
                "parcel.expect",
                now.minusSeconds(900),
                now.minusSeconds(300),
                expect)));
    sent.put("wrong_locker", command("cmd-w", "LCK-OTHER-9", "parcel.expect", expect));
    sent.put("malformed", "{\"kid\":");
    sent.put("invalid", command("cmd-i", ID, "parcel.expect", obj("tracking", "SF7001")));
    send(once);
    assertThat(acks(1).get(0).get("cmdId").asText()).isEqualTo("cmd-once");
    sent.put("replayed", once);

    for (Map.Entry<String, String> each : sent.entrySet()) {
      send(each.getValue());
      JsonNode ack = acks(1).get(0);
      assertThat(ack.get("status").asText()).as(each.getKey()).isEqualTo("rejected");
      assertThat(ack.get("reason").asText()).as(each.getKey()).isEqualTo(each.getKey());
    }

    Optional<dev.locker.core.domain.Parcel> expected =
        locker.store().read(r -> r.liveParcel(new TrackingNumber("SF7001")));
    assertThat(expected).isEmpty();
    assertThat(locker.locks.unlocks()).isEmpty();
    assertThat(locker.eventTypes()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Broker.class)
  void aBurstOfRemoteOpensBeyondTheLimitIsRefusedAndTheCloudGetsAnAlarm(Broker kind)
      throws Exception {
    start(kind);
    for (int i = 1; i <= 5; i++) {
      locker.depositAndClose("BURST" + i, Size.S);
    }
    int unlocksBefore = locker.locks.unlocks().size();
    List<String> compartments = List.of("A01", "A02", "A03", "A04", "B01");
    for (int i = 0; i < compartments.size(); i++) {
      send(
          command(
              "cmd-open-" + i,
              ID,
              "compartment.open",
              obj("compartment", compartments.get(i), "reason", "support", "ticket", "T-" + i)));
    }

    List<JsonNode> acks = acks(5);
    assertThat(acks)
        .extracting(
            a ->
                a.get("cmdId").asText()
                    + " "
                    + a.get("status").asText()
                    + " "
                    + a.path("reason").asText(""))
        .containsExactly(
            "cmd-open-0 applied ",
            "cmd-open-1 applied ",
            "cmd-open-2 applied ",
            "cmd-open-3 rejected rate_limited",
            "cmd-open-4 rejected rate_limited");
    assertThat(locker.locks.unlocks()).hasSize(unlocksBefore + 3);
    CloudRecorder.Received alarm =
        take(r -> r.topic().endsWith("/event") && r.payload().contains("\"security.alarm\""));
    assertThat(JSON.readTree(alarm.payload()).get("data").get("kind").asText())
        .isEqualTo("remote_open_burst");
  }
}
