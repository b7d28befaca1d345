package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockerSecretTest {
  @TempDir Path dir;

  @Test
  void theSecretIsCreatedOnceWith32RandomBytesReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("keys/locker.secret");
    byte[] first = LockerSecret.loadOrCreate(file, new SecureRandom());
    assertThat(first).hasSize(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(LockerSecret.loadOrCreate(file, new SecureRandom())).isEqualTo(first);
    assertThat(LockerSecret.loadOrCreate(dir.resolve("other.secret"), new SecureRandom()))
        .isNotEqualTo(first);
    assertThat(dir.resolve("keys/locker.secret.new")).doesNotExist();
  }

  @Test
  void aSecretOthersCanReadIsRefusedAndNotShown() throws Exception {
    Path file = dir.resolve("locker.secret");
    byte[] secret = LockerSecret.loadOrCreate(file, new SecureRandom());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> LockerSecret.loadOrCreate(file, new SecureRandom()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("locker.secret")
        .hasMessageContaining("chmod 600")
        .message()
        .doesNotContain(HexFormat.of().formatHex(secret));
  }

  @Test
  void aSecretOfTheWrongLengthIsRefused() throws Exception {
    Path file = dir.resolve("short.secret");
    Files.write(file, new byte[7]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> LockerSecret.loadOrCreate(file, new SecureRandom()))
        .hasMessageContaining("short.secret holds 7 bytes, expected 32");
  }
}
