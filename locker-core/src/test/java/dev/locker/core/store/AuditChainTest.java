package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit log's hash chain: an untouched log verifies; every kind of offline tampering is named
 * at the first entry it breaks.
 */
class AuditChainTest {
  private static final int ENTRIES = 50;
  @TempDir Path dir;
  private Path original;

  @BeforeEach
  void aLogOfFiftyEntries() {
    original = dir.resolve("locker.db");
    ManualClock clock = ManualClock.at("2026-11-22T10:00:00Z");
    try (SqliteLockerStore store = SqliteLockerStore.open(original, clock, "LCK-1")) {
      for (int i = 1; i <= ENTRIES; i++) {
        int n = i;
        store.transaction(
            tx -> {
              tx.audit("courier-" + (n % 3), "door.opened", "A0" + (n % 9 + 1), "entry " + n);
              return null;
            });
        clock.advance(Duration.ofSeconds(7));
      }
      assertThat(store.verifyAudit()).isEqualTo(new AuditChain.Verdict.Intact(ENTRIES));
    }
  }

  /**
   * A copy of the log with the append-only triggers dropped: what an attacker with the file has.
   */
  private Connection tamperable() throws Exception {
    Path copy = dir.resolve("copy-" + System.nanoTime() + ".db");
    Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
    try (Statement st = c.createStatement()) {
      st.execute("DROP TRIGGER audit_log_no_update");
      st.execute("DROP TRIGGER audit_log_no_delete");
    }
    return c;
  }

  private static AuditChain.Verdict broken(long entry, String problem) {
    return new AuditChain.Verdict.Broken(entry, problem);
  }

  @Test
  void entriesLinkFromTheGenesisHash() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + original);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT prev_hash FROM audit_log WHERE id = 1")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(AuditChain.GENESIS);
    }
  }

  @Test
  void theAppOwnConnectionCannotChangeOrDeleteEntries() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + original);
        Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute("UPDATE audit_log SET detail = 'x' WHERE id = 3"))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> st.execute("DELETE FROM audit_log WHERE id = 3"))
          .hasMessageContaining("append-only");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"at", "actor", "action", "subject", "detail"})
  void anEditedFieldIsCaughtAtItsEntry(String field) throws Exception {
    try (Connection c = tamperable()) {
      String value = field.equals("at") ? "CAST(at + 1 AS INTEGER)" : field + " || 'x'";
      exec(c, "UPDATE audit_log SET " + field + " = " + value + " WHERE id = 17");
      assertThat(AuditChain.verify(c))
          .isEqualTo(broken(17, "entry 17 was altered (its hash does not match)"));
    }
  }

  @Test
  void aDeletedEntryIsNamed() throws Exception {
    try (Connection c = tamperable()) {
      exec(c, "DELETE FROM audit_log WHERE id = 23");
      assertThat(AuditChain.verify(c)).isEqualTo(broken(23, "entry 23 is missing (next is 24)"));
    }
  }

  @Test
  void entriesCutOffTheEndAreNamed() throws Exception {
    try (Connection c = tamperable()) {
      exec(c, "DELETE FROM audit_log WHERE id > 45");
      assertThat(AuditChain.verify(c))
          .isEqualTo(broken(46, "entries 46 to 50 are missing from the end of the log"));
    }
  }

  @Test
  void twoSwappedEntriesAreCaughtAtTheFirst() throws Exception {
    try (Connection c = tamperable()) {
      swap(c, 10, 11);
      assertThat(AuditChain.verify(c))
          .isEqualTo(
              broken(
                  10,
                  "entry 10 does not follow entry 9 (an entry was removed, inserted or reordered)"));
    }
  }

  @Test
  void anEntryRehashedAfterEditingIsCaughtAtTheNextOne() throws Exception {
    try (Connection c = tamperable()) {
      exec(c, "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 30");
      rehash(c, 30);
      assertThat(AuditChain.verify(c))
          .isEqualTo(
              broken(
                  31,
                  "entry 31 does not follow entry 30 (an entry was removed, inserted or reordered)"));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void twoHundredRandomTamperingsAreEachCaughtAtTheRightEntry(long seed) throws Exception {
    Random random = new Random(seed);
    for (int round = 0; round < 50; round++) {
      try (Connection c = tamperable()) {
        int id = 1 + random.nextInt(ENTRIES - 1);
        long expected;
        switch (random.nextInt(4)) {
          case 0 -> {
            exec(c, "UPDATE audit_log SET detail = detail || '!' WHERE id = " + id);
            expected = id;
          }
          case 1 -> {
            exec(c, "DELETE FROM audit_log WHERE id = " + id);
            expected = id;
          }
          case 2 -> {
            swap(c, id, id + 1);
            expected = id;
          }
          default -> {
            exec(c, "UPDATE audit_log SET actor = 'nobody' WHERE id = " + id);
            rehash(c, id);
            expected = id + 1;
          }
        }
        AuditChain.Verdict verdict = AuditChain.verify(c);
        assertThat(verdict).isInstanceOf(AuditChain.Verdict.Broken.class);
        assertThat(((AuditChain.Verdict.Broken) verdict).entry()).isEqualTo(expected);
      }
    }
  }

  @Test
  void aFileIsCheckedReadOnlyAndAMissingOneIsUnreadable() throws Exception {
    assertThat(AuditChain.verifyFile(original)).isEqualTo(new AuditChain.Verdict.Intact(ENTRIES));
    assertThat(AuditChain.verifyFile(dir.resolve("none.db")))
        .isInstanceOf(AuditChain.Verdict.Unreadable.class);
  }

  /** Swaps the contents of two entries, keeping their ids. */
  private static void swap(Connection c, long a, long b) throws SQLException {
    exec(c, "UPDATE audit_log SET id = -1 WHERE id = " + a);
    exec(c, "UPDATE audit_log SET id = " + a + " WHERE id = " + b);
    exec(c, "UPDATE audit_log SET id = " + b + " WHERE id = -1");
  }

  /** Recomputes one entry's own hash after an edit, as a careful forger would. */
  private static void rehash(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT prev_hash, at, actor, action, subject, detail FROM audit_log WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String hash =
            AuditChain.hash(
                rs.getString(1),
                id,
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6));
        exec(c, "UPDATE audit_log SET hash = '" + hash + "' WHERE id = " + id);
      }
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
