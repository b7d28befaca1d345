package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.application.port.LockerStore.StoreFailure;
import dev.locker.core.testing.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Schema migrations by {@code user_version}, from an empty file and from every earlier version. */
class MigrationsTest {
  @TempDir Path dir;
  private final ManualClock clock = ManualClock.at("2026-11-22T10:00:00Z");

  static IntStream earlierVersions() {
    return IntStream.range(0, Migrations.latest());
  }

  @ParameterizedTest(name = "from version {0}")
  @MethodSource("earlierVersions")
  void aFileOfAnEarlierVersionMigratesToTheLatestKeepingItsData(int version) throws Exception {
    Path file = dir.resolve("v" + version + ".db");
    SqliteLockerStore.open(file, clock, "LCK-1", SqliteLockerStore.Settings.REQUIRED, version)
        .close();
    if (version >= 1) {
      sql(
          file,
          "INSERT INTO compartments(id, size, state, door, in_service) VALUES ('A01','S','FREE','CLOSED',1)");
      sql(file, "UPDATE sequences SET last = 7 WHERE name = 'outbox'");
    }

    SqliteLockerStore.open(file, clock, "LCK-1").close();

    assertThat(query(file, "PRAGMA user_version"))
        .containsExactly(String.valueOf(Migrations.latest()));
    assertThat(schema(file)).isEqualTo(schema(fresh()));
    if (version >= 1) {
      assertThat(query(file, "SELECT id FROM compartments")).containsExactly("A01");
      assertThat(query(file, "SELECT last FROM sequences WHERE name = 'outbox'"))
          .containsExactly("7");
    }
  }

  @Test
  void anEmptyFileGetsTheWholeSchema() throws Exception {
    Path file = fresh();
    assertThat(query(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .contains(
            "audit_log",
            "compartments",
            "keypad",
            "outbox",
            "parcels",
            "pickup_codes",
            "sequences",
            "unlock_intents");
  }

  @Test
  void aFileFromNewerFirmwareIsRefused() throws Exception {
    Path file = fresh();
    sql(file, "PRAGMA user_version = " + (Migrations.latest() + 1));
    assertThatThrownBy(() -> SqliteLockerStore.open(file, clock, "LCK-1"))
        .isInstanceOf(StoreFailure.class)
        .hasMessageContaining("is newer than this firmware's " + Migrations.latest());
  }

  @Test
  void aFailingMigrationLeavesTheFileAtItsVersion() throws Exception {
    Path file = dir.resolve("stuck.db");
    SqliteLockerStore.open(file, clock, "LCK-1", SqliteLockerStore.Settings.REQUIRED, 1).close();
    sql(file, "CREATE TABLE audit_log (x INTEGER)");

    assertThatThrownBy(() -> SqliteLockerStore.open(file, clock, "LCK-1"))
        .isInstanceOf(StoreFailure.class);

    assertThat(query(file, "PRAGMA user_version")).containsExactly("1");
    assertThat(query(file, "SELECT COUNT(*) FROM sequences WHERE name = 'audit'"))
        .containsExactly("0");
  }

  private Path fresh() {
    Path file = dir.resolve("fresh-" + System.nanoTime() + ".db");
    SqliteLockerStore.open(file, clock, "LCK-1").close();
    return file;
  }

  private static List<String> schema(Path file) throws SQLException {
    return query(
            file,
            "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY type, name")
        .stream()
        .map(s -> s.replaceAll("\\s+", " "))
        .toList();
  }

  private static void sql(Path file, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static List<String> query(Path file, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
