package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.application.port.LockerStore.StoreFailure;
import dev.locker.core.testing.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteConfig.JournalMode;
import org.sqlite.SQLiteConfig.SynchronousMode;

/** The store refuses to run on settings that could lose a commit (reliability-security.md R3). */
class SqliteDurabilityTest {
  @TempDir Path dir;
  private final ManualClock clock = ManualClock.at("2026-11-22T10:00:00Z");

  static Stream<Arguments> weakened() {
    SqliteLockerStore.Settings ok = SqliteLockerStore.Settings.REQUIRED;
    return Stream.of(
        Arguments.of(
            new SqliteLockerStore.Settings(JournalMode.DELETE, ok.synchronous(), true, 5000),
            "journal_mode is delete, must be WAL"),
        Arguments.of(
            new SqliteLockerStore.Settings(JournalMode.TRUNCATE, ok.synchronous(), true, 5000),
            "journal_mode is truncate, must be WAL"),
        Arguments.of(
            new SqliteLockerStore.Settings(ok.journalMode(), SynchronousMode.NORMAL, true, 5000),
            "synchronous is NORMAL, must be FULL"),
        Arguments.of(
            new SqliteLockerStore.Settings(ok.journalMode(), SynchronousMode.OFF, true, 5000),
            "synchronous is OFF, must be FULL"),
        Arguments.of(
            new SqliteLockerStore.Settings(ok.journalMode(), ok.synchronous(), false, 5000),
            "foreign_keys is off, must be on"),
        Arguments.of(
            new SqliteLockerStore.Settings(ok.journalMode(), ok.synchronous(), true, 0),
            "busy_timeout is 0 ms, must be at least 1000"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("weakened")
  void theStoreRefusesToStartOnAWeakenedSetting(SqliteLockerStore.Settings settings, String why) {
    assertThatThrownBy(
            () ->
                SqliteLockerStore.open(
                    dir.resolve("weak.db"), clock, "LCK-1", settings, Migrations.latest()))
        .isInstanceOf(StoreFailure.class)
        .hasMessageContaining("refusing to start: " + why);
  }

  @Test
  void theRequiredSettingsAreInForceOnTheFile() throws Exception {
    Path file = dir.resolve("locker.db");
    try (SqliteLockerStore store = SqliteLockerStore.open(file, clock, "LCK-1")) {
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedWithItsName() throws Exception {
    Path file = dir.resolve("garbage.db");
    java.nio.file.Files.write(file, "this is not sqlite at all, just text".repeat(200).getBytes());
    assertThatThrownBy(() -> SqliteLockerStore.open(file, clock, "LCK-1"))
        .isInstanceOf(StoreFailure.class)
        .hasMessageContaining("garbage.db");
  }
}
