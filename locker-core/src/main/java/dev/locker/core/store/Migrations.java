package dev.locker.core.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, as an ordered list of migrations. {@code PRAGMA user_version} holds the number of
 * migrations applied; each runs in its own transaction together with the version bump, so a crash
 * leaves the file at one version or the next, never between. Append new migrations; never edit one
 * that has shipped.
 */
public final class Migrations {
  private Migrations() {}

  /** Migration {@code i} (1-based) brings a file from version {@code i-1} to {@code i}. */
  static final List<String> STEPS =
      List.of(
          // 1: compartments, parcels, codes, unlock intents, keypad lockouts, outbox.
          """
          CREATE TABLE parcels (
            id               TEXT PRIMARY KEY,
            tracking         TEXT NOT NULL,
            size             TEXT NOT NULL CHECK (size IN ('S','M','L','XL')),
            state            TEXT NOT NULL CHECK (state IN
                               ('EXPECTED','DEPOSITED','PICKED_UP','EXPIRED','RETURNED','CANCELLED')),
            recipient_masked TEXT NOT NULL,
            recipient_contact TEXT,
            courier_id       TEXT,
            compartment_id   TEXT REFERENCES compartments(id) DEFERRABLE INITIALLY DEFERRED,
            deposited_at     INTEGER,
            deadline         INTEGER
          );
          CREATE UNIQUE INDEX parcels_live_tracking ON parcels(tracking)
            WHERE state IN ('EXPECTED','DEPOSITED','EXPIRED');
          CREATE INDEX parcels_state ON parcels(state);
          CREATE TABLE compartments (
            id         TEXT PRIMARY KEY,
            size       TEXT NOT NULL CHECK (size IN ('S','M','L','XL')),
            state      TEXT NOT NULL CHECK (state IN
                         ('FREE','RESERVED','LOADING','OCCUPIED','RELEASING','EMPTYING')),
            door       TEXT NOT NULL CHECK (door IN ('CLOSED','RELEASED','OPEN','FORCED')),
            parcel_id  TEXT REFERENCES parcels(id) DEFERRABLE INITIALLY DEFERRED,
            in_service INTEGER NOT NULL CHECK (in_service IN (0,1)),
            fault      TEXT
          );
          CREATE TABLE pickup_codes (
            code_hash  TEXT NOT NULL,
            parcel_id  TEXT NOT NULL REFERENCES parcels(id) DEFERRABLE INITIALLY DEFERRED,
            state      TEXT NOT NULL CHECK (state IN ('ACTIVE','USED','EXPIRED')),
            expires_at INTEGER NOT NULL
          );
          CREATE UNIQUE INDEX pickup_codes_active ON pickup_codes(code_hash) WHERE state = 'ACTIVE';
          CREATE INDEX pickup_codes_parcel ON pickup_codes(parcel_id);
          CREATE TABLE unlock_intents (
            id             INTEGER PRIMARY KEY,
            compartment_id TEXT NOT NULL REFERENCES compartments(id) DEFERRABLE INITIALLY DEFERRED,
            reason         TEXT NOT NULL,
            parcel_id      TEXT REFERENCES parcels(id) DEFERRABLE INITIALLY DEFERRED,
            actor          TEXT NOT NULL,
            state          TEXT NOT NULL CHECK (state IN
                             ('PENDING','DOOR_OPENED','COMPLETED','FAILED')),
            created_at     INTEGER NOT NULL,
            failure        TEXT
          );
          CREATE UNIQUE INDEX unlock_intents_one_open ON unlock_intents(compartment_id)
            WHERE state IN ('PENDING','DOOR_OPENED');
          CREATE TABLE keypad (
            id                   INTEGER PRIMARY KEY CHECK (id = 1),
            consecutive_failures INTEGER NOT NULL,
            locked_until         INTEGER NOT NULL
          );
          CREATE TABLE keypad_failures (at INTEGER NOT NULL);
          CREATE TABLE sequences (name TEXT PRIMARY KEY, last INTEGER NOT NULL);
          INSERT INTO sequences(name, last) VALUES ('outbox', 0);
          CREATE TABLE outbox (
            seq      INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            type     TEXT NOT NULL,
            at       INTEGER NOT NULL,
            envelope TEXT NOT NULL
          );
          """,
          // 2: the hash-chained, append-only audit log.
          """
          CREATE TABLE audit_log (
            id        INTEGER PRIMARY KEY,
            at        INTEGER NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            subject   TEXT NOT NULL,
            detail    TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash      TEXT NOT NULL
          );
          INSERT INTO sequences(name, last) VALUES ('audit', 0);
          CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
          CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
          """,
          // 3: the replay cache of cloud commands (contracts/mqtt.md: applied once, acked once).
          """
          CREATE TABLE commands (
            cmd_id      TEXT PRIMARY KEY,
            type        TEXT NOT NULL,
            answered_at INTEGER NOT NULL,
            status      TEXT NOT NULL CHECK (status IN ('APPLIED','REJECTED','FAILED'))
          );
          CREATE INDEX commands_type_at ON commands(type, answered_at);
          """,
          // 4: what a pre-advice adds to a parcel (parcel.expect), and the acks waiting for the
          // broker's PUBACK (every command gets exactly one, even across a power cut).
          """
          ALTER TABLE parcels ADD COLUMN recipient_email TEXT;
          ALTER TABLE parcels ADD COLUMN cod_amount INTEGER CHECK (cod_amount >= 0);
          ALTER TABLE parcels ADD COLUMN cod_currency TEXT;
          ALTER TABLE parcels ADD COLUMN language TEXT;
          ALTER TABLE parcels ADD COLUMN notify_sms INTEGER NOT NULL DEFAULT 1
            CHECK (notify_sms IN (0,1));
          ALTER TABLE parcels ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 1
            CHECK (notify_email IN (0,1));
          CREATE TABLE pending_acks (
            id  INTEGER PRIMARY KEY,
            ack TEXT NOT NULL
          );
          """,
          // 5: who may sign in (credentials.upsert/revoke), the notifications the locker asked
          // for and their receipts (notification.status), the operator's settings (config.update).
          """
          CREATE TABLE credentials (
            role       TEXT NOT NULL CHECK (role IN ('courier','technician')),
            id         TEXT NOT NULL,
            card_hash  TEXT,
            pin_hash   TEXT,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (role, id),
            CHECK (card_hash IS NOT NULL OR pin_hash IS NOT NULL)
          );
          CREATE TABLE notifications (
            id           TEXT PRIMARY KEY,
            parcel_id    TEXT NOT NULL REFERENCES parcels(id) DEFERRABLE INITIALLY DEFERRED,
            kind         TEXT NOT NULL CHECK (kind IN ('arrival','reminder','expiry')),
            channel      TEXT NOT NULL CHECK (channel IN ('sms','email')),
            status       TEXT NOT NULL CHECK (status IN ('REQUESTED','DELIVERED','FAILED')),
            detail       TEXT,
            requested_at INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL
          );
          CREATE INDEX notifications_parcel ON notifications(parcel_id);
          CREATE TABLE settings (
            key        TEXT PRIMARY KEY,
            value      TEXT NOT NULL,
            updated_at INTEGER NOT NULL
          );
          """,
          // 6: payments for parcels and where each stands (reliability-security.md §2.2-2.3):
          // only what a receipt may show of the card (masked_pan: '*' then at most the last four
          // digits, as Payment.isMaskedPan); receipt_text is the lines joined with \n. A parcel
          // keeps the tariff of its deposit (Tariff.text()).
          """
          CREATE TABLE payments (
            id           TEXT PRIMARY KEY,
            parcel_id    TEXT NOT NULL REFERENCES parcels(id) DEFERRABLE INITIALLY DEFERRED,
            method       TEXT NOT NULL CHECK (method IN ('CARD','QR')),
            amount       INTEGER NOT NULL CHECK (amount >= 0),
            currency     TEXT NOT NULL,
            state        TEXT NOT NULL CHECK (state IN
                           ('CHARGING','UNKNOWN','APPROVED','DECLINED','RELEASED',
                            'RELEASED_UNCONFIRMED','REVERSING','PAID','REVERSED','RELEASED_UNPAID')),
            created_at   INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL,
            receipt      TEXT,
            reference    TEXT,
            masked_pan   TEXT CHECK (masked_pan IS NULL OR (length(masked_pan) BETWEEN 1 AND 19
                           AND masked_pan NOT GLOB '*[^*0-9]*'
                           AND masked_pan NOT GLOB '*[0-9]*[*]*'
                           AND length(replace(masked_pan, '*', '')) <= 4)),
            auth_code    TEXT,
            terminal_id  TEXT,
            card_name    TEXT,
            receipt_text TEXT,
            failure      TEXT
          );
          CREATE INDEX payments_parcel ON payments(parcel_id);
          CREATE INDEX payments_state ON payments(state);
          CREATE INDEX payments_receipt ON payments(receipt);
          ALTER TABLE parcels ADD COLUMN tariff TEXT;
          """);

  public static int latest() {
    return STEPS.size();
  }

  static int version(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Applies the migrations after the file's version up to {@code target}. Refuses a file written by
   * newer firmware (its version is above {@link #latest()}).
   */
  static void migrate(Connection connection, int target) throws SQLException {
    int current = version(connection);
    if (current > latest()) {
      throw new SQLException(
          "database schema version " + current + " is newer than this firmware's " + latest());
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (int step = current + 1; step <= target; step++) {
        try (Statement st = connection.createStatement()) {
          for (String sql : STEPS.get(step - 1).split(";\\s*\\n")) {
            if (!sql.isBlank()) {
              st.execute(sql);
            }
          }
          st.execute("PRAGMA user_version = " + step);
        }
        connection.commit();
      }
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }
}
