package dev.locker.sim.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.DepositRequest;
import dev.locker.core.application.DepositResult;
import dev.locker.core.cloud.CloudSigner;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.domain.Size;
import dev.locker.sim.SimulatedLocker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated locker with its own broker, as {@code java -jar simulator.jar} runs it: events
 * reach the cloud's side of the broker, and a signed command from there is applied and acked.
 */
class SimulatedCloudLinkIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static LockerConfig profileTrusting(CloudSigner cloud) throws Exception {
    String yaml;
    try (InputStream in =
        SimulatedLocker.class.getResourceAsStream(SimulatedLocker.DEFAULT_PROFILE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String key = Base64.getEncoder().encodeToString(cloud.publicKey().getEncoded());
    yaml =
        yaml.replace(
            "  telemetryInterval: 60s",
            "  telemetryInterval: 10s\n  commandKeys:\n    - {kid: "
                + cloud.kid
                + ", publicKey: "
                + key
                + "}");
    return ((ConfigLoader.Result.Loaded) ConfigLoader.parse(yaml, "test")).config();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void eventsReachTheCloudAndASignedCommandIsAppliedAndAcked() throws Exception {
    CloudSigner cloud = new CloudSigner("sim-cloud-1");
    LockerConfig config = profileTrusting(cloud);
    String id = config.locker().id();
    List<String[]> received = new CopyOnWriteArrayList<>();
    try (SimulatedBroker broker = SimulatedBroker.start(0, dir.resolve("broker"));
        SimulatedLocker locker =
            SimulatedLocker.start(
                config,
                dir.resolve("data"),
                Clock.systemUTC(),
                h -> {},
                Optional.of(broker.uri()))) {
      MqttClient operator = new MqttClient(broker.uri(), "operator", new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      operator.setCallback(
          new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(
                String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
              received.add(
                  new String[] {topic, new String(message.getPayload(), StandardCharsets.UTF_8)});
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken t) {}
          });
      operator.connect(options);
      operator.subscribe("locker/v1/" + id + "/+", 1);
      try {
        await(
            "the locker is connected",
            () -> locker.assembly().cloud().orElseThrow().linkStatus().connected());
        DepositResult opened =
            locker
                .assembly()
                .locker()
                .deposit(
                    new DepositRequest(
                        "courier-1", "SIMCLOUD1", "+85291234567", Optional.of(Size.S)));
        String compartment = ((DepositResult.Opened) opened).compartment().value();
        locker.cabinet().closeDoor(dev.locker.core.domain.CompartmentId.of(compartment));

        await(
            "parcel.deposited reached the cloud",
            () ->
                received.stream()
                    .anyMatch(
                        m ->
                            m[0].endsWith("/event")
                                && json(m[1]).get("type").asText().equals("parcel.deposited")));
        List<Long> seqs =
            received.stream()
                .filter(m -> m[0].endsWith("/event"))
                .map(m -> json(m[1]).get("seq").asLong())
                .toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();

        Instant now = Instant.now();
        String command =
            cloud.envelope(
                CloudSigner.body(
                    "sim-cmd-1",
                    id,
                    "compartment.service",
                    now.minusSeconds(1),
                    now.plusSeconds(60),
                    Map.of("compartment", "C03", "inService", false, "reason", "glass cracked")));
        operator.publish(
            "locker/v1/" + id + "/cmd", command.getBytes(StandardCharsets.UTF_8), 1, false);

        await("the command is acked", () -> received.stream().anyMatch(m -> m[0].endsWith("/ack")));
        JsonNode ack =
            json(received.stream().filter(m -> m[0].endsWith("/ack")).findFirst().orElseThrow()[1]);
        assertThat(ack.get("cmdId").asText()).isEqualTo("sim-cmd-1");
        assertThat(ack.get("status").asText()).isEqualTo("applied");
        assertThat(
                locker.assembly().locker().compartments().stream()
                    .filter(c -> c.id().value().equals("C03"))
                    .findFirst()
                    .orElseThrow()
                    .inService())
            .isFalse();
        await("the outbox drains", () -> locker.assembly().store().read(r -> r.outboxSize()) == 0);
      } finally {
        operator.disconnect();
        operator.close();
      }
    }
  }
}
