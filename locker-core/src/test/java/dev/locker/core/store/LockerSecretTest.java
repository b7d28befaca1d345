package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The locker's own HMAC key for pickup codes (reliability-security.md §5.4-1). */
class LockerSecretTest {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void posixOnly() throws IOException {
    assumeTrue(
        Files.getFileStore(dir).supportsFileAttributeView("posix"),
        "the secret's mode is checked on POSIX file systems only");
    file = dir.resolve("secret.key");
  }

  /** A random source that hands out a known pattern, so the test knows what was written. */
  private static SecureRandom pattern(int seed) {
    return new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) (seed * 31 + i * 7);
        }
      }
    };
  }

  /** A random source that must not be asked: the secret already exists. */
  private static SecureRandom untouchable() {
    return new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        throw new AssertionError("an existing secret was created again");
      }
    };
  }

  private static byte[] expected(int seed) {
    byte[] bytes = new byte[LockerSecret.LENGTH];
    pattern(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void theFirstStartCreatesThirtyTwoRandomBytesOnlyTheOwnerMayRead() throws IOException {
    byte[] secret = LockerSecret.loadOrCreate(file, pattern(1));

    assertThat(secret).hasSize(32).isEqualTo(expected(1));
    assertThat(Files.readAllBytes(file)).isEqualTo(secret);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var siblings = Files.list(dir)) {
      assertThat(siblings).as("no temporary file left").containsExactly(file);
    }
  }

  @Test
  void aRealRandomSourceGivesADifferentSecretToEveryLocker() throws IOException {
    byte[] one = LockerSecret.loadOrCreate(dir.resolve("one.key"), new SecureRandom());
    byte[] two = LockerSecret.loadOrCreate(dir.resolve("two.key"), new SecureRandom());

    assertThat(one).hasSize(32).isNotEqualTo(two).isNotEqualTo(new byte[32]);
  }

  @Test
  void laterStartsReadTheSameSecretAndNeverReplaceIt() throws IOException {
    byte[] first = LockerSecret.loadOrCreate(file, pattern(2));
    var modified = Files.getLastModifiedTime(file);

    byte[] second = LockerSecret.loadOrCreate(file, untouchable());
    byte[] third = LockerSecret.loadOrCreate(file, untouchable());

    assertThat(second).isEqualTo(first).isEqualTo(third).isEqualTo(expected(2));
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void missingFoldersAreCreated() throws IOException {
    Path deep = dir.resolve("etc/locker/keys/secret.key");

    assertThat(LockerSecret.loadOrCreate(deep, pattern(3))).isEqualTo(expected(3));
    assertThat(Files.readAllBytes(deep)).isEqualTo(expected(3));
  }

  @Test
  void aTemporaryFileLeftByACrashDoesNotGetInTheWay() throws IOException {
    Files.write(dir.resolve("secret.key.new"), new byte[] {1, 2, 3});

    assertThat(LockerSecret.loadOrCreate(file, pattern(4))).isEqualTo(expected(4));
    assertThat(Files.exists(dir.resolve("secret.key.new"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r--r--", "rw-rw----", "rw----r--", "rwx------", "r--------"})
  void aSecretWithOtherPermissionsIsRefusedNamingTheFile(String mode) throws IOException {
    byte[] secret = LockerSecret.loadOrCreate(file, pattern(5));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

    assertThatThrownBy(() -> LockerSecret.loadOrCreate(file, untouchable()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("chmod 600")
        .hasMessageContaining(mode)
        .satisfies(e -> assertRevealsNothingOf(e.getMessage(), secret));
    assertThat(Files.readAllBytes(file)).as("the file is left alone").isEqualTo(secret);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 31, 33, 64})
  void aSecretOfTheWrongLengthIsRefusedNamingTheFile(int length) throws IOException {
    byte[] content = new byte[length];
    for (int i = 0; i < length; i++) {
      content[i] = (byte) ('A' + i % 26);
    }
    Files.write(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> LockerSecret.loadOrCreate(file, untouchable()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("holds " + length + " bytes, expected 32")
        .satisfies(e -> assertRevealsNothingOf(e.getMessage(), content));
  }

  /** None of the usual renderings of {@code secret} (or a 4-byte run of it) is in {@code text}. */
  private static void assertRevealsNothingOf(String text, byte[] secret) {
    if (secret.length < 4) {
      return;
    }
    List<String> renderings =
        List.of(
            HexFormat.of().formatHex(secret),
            HexFormat.of().withUpperCase().formatHex(secret),
            Base64.getEncoder().encodeToString(secret),
            new String(secret, StandardCharsets.ISO_8859_1),
            Arrays.toString(secret));
    for (String rendering : renderings) {
      assertThat(text).doesNotContain(rendering);
    }
    for (int i = 0; i + 4 <= secret.length; i++) {
      byte[] run = Arrays.copyOfRange(secret, i, i + 4);
      assertThat(text)
          .doesNotContain(HexFormat.of().formatHex(run))
          .doesNotContain(new String(run, StandardCharsets.ISO_8859_1));
    }
  }
}
