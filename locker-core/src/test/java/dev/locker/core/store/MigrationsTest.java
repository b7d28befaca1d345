package dev.locker.core.store;

import static dev.locker.core.store.SqliteDurabilityTest.plain;
import static dev.locker.core.store.SqliteDurabilityTest.tables;
import static dev.locker.core.store.SqliteDurabilityTest.userVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.LockerStore.OutboxEvent;
import dev.locker.core.application.port.LockerStore.StoreFailure;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.Credential;
import dev.locker.core.domain.DoorPhase;
import dev.locker.core.domain.KeypadGuard;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.Notification;
import dev.locker.core.domain.NotificationStatus;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Payment;
import dev.locker.core.domain.PaymentId;
import dev.locker.core.domain.PaymentState;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.UnlockIntent;
import dev.locker.core.testing.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A locker updated from any earlier firmware keeps its data and ends with the schema a new locker
 * gets; a file from newer firmware, or a migration that fails, leaves the file as it was.
 */
class MigrationsTest {
  private static final String LOCKER_ID = "LCK-MIGRATE-01";
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(AT);

  /** The tables of each schema version, written out by hand. */
  private static final Map<Integer, List<String>> TABLES =
      Map.of(
          0,
          List.of(),
          1,
          List.of(
              "compartments",
              "keypad",
              "keypad_failures",
              "outbox",
              "parcels",
              "pickup_codes",
              "sequences",
              "unlock_intents"),
          2,
          List.of(
              "audit_log",
              "compartments",
              "keypad",
              "keypad_failures",
              "outbox",
              "parcels",
              "pickup_codes",
              "sequences",
              "unlock_intents"),
          3,
          List.of(
              "audit_log",
              "commands",
              "compartments",
              "keypad",
              "keypad_failures",
              "outbox",
              "parcels",
              "pickup_codes",
              "sequences",
              "unlock_intents"),
          4,
          List.of(
              "audit_log",
              "commands",
              "compartments",
              "keypad",
              "keypad_failures",
              "outbox",
              "parcels",
              "pending_acks",
              "pickup_codes",
              "sequences",
              "unlock_intents"),
          5,
          List.of(
              "audit_log",
              "commands",
              "compartments",
              "credentials",
              "keypad",
              "keypad_failures",
              "notifications",
              "outbox",
              "parcels",
              "pending_acks",
              "pickup_codes",
              "sequences",
              "settings",
              "unlock_intents"),
          6,
          List.of(
              "audit_log",
              "commands",
              "compartments",
              "credentials",
              "keypad",
              "keypad_failures",
              "notifications",
              "outbox",
              "parcels",
              "payments",
              "pending_acks",
              "pickup_codes",
              "sequences",
              "settings",
              "unlock_intents"));

  /**
   * Rows that firmware at version {@code k} could have written, inserted with plain JDBC: those of
   * every fixture up to {@code k}. Each fixture knows how to check it is still there at the latest
   * version.
   */
  private interface Fixture {
    void insert(Connection connection) throws SQLException;

    void assertStillThere(SqliteLockerStore store);
  }

  private static final Map<Integer, Fixture> DATA_SINCE =
      Map.of(
          1,
          new VersionOneData(),
          2,
          new VersionTwoData(),
          3,
          new VersionThreeData(),
          4,
          new VersionFourData(),
          5,
          new VersionFiveData(),
          6,
          new VersionSixData());

