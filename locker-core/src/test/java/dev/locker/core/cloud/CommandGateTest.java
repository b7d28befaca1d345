package dev.locker.core.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.LockerStore.CommandRecord;
import dev.locker.core.application.port.LockerStore.CommandStatus;
import dev.locker.core.store.InMemoryLockerStore;
import dev.locker.core.store.SqliteLockerStore;
import dev.locker.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands from the cloud, checked in the contract's order: forged, wrong-locker, expired,
 * replayed, malformed and rate-limited ones each get their own reason and are never accepted.
 */
class CommandGateTest {
  private static final String LOCKER = "LCK-0001";
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final Duration SKEW = Duration.ofMinutes(2);

  private final ManualClock clock = new ManualClock(NOW);
  private final CloudSigner cloud = new CloudSigner("cloud-2026-1");
  private final LockerStore store = new InMemoryLockerStore(clock, LOCKER);
  private final CommandGate gate = gate(CommandKeys.ofKeys(Map.of(cloud.kid, cloud.publicKey())));

  private static CommandGate gate(CommandKeys keys) {
    return new CommandGate(
        LOCKER,
        keys,
        new CommandGate.Policy(
            SKEW,
            Duration.ofHours(24),
            Map.of("compartment.open", new CommandGate.RateLimit(3, Duration.ofMinutes(10)))));
  }

  private static String body(String cmdId, String type) {
    return CloudSigner.body(
        cmdId, LOCKER, type, NOW.minusSeconds(10), NOW.plusSeconds(300), Map.of("tracking", "JD1"));
  }

  private CommandVerdict check(String message) {
    return check(message, store);
  }

  private CommandVerdict check(String message, LockerStore on) {
    return gate.check(message.getBytes(StandardCharsets.UTF_8), clock.instant(), readerOf(on));
  }

  private static LockerStore.Reader readerOf(LockerStore store) {
    return store.read(r -> r);
  }

  private static RejectReason reason(CommandVerdict verdict) {
    assertThat(verdict).isInstanceOf(CommandVerdict.Rejected.class);
    return ((CommandVerdict.Rejected) verdict).reason();
  }

  private void answered(String cmdId, String type, Instant at, CommandStatus status) {
    store.transaction(
        tx -> {
          tx.recordCommand(new CommandRecord(cmdId, type, at, status));
          return null;
        });
  }

  @Test
  void aNullInTheDataIsADataValueForTheHandlerNotACrash() {
    String body =
        CloudSigner.body(
            "c-null",
            LOCKER,
            "notification.status",
            NOW.minusSeconds(10),
            NOW.plusSeconds(300),
            new java.util.HashMap<>(java.util.Collections.singletonMap("detail", null)));

    CommandVerdict verdict = check(cloud.envelope(body));

    assertThat(verdict).isInstanceOf(CommandVerdict.Accepted.class);
    assertThat(((CommandVerdict.Accepted) verdict).command().data()).containsEntry("detail", null);
  }

  @Test
  void aSignedCommandForThisLockerInTimeIsAcceptedWithItsData() {
    CommandVerdict verdict = check(cloud.envelope(body("c-1", "parcel.expect")));

    assertThat(verdict)
        .isEqualTo(
            new CommandVerdict.Accepted(
                new Command(
                    "c-1",
                    LOCKER,
                    "parcel.expect",
                    NOW.minusSeconds(10),
                    NOW.plusSeconds(300),
                    Map.of("tracking", "JD1"))));
  }

  @Test
  void forgedCommandsAreBadSignatures() {
    CloudSigner forger = new CloudSigner(cloud.kid); // the right key id, the wrong key
    String body = body("c-1", "compartment.open");

    assertThat(reason(check(forger.envelope(body)))).isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(reason(check(new CloudSigner("cloud-9999").envelope(body))))
        .isEqualTo(RejectReason.BAD_SIGNATURE);
    String altered = body.replace("\"JD1\"", "\"JD2\"");
    assertThat(reason(check(CloudSigner.envelope(cloud.kid, altered, cloud.sign(body)))))
        .isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(reason(check(CloudSigner.envelope(cloud.kid, body, "not base64!"))))
        .isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(reason(check(CloudSigner.envelope(cloud.kid, body, ""))))
        .isEqualTo(RejectReason.BAD_SIGNATURE);
  }

  @Test
  void aLockerWithNoKeysAcceptsNothing() {
    CommandGate keyless = gate(CommandKeys.none());
    CommandVerdict verdict =
        keyless.check(
            cloud.envelope(body("c-1", "parcel.expect")).getBytes(StandardCharsets.UTF_8),
            NOW,
            readerOf(store));
    assertThat(reason(verdict)).isEqualTo(RejectReason.BAD_SIGNATURE);
  }

  @Test
  void aCommandForAnotherLockerIsRefused() {
    String body =
        CloudSigner.body("c-1", "LCK-0002", "compartment.open", NOW, NOW.plusSeconds(60), Map.of());
    CommandVerdict.Rejected r = (CommandVerdict.Rejected) check(cloud.envelope(body));
    assertThat(r.reason()).isEqualTo(RejectReason.WRONG_LOCKER);
    assertThat(r.cmdId()).hasValue("c-1");
  }

