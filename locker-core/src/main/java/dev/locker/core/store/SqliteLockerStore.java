package dev.locker.core.store;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.Credential;
import dev.locker.core.domain.DoorPhase;
import dev.locker.core.domain.IntentState;
import dev.locker.core.domain.KeypadGuard;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.Notification;
import dev.locker.core.domain.NotificationStatus;
import dev.locker.core.domain.OpeningReason;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Payment;
import dev.locker.core.domain.PaymentId;
import dev.locker.core.domain.PaymentState;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.Tariff;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.domain.UnlockIntent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * The locker's state in one SQLite file: WAL journal, {@code synchronous=FULL} (a commit survives
 * power loss when the storage honours fsync), foreign keys on, a busy timeout. {@link #open}
 * refuses a file on which any of these is not in force (reliability-security.md §4.2, R3).
 *
 * <p>One connection, used by one thread at a time: the locker loop writes; readers on other threads
 * wait for the lock. Each transaction is scoped ({@code autoCommit} off, commit, on again) so that
 * the write lock is not held between transactions (libraries.md §2b).
 */
public final class SqliteLockerStore implements LockerStore {
  private final Connection connection;

  /**
   * Below 4 (only when a migration test opens a file at an older version) parcels have no advice.
   */
  private final int schemaVersion;

  private final Clock clock;
  private final String lockerId;
  private final EventEnvelope.Ids eventIds = new EventEnvelope.Ids();
  private final Path file;

  /** The connection settings the store requires; tests weaken one to prove the check. */
  public record Settings(
      SQLiteConfig.JournalMode journalMode,
      SQLiteConfig.SynchronousMode synchronous,
      boolean foreignKeys,
      int busyTimeoutMillis) {
    public static final Settings REQUIRED =
        new Settings(SQLiteConfig.JournalMode.WAL, SQLiteConfig.SynchronousMode.FULL, true, 5000);
  }

  private SqliteLockerStore(
      Connection connection, Clock clock, String lockerId, Path file, int schemaVersion) {
    this.connection = connection;
    this.schemaVersion = schemaVersion;
    this.clock = clock;
    this.lockerId = lockerId;
    this.file = file;
  }

  /** Opens (creating if needed) and migrates the store, with the required settings. */
  public static SqliteLockerStore open(Path file, Clock clock, String lockerId) {
    return open(file, clock, lockerId, Settings.REQUIRED, Migrations.latest());
  }

  /**
   * Opens with explicit settings and schema version. Refuses to start, with a {@link StoreFailure}
   * that says which setting is wrong, unless WAL, FULL (or EXTRA) synchronous, foreign keys and a
   * busy timeout of at least 1 s are all in force.
   */
  public static SqliteLockerStore open(
      Path file, Clock clock, String lockerId, Settings settings, int schemaVersion) {
    Objects.requireNonNull(file, "file");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(settings.journalMode());
      config.setSynchronous(settings.synchronous());
      config.enforceForeignKeys(settings.foreignKeys());
      config.setBusyTimeout(settings.busyTimeoutMillis());
      Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try {
        checkDurability(connection);
        Migrations.migrate(connection, schemaVersion);
        try (Statement st = connection.createStatement();
            ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
          String result = rs.next() ? rs.getString(1) : "no answer";
          if (!"ok".equals(result)) {
            throw new StoreFailure("database " + file + " is damaged: " + result);
          }
        }
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      return new SqliteLockerStore(connection, clock, lockerId, file, schemaVersion);
    } catch (SQLException e) {
      throw new StoreFailure("cannot open database " + file + ": " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new StoreFailure("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
  }

  private static void checkDurability(Connection connection) throws SQLException {
    String journal = pragma(connection, "journal_mode");
    if (!"wal".equalsIgnoreCase(journal)) {
      throw new StoreFailure("refusing to start: journal_mode is " + journal + ", must be WAL");
    }
    int synchronous = Integer.parseInt(pragma(connection, "synchronous"));
    if (synchronous < 2) {
      throw new StoreFailure(
          "refusing to start: synchronous is "
              + (synchronous == 0 ? "OFF" : "NORMAL")
              + ", must be FULL");
    }
    if (!"1".equals(pragma(connection, "foreign_keys"))) {
      throw new StoreFailure("refusing to start: foreign_keys is off, must be on");
    }
    int busy = Integer.parseInt(pragma(connection, "busy_timeout"));
    if (busy < 1000) {
      throw new StoreFailure(
          "refusing to start: busy_timeout is " + busy + " ms, must be at least 1000");
    }
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  public Path file() {
    return file;
  }

  /** Checks the audit log's chain; see {@link AuditChain#verify}. */
  public synchronized AuditChain.Verdict verifyAudit() {
    try {
      return AuditChain.verify(connection);
    } catch (SQLException e) {
      throw new StoreFailure("cannot read the audit log: " + e.getMessage(), e);
    }
  }

  /** {@code PRAGMA integrity_check}: "ok", or SQLite's list of problems. */
  public synchronized String integrityCheck() {
    try {
      return pragma(connection, "integrity_check");
    } catch (SQLException e) {
      throw new StoreFailure("integrity check failed to run: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void removeFromOutbox(long seq) {
    try (PreparedStatement ps = connection.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
      ps.setLong(1, seq);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreFailure("cannot remove published events: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void removeAck(long id) {
    try (PreparedStatement ps =
        connection.prepareStatement("DELETE FROM pending_acks WHERE id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreFailure("cannot remove a published ack: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized <T> T transaction(Function<Transaction, T> work) {
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreFailure("cannot begin a transaction: " + e.getMessage(), e);
    }
    try {
      T result = work.apply(new SqlTransaction());
      connection.commit();
      return result;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreFailure("commit failed: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      rollbackQuietly();
      throw e;
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        // The connection is broken; the next transaction reports it.
      }
    }
  }

  @Override
  public synchronized <T> T read(Function<Reader, T> work) {
    return work.apply(new SqlTransaction());
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreFailure("cannot close database: " + e.getMessage(), e);
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // Nothing more to undo: SQLite rolls back an unfinished transaction on close anyway.
    }
  }

  /** Reads and writes on the store's connection; valid only inside the call that created it. */
  private final class SqlTransaction implements Transaction {

    @Override
    public List<Compartment> compartments() {
      return query("SELECT * FROM compartments ORDER BY id", ps -> {}, this::compartment);
    }

    @Override
    public Optional<Compartment> compartment(CompartmentId id) {
      return one(
          "SELECT * FROM compartments WHERE id = ?",
          ps -> ps.setString(1, id.value()),
          this::compartment);
    }

    @Override
    public Optional<Parcel> parcel(ParcelId id) {
      return one(
          "SELECT * FROM parcels WHERE id = ?", ps -> ps.setString(1, id.value()), this::parcel);
    }

    @Override
    public Optional<Parcel> liveParcel(TrackingNumber tracking) {
      return one(
          "SELECT * FROM parcels WHERE tracking = ? AND state IN ('EXPECTED','DEPOSITED','EXPIRED')",
          ps -> ps.setString(1, tracking.value()),
          this::parcel);
    }

    @Override
    public List<Parcel> parcels(ParcelState state) {
      return query(
          "SELECT * FROM parcels WHERE state = ? ORDER BY deposited_at, id",
          ps -> ps.setString(1, state.name()),
          this::parcel);
    }

    @Override
    public Optional<ParcelId> parcelForActiveCode(String codeHash) {
      return one(
          "SELECT parcel_id FROM pickup_codes WHERE code_hash = ? AND state = 'ACTIVE'",
          ps -> ps.setString(1, codeHash),
          rs -> new ParcelId(rs.getString(1)));
    }

    @Override
    public List<UnlockIntent> openIntents() {
      return query(
          "SELECT * FROM unlock_intents WHERE state IN ('PENDING','DOOR_OPENED') ORDER BY id",
          ps -> {},
          this::intent);
    }

    @Override
    public Optional<UnlockIntent> openIntent(CompartmentId compartment) {
      return one(
          "SELECT * FROM unlock_intents WHERE compartment_id = ? AND state IN ('PENDING','DOOR_OPENED')",
          ps -> ps.setString(1, compartment.value()),
          this::intent);
    }

    @Override
    public KeypadGuard.State keypad() {
      Optional<long[]> row =
          one(
              "SELECT consecutive_failures, locked_until FROM keypad WHERE id = 1",
              ps -> {},
              rs -> new long[] {rs.getLong(1), rs.getLong(2)});
      if (row.isEmpty()) {
        return KeypadGuard.State.FRESH;
      }
      List<Instant> failures =
          query(
              "SELECT at FROM keypad_failures ORDER BY at",
              ps -> {},
              rs -> Instant.ofEpochMilli(rs.getLong(1)));
      return new KeypadGuard.State(
          (int) row.get()[0], Instant.ofEpochMilli(row.get()[1]), failures);
    }

    @Override
    public List<OutboxEvent> outbox(int limit) {
      return query(
          "SELECT seq, event_id, type, at, envelope FROM outbox ORDER BY seq LIMIT ?",
          ps -> ps.setInt(1, limit),
          rs ->
              new OutboxEvent(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  Instant.ofEpochMilli(rs.getLong(4)),
                  rs.getString(5)));
    }

    @Override
    public long lastSeq() {
      return sequence("outbox");
    }

    @Override
    public long outboxSize() {
      return one("SELECT COUNT(*) FROM outbox", ps -> {}, rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public List<PendingAck> pendingAcks(int limit) {
      return query(
          "SELECT id, ack FROM pending_acks ORDER BY id LIMIT ?",
          ps -> ps.setInt(1, limit),
          rs -> new PendingAck(rs.getLong(1), rs.getString(2)));
    }

    @Override
    public void queueAck(Optional<String> cmdId, CommandStatus status, Optional<String> reason) {
      String ack = AckJson.json(cmdId, status, reason, clock.instant());
      update("INSERT INTO pending_acks(ack) VALUES (?)", ps -> ps.setString(1, ack));
    }

    @Override
    public long auditSize() {
      return sequence("audit");
    }

    @Override
    public Optional<CommandRecord> command(String cmdId) {
      return one(
          "SELECT cmd_id, type, answered_at, status FROM commands WHERE cmd_id = ?",
          ps -> ps.setString(1, cmdId),
          rs ->
              new CommandRecord(
                  rs.getString(1),
                  rs.getString(2),
                  Instant.ofEpochMilli(rs.getLong(3)),
                  CommandStatus.valueOf(rs.getString(4))));
    }

    @Override
    public int commandsSince(String type, CommandStatus status, Instant since) {
      return one(
              "SELECT COUNT(*) FROM commands WHERE type = ? AND status = ? AND answered_at >= ?",
              ps -> {
                ps.setString(1, type);
                ps.setString(2, status.name());
                ps.setLong(3, since.toEpochMilli());
              },
              rs -> rs.getInt(1))
          .orElse(0);
    }

    @Override
    public void recordCommand(CommandRecord c) {
      update(
          "INSERT INTO commands(cmd_id, type, answered_at, status) VALUES (?,?,?,?)",
          ps -> {
            ps.setString(1, c.cmdId());
            ps.setString(2, c.type());
            ps.setLong(3, c.at().toEpochMilli());
            ps.setString(4, c.status().name());
          });
    }

    @Override
    public int forgetCommandsBefore(Instant before) {
      return update(
          "DELETE FROM commands WHERE answered_at < ?", ps -> ps.setLong(1, before.toEpochMilli()));
    }

    @Override
    public Optional<Credential> credential(Credential.Role role, String id) {
      return one(
          "SELECT * FROM credentials WHERE role = ? AND id = ?",
          ps -> {
            ps.setString(1, role.wire());
            ps.setString(2, id);
          },
          this::credential);
    }

    @Override
    public List<Credential> credentials(Credential.Role role) {
      return query(
          "SELECT * FROM credentials WHERE role = ? ORDER BY id",
          ps -> ps.setString(1, role.wire()),
          this::credential);
    }

    @Override
    public void saveCredential(Credential c) {
      update(
          "INSERT INTO credentials(role, id, card_hash, pin_hash, updated_at) VALUES (?,?,?,?,?)"
              + " ON CONFLICT(role, id) DO UPDATE SET card_hash = excluded.card_hash,"
              + " pin_hash = excluded.pin_hash, updated_at = excluded.updated_at",
          ps -> {
            ps.setString(1, c.role().wire());
            ps.setString(2, c.id());
            setOptional(ps, 3, c.cardHash());
            setOptional(ps, 4, c.pinHash());
            ps.setLong(5, c.updatedAt().toEpochMilli());
          });
    }

    @Override
    public boolean revokeCredential(Credential.Role role, String id) {
      return update(
              "DELETE FROM credentials WHERE role = ? AND id = ?",
              ps -> {
                ps.setString(1, role.wire());
                ps.setString(2, id);
              })
          > 0;
    }

    @Override
    public Optional<Notification> notification(String id) {
      return one(
          "SELECT * FROM notifications WHERE id = ?",
          ps -> ps.setString(1, id),
          this::notification);
    }

    @Override
    public List<Notification> notifications(ParcelId parcel) {
      return query(
          "SELECT * FROM notifications WHERE parcel_id = ? ORDER BY requested_at, id",
          ps -> ps.setString(1, parcel.value()),
          this::notification);
    }

    @Override
    public void recordNotification(Notification n) {
      update(
          "INSERT INTO notifications(id, parcel_id, kind, channel, status, detail, requested_at,"
              + " updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
              + " parcel_id = excluded.parcel_id, kind = excluded.kind,"
              + " channel = excluded.channel, status = excluded.status, detail = excluded.detail,"
              + " requested_at = excluded.requested_at, updated_at = excluded.updated_at",
          ps -> {
            ps.setString(1, n.id());
            ps.setString(2, n.parcel().value());
            ps.setString(3, n.kind().wire());
            ps.setString(4, n.channel().wire());
            ps.setString(5, n.status().name());
            setOptional(ps, 6, n.detail());
            ps.setLong(7, n.requestedAt().toEpochMilli());
            ps.setLong(8, n.updatedAt().toEpochMilli());
          });
    }

    @Override
    public Map<String, String> settings() {
      Map<String, String> out = new TreeMap<>();
      for (String[] row :
          query(
              "SELECT key, value FROM settings",
              ps -> {},
              rs -> new String[] {rs.getString(1), rs.getString(2)})) {
        out.put(row[0], row[1]);
      }
      return Collections.unmodifiableMap(out);
    }

    @Override
    public void saveSetting(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      update(
          "INSERT INTO settings(key, value, updated_at) VALUES (?,?,?)"
              + " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
              + " updated_at = excluded.updated_at",
          ps -> {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.setLong(3, clock.millis());
          });
    }

    @Override
    public Optional<Payment> payment(PaymentId id) {
      return one(
          "SELECT * FROM payments WHERE id = ?", ps -> ps.setString(1, id.value()), this::payment);
    }

    @Override
    public List<Payment> payments(ParcelId parcel) {
      return query(
          "SELECT * FROM payments WHERE parcel_id = ? ORDER BY created_at, id",
          ps -> ps.setString(1, parcel.value()),
          this::payment);
    }

    @Override
    public List<Payment> paymentsNeedingRecovery() {
      return query(
          "SELECT * FROM payments WHERE state IN (" + NEEDS_RECOVERY + ") ORDER BY created_at, id",
          ps -> {},
          this::payment);
    }

    @Override
    public Optional<Payment> paymentByReceipt(String receipt) {
      return one(
          "SELECT * FROM payments WHERE receipt = ? ORDER BY created_at DESC, id DESC LIMIT 1",
          ps -> ps.setString(1, receipt),
          this::payment);
    }

    @Override
    public void save(Payment p) {
      update(
          "INSERT INTO payments(id, parcel_id, method, amount, currency, state, created_at,"
              + " updated_at, receipt, reference, masked_pan, auth_code, terminal_id, card_name,"
              + " receipt_text, failure) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
              + " ON CONFLICT(id) DO UPDATE SET parcel_id = excluded.parcel_id,"
              + " method = excluded.method, amount = excluded.amount,"
              + " currency = excluded.currency, state = excluded.state,"
              + " created_at = excluded.created_at, updated_at = excluded.updated_at,"
              + " receipt = excluded.receipt, reference = excluded.reference,"
              + " masked_pan = excluded.masked_pan, auth_code = excluded.auth_code,"
              + " terminal_id = excluded.terminal_id, card_name = excluded.card_name,"
              + " receipt_text = excluded.receipt_text, failure = excluded.failure",
          ps -> {
            ps.setString(1, p.id().value());
            ps.setString(2, p.parcel().value());
            ps.setString(3, p.method().name());
            ps.setLong(4, p.amount().amount());
            ps.setString(5, p.amount().currency());
            ps.setString(6, p.state().name());
            ps.setLong(7, p.createdAt().toEpochMilli());
            ps.setLong(8, p.updatedAt().toEpochMilli());
            setOptional(ps, 9, p.receipt());
            setOptional(ps, 10, p.reference());
            setOptional(ps, 11, p.maskedPan());
            setOptional(ps, 12, p.authCode());
            setOptional(ps, 13, p.terminalId());
            setOptional(ps, 14, p.cardName());
            setOptional(ps, 15, receiptText(p.receiptText()));
            setOptional(ps, 16, p.failure());
          });
    }

    @Override
    public void save(Compartment c) {
      update(
          "INSERT INTO compartments(id, size, state, door, parcel_id, in_service, fault)"
              + " VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET size = excluded.size,"
              + " state = excluded.state, door = excluded.door, parcel_id = excluded.parcel_id,"
              + " in_service = excluded.in_service, fault = excluded.fault",
          ps -> {
            ps.setString(1, c.id().value());
            ps.setString(2, c.size().name());
            ps.setString(3, c.state().name());
            ps.setString(4, c.door().name());
            setOptional(ps, 5, c.parcel().map(ParcelId::value));
            ps.setInt(6, c.inService() ? 1 : 0);
            setOptional(ps, 7, c.fault());
          });
    }

    @Override
    public void save(Parcel p) {
      update(
          "INSERT INTO parcels(id, tracking, size, state, recipient_masked, recipient_contact,"
              + " courier_id, compartment_id, deposited_at, deadline, recipient_email, cod_amount,"
              + " cod_currency, language, notify_sms, notify_email, tariff)"
              + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
              + " ON CONFLICT(id) DO UPDATE SET tracking = excluded.tracking, size = excluded.size,"
              + " state = excluded.state, recipient_masked = excluded.recipient_masked,"
              + " recipient_contact = excluded.recipient_contact, courier_id = excluded.courier_id,"
              + " compartment_id = excluded.compartment_id, deposited_at = excluded.deposited_at,"
              + " deadline = excluded.deadline, recipient_email = excluded.recipient_email,"
              + " cod_amount = excluded.cod_amount, cod_currency = excluded.cod_currency,"
              + " language = excluded.language, notify_sms = excluded.notify_sms,"
              + " notify_email = excluded.notify_email, tariff = excluded.tariff",
          ps -> {
            ps.setString(1, p.id().value());
            ps.setString(2, p.tracking().value());
            ps.setString(3, p.size().name());
            ps.setString(4, p.state().name());
            ps.setString(5, p.recipientMasked());
            setOptional(ps, 6, p.recipientContact());
            setOptional(ps, 7, p.courierId());
            setOptional(ps, 8, p.compartment().map(CompartmentId::value));
            setOptionalInstant(ps, 9, p.depositedAt());
            setOptionalInstant(ps, 10, p.deadline());
            Parcel.Advice advice = p.advice();
            setOptional(ps, 11, advice.email());
            if (advice.cashOnDelivery().isPresent()) {
              ps.setLong(12, advice.cashOnDelivery().get().amount());
              ps.setString(13, advice.cashOnDelivery().get().currency());
            } else {
              ps.setNull(12, java.sql.Types.INTEGER);
              ps.setNull(13, java.sql.Types.VARCHAR);
            }
            setOptional(ps, 14, advice.language());
            ps.setInt(15, advice.notifySms() ? 1 : 0);
            ps.setInt(16, advice.notifyEmail() ? 1 : 0);
            setOptional(ps, 17, p.tariff().map(Tariff::text));
          });
    }

    @Override
    public UnlockIntent save(UnlockIntent i) {
      if (i.id() == 0) {
        long id =
            insertReturningId(
                "INSERT INTO unlock_intents(compartment_id, reason, parcel_id, actor, state,"
                    + " created_at, failure) VALUES (?,?,?,?,?,?,?)",
                ps -> {
                  ps.setString(1, i.compartment().value());
                  ps.setString(2, i.reason().wire());
                  setOptional(ps, 3, i.parcel().map(ParcelId::value));
                  ps.setString(4, i.actor());
                  ps.setString(5, i.state().name());
                  ps.setLong(6, i.createdAt().toEpochMilli());
                  setOptional(ps, 7, i.failure());
                });
        return new UnlockIntent(
            id,
            i.compartment(),
            i.reason(),
            i.parcel(),
            i.actor(),
            i.state(),
            i.createdAt(),
            i.failure());
      }
      update(
          "UPDATE unlock_intents SET state = ?, failure = ? WHERE id = ?",
          ps -> {
            ps.setString(1, i.state().name());
            setOptional(ps, 2, i.failure());
            ps.setLong(3, i.id());
          });
      return i;
    }

    @Override
    public void addCode(String codeHash, ParcelId parcel, Instant expiresAt) {
      update(
          "INSERT INTO pickup_codes(code_hash, parcel_id, state, expires_at) VALUES (?,?,'ACTIVE',?)",
          ps -> {
            ps.setString(1, codeHash);
            ps.setString(2, parcel.value());
            ps.setLong(3, expiresAt.toEpochMilli());
          });
    }

    @Override
    public boolean codeActive(String codeHash) {
      return parcelForActiveCode(codeHash).isPresent();
    }

    @Override
    public void endCode(ParcelId parcel, CodeEnd end) {
      update(
          "UPDATE pickup_codes SET state = ? WHERE parcel_id = ? AND state = 'ACTIVE'",
          ps -> {
            ps.setString(1, end.name());
            ps.setString(2, parcel.value());
          });
    }

    @Override
    public void saveKeypad(KeypadGuard.State state) {
      update(
          "INSERT INTO keypad(id, consecutive_failures, locked_until) VALUES (1,?,?)"
              + " ON CONFLICT(id) DO UPDATE SET consecutive_failures = excluded.consecutive_failures,"
              + " locked_until = excluded.locked_until",
          ps -> {
            ps.setInt(1, state.consecutiveFailures());
            ps.setLong(2, state.lockedUntil().toEpochMilli());
          });
      update("DELETE FROM keypad_failures", ps -> {});
      for (Instant at : state.recentFailures()) {
        update(
            "INSERT INTO keypad_failures(at) VALUES (?)", ps -> ps.setLong(1, at.toEpochMilli()));
      }
    }

    @Override
    public OutboxEvent emit(String type, Map<String, Object> data) {
      long seq = nextInSequence("outbox");
      Instant at = clock.instant();
      String eventId = eventIds.next(at);
      String envelope = EventEnvelope.json(lockerId, seq, eventId, type, at, data);
      update(
          "INSERT INTO outbox(seq, event_id, type, at, envelope) VALUES (?,?,?,?,?)",
          ps -> {
            ps.setLong(1, seq);
            ps.setString(2, eventId);
            ps.setString(3, type);
            ps.setLong(4, at.toEpochMilli());
            ps.setString(5, envelope);
          });
      return new OutboxEvent(seq, eventId, type, at, envelope);
    }

    @Override
    public void audit(String actor, String action, String subject, String detail) {
      long id = nextInSequence("audit");
      long at = clock.millis();
      String prev =
          one(
                  "SELECT hash FROM audit_log WHERE id = ?",
                  ps -> ps.setLong(1, id - 1),
                  rs -> rs.getString(1))
              .orElse(AuditChain.GENESIS);
      String hash = AuditChain.hash(prev, id, at, actor, action, subject, detail);
      update(
          "INSERT INTO audit_log(id, at, actor, action, subject, detail, prev_hash, hash)"
              + " VALUES (?,?,?,?,?,?,?,?)",
          ps -> {
            ps.setLong(1, id);
            ps.setLong(2, at);
            ps.setString(3, actor);
            ps.setString(4, action);
            ps.setString(5, subject);
            ps.setString(6, detail);
            ps.setString(7, prev);
            ps.setString(8, hash);
          });
    }

    private long sequence(String name) {
      return one(
              "SELECT last FROM sequences WHERE name = ?",
              ps -> ps.setString(1, name),
              rs -> rs.getLong(1))
          .orElse(0L);
    }

    private long nextInSequence(String name) {
      update("UPDATE sequences SET last = last + 1 WHERE name = ?", ps -> ps.setString(1, name));
      return sequence(name);
    }

    private Compartment compartment(ResultSet rs) throws SQLException {
      return new Compartment(
          new CompartmentId(rs.getString("id")),
          Size.valueOf(rs.getString("size")),
          CompartmentState.valueOf(rs.getString("state")),
          DoorPhase.valueOf(rs.getString("door")),
          Optional.ofNullable(rs.getString("parcel_id")).map(ParcelId::new),
          rs.getInt("in_service") == 1,
          Optional.ofNullable(rs.getString("fault")));
    }

    private Parcel parcel(ResultSet rs) throws SQLException {
      return new Parcel(
          new ParcelId(rs.getString("id")),
          new TrackingNumber(rs.getString("tracking")),
          Size.valueOf(rs.getString("size")),
          ParcelState.valueOf(rs.getString("state")),
          rs.getString("recipient_masked"),
          Optional.ofNullable(rs.getString("recipient_contact")),
          Optional.ofNullable(rs.getString("courier_id")),
          Optional.ofNullable(rs.getString("compartment_id")).map(CompartmentId::new),
          optionalInstant(rs, "deposited_at"),
          optionalInstant(rs, "deadline"),
          advice(rs),
          schemaVersion < 6
              ? Optional.empty()
              : Optional.ofNullable(rs.getString("tariff")).flatMap(Tariff::parse));
    }

    private Parcel.Advice advice(ResultSet rs) throws SQLException {
      if (schemaVersion < 4) {
        return Parcel.Advice.NONE;
      }
      long codAmount = rs.getLong("cod_amount");
      Optional<Money> cod =
          rs.wasNull()
              ? Optional.empty()
              : Optional.of(new Money(codAmount, rs.getString("cod_currency")));
      return new Parcel.Advice(
          Optional.ofNullable(rs.getString("recipient_email")),
          cod,
          Optional.ofNullable(rs.getString("language")),
          rs.getInt("notify_sms") == 1,
          rs.getInt("notify_email") == 1);
    }

    private Credential credential(ResultSet rs) throws SQLException {
      return new Credential(
          Credential.Role.fromWire(rs.getString("role")).orElseThrow(),
          rs.getString("id"),
          Optional.ofNullable(rs.getString("card_hash")),
          Optional.ofNullable(rs.getString("pin_hash")),
          Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private Notification notification(ResultSet rs) throws SQLException {
      return new Notification(
          rs.getString("id"),
          new ParcelId(rs.getString("parcel_id")),
          Notification.Kind.fromWire(rs.getString("kind")).orElseThrow(),
          Notification.Channel.fromWire(rs.getString("channel")).orElseThrow(),
          NotificationStatus.valueOf(rs.getString("status")),
          Optional.ofNullable(rs.getString("detail")),
          Instant.ofEpochMilli(rs.getLong("requested_at")),
          Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private Payment payment(ResultSet rs) throws SQLException {
      return new Payment(
          new PaymentId(rs.getString("id")),
          new ParcelId(rs.getString("parcel_id")),
          PaymentState.Method.valueOf(rs.getString("method")),
          new Money(rs.getLong("amount"), rs.getString("currency")),
          PaymentState.valueOf(rs.getString("state")),
          Instant.ofEpochMilli(rs.getLong("created_at")),
          Instant.ofEpochMilli(rs.getLong("updated_at")),
          Optional.ofNullable(rs.getString("receipt")),
          Optional.ofNullable(rs.getString("reference")),
          Optional.ofNullable(rs.getString("masked_pan")),
          Optional.ofNullable(rs.getString("auth_code")),
          Optional.ofNullable(rs.getString("terminal_id")),
          Optional.ofNullable(rs.getString("card_name")),
          receiptLines(rs.getString("receipt_text")),
          Optional.ofNullable(rs.getString("failure")));
    }

    private UnlockIntent intent(ResultSet rs) throws SQLException {
      return new UnlockIntent(
          rs.getLong("id"),
          new CompartmentId(rs.getString("compartment_id")),
          OpeningReason.fromWire(rs.getString("reason")),
          Optional.ofNullable(rs.getString("parcel_id")).map(ParcelId::new),
          rs.getString("actor"),
          IntentState.valueOf(rs.getString("state")),
          Instant.ofEpochMilli(rs.getLong("created_at")),
          Optional.ofNullable(rs.getString("failure")));
    }
  }

  /** The states of {@link PaymentState#needsRecovery}, as an SQL list. */
  private static final String NEEDS_RECOVERY =
      Stream.of(PaymentState.values())
          .filter(PaymentState::needsRecovery)
          .map(state -> "'" + state.name() + "'")
          .collect(Collectors.joining(","));

  /** No receipt is NULL; a receipt is its lines joined with {@code \n} (a line holds none). */
  private static Optional<String> receiptText(List<String> lines) {
    return lines.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", lines));
  }

  private static List<String> receiptLines(String text) {
    return text == null ? List.of() : List.of(text.split("\n", -1));
  }

  // ---------------------------------------------------------------- JDBC plumbing

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new StoreFailure("query failed: " + e.getMessage(), e);
    }
  }

  private <T> Optional<T> one(String sql, Binder binder, RowMapper<T> mapper) {
    List<T> rows = query(sql, binder, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs one statement; returns the number of rows it changed. */
  private int update(String sql, Binder binder) {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreFailure("write failed: " + e.getMessage(), e);
    }
  }

  private long insertReturningId(String sql, Binder binder) {
    update(sql, binder);
    return one("SELECT last_insert_rowid()", ps -> {}, rs -> rs.getLong(1)).orElseThrow();
  }

  private static void setOptional(PreparedStatement ps, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setString(index, value.get());
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  private static void setOptionalInstant(PreparedStatement ps, int index, Optional<Instant> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setLong(index, value.get().toEpochMilli());
    } else {
      ps.setNull(index, Types.INTEGER);
    }
  }

  private static Optional<Instant> optionalInstant(ResultSet rs, String column)
      throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
  }
}
