package dev.locker.core.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.CloudLink.Channel;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.core.domain.Size;
import dev.locker.core.testing.FakeCloudLink;
import dev.locker.core.testing.TestLocker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox and the acks going out over a link the test drives: in seq order, a bounded number
 * unconfirmed, deleted only after the broker confirmed them, sent again after a drop.
 */
class CloudSyncTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestLocker locker;
  private CloudSync sync;
  private final FakeCloudLink link = new FakeCloudLink();
  private final CloudSigner cloud = new CloudSigner("cloud-2026-1");

  private void start(int window, Duration telemetry) {
    locker = TestLocker.sqlite(dir);
    CommandGate gate =
        new CommandGate(
            TestLocker.LOCKER_ID,
            CommandKeys.ofKeys(Map.of(cloud.kid, cloud.publicKey())),
            new CommandGate.Policy(Duration.ofMinutes(2), Duration.ofHours(24), Map.of()));
    CommandProcessor processor =
        new CommandProcessor(
            gate, locker.store(), locker.locker(), locker.clock, Map.of(), Optional.empty());
    Telemetry report =
        new Telemetry(
            locker.store(),
            () -> List.of(new DeviceHealth("lockboard-1", HealthState.ONLINE, "answering")),
            "0.1.0-test",
            locker.clock,
            processor::unreadable);
    sync =
        new CloudSync(
            link,
            locker.store(),
            locker.loop(),
            processor,
            report,
            locker.clock,
            new CloudSync.Settings(window, Duration.ofMillis(20), telemetry, Duration.ofHours(25)));
    sync.start();
  }

  @AfterEach
  void tearDown() {
    if (sync != null) {
      sync.close();
    }
    if (locker != null) {
      locker.close();
    }
  }

  private void emit(int count) {
    locker
        .store()
        .transaction(
            tx -> {
              for (int i = 0; i < count; i++) {
                tx.emit("door.opened", Map.of("compartment", "A01", "reason", "service"));
              }
              return null;
            });
    sync.nudge();
  }

  private static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits a little and checks that {@code condition} still holds (nothing more happened). */
  private static void stays(String what, BooleanSupplier condition) {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  private List<Long> seqsSent() {
    return link.sent(Channel.EVENT).stream()
        .map(s -> json(s.payload()).get("seq").asLong())
        .toList();
  }

  private long outboxSize() {
    return locker.store().read(LockerStore.Reader::outboxSize);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void eventsGoOutInSeqOrderAndLeaveTheOutboxOnlyAfterTheirPuback() {
    start(64, Duration.ofHours(1));
    emit(10);
    link.connect();

    eventually("ten events are sent", () -> link.sent(Channel.EVENT).size() == 10);
    assertThat(seqsSent()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(outboxSize()).as("nothing confirmed yet").isEqualTo(10);

    link.confirmAll();
    eventually("the outbox is empty", () -> outboxSize() == 0);
    assertThat(sync.stats().confirmed()).isEqualTo(10);
  }

  @Test
  void noMoreThanTheWindowIsUnconfirmedAtATime() {
    start(4, Duration.ofHours(1));
    emit(10);
    link.connect();

    eventually("the window is full", () -> link.pending().size() == 4);
    stays("no fifth event goes out unconfirmed", () -> link.sent(Channel.EVENT).size() == 4);
    link.confirmAll();
    eventually("the next four", () -> link.sent(Channel.EVENT).size() == 8);
    link.confirmAll();
    eventually("the last two", () -> link.sent(Channel.EVENT).size() == 10);
    link.confirmAll();
    eventually("the outbox is empty", () -> outboxSize() == 0);
    assertThat(seqsSent()).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void offlineTheOutboxGrowsAndTheLockerServesThenEverythingGoesOutInOrder() {
    start(16, Duration.ofHours(1));
    String code = locker.depositAndClose("OFF001", Size.S);
    locker.pickup(code);
    locker.closeDoor("A01");
    long waiting = outboxSize();
    assertThat(waiting).isGreaterThanOrEqualTo(6);
    stays("nothing is sent while offline", () -> link.sent(Channel.EVENT).isEmpty());

    link.connect();
    eventually("every event is sent", () -> link.sent(Channel.EVENT).size() == waiting);
    link.confirmAll();
    eventually("the outbox is empty", () -> outboxSize() == 0);
    assertThat(seqsSent()).isSorted().doesNotHaveDuplicates().startsWith(1L);
  }

  @Test
  void aDropResendsFromTheOldestUnconfirmedEventAndDuplicatesOnlyThose() {
    start(64, Duration.ofHours(1));
    emit(6);
    link.connect();
    eventually("six sent", () -> link.sent(Channel.EVENT).size() == 6);
    link.sent(Channel.EVENT).subList(0, 3).forEach(s -> s.done().complete(null));
    eventually("the first three are deleted", () -> outboxSize() == 3);

    link.drop();
    emit(2);
    link.connect();

    eventually(
        "the unconfirmed and the new ones are sent", () -> link.sent(Channel.EVENT).size() == 11);
    assertThat(seqsSent()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 4L, 5L, 6L, 7L, 8L);
    link.confirmAll();
    eventually("the outbox is empty", () -> outboxSize() == 0);
  }

  @Test
  void aCommandFromTheLinkIsAnsweredAndItsAckLeavesTheQueueOnPuback() {
    start(64, Duration.ofHours(1));
    link.connect();
    Instant now = locker.clock.instant();
    link.deliver(
        cloud.envelope(
            CloudSigner.body(
                "cmd-1",
                TestLocker.LOCKER_ID,
                "compartment.service",
                now,
                now.plusSeconds(60),
                Map.of("compartment", "A02", "inService", false, "reason", "broken hinge"))));

    // The link's delivery returned: only now may it confirm the command to the broker, and the
    // answer is already committed.
    Optional<LockerStore.CommandRecord> answered = locker.store().read(r -> r.command("cmd-1"));
    assertThat(answered).isPresent();
    eventually("the ack is sent", () -> link.sent(Channel.ACK).size() == 1);
    JsonNode ack = json(link.sent(Channel.ACK).get(0).payload());
    assertThat(ack.get("cmdId").asText()).isEqualTo("cmd-1");
    assertThat(ack.get("status").asText()).isEqualTo("applied");
    assertThat(locker.compartment("A02").inService()).isFalse();
    link.confirmAll();
    eventually(
        "the ack queue is empty", () -> locker.store().read(r -> r.pendingAcks(10)).isEmpty());
    link.deliver("not json at all");
    eventually("the malformed one is answered", () -> link.sent(Channel.ACK).size() == 2);
    assertThat(json(link.sent(Channel.ACK).get(1).payload()).get("reason").asText())
        .isEqualTo("malformed");
  }

  @Test
  void telemetryReportsHealthOutboxAndFreeCompartmentsBySize() {
    start(64, Duration.ofMillis(50));
    locker.locker().setInService("A02", false, "broken hinge", "technician-1");
    locker.depositAndClose("TEL001", Size.S);
    link.connect();

    eventually("telemetry is sent", () -> !link.sent(Channel.TELEMETRY).isEmpty());
    JsonNode report = json(link.sent(Channel.TELEMETRY).get(0).payload());
    Map<Size, Long> free = new java.util.EnumMap<>(Size.class);
    for (var c : locker.locker().compartments()) {
      if (c.isAllocatable()) {
        free.merge(c.size(), 1L, Long::sum);
      }
    }
    for (Size size : Size.values()) {
      assertThat(report.get("free").get(size.name()).asLong())
          .as("free " + size)
          .isEqualTo(free.getOrDefault(size, 0L));
    }
    assertThat(report.get("compartments").get("outOfService").asInt()).isEqualTo(1);
    assertThat(report.get("firmware").asText()).isEqualTo("0.1.0-test");
    assertThat(report.get("outbox").asLong()).isGreaterThan(0);
    assertThat(report.get("health").get(0).get("device").asText()).isEqualTo("lockboard-1");
    assertThat(report.get("health").get(0).get("state").asText()).isEqualTo("online");
    assertThat(report.toString()).doesNotContain("9123");
  }
}
