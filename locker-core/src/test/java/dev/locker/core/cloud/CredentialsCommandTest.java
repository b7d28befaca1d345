package dev.locker.core.cloud;

import static dev.locker.core.cloud.HandlerFixture.assertWellFormed;
import static dev.locker.core.cloud.HandlerFixture.detail;
import static dev.locker.core.testing.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.Credential;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code credentials.upsert} and {@code credentials.revoke} over a real SQLite store. */
class CredentialsCommandTest {
  static final String CARD = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  static final String OTHER_CARD =
      "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
  static final String SALT = "c29tZXNhbHRzb21lc2FsdA"; // "somesaltsomesalt", 16 bytes
  static final String HASH = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"; // 32 bytes
  static final String PIN = "$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH;
  static final String STRONGER_PIN = "$argon2id$v=19$m=65536,t=3,p=4$" + SALT + "$" + HASH;

  private static final CommandHandler UPSERT = CredentialsCommands.upsert();
  private static final CommandHandler REVOKE = CredentialsCommands.revoke();

  @TempDir Path dir;
  private HandlerFixture locker;

  @BeforeEach
  void open() {
    locker = HandlerFixture.sqlite(dir);
  }

  @AfterEach
  void close() {
    locker.close();
  }

  private CommandOutcome upsert(Map<String, Object> data) {
    CommandOutcome outcome = locker.apply(UPSERT, "credentials.upsert", data);
    assertNoHashIn(outcome);
    return outcome;
  }

  private CommandOutcome revoke(Map<String, Object> data) {
    CommandOutcome outcome = locker.apply(REVOKE, "credentials.revoke", data);
    assertNoHashIn(outcome);
    return outcome;
  }

  private static void assertNoHashIn(CommandOutcome outcome) {
    assertWellFormed(outcome, "outcome");
    assertThat(detail(outcome)).as("the audit detail").doesNotContain(CARD, OTHER_CARD, SALT, HASH);
  }

  private Optional<Credential> credential(Credential.Role role, String id) {
    return locker.store.read(r -> r.credential(role, id));
  }

  /** A rejection with {@code reason}, after which the store is as it was. */
  private void assertRejected(Map<String, Object> data, String reason, String detailPart) {
    HandlerFixture.State before = locker.state();

    CommandOutcome outcome = upsert(data);

    assertThat(outcome).isInstanceOf(CommandOutcome.Rejected.class);
    assertThat(((CommandOutcome.Rejected) outcome).reason()).isEqualTo(reason);
    assertThat(detail(outcome)).contains(detailPart);
    assertThat(locker.state()).as("nothing written").isEqualTo(before);
  }

  // ---------------------------------------------------------------- upsert, accepted

  @Test
  void aCourierWithACardIsGranted() {
    CommandOutcome outcome = upsert(obj("role", "courier", "id", "courier-7", "cardHash", CARD));

    assertThat(outcome)
        .isEqualTo(new CommandOutcome.Applied("courier courier-7 granted: card only"));
    assertThat(credential(Credential.Role.COURIER, "courier-7"))
        .contains(
            new Credential(
                Credential.Role.COURIER,
                "courier-7",
                Optional.of(CARD),
                Optional.empty(),
                HandlerFixture.NOW));
  }

  @Test
  void aCourierWithAPinOnlyIsGranted() {
    CommandOutcome outcome = upsert(obj("role", "courier", "id", "c.8_x-Y", "pinHash", PIN));

    assertThat(outcome).isEqualTo(new CommandOutcome.Applied("courier c.8_x-Y granted: PIN only"));
    assertThat(credential(Credential.Role.COURIER, "c.8_x-Y").orElseThrow().pinHash())
        .contains(PIN);
  }

  @Test
  void aTechnicianWithCardAndPinIsGranted() {
    CommandOutcome outcome =
        upsert(obj("role", "technician", "id", "tech-3", "cardHash", CARD, "pinHash", PIN));

    assertThat(outcome)
        .isEqualTo(new CommandOutcome.Applied("technician tech-3 granted: card and PIN"));
    assertThat(credential(Credential.Role.TECHNICIAN, "tech-3")).isPresent();
    assertThat(credential(Credential.Role.COURIER, "tech-3")).as("roles are apart").isEmpty();
  }

  @Test
  void anUpsertReplacesTheWholeCredentialAndAFactorLeftOutIsGone() {
    upsert(obj("role", "courier", "id", "courier-7", "cardHash", CARD, "pinHash", PIN));
    locker.clock.advance(Duration.ofMinutes(1));

    CommandOutcome outcome =
        upsert(obj("role", "courier", "id", "courier-7", "cardHash", OTHER_CARD));

    assertThat(outcome)
        .isEqualTo(
            new CommandOutcome.Applied("courier courier-7 replaced (was card and PIN): card only"));
    Credential now = credential(Credential.Role.COURIER, "courier-7").orElseThrow();
    assertThat(now.cardHash()).contains(OTHER_CARD);
    assertThat(now.pinHash()).isEmpty();
    assertThat(now.updatedAt()).isEqualTo(HandlerFixture.NOW.plus(Duration.ofMinutes(1)));
  }

