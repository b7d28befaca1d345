package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.LockerStore.StoreFailure;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.DoorPhase;
import dev.locker.core.domain.IntentState;
import dev.locker.core.domain.KeypadGuard;
import dev.locker.core.domain.OpeningReason;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.RecipientPhone;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.domain.UnlockIntent;
import dev.locker.core.store.SqliteLockerStore.Settings;
import dev.locker.core.testing.ManualClock;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteConfig.JournalMode;
import org.sqlite.SQLiteConfig.SynchronousMode;

/**
 * The SQLite store refuses to run without the settings that make a commit survive a power cut
 * (reliability-security.md §4.2, R3), and what it committed is there after a restart.
 */
class SqliteDurabilityTest {
  private static final String LOCKER_ID = "LCK-DURABLE-01";
  private static final Settings REQUIRED = Settings.REQUIRED;

  @TempDir Path dir;
  private final ManualClock clock = ManualClock.at("2026-11-22T10:00:00Z");

  private SqliteLockerStore open(Path file, Settings settings) {
    return SqliteLockerStore.open(file, clock, LOCKER_ID, settings, Migrations.latest());
  }

  static Stream<Arguments> weakenedSettings() {
    return Stream.of(
        Arguments.of(
            "journal DELETE",
            new Settings(JournalMode.DELETE, SynchronousMode.FULL, true, 5000),
            List.of("journal_mode", "delete", "WAL")),
        Arguments.of(
            "journal TRUNCATE",
            new Settings(JournalMode.TRUNCATE, SynchronousMode.FULL, true, 5000),
            List.of("journal_mode", "truncate", "WAL")),
        Arguments.of(
            "journal PERSIST",
            new Settings(JournalMode.PERSIST, SynchronousMode.FULL, true, 5000),
            List.of("journal_mode", "persist", "WAL")),
        Arguments.of(
            "journal MEMORY",
            new Settings(JournalMode.MEMORY, SynchronousMode.FULL, true, 5000),
            List.of("journal_mode", "memory", "WAL")),
        Arguments.of(
            "synchronous NORMAL",
            new Settings(JournalMode.WAL, SynchronousMode.NORMAL, true, 5000),
            List.of("synchronous", "NORMAL", "FULL")),
        Arguments.of(
            "synchronous OFF",
            new Settings(JournalMode.WAL, SynchronousMode.OFF, true, 5000),
            List.of("synchronous", "OFF", "FULL")),
        Arguments.of(
            "foreign keys off",
            new Settings(JournalMode.WAL, SynchronousMode.FULL, false, 5000),
            List.of("foreign_keys", "off")),
        Arguments.of(
            "busy timeout 0",
            new Settings(JournalMode.WAL, SynchronousMode.FULL, true, 0),
            List.of("busy_timeout", "0 ms", "1000")),
        Arguments.of(
            "busy timeout 999 ms",
            new Settings(JournalMode.WAL, SynchronousMode.FULL, true, 999),
            List.of("busy_timeout", "999 ms", "1000")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weakenedSettings")
  void theStoreRefusesToStartWithAWeakenedSetting(
      String name, Settings weakened, List<String> named) throws SQLException {
    Path file = dir.resolve("weak.db");

    assertThatThrownBy(() -> open(file, weakened))
        .isInstanceOf(StoreFailure.class)
        .hasMessageContaining("refusing to start")
        .satisfies(e -> assertThat(e.getMessage()).contains(named));

    try (Connection plain = plain(file)) {
      assertThat(userVersion(plain)).as("no migration ran").isZero();
      assertThat(tables(plain)).isEmpty();
    }
    try (SqliteLockerStore store = open(file, REQUIRED)) {
      assertThat(store.integrityCheck()).as("the refused connection was closed").isEqualTo("ok");
    }
  }

  @Test
  void aBusyTimeoutOfOneSecondIsEnough() {
    try (SqliteLockerStore store =
        open(
            dir.resolve("patient.db"),
            new Settings(JournalMode.WAL, SynchronousMode.FULL, true, 1000))) {
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
  }

  @Test
  void withTheRequiredSettingsTheConnectionRunsWalFullSynchronousAndForeignKeys() throws Exception {
    try (SqliteLockerStore store =
        SqliteLockerStore.open(dir.resolve("locker.db"), clock, LOCKER_ID)) {
      Connection connection = connectionOf(store);

      assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(connection, "synchronous")).isEqualTo("2");
      assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
      assertThat(Integer.parseInt(pragma(connection, "busy_timeout"))).isGreaterThanOrEqualTo(1000);
    }
    try (Connection plain = plain(dir.resolve("locker.db"))) {
      assertThat(pragma(plain, "journal_mode")).as("WAL is kept in the file").isEqualTo("wal");
    }
  }

  @Test
  void foreignKeysAreEnforcedAtCommit() {
    try (SqliteLockerStore store =
        SqliteLockerStore.open(dir.resolve("locker.db"), clock, LOCKER_ID)) {
      assertThatThrownBy(
              () ->
                  store.transaction(
                      tx -> {
                        tx.save(
                            Compartment.empty(CompartmentId.of("A01"), Size.S)
                                .holding(new ParcelId("p-none")));
                        return null;
                      }))
          .isInstanceOf(StoreFailure.class)
          .hasMessageContaining("FOREIGN KEY");
      List<Compartment> compartments = store.read(r -> r.compartments());
      assertThat(compartments).isEmpty();
    }
  }

  @Test
  void everythingCommittedIsThereAfterCloseAndReopen() {
    Path file = dir.resolve("locker.db");
    CompartmentId a01 = CompartmentId.of("A01");
    CompartmentId b01 = CompartmentId.of("B01");
    Instant now = clock.instant();
    Parcel parcel =
        Parcel.expected(
                new ParcelId("p-1"),
                new TrackingNumber("JD0001"),
                Size.S,
                new RecipientPhone("+85291234567"),
                "courier-7")
            .deposited(a01, now, now.plus(Duration.ofDays(3)));
    KeypadGuard.State keypad = new KeypadGuard.State(2, now.plusSeconds(60), List.of(now, now));
    Snapshot before;
    try (SqliteLockerStore store = SqliteLockerStore.open(file, clock, LOCKER_ID)) {
      store.transaction(
          tx -> {
            tx.save(
                Compartment.empty(a01, Size.S)
                    .withState(CompartmentState.OCCUPIED)
                    .holding(parcel.id()));
            tx.save(Compartment.empty(b01, Size.M).faulty("jammed").inService(false));
            tx.save(parcel);
            tx.addCode("hash-1", parcel.id(), parcel.deadline().orElseThrow());
            tx.save(
                new UnlockIntent(
                    0,
                    b01,
                    OpeningReason.SERVICE,
                    Optional.empty(),
                    "technician-3",
                    IntentState.PENDING,
                    now,
                    Optional.empty()));
            tx.saveKeypad(keypad);
            tx.emit("parcel.deposited", Map.of("parcelId", "p-1"));
            tx.emit("door.closed", Map.of("compartment", "A01"));
            tx.audit("courier-7", "deposit", "A01", "parcel JD0001");
            return null;
          });
      before = Snapshot.of(store);
    }

    try (SqliteLockerStore store = SqliteLockerStore.open(file, clock, LOCKER_ID)) {
      assertThat(Snapshot.of(store)).isEqualTo(before);
      Optional<ParcelId> coded = store.read(r -> r.parcelForActiveCode("hash-1"));
      assertThat(coded).contains(parcel.id());
      assertThat(store.read(r -> r.compartment(a01)).orElseThrow().door())
          .isEqualTo(DoorPhase.CLOSED);
      assertThat(store.verifyAudit()).isEqualTo(new AuditChain.Verdict.Intact(1));
      assertThat(store.transaction(tx -> tx.emit("door.opened", Map.of())).seq())
          .as("seq continues after a restart")
          .isEqualTo(3);
      assertThat(store.transaction(tx -> tx.save(intentOn(CompartmentId.of("A01"), now))).id())
          .as("intent ids continue after a restart")
          .isEqualTo(2);
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedWithItsName() throws Exception {
    Path file = dir.resolve("garbage.db");
    Files.write(
        file, "this is not an SQLite database, it is a shopping list".repeat(100).getBytes());

    assertThatThrownBy(() -> SqliteLockerStore.open(file, clock, LOCKER_ID))
        .isInstanceOf(StoreFailure.class)
        .hasMessageContaining(file.toString());
  }

  private static UnlockIntent intentOn(CompartmentId id, Instant at) {
    return new UnlockIntent(
        0,
        id,
        OpeningReason.REMOTE,
        Optional.empty(),
        "cloud",
        IntentState.PENDING,
        at,
        Optional.empty());
  }

  /** What a reader sees, to compare across a restart. */
  record Snapshot(
      List<Compartment> compartments,
      Optional<Parcel> parcel,
      List<UnlockIntent> openIntents,
      KeypadGuard.State keypad,
      List<LockerStore.OutboxEvent> outbox,
      long lastSeq,
      long auditSize) {
    static Snapshot of(LockerStore store) {
      return store.read(
          r ->
              new Snapshot(
                  r.compartments(),
                  r.parcel(new ParcelId("p-1")),
                  r.openIntents(),
                  r.keypad(),
                  r.outbox(100),
                  r.lastSeq(),
                  r.auditSize()));
    }
  }

  /** The store keeps its connection to itself; the test reads the settings actually in force. */
  private static Connection connectionOf(SqliteLockerStore store)
      throws ReflectiveOperationException {
    Field field = SqliteLockerStore.class.getDeclaredField("connection");
    field.setAccessible(true);
    return (Connection) field.get(store);
  }

  static Connection plain(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  static String pragma(Connection connection, String name) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  static int userVersion(Connection connection) throws SQLException {
    return Integer.parseInt(pragma(connection, "user_version"));
  }

  static List<String> tables(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      List<String> names = new java.util.ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    }
  }
}