  /** Compartments, a deposited parcel with its code, an intent, keypad lockout, one event. */
  private static final class VersionOneData implements Fixture {
    @Override
    public void insert(Connection c) throws SQLException {
      exec(
          c,
          "INSERT INTO compartments(id, size, state, door, parcel_id, in_service, fault)"
              + " VALUES ('A01','S','OCCUPIED','CLOSED','p-1',1,NULL)",
          "INSERT INTO compartments(id, size, state, door, parcel_id, in_service, fault)"
              + " VALUES ('B01','M','FREE','CLOSED',NULL,0,'jammed')",
          "INSERT INTO parcels(id, tracking, size, state, recipient_masked, recipient_contact,"
              + " courier_id, compartment_id, deposited_at, deadline) VALUES ('p-1','JD0001','S',"
              + " 'DEPOSITED','****4567','+85291234567','courier-7','A01',"
              + AT.toEpochMilli()
              + ","
              + AT.plusSeconds(3 * 86400).toEpochMilli()
              + ")",
          "INSERT INTO pickup_codes(code_hash, parcel_id, state, expires_at)"
              + " VALUES ('hash-1','p-1','ACTIVE',"
              + AT.plusSeconds(3 * 86400).toEpochMilli()
              + ")",
          "INSERT INTO unlock_intents(id, compartment_id, reason, parcel_id, actor, state,"
              + " created_at, failure) VALUES (1,'A01','deposit','p-1','courier-7','COMPLETED',"
              + AT.toEpochMilli()
              + ",NULL)",
          "INSERT INTO keypad(id, consecutive_failures, locked_until) VALUES (1, 5, "
              + AT.plusSeconds(60).toEpochMilli()
              + ")",
          "INSERT INTO keypad_failures(at) VALUES (" + AT.toEpochMilli() + ")",
          "INSERT INTO outbox(seq, event_id, type, at, envelope) VALUES (1,"
              + " '0193a0b0-0000-7000-8000-000000000001', 'parcel.deposited', "
              + AT.toEpochMilli()
              + ", '{\"v\":1,\"seq\":1}')",
          "UPDATE sequences SET last = 1 WHERE name = 'outbox'");
    }

