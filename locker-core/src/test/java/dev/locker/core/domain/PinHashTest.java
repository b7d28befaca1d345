package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** The strict Argon2id PHC parser behind {@code credentials.upsert}'s {@code pinHash}. */
class PinHashTest {
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final String SALT = "c29tZXNhbHRzb21lc2FsdA"; // 16 bytes
  private static final String HASH = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"; // 32 bytes
  private static final String OWASP = "$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH;

  /** A PHC string as an Argon2id implementation writes it, here BouncyCastle's. */
  private static String realHash(
      String pin, byte[] salt, int memoryKib, int iterations, int lanes) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(lanes)
            .withSalt(salt)
            .build());
    byte[] hash = new byte[32];
    generator.generateBytes(pin.getBytes(StandardCharsets.UTF_8), hash);
    return "$argon2id$v=19$m="
        + memoryKib
        + ",t="
        + iterations
        + ",p="
        + lanes
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  @Test
  void aHashWrittenByAnArgon2idImplementationIsValidWithItsCostsSaltAndHash() {
    byte[] salt = "locker-salt-0001".getBytes(StandardCharsets.US_ASCII);
    String phc = realHash("482913", salt, 19_456, 2, 1);

    PinHash.Parsed parsed = PinHash.parse(phc);

    assertThat(parsed).isInstanceOf(PinHash.Parsed.Valid.class);
    PinHash pin = ((PinHash.Parsed.Valid) parsed).pinHash();
    assertThat(pin.phc()).isEqualTo(phc);
    assertThat(pin.memoryKib()).isEqualTo(19_456);
    assertThat(pin.iterations()).isEqualTo(2);
    assertThat(pin.lanes()).isEqualTo(1);
    assertThat(pin.salt()).isEqualTo(salt);
    assertThat(pin.hash()).hasSize(32);
  }

  @Test
  void theOwaspMinimumIsValidAndOneStepBelowIsWeak() {
    assertThat(PinHash.parse(OWASP)).isInstanceOf(PinHash.Parsed.Valid.class);
    assertThat(PinHash.parse("$argon2id$v=19$m=19455,t=2,p=1$" + SALT + "$" + HASH))
        .isEqualTo(new PinHash.Parsed.Weak("m=19455,t=2,p=1 is below m=19456,t=2,p=1"));
    assertThat(PinHash.parse("$argon2id$v=19$m=19456,t=1,p=1$" + SALT + "$" + HASH))
        .isInstanceOf(PinHash.Parsed.Weak.class);
    assertThat(PinHash.parse("$argon2id$v=19$m=19456,t=2,p=0$" + SALT + "$" + HASH))
        .isInstanceOf(PinHash.Parsed.Weak.class);
  }

  @Test
  void costsBeyondWhatTheBoardCanVerifyAreInvalid() {
    assertThat(PinHash.parse("$argon2id$v=19$m=1048576,t=32,p=16$" + SALT + "$" + HASH))
        .isInstanceOf(PinHash.Parsed.Valid.class);
    assertThat(PinHash.parse("$argon2id$v=19$m=1048577,t=2,p=1$" + SALT + "$" + HASH))
        .isInstanceOf(PinHash.Parsed.Invalid.class);
    assertThat(PinHash.parse("$argon2id$v=19$m=19456,t=33,p=1$" + SALT + "$" + HASH))
        .isInstanceOf(PinHash.Parsed.Invalid.class);
    assertThat(PinHash.parse("$argon2id$v=19$m=19456,t=2,p=17$" + SALT + "$" + HASH))
        .isInstanceOf(PinHash.Parsed.Invalid.class);
    assertThat(PinHash.parse("$argon2id$v=19$m=9999999999,t=2,p=1$" + SALT + "$" + HASH))
        .isInstanceOf(PinHash.Parsed.Invalid.class);
  }

  @Test
  void saltAndHashLengthsAreBounded() {
    String salt64 = B64.encodeToString(new byte[64]);
    String salt65 = B64.encodeToString(new byte[65]);
    String params = "$argon2id$v=19$m=19456,t=2,p=1$";

    assertThat(PinHash.parse(params + salt64 + "$" + salt64))
        .isInstanceOf(PinHash.Parsed.Valid.class);
    assertThat(PinHash.parse(params + salt65 + "$" + HASH))
        .isEqualTo(new PinHash.Parsed.Invalid("a salt of 65 bytes, 16 to 64 wanted"));
    assertThat(PinHash.parse(params + SALT + "$" + B64.encodeToString(new byte[31])))
        .isEqualTo(new PinHash.Parsed.Invalid("a hash of 31 bytes, 32 to 64 wanted"));
    assertThat(PinHash.parse(null)).isInstanceOf(PinHash.Parsed.Invalid.class);
    assertThat(PinHash.parse(OWASP + "A".repeat(300))).isInstanceOf(PinHash.Parsed.Invalid.class);
  }

  @Test
  void itsTextShowsTheCostsOnly() {
    PinHash pin = ((PinHash.Parsed.Valid) PinHash.parse(OWASP)).pinHash();

    assertThat(pin).hasToString("PinHash[argon2id m=19456,t=2,p=1]");
    assertThat(pin.salt()).as("a copy").isNotSameAs(pin.salt());
  }

  /**
   * 100,000 strings one to three edits away from a valid hash: never a throw, never a wrong yes.
   */
  @Test
  void mutatedHashesAreClassifiedWithoutThrowing() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String alphabet = "$=,+/0123456789abcdimnoprtvAZ=-\u0000\u00e9 ";
    int valid = 0;
    for (int i = 0; i < 100_000; i++) {
      StringBuilder text = new StringBuilder(OWASP);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(text.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> text.setCharAt(at, c);
          case 1 -> text.insert(at, c);
          default -> text.deleteCharAt(at);
        }
      }
      String mutated = text.toString();

      PinHash.Parsed parsed = PinHash.parse(mutated);

      assertThat(parsed).as("seed %d, case %d: %s", seed, i, mutated).isNotNull();
      if (parsed instanceof PinHash.Parsed.Valid v) {
        valid++;
        PinHash pin = v.pinHash();
        assertThat(mutated)
            .as("seed %d, case %d: a valid hash writes back as it was read", seed, i)
            .isEqualTo(
                "$argon2id$v=19$m="
                    + pin.memoryKib()
                    + ",t="
                    + pin.iterations()
                    + ",p="
                    + pin.lanes()
                    + "$"
                    + B64.encodeToString(pin.salt())
                    + "$"
                    + B64.encodeToString(pin.hash()));
        assertThat(pin.memoryKib()).isBetween(PinHash.MIN_MEMORY_KIB, PinHash.MAX_MEMORY_KIB);
        assertThat(pin.iterations()).isBetween(PinHash.MIN_ITERATIONS, PinHash.MAX_ITERATIONS);
        assertThat(pin.lanes()).isBetween(PinHash.MIN_LANES, PinHash.MAX_LANES);
      }
    }
    assertThat(valid)
        .as("seed %d: some edits keep a valid hash (salt or hash bytes)", seed)
        .isPositive();
  }
}