  @Test
  void expiryAllowsTheClockSkewAndNoMore() {
    String expiresNow =
        CloudSigner.body(
            "c-1", LOCKER, "parcel.cancel", NOW.minusSeconds(60), NOW, Map.of("tracking", "JD1"));
    clock.advance(SKEW);
    assertThat(check(cloud.envelope(expiresNow))).isInstanceOf(CommandVerdict.Accepted.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(reason(check(cloud.envelope(expiresNow)))).isEqualTo(RejectReason.EXPIRED);
  }

  @Test
  void aCommandFromTheFutureOrWithAnEndlessLifeIsInvalid() {
    String future =
        CloudSigner.body(
            "c-1", LOCKER, "parcel.cancel", NOW.plusSeconds(600), NOW.plusSeconds(900), Map.of());
    assertThat(reason(check(cloud.envelope(future)))).isEqualTo(RejectReason.INVALID);
    String endless =
        CloudSigner.body(
            "c-2", LOCKER, "parcel.cancel", NOW, NOW.plus(Duration.ofDays(30)), Map.of());
    assertThat(reason(check(cloud.envelope(endless)))).isEqualTo(RejectReason.INVALID);
  }

  @Test
  void aReplayedCommandIsRefusedEvenAfterARestart(@TempDir Path dir) {
    String message = cloud.envelope(body("c-7", "compartment.open"));
    Path file = dir.resolve("locker.db");
    try (SqliteLockerStore sqlite = SqliteLockerStore.open(file, clock, LOCKER)) {
      assertThat(check(message, sqlite)).isInstanceOf(CommandVerdict.Accepted.class);
      sqlite.transaction(
          tx -> {
            tx.recordCommand(
                new CommandRecord("c-7", "compartment.open", NOW, CommandStatus.APPLIED));
            return null;
          });
    }
    try (SqliteLockerStore reopened = SqliteLockerStore.open(file, clock, LOCKER)) {
      assertThat(reason(check(message, reopened))).isEqualTo(RejectReason.REPLAYED);
    }
  }

  @Test
  void remoteOpensBeyondTheRateLimitAreRefusedUntilTheWindowHasPassed() {
    for (int i = 0; i < 3; i++) {
      answered("open-" + i, "compartment.open", NOW.minusSeconds(60L * i), CommandStatus.APPLIED);
    }
    answered("refused", "compartment.open", NOW, CommandStatus.REJECTED);

    assertThat(reason(check(cloud.envelope(body("open-3", "compartment.open")))))
        .isEqualTo(RejectReason.RATE_LIMITED);
    assertThat(check(cloud.envelope(body("expect-1", "parcel.expect"))))
        .as("other types are not limited")
        .isInstanceOf(CommandVerdict.Accepted.class);

    clock.advance(Duration.ofMinutes(9)); // the oldest, 2 minutes back, leaves the window
    String later =
        CloudSigner.body(
            "open-4",
            LOCKER,
            "compartment.open",
            clock.instant(),
            clock.instant().plusSeconds(60),
            Map.of());
    assertThat(check(cloud.envelope(later))).isInstanceOf(CommandVerdict.Accepted.class);
  }

  @Test
  void messagesThatAreNoCommandEnvelopeAreMalformed() {
    String body = body("c-1", "parcel.expect");
    String sig = cloud.sign(body);
    for (String message :
        new String[] {
          "",
          "not json",
          "[1,2,3]",
          "{}",
          "{\"kid\":\"cloud-2026-1\",\"body\":\"{}\"}",
          "{\"kid\":1,\"body\":\"{}\",\"sig\":\"x\"}",
          CloudSigner.envelope(cloud.kid, body, sig).replace("}", ",\"extra\":1}"),
          CloudSigner.envelope(cloud.kid, body, sig) + " trailing",
          "{\"kid\":\"a\",\"kid\":\"" + cloud.kid + "\",\"body\":\"{}\",\"sig\":\"" + sig + "\"}",
          "[".repeat(100_000)
        }) {
      CommandVerdict.Rejected r = (CommandVerdict.Rejected) check(message);
      assertThat(r.reason())
          .as(message.length() > 80 ? "huge" : message)
          .isEqualTo(RejectReason.MALFORMED);
      assertThat(r.cmdId()).isEmpty();
    }
  }

  @Test
  void aSignedBodyThatBreaksTheContractIsInvalidNotApplied() {
    String duplicateLocker =
        "{\"v\":1,\"cmdId\":\"c-1\",\"lockerId\":\"LCK-0002\",\"lockerId\":\""
            + LOCKER
            + "\",\"type\":\"compartment.open\",\"issuedAt\":\""
            + NOW
            + "\",\"expiresAt\":\""
            + NOW.plusSeconds(60)
            + "\",\"data\":{}}";
    assertThat(reason(check(cloud.envelope(duplicateLocker)))).isEqualTo(RejectReason.INVALID);
    assertThat(reason(check(cloud.envelope(body("c-1", "compartment.explode")))))
        .isEqualTo(RejectReason.INVALID);
    assertThat(reason(check(cloud.envelope(body("c 1 with spaces", "parcel.expect")))))
        .isEqualTo(RejectReason.INVALID);
    assertThat(
            reason(
                check(cloud.envelope(body("c-1", "parcel.expect").replace("\"v\":1", "\"v\":2")))))
        .isEqualTo(RejectReason.INVALID);
    assertThat(
            reason(
                check(
                    cloud.envelope(
                        body("c-1", "parcel.expect")
                            .replace("\"data\":{", "\"data\":[{")
                            .replace("}}", "}]}")))))
        .isEqualTo(RejectReason.INVALID);
    assertThat(reason(check(cloud.envelope("[]")))).isEqualTo(RejectReason.INVALID);
  }

  @Test
  void theFirstFailingCheckNamesTheReason() {
    CloudSigner forger = new CloudSigner(cloud.kid);
    String everythingWrong =
        CloudSigner.body(
            "c-1", "LCK-0002", "nope", NOW.minusSeconds(9_000), NOW.minusSeconds(8_000), Map.of());
    assertThat(reason(check(forger.envelope(everythingWrong))))
        .isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(reason(check(cloud.envelope(everythingWrong)))).isEqualTo(RejectReason.WRONG_LOCKER);
  }

  @Test
  void keysRotateByKeyId() {
    CloudSigner next = new CloudSigner("cloud-2027-1");
    CommandGate both =
        gate(CommandKeys.ofKeys(Map.of(cloud.kid, cloud.publicKey(), next.kid, next.publicKey())));
    CommandGate onlyNext = gate(CommandKeys.ofKeys(Map.of(next.kid, next.publicKey())));
    byte[] old = cloud.envelope(body("c-1", "parcel.expect")).getBytes(StandardCharsets.UTF_8);
    byte[] fresh = next.envelope(body("c-2", "parcel.expect")).getBytes(StandardCharsets.UTF_8);

    assertThat(both.check(old, NOW, readerOf(store))).isInstanceOf(CommandVerdict.Accepted.class);
    assertThat(both.check(fresh, NOW, readerOf(store))).isInstanceOf(CommandVerdict.Accepted.class);
    assertThat(reason(onlyNext.check(old, NOW, readerOf(store))))
        .isEqualTo(RejectReason.BAD_SIGNATURE);
  }

  @Test
  void keysAreReadFromBase64RawOrX509AndABadOneIsNamedByItsId() {
    byte[] spki = cloud.publicKey().getEncoded();
    String raw = java.util.Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, 12, 44));
    String x509 = java.util.Base64.getEncoder().encodeToString(spki);
    for (String text : new String[] {raw, x509}) {
      CommandGate g = gate(CommandKeys.of(Map.of(cloud.kid, text)));
      assertThat(
              g.check(
                  cloud.envelope(body("c-1", "parcel.expect")).getBytes(StandardCharsets.UTF_8),
                  NOW,
                  readerOf(store)))
          .isInstanceOf(CommandVerdict.Accepted.class);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CommandKeys.of(Map.of("cloud-x", "AAAA")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key cloud-x is not an Ed25519 public key (32 bytes, or its X.509 encoding)");
  }

  @Test
  void mutatedEnvelopesNeverThrowAndNeverSmuggleInAnotherCommand() {
    long seed = 0xC0FFEEL;
    Random random = new Random(seed);
    String body =
        CloudSigner.body(
            "c-42",
            LOCKER,
            "compartment.open",
            NOW,
            NOW.plusSeconds(60),
            Map.of("compartment", "A07"));
    byte[] good = cloud.envelope(body).getBytes(StandardCharsets.UTF_8);
    Command original = ((CommandVerdict.Accepted) gate.check(good, NOW, readerOf(store))).command();
    LockerStore.Reader reader = readerOf(store);
    for (int n = 0; n < 100_000; n++) {
      byte[] mutated = mutate(good, random);
      CommandVerdict verdict = gate.check(mutated, NOW, reader);
      if (verdict instanceof CommandVerdict.Accepted accepted) {
        assertThat(accepted.command())
            .as("seed %d case %d: %s", seed, n, new String(mutated, StandardCharsets.UTF_8))
            .isEqualTo(original);
      }
    }
  }

  private static byte[] mutate(byte[] good, Random random) {
    byte[] out = good.clone();
    switch (random.nextInt(4)) {
      case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length));
      default -> {
        int at = random.nextInt(out.length);
        byte[] longer = new byte[out.length + 1];
        System.arraycopy(out, 0, longer, 0, at);
        String alphabet = " {}\",:\\u0";
        longer[at] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        System.arraycopy(out, at, longer, at + 1, out.length - at);
        out = longer;
      }
    }
    return out;
  }
}