  @Test
  void theSameUpsertAgainIsAppliedAndChangesNothing() {
    Map<String, Object> grant =
        obj("role", "technician", "id", "tech-3", "cardHash", CARD, "pinHash", STRONGER_PIN);
    upsert(grant);
    locker.clock.advance(Duration.ofHours(1));
    HandlerFixture.State before = locker.state();

    CommandOutcome again = upsert(grant);

    assertThat(again)
        .isEqualTo(new CommandOutcome.Applied("technician tech-3 already has card and PIN"));
    assertThat(locker.state()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- upsert, refused

  @Test
  void aTechnicianWithoutAPinIsInvalid() {
    assertRejected(
        obj("role", "technician", "id", "tech-3", "cardHash", CARD),
        "invalid",
        "needs cardHash and pinHash");
  }

  @Test
  void aTechnicianWithoutACardIsInvalid() {
    assertRejected(
        obj("role", "technician", "id", "tech-3", "pinHash", PIN),
        "invalid",
        "needs cardHash and pinHash");
  }

  @Test
  void aCourierWithNoFactorIsInvalid() {
    assertRejected(
        obj("role", "courier", "id", "courier-7"), "invalid", "cardHash, pinHash or both");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "$argon2id$v=19$m=19455,t=2,p=1$", // one KiB under OWASP's 19 MiB
        "$argon2id$v=19$m=19456,t=1,p=1$", // one pass
        "$argon2id$v=19$m=4096,t=3,p=1$", // libsodium's "interactive" memory
        "$argon2id$v=19$m=19456,t=2,p=0$", // no lane
      })
  void aPinHashCheaperThanOwaspsMinimumIsRefusedAsWeak(String params) {
    assertRejected(
        obj("role", "courier", "id", "courier-7", "pinHash", params + SALT + "$" + HASH),
        "weak_pin_hash",
        "courier courier-7: pinHash is too weak");
  }

  @Test
  void aWeakPinDoesNotReplaceAStrongOne() {
    upsert(obj("role", "courier", "id", "courier-7", "pinHash", PIN));

    assertRejected(
        obj(
            "role",
            "courier",
            "id",
            "courier-7",
            "pinHash",
            "$argon2id$v=19$m=65536,t=1,p=4$" + SALT + "$" + HASH),
        "weak_pin_hash",
        "m=65536,t=1,p=4");
    assertThat(credential(Credential.Role.COURIER, "courier-7").orElseThrow().pinHash())
        .contains(PIN);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "$argon2i$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH, // Argon2i, not Argon2id
        "$argon2id$v=16$m=19456,t=2,p=1$" + SALT + "$" + HASH, // version 1.0
        "$argon2id$m=19456,t=2,p=1$" + SALT + "$" + HASH, // no version
        "$argon2id$v=19$t=2,m=19456,p=1$" + SALT + "$" + HASH, // parameters out of order
        "$argon2id$v=19$m=019456,t=2,p=1$" + SALT + "$" + HASH, // leading zero
        "$argon2id$v=19$m=19456,t=2,p=1,keyid=x$" + SALT + "$" + HASH, // extra parameter
        "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2Rl$" + HASH, // 15-byte salt
        "$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg",
        "$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "==$" + HASH, // padded Base64
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdB$" + HASH, // non-canonical bits
        "$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH + "$", // trailing field
        "$argon2id$v=19$m=2097152,t=2,p=1$" + SALT + "$" + HASH, // 2 GiB: beyond this board
        "$argon2id$v=19$m=19456,t=2,p=4096$" + SALT + "$" + HASH, // m < 8 p, and too many lanes
        " $argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH, // leading blank
        "",
      })
  void aPinHashThatIsNotAStrictArgon2idPhcStringIsInvalid(String pinHash) {
    assertRejected(
        obj("role", "courier", "id", "courier-7", "pinHash", pinHash),
        "invalid",
        "pinHash is not an accepted Argon2id hash");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", // upper case
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0", // 63
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a080", // 65
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g", // not hex
        "04a2b3c4d5e6f7", // a raw card UID
      })
  void aCardHashThatIsNot64LowerCaseHexCharactersIsInvalid(String cardHash) {
    assertRejected(
        obj("role", "courier", "id", "courier-7", "cardHash", cardHash),
        "invalid",
        "cardHash must be 64 lower-case hex characters");
    assertThat(detail(upsert(obj("role", "courier", "id", "c", "cardHash", cardHash))))
        .doesNotContain(cardHash);
  }

  @Test
  void everyBadFieldIsNamedInOneRejection() {
    assertRejected(
        obj("role", "admin", "id", "no spaces allowed", "cardHash", 42, "pinHash", PIN),
        "invalid",
        "role must be courier or technician; id must be 1 to 40 of A-Z a-z 0-9 . _ -;"
            + " cardHash must be text, was a whole number");
  }

  @Test
  void anUnknownKeyIsInvalidAndAKeyThatIsNotANameIsNotRepeated() {
    assertRejected(
        obj("role", "courier", "id", "courier-7", "cardHash", CARD, "phone", "+85291234567"),
        "invalid",
        "phone is not a known key");
    assertRejected(
        obj("role", "courier", "id", "courier-7", "cardHash", CARD, "+85291234567", true),
        "invalid",
        "(a key that is not a name) is not a known key");
  }

  @Test
  void anIdOfFortyOneCharactersIsInvalid() {
    assertRejected(
        obj("role", "courier", "id", "x".repeat(41), "cardHash", CARD),
        "invalid",
        "id must be 1 to 40");
    assertThat(upsert(obj("role", "courier", "id", "x".repeat(40), "cardHash", CARD)))
        .isInstanceOf(CommandOutcome.Applied.class);
  }

  // ---------------------------------------------------------------- revoke

  @Test
  void aRevokedCourierIsGoneAndOthersStay() {
    upsert(obj("role", "courier", "id", "courier-7", "cardHash", CARD));
    upsert(obj("role", "courier", "id", "courier-8", "cardHash", CARD));
    upsert(obj("role", "technician", "id", "courier-7", "cardHash", CARD, "pinHash", PIN));

    CommandOutcome outcome = revoke(obj("role", "courier", "id", "courier-7"));

    assertThat(outcome).isEqualTo(new CommandOutcome.Applied("courier courier-7 revoked"));
    List<Credential> couriers = locker.store.read(r -> r.credentials(Credential.Role.COURIER));
    assertThat(couriers).extracting(Credential::id).containsExactly("courier-8");
    assertThat(credential(Credential.Role.TECHNICIAN, "courier-7")).isPresent();
  }

  @Test
  void revokingAnUnknownIdIsAppliedWithNothingToRevokeAndChangesNothing() {
    upsert(obj("role", "courier", "id", "courier-8", "cardHash", CARD));
    HandlerFixture.State before = locker.state();

    CommandOutcome first = revoke(obj("role", "technician", "id", "courier-8"));
    CommandOutcome second = revoke(obj("role", "technician", "id", "courier-8"));

    assertThat(first)
        .isEqualTo(new CommandOutcome.Applied("technician courier-8: nothing to revoke"));
    assertThat(second).isEqualTo(first);
    assertThat(locker.state()).isEqualTo(before);
  }

  @Test
  void aRevokeWithHashesOrWithoutAnIdIsInvalidAndRevokesNothing() {
    upsert(obj("role", "courier", "id", "courier-7", "cardHash", CARD));
    HandlerFixture.State before = locker.state();

    CommandOutcome withHash = revoke(obj("role", "courier", "id", "courier-7", "cardHash", CARD));
    CommandOutcome withoutId = revoke(obj("role", "courier"));

    assertThat(withHash)
        .isEqualTo(new CommandOutcome.Rejected("invalid", "cardHash is not a known key"));
    assertThat(withoutId).isEqualTo(new CommandOutcome.Rejected("invalid", "id is required"));
    assertThat(locker.state()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- fuzz

  @Test
  void tenThousandMutatedCommandsAreEachAppliedOrRejectedWithAReasonAndNeverLeakAHash() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    try (HandlerFixture fast = HandlerFixture.inMemory()) {
      List<Map<String, Object>> valid =
          List.of(
              obj("role", "courier", "id", "courier-7", "cardHash", CARD),
              obj("role", "technician", "id", "tech-3", "cardHash", CARD, "pinHash", PIN),
              obj("role", "courier", "id", "courier-8", "pinHash", STRONGER_PIN));
      for (int i = 0; i < 10_000; i++) {
        boolean isRevoke = random.nextInt(4) == 0;
        Map<String, Object> data = DataFuzz.mutate(valid.get(random.nextInt(3)), random);
        String context = "seed " + seed + ", case " + i + ": " + data.keySet();
        HandlerFixture.State before = fast.state();

        CommandOutcome outcome =
            isRevoke
                ? fast.apply(REVOKE, "credentials.revoke", data)
                : fast.apply(UPSERT, "credentials.upsert", data);

        assertWellFormed(outcome, context);
        assertThat(detail(outcome)).as(context).doesNotContain(CARD, SALT, HASH, "+852", "1380");
        if (outcome instanceof CommandOutcome.Rejected) {
          assertThat(fast.state()).as(context + " wrote nothing").isEqualTo(before);
        }
      }
    }
  }
}
