package dev.locker.core.cloud;

import static dev.locker.core.testing.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.DepositRequest;
import dev.locker.core.application.DepositResult;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.LockerStore.CommandStatus;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.testing.TestLocker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands from the cloud as the locker answers them: each gets exactly one ack, only a valid one
 * has an effect, and every refusal is in the audit log.
 */
class CommandProcessorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCKER = TestLocker.LOCKER_ID;
  private static final Duration SKEW = Duration.ofMinutes(2);
  private static final CommandGate.RateLimit OPENS =
      new CommandGate.RateLimit(3, Duration.ofMinutes(10));

  @TempDir Path dir;
  private TestLocker locker;
  private CommandProcessor processor;
  private final CloudSigner cloud = new CloudSigner("cloud-2026-1");
  private final CloudSigner forger = new CloudSigner("cloud-2026-1");
  private final AtomicInteger ids = new AtomicInteger();

  @BeforeEach
  void setUp() {
    locker = TestLocker.sqlite(dir);
    CommandGate gate =
        new CommandGate(
            LOCKER,
            CommandKeys.ofKeys(Map.of(cloud.kid, cloud.publicKey())),
            new CommandGate.Policy(SKEW, Duration.ofHours(24), Map.of("compartment.open", OPENS)));
    processor =
        new CommandProcessor(
            gate,
            locker.store(),
            locker.locker(),
            locker.clock,
            Map.of(
                "parcel.expect", ParcelCommands.expect(), "parcel.cancel", ParcelCommands.cancel()),
            Optional.of(OPENS));
  }

  @AfterEach
  void tearDown() {
    locker.close();
  }

  // ---------------------------------------------------------------- helpers

  private String command(String type, Map<String, Object> data) {
    return command("cmd-" + ids.incrementAndGet(), LOCKER, type, data, Duration.ofMinutes(5));
  }

  private String command(
      String cmdId, String lockerId, String type, Map<String, Object> data, Duration life) {
    Instant now = locker.clock.instant();
    return cloud.envelope(
        CloudSigner.body(cmdId, lockerId, type, now.minusSeconds(5), now.plus(life), data));
  }

  private CommandStatus send(String message) {
    return locker.loop().call(() -> processor.process(message.getBytes(StandardCharsets.UTF_8)));
  }

  private List<JsonNode> acks() {
    return locker.store().read(r -> r.pendingAcks(1000)).stream().map(a -> parse(a.ack())).toList();
  }

  private JsonNode lastAck() {
    List<JsonNode> all = acks();
    return all.get(all.size() - 1);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private long auditSize() {
    return locker.store().read(LockerStore.Reader::auditSize);
  }

  private Optional<Parcel> live(String tracking) {
    return locker.store().read(r -> r.liveParcel(new TrackingNumber(tracking)));
  }

  // ---------------------------------------------------------------- refused without effect

  @Test
  void forgedExpiredReplayedWrongLockerAndMalformedCommandsHaveNoEffectAndTheirOwnReason() {
    Map<String, Object> expect = obj("tracking", "SF1001", "recipientPhone", "+85291234567");
    String replayedOnce = command("cmd-r", LOCKER, "parcel.expect", expect, Duration.ofMinutes(5));
    assertThat(send(replayedOnce)).isEqualTo(CommandStatus.APPLIED);
    locker
        .store()
        .transaction(
            tx -> {
              tx.save(live("SF1001").orElseThrow().on(ParcelState.Event.CANCEL));
              return null;
            });
    long seqBefore = locker.store().read(LockerStore.Reader::lastSeq);
    long auditBefore = auditSize();
    int acksBefore = acks().size();

    Map<String, String> sent = new LinkedHashMap<>();
    sent.put(
        "bad_signature",
        forger.envelope(
            CloudSigner.body(
                "cmd-f",
                LOCKER,
                "parcel.expect",
                locker.clock.instant(),
                locker.clock.instant().plusSeconds(60),
                expect)));
    sent.put(
        "expired",
        command("cmd-e", LOCKER, "parcel.expect", expect, Duration.ofSeconds(-1).minus(SKEW)));
    sent.put("replayed", replayedOnce);
    sent.put(
        "wrong_locker",
        command("cmd-w", "LCK-OTHER-9", "parcel.expect", expect, Duration.ofMinutes(5)));
    sent.put("malformed", "{\"kid\":\"cloud-2026-1\",\"body\":");
    sent.put(
        "invalid",
        command(
            "cmd-i", LOCKER, "parcel.expect", obj("tracking", "SF1001"), Duration.ofMinutes(5)));

    for (Map.Entry<String, String> each : sent.entrySet()) {
      assertThat(send(each.getValue())).as(each.getKey()).isEqualTo(CommandStatus.REJECTED);
      assertThat(lastAck().get("status").asText()).isEqualTo("rejected");
      assertThat(lastAck().get("reason").asText()).as("reason").isEqualTo(each.getKey());
    }

    assertThat(live("SF1001")).as("no pre-advice came back").isEmpty();
    assertThat(locker.store().read(LockerStore.Reader::lastSeq)).isEqualTo(seqBefore);
    assertThat(acks()).hasSize(acksBefore + sent.size());
    assertThat(auditSize()).as("each refusal audited").isEqualTo(auditBefore + sent.size());
    assertThat(acks().get(acks().size() - 2).get("cmdId").isNull())
        .as("malformed has no cmdId")
        .isTrue();
    assertThat(processor.unreadable()).isEqualTo(2); // malformed, forged
    assertThat(locker.locks.unlocks()).isEmpty();
  }

  @Test
  void aRefusedCommandSentAgainIsAnsweredReplayedNotReconsidered() {
    String invalid =
        command("cmd-x", LOCKER, "parcel.expect", obj("tracking", "SF0001"), Duration.ofMinutes(5));
    send(invalid);
    send(invalid);
    String elsewhere =
        command("cmd-y", "LCK-OTHER-9", "parcel.expect", obj(), Duration.ofMinutes(5));
    send(elsewhere);
    send(elsewhere);

    assertThat(acks())
        .extracting(a -> a.get("reason").asText())
        .as("the locker id is checked before the replay cache, as the contract orders")
        .containsExactly("invalid", "replayed", "wrong_locker", "wrong_locker");
  }

  // ---------------------------------------------------------------- pre-advice

  @Test
  void aPreAdviceIsMatchedByTheCouriersScanAndNeedsNoPhoneAtTheLocker() {
    send(
        command(
            "parcel.expect",
            obj(
                "tracking", "sf2002",
                "recipientPhone", "+85291230000",
                "recipientEmail", "chan@example.test",
                "size", "M",
                "cod", obj("amount", 4500, "currency", "HKD"),
                "language", "zh-Hant",
                "notify", obj("sms", true, "email", false))));

    assertThat(lastAck().get("status").asText()).isEqualTo("applied");
    Parcel expected = live("SF2002").orElseThrow();
    assertThat(expected.advice().cashOnDelivery()).contains(new Money(4500, "HKD"));
    assertThat(expected.courierId()).isEmpty();

    DepositResult result =
        locker.locker().deposit(new DepositRequest("courier-9", "SF2002", null, Optional.empty()));

    assertThat(result).isInstanceOf(DepositResult.Opened.class);
    assertThat(((DepositResult.Opened) result).compartment().value()).startsWith("B"); // M
    locker.closeDoor(((DepositResult.Opened) result).compartment().value());
    Parcel deposited = live("SF2002").orElseThrow();
    assertThat(deposited.state()).isEqualTo(ParcelState.DEPOSITED);
    assertThat(deposited.courierId()).contains("courier-9");
    assertThat(deposited.advice().language()).contains("zh-Hant");
  }

  @Test
  void aPreAdviceCanBeCancelledUntilTheParcelIsIn() {
    send(command("parcel.expect", obj("tracking", "SF3003", "recipientPhone", "+85291230000")));
    send(command("parcel.cancel", obj("tracking", "SF3003")));
    assertThat(lastAck().get("status").asText()).isEqualTo("applied");
    assertThat(live("SF3003")).isEmpty();

    send(command("parcel.cancel", obj("tracking", "SF3003")));
    assertThat(lastAck().get("reason").asText()).isEqualTo("unknown_parcel");

    locker.depositAndClose("SF3004", Size.S);
    send(command("parcel.cancel", obj("tracking", "SF3004")));
    assertThat(lastAck().get("reason").asText()).isEqualTo("already_deposited");
    send(command("parcel.expect", obj("tracking", "SF3004", "recipientPhone", "+85291230000")));
    assertThat(lastAck().get("reason").asText()).isEqualTo("already_deposited");
  }

  @Test
  void preAdviceDataIsCheckedFieldByField() {
    Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
    bad.put("no phone", obj("tracking", "SF4004"));
    bad.put("bad phone", obj("tracking", "SF4004", "recipientPhone", "91234567"));
    bad.put("bad tracking", obj("tracking", "a b", "recipientPhone", "+85291234567"));
    bad.put("bad size", obj("tracking", "SF4004", "recipientPhone", "+85291234567", "size", "XXL"));
    bad.put(
        "bad cod",
        obj(
            "tracking",
            "SF4004",
            "recipientPhone",
            "+85291234567",
            "cod",
            obj("amount", -1, "currency", "HKD")));
    bad.put(
        "bad email",
        obj(
            "tracking",
            "SF4004",
            "recipientPhone",
            "+85291234567",
            "recipientEmail",
            "no-at-sign"));
    bad.put(
        "bad language",
        obj("tracking", "SF4004", "recipientPhone", "+85291234567", "language", "fr"));
    bad.put(
        "bad notify",
        obj("tracking", "SF4004", "recipientPhone", "+85291234567", "notify", obj("sms", "yes")));
    bad.put(
        "unknown field",
        obj("tracking", "SF4004", "recipientPhone", "+85291234567", "pin", "1234"));

    for (Map.Entry<String, Map<String, Object>> each : bad.entrySet()) {
      assertThat(send(command("parcel.expect", each.getValue())))
          .as(each.getKey())
          .isEqualTo(CommandStatus.REJECTED);
      assertThat(lastAck().get("reason").asText()).as(each.getKey()).isEqualTo("invalid");
    }
    assertThat(live("SF4004")).isEmpty();
  }

  // ---------------------------------------------------------------- remote open

  @Test
  void remoteOpensBeyondTheRateLimitAreRefusedAndRaiseOneAlarm() {
    for (int i = 0; i < 5; i++) {
      locker.depositAndClose("RO000" + i, Size.S);
    }
    List<String> compartments = List.of("A01", "A02", "A03", "A04", "B01");
    for (String id : compartments) {
      send(
          command(
              "compartment.open",
              obj("compartment", id, "reason", "support", "ticket", "T-" + id)));
      if (locker.compartment(id).door().isOpen()) {
        locker.closeDoor(id);
      }
    }

    assertThat(acks().subList(acks().size() - 5, acks().size()))
        .extracting(a -> a.get("status").asText() + ":" + a.path("reason").asText(""))
        .containsExactly(
            "applied:", "applied:", "applied:", "rejected:rate_limited", "rejected:rate_limited");
    assertThat(locker.locks.unlocks()).hasSize(5 + 3); // five deposits, three remote opens
    assertThat(locker.eventTypes().stream().filter("security.alarm"::equals)).hasSize(1);

    locker.clock.advance(OPENS.window().plusSeconds(1));
    send(
        command(
            "compartment.open", obj("compartment", "A04", "reason", "support", "ticket", "T-9")));
    assertThat(lastAck().get("status").asText()).as("a new window").isEqualTo("applied");
  }

  @Test
  void remoteOpenDataAndTargetsAreChecked() {
    send(command("compartment.open", obj("compartment", "A01", "reason", "support")));
    assertThat(lastAck().get("reason").asText()).isEqualTo("invalid");
    send(
        command(
            "compartment.open", obj("compartment", "Z99", "reason", "support", "ticket", "T-1")));
    assertThat(lastAck().get("reason").asText()).isEqualTo("unknown_compartment");
    locker.locks.jam(dev.locker.core.domain.CompartmentId.of("A01"));
    send(
        command(
            "compartment.open", obj("compartment", "A01", "reason", "support", "ticket", "T-2")));
    assertThat(lastAck().get("status").asText()).isEqualTo("failed");
    assertThat(lastAck().get("reason").asText()).isEqualTo("did_not_open");
    assertThat(acks()).hasSize(3);
  }

  // ---------------------------------------------------------------- service

  @Test
  void theCloudTakesACompartmentOutOfServiceAndBack() {
    send(
        command(
            "compartment.service",
            obj("compartment", "A01", "inService", false, "reason", "vandalised")));
    assertThat(lastAck().get("status").asText()).isEqualTo("applied");
    assertThat(locker.compartment("A01").inService()).isFalse();
    send(
        command(
            "compartment.service",
            obj("compartment", "A01", "inService", false, "reason", "again")));
    assertThat(lastAck().get("status").asText()).as("already so").isEqualTo("applied");
    send(
        command(
            "compartment.service", obj("compartment", "A01", "inService", "no", "reason", "x")));
    assertThat(lastAck().get("reason").asText()).isEqualTo("invalid");
    send(
        command(
            "compartment.service",
            obj("compartment", "A01", "inService", true, "reason", "fixed")));
    assertThat(locker.compartment("A01").inService()).isTrue();
    assertThat(acks())
        .extracting(a -> a.get("status").asText())
        .containsExactly("applied", "applied", "rejected", "applied");
  }
}