    @Override
    public void assertStillThere(SqliteLockerStore store) {
      List<Compartment> compartments = store.read(r -> r.compartments());
      assertThat(compartments)
          .extracting(Compartment::id, Compartment::state, Compartment::parcel, Compartment::fault)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  CompartmentId.of("A01"),
                  CompartmentState.OCCUPIED,
                  Optional.of(new ParcelId("p-1")),
                  Optional.empty()),
              org.assertj.core.groups.Tuple.tuple(
                  CompartmentId.of("B01"),
                  CompartmentState.FREE,
                  Optional.empty(),
                  Optional.of("jammed")));
      assertThat(compartments.get(1).inService()).isFalse();
      assertThat(compartments.get(0).door()).isEqualTo(DoorPhase.CLOSED);
      Optional<Parcel> parcel = store.read(r -> r.parcel(new ParcelId("p-1")));
      assertThat(parcel).get().extracting(Parcel::state).isEqualTo(ParcelState.DEPOSITED);
      assertThat(parcel.get().recipientContact()).contains("+85291234567");
      assertThat(parcel.get().deadline()).contains(AT.plusSeconds(3 * 86400));
      Optional<ParcelId> coded = store.read(r -> r.parcelForActiveCode("hash-1"));
      assertThat(coded).contains(new ParcelId("p-1"));
      List<UnlockIntent> open = store.read(r -> r.openIntents());
      assertThat(open).isEmpty();
      KeypadGuard.State keypad = store.read(r -> r.keypad());
      assertThat(keypad).isEqualTo(new KeypadGuard.State(5, AT.plusSeconds(60), List.of(AT)));
      List<OutboxEvent> outbox = store.read(r -> r.outbox(10));
      assertThat(outbox).extracting(OutboxEvent::seq).containsExactly(1L);
      long lastSeq = store.read(r -> r.lastSeq());
      assertThat(lastSeq).isEqualTo(1);
    }
  }

  /** Two linked audit entries. */
  private static final class VersionTwoData implements Fixture {
    @Override
    public void insert(Connection c) throws SQLException {
      String first =
          AuditChain.hash(AuditChain.GENESIS, 1, 1000, "courier-7", "deposit", "A01", "");
      String second = AuditChain.hash(first, 2, 2000, "recipient", "pickup", "A01", "JD0001");
      exec(
          c,
          "INSERT INTO audit_log VALUES (1, 1000, 'courier-7', 'deposit', 'A01', '', '"
              + AuditChain.GENESIS
              + "', '"
              + first
              + "')",
          "INSERT INTO audit_log VALUES (2, 2000, 'recipient', 'pickup', 'A01', 'JD0001', '"
              + first
              + "', '"
              + second
              + "')",
          "UPDATE sequences SET last = 2 WHERE name = 'audit'");
    }

    @Override
    public void assertStillThere(SqliteLockerStore store) {
      assertThat(store.verifyAudit()).isEqualTo(new AuditChain.Verdict.Intact(2));
    }
  }

  /** A command answered before the upgrade stays in the replay cache. */
  private static final class VersionThreeData implements Fixture {
    @Override
    public void insert(Connection c) throws SQLException {
      exec(c, "INSERT INTO commands VALUES ('cmd-0001', 'compartment.open', 3000, 'APPLIED')");
    }

    @Override
    public void assertStillThere(SqliteLockerStore store) {
      java.util.Optional<LockerStore.CommandRecord> answered =
          store.read(r -> r.command("cmd-0001"));
      assertThat(answered)
          .hasValue(
              new LockerStore.CommandRecord(
                  "cmd-0001",
                  "compartment.open",
                  Instant.ofEpochMilli(3000),
                  LockerStore.CommandStatus.APPLIED));
    }
  }

  /** A pre-advised parcel with everything a pre-advice carries, and an ack waiting for PUBACK. */
  private static final class VersionFourData implements Fixture {
    @Override
    public void insert(Connection c) throws SQLException {
      exec(
          c,
          "INSERT INTO parcels(id, tracking, size, state, recipient_masked, recipient_contact,"
              + " recipient_email, cod_amount, cod_currency, language, notify_sms, notify_email)"
              + " VALUES ('p-4','SF0004','M','EXPECTED','****5678','+85291235678',"
              + " 'chan@example.test', 2500, 'HKD', 'zh-Hant', 1, 0)",
          "INSERT INTO pending_acks(ack) VALUES ('{\"cmdId\":\"cmd-0004\"}')");
    }

    @Override
    public void assertStillThere(SqliteLockerStore store) {
      Optional<Parcel> parcel = store.read(r -> r.parcel(new ParcelId("p-4")));
      assertThat(parcel.orElseThrow().advice())
          .isEqualTo(
              new Parcel.Advice(
                  Optional.of("chan@example.test"),
                  Optional.of(new dev.locker.core.domain.Money(2500, "HKD")),
                  Optional.of("zh-Hant"),
                  true,
                  false));
      List<LockerStore.PendingAck> acks = store.read(r -> r.pendingAcks(10));
      assertThat(acks)
          .extracting(LockerStore.PendingAck::ack)
          .containsExactly("{\"cmdId\":\"cmd-0004\"}");
    }
  }

  /** A courier and a technician credential, a notification with its receipt, one setting. */
  private static final class VersionFiveData implements Fixture {
    private static final String CARD =
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String PIN =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
            + "Bj1hp0d+jNr3tSTsrrSUYCVI4FUf3qYwBePBWi6lN3E";

    @Override
    public void insert(Connection c) throws SQLException {
      exec(
          c,
          "INSERT INTO parcels(id, tracking, size, state, recipient_masked)"
              + " VALUES ('p-5','YT0005','S','EXPECTED','****9012')",
          "INSERT INTO credentials(role, id, card_hash, pin_hash, updated_at)"
              + " VALUES ('courier','courier-5','"
              + CARD
              + "',NULL,5000)",
          "INSERT INTO credentials(role, id, card_hash, pin_hash, updated_at)"
              + " VALUES ('technician','tech-5','"
              + CARD
              + "','"
              + PIN
              + "',5001)",
          "INSERT INTO notifications(id, parcel_id, kind, channel, status, detail,"
              + " requested_at, updated_at) VALUES ('n-5','p-5','arrival','sms','FAILED',"
              + " 'gateway: unreachable', 5000, 6000)",
          "INSERT INTO settings(key, value, updated_at) VALUES ('tariff.period','PT12H',7000)");
    }

    @Override
    public void assertStillThere(SqliteLockerStore store) {
      Optional<Credential> courier =
          store.read(r -> r.credential(Credential.Role.COURIER, "courier-5"));
      assertThat(courier)
          .contains(
              new Credential(
                  Credential.Role.COURIER,
                  "courier-5",
                  Optional.of(CARD),
                  Optional.empty(),
                  Instant.ofEpochMilli(5000)));
      List<Credential> technicians = store.read(r -> r.credentials(Credential.Role.TECHNICIAN));
      assertThat(technicians)
          .containsExactly(
              new Credential(
                  Credential.Role.TECHNICIAN,
                  "tech-5",
                  Optional.of(CARD),
                  Optional.of(PIN),
                  Instant.ofEpochMilli(5001)));
      Optional<Notification> notification = store.read(r -> r.notification("n-5"));
      assertThat(notification)
          .contains(
              new Notification(
                  "n-5",
                  new ParcelId("p-5"),
                  Notification.Kind.ARRIVAL,
                  Notification.Channel.SMS,
                  NotificationStatus.FAILED,
                  Optional.of("gateway: unreachable"),
                  Instant.ofEpochMilli(5000),
                  Instant.ofEpochMilli(6000)));
      Map<String, String> settings = store.read(r -> r.settings());
      assertThat(settings).containsExactly(Map.entry("tariff.period", "PT12H"));
    }
  }

  /**
   * A card payment left RELEASED_UNCONFIRMED by a power cut, with everything a receipt shows, and a
   * declined QR payment before it.
   */
  private static final class VersionSixData implements Fixture {
    private static final Payment UNCONFIRMED =
        new Payment(
            new PaymentId("pay-6-card"),
            new ParcelId("p-6"),
            PaymentState.Method.CARD,
            new Money(1500, "HKD"),
            PaymentState.RELEASED_UNCONFIRMED,
            Instant.ofEpochMilli(8000),
            Instant.ofEpochMilli(9000),
            Optional.of("0042"),
            Optional.of("000123"),
            Optional.of("************1234"),
            Optional.of("A1B2C3"),
            Optional.of("52500038"),
            Optional.of("Debit Mastercard"),
            List.of("PARCEL LOCKER", "", "HKD 15.00"),
            Optional.of("link lost after the release"));

    private static final Payment DECLINED =
        new Payment(
            new PaymentId("pay-6-qr"),
            new ParcelId("p-6"),
            PaymentState.Method.QR,
            new Money(1500, "HKD"),
            PaymentState.DECLINED,
            Instant.ofEpochMilli(7000),
            Instant.ofEpochMilli(7500),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.of("the QR code expired"));

    @Override
    public void insert(Connection c) throws SQLException {
      exec(
          c,
          "INSERT INTO parcels(id, tracking, size, state, recipient_masked)"
              + " VALUES ('p-6','SF0006','M','DEPOSITED','****3456')",
          "INSERT INTO payments(id, parcel_id, method, amount, currency, state, created_at,"
              + " updated_at, receipt, reference, masked_pan, auth_code, terminal_id, card_name,"
              + " receipt_text, failure) VALUES ('pay-6-card','p-6','CARD',1500,'HKD',"
              + " 'RELEASED_UNCONFIRMED',8000,9000,'0042','000123','************1234','A1B2C3',"
              + " '52500038','Debit Mastercard','PARCEL LOCKER' || char(10) || char(10)"
              + " || 'HKD 15.00','link lost after the release')",
          "INSERT INTO payments(id, parcel_id, method, amount, currency, state, created_at,"
              + " updated_at, failure) VALUES ('pay-6-qr','p-6','QR',1500,'HKD','DECLINED',"
              + " 7000,7500,'the QR code expired')");
    }

    @Override
    public void assertStillThere(SqliteLockerStore store) {
      List<Payment> payments = store.read(r -> r.payments(new ParcelId("p-6")));
      assertThat(payments).containsExactly(DECLINED, UNCONFIRMED);
      List<Payment> recovery = store.read(r -> r.paymentsNeedingRecovery());
      assertThat(recovery).containsExactly(UNCONFIRMED);
      Optional<Payment> byReceipt = store.read(r -> r.paymentByReceipt("0042"));
      assertThat(byReceipt).contains(UNCONFIRMED);
    }
  }

  /** Every earlier version, and the latest itself (where opening migrates nothing). */
  static IntStream everyVersion() {
    return IntStream.rangeClosed(0, Migrations.latest());
  }

  @Test
  void everyVersionHasItsTablesAndItsDataWrittenOut() {
    for (int v = 0; v <= Migrations.latest(); v++) {
      assertThat(TABLES).as("tables of version %d", v).containsKey(v);
    }
    for (int v = 1; v <= Migrations.latest(); v++) {
      assertThat(DATA_SINCE).as("data first valid at version %d", v).containsKey(v);
    }
    assertThat(TABLES.get(Migrations.latest())).isEqualTo(tablesOfANewFile());
  }

  @ParameterizedTest(name = "from version {0}")
  @MethodSource("everyVersion")
  void aFileFromAnyVersionIsBroughtToTheLatestWithItsData(int version) throws Exception {
    Path file = dir.resolve("v" + version + ".db");
    SqliteLockerStore.open(file, clock, LOCKER_ID, SqliteLockerStore.Settings.REQUIRED, version)
        .close();
    try (Connection c = plain(file)) {
      assertThat(userVersion(c)).isEqualTo(version);
      assertThat(tables(c)).isEqualTo(TABLES.get(version));
      for (int v = 1; v <= version; v++) {
        DATA_SINCE.get(v).insert(c);
      }
    }

    try (SqliteLockerStore store = SqliteLockerStore.open(file, clock, LOCKER_ID)) {
      for (int v = 1; v <= version; v++) {
        DATA_SINCE.get(v).assertStillThere(store);
      }
      if (version == 0) {
        List<Compartment> compartments = store.read(r -> r.compartments());
        assertThat(compartments).isEmpty();
        assertThat(store.verifyAudit()).isEqualTo(new AuditChain.Verdict.Intact(0));
      }
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
    try (Connection c = plain(file)) {
      assertThat(userVersion(c)).isEqualTo(Migrations.latest());
      assertThat(schema(c)).isEqualTo(schemaOfANewFile());
    }
  }

  @Test
  void aMigratedFileKeepsWorking() {
    Path file = dir.resolve("v1.db");
    SqliteLockerStore.open(file, clock, LOCKER_ID, SqliteLockerStore.Settings.REQUIRED, 1).close();

    try (SqliteLockerStore store = SqliteLockerStore.open(file, clock, LOCKER_ID)) {
      store.transaction(
          tx -> {
            tx.save(Compartment.empty(CompartmentId.of("A01"), Size.S));
            tx.emit("door.opened", Map.of());
            tx.audit("technician-3", "service.open", "A01", "after the update");
            return null;
          });
      assertThat(store.verifyAudit()).isEqualTo(new AuditChain.Verdict.Intact(1));
    }
  }

  @ParameterizedTest(name = "latest + {0}")
  @ValueSource(ints = {1, 7})
  void aFileFromNewerFirmwareIsRefusedAndLeftAlone(int ahead) throws Exception {
    Path file = dir.resolve("newer.db");
    int newer = Migrations.latest() + ahead;
    try (Connection c = plain(file)) {
      exec(c, "CREATE TABLE from_the_future (x INTEGER)", "PRAGMA user_version = " + newer);
    }
    List<List<String>> before;
    try (Connection c = plain(file)) {
      before = schema(c);
    }

    assertThatThrownBy(() -> SqliteLockerStore.open(file, clock, LOCKER_ID))
        .isInstanceOf(StoreFailure.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("schema version " + newer)
        .hasMessageContaining("newer than this firmware's " + Migrations.latest());

    try (Connection c = plain(file)) {
      assertThat(userVersion(c)).isEqualTo(newer);
      assertThat(schema(c)).isEqualTo(before);
    }
  }

  /**
   * Sabotage that makes migration 2 fail: at its first statement (the table exists), or half-way
   * (its {@code sequences} row exists, after {@code audit_log} was created).
   */
  static Stream<String> sabotage() {
    return Stream.of(
        "CREATE TABLE audit_log (x INTEGER)",
        "INSERT INTO sequences(name, last) VALUES ('audit', 7)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sabotage")
  void aFailedMigrationLeavesTheFileAtItsVersion(String sabotage) throws Exception {
    Path file = dir.resolve("v1.db");
    SqliteLockerStore.open(file, clock, LOCKER_ID, SqliteLockerStore.Settings.REQUIRED, 1).close();
    List<List<String>> before;
    try (Connection c = plain(file)) {
      DATA_SINCE.get(1).insert(c);
      exec(c, sabotage);
      before = schema(c);
    }

    assertThatThrownBy(() -> SqliteLockerStore.open(file, clock, LOCKER_ID))
        .isInstanceOf(StoreFailure.class)
        .hasMessageContaining(file.toString());

    try (Connection c = plain(file)) {
      assertThat(userVersion(c)).isEqualTo(1);
      assertThat(schema(c)).as("nothing of migration 2 is left").isEqualTo(before);
    }
    try (SqliteLockerStore store =
        SqliteLockerStore.open(file, clock, LOCKER_ID, SqliteLockerStore.Settings.REQUIRED, 1)) {
      DATA_SINCE.get(1).assertStillThere(store);
    }
  }

  @Test
  void onceTheObstacleIsGoneTheMigrationRuns() throws Exception {
    Path file = dir.resolve("v1.db");
    SqliteLockerStore.open(file, clock, LOCKER_ID, SqliteLockerStore.Settings.REQUIRED, 1).close();
    try (Connection c = plain(file)) {
      exec(c, "INSERT INTO sequences(name, last) VALUES ('audit', 7)");
    }
    assertThatThrownBy(() -> SqliteLockerStore.open(file, clock, LOCKER_ID))
        .isInstanceOf(StoreFailure.class);
    try (Connection c = plain(file)) {
      exec(c, "DELETE FROM sequences WHERE name = 'audit'");
    }

    try (SqliteLockerStore store = SqliteLockerStore.open(file, clock, LOCKER_ID)) {
      long audit = store.read(r -> r.auditSize());
      assertThat(audit).isZero();
    }
    try (Connection c = plain(file)) {
      assertThat(userVersion(c)).isEqualTo(Migrations.latest());
      assertThat(schema(c)).isEqualTo(schemaOfANewFile());
    }
  }

  /**
   * The payments table itself refuses a masked PAN that {@code Payment.isMaskedPan} refuses, so
   * that not even a writer that bypasses the domain can keep a full PAN.
   */
  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "4111111111111111",
        "*****11111",
        "411111******1234",
        "12**",
        "XXXXXXXXXXXX1234",
        "**** 1234",
        "********************",
        ""
      })
  void thePaymentsTableRefusesAMaskedPanThatShowsMore(String maskedPan) throws Exception {
    Path file = dir.resolve("pan.db");
    SqliteLockerStore.open(file, clock, LOCKER_ID).close();
    try (Connection c = plain(file)) {
      exec(
          c,
          "INSERT INTO parcels(id, tracking, size, state, recipient_masked)"
              + " VALUES ('p-1','SF0001','M','DEPOSITED','****3456')");
      assertThatThrownBy(() -> insertPaymentWithMaskedPan(c, "pay-bad", maskedPan))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("CHECK constraint failed");
      for (String allowed : List.of("************1234", "****", "1234", "*")) {
        insertPaymentWithMaskedPan(c, "pay-" + allowed, allowed);
      }
    }
  }

  private static void insertPaymentWithMaskedPan(Connection c, String id, String maskedPan)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO payments(id, parcel_id, method, amount, currency, state, created_at,"
                + " updated_at, masked_pan) VALUES (?,'p-1','CARD',1500,'HKD','APPROVED',1,1,?)")) {
      ps.setString(1, id);
      ps.setString(2, maskedPan);
      ps.executeUpdate();
    }
  }

  // ---------------------------------------------------------------- helpers

  private List<List<String>> schemaOfANewFile() throws SQLException {
    Path fresh = dir.resolve("fresh-" + System.nanoTime() + ".db");
    SqliteLockerStore.open(fresh, clock, LOCKER_ID).close();
    try (Connection c = plain(fresh)) {
      return schema(c);
    }
  }

  private List<String> tablesOfANewFile() {
    Path fresh = dir.resolve("fresh-tables.db");
    SqliteLockerStore.open(fresh, clock, LOCKER_ID).close();
    try (Connection c = plain(fresh)) {
      return tables(c);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** sqlite_master without page numbers, whitespace in the SQL collapsed, in a fixed order. */
  static List<List<String>> schema(Connection c) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master"
                    + " ORDER BY type, name")) {
      while (rs.next()) {
        rows.add(
            List.of(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4).replaceAll("\\s+", " ").trim()));
      }
    }
    return rows;
  }

  static void exec(Connection c, String... statements) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }
}
