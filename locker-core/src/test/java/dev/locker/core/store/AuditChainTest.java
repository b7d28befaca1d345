package dev.locker.core.store;

import static dev.locker.core.store.MigrationsTest.exec;
import static dev.locker.core.store.SqliteDurabilityTest.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.store.AuditChain.Verdict;
import dev.locker.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit log is append-only for the store's own connections, and any edit made behind its back
 * (triggers dropped, on a copy of the file) is reported at the first entry that no longer holds.
 */
class AuditChainTest {
  private static final String LOCKER_ID = "LCK-AUDIT-01";

  /** Entries in the log the fixed tampering tests work on. */
  private static final int SMALL = 10;

  /** Entries in the log the random mutations work on. */
  private static final int LARGE = 50;

  @TempDir static Path shared;
  private static Path small;
  private static Path large;

  @TempDir Path dir;

  /** One row of {@code audit_log}. */
  record Entry(
      long id,
      long at,
      String actor,
      String action,
      String subject,
      String detail,
      String prev,
      String hash) {}

  @BeforeAll
  static void writeLogs() {
    small = writeLog(shared.resolve("small.db"), SMALL);
    large = writeLog(shared.resolve("large.db"), LARGE);
  }

  /** {@code n} entries through the store, each in its own transaction, a few seconds apart. */
  private static Path writeLog(Path file, int n) {
    ManualClock clock = ManualClock.at("2026-11-22T10:00:00.123Z");
    String[] actors = {"courier-7", "recipient", "locker", "technician-3", "cloud"};
    try (SqliteLockerStore store = SqliteLockerStore.open(file, clock, LOCKER_ID)) {
      for (int i = 1; i <= n; i++) {
        int k = i;
        store.transaction(
            tx -> {
              tx.audit(
                  actors[k % actors.length],
                  "action." + k,
                  "A" + String.format("%02d", k % 7),
                  k % 5 == 0 ? "" : "entry " + k + ", Schließfach ä");
              return null;
            });
        clock.advance(Duration.ofMillis(1000 + 37L * k));
      }
    }
    return file;
  }

  // ---------------------------------------------------------------- an untouched log

  @Test
  void entriesLinkFromGenesisAndHashTheirOwnFields() throws Exception {
    List<Entry> entries = read(small);

    assertThat(entries).hasSize(SMALL);
    assertThat(entries.get(0).prev()).isEqualTo(AuditChain.GENESIS).isEqualTo("0".repeat(64));
    for (int i = 0; i < SMALL; i++) {
      Entry e = entries.get(i);
      assertThat(e.id()).isEqualTo(i + 1);
      if (i > 0) {
        assertThat(e.prev())
            .as("entry %d links to entry %d", i + 1, i)
            .isEqualTo(entries.get(i - 1).hash());
        assertThat(e.at()).isGreaterThan(entries.get(i - 1).at());
      }
      assertThat(e.hash()).matches("[0-9a-f]{64}").isEqualTo(canonicalHash(e));
    }
    assertThat(entries.get(0).at())
        .isEqualTo(java.time.Instant.parse("2026-11-22T10:00:00.123Z").toEpochMilli());
  }

  @Test
  void anUntouchedLogIsIntact() {
    assertThat(verify(copy(small))).isEqualTo(new Verdict.Intact(SMALL));
    assertThat(verify(copy(large))).isEqualTo(new Verdict.Intact(LARGE));
  }

  @Test
  void anEmptyLogIsIntact() {
    Path file = dir.resolve("empty.db");
    SqliteLockerStore.open(file, ManualClock.at("2026-11-22T10:00:00Z"), LOCKER_ID).close();

    assertThat(verify(file)).isEqualTo(new Verdict.Intact(0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 3",
        "UPDATE audit_log SET at = at + 1",
        "UPDATE audit_log SET hash = prev_hash WHERE id = " + SMALL,
        "DELETE FROM audit_log WHERE id = " + SMALL,
        "DELETE FROM audit_log",
      })
  void theLogRefusesUpdatesAndDeletes(String sql) throws Exception {
    Path file = copy(small);
    try (Connection c = plain(file)) {
      assertThatThrownBy(() -> exec(c, sql))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
    }

    assertThat(read(file)).isEqualTo(read(small));
    assertThat(verify(file)).isEqualTo(new Verdict.Intact(SMALL));
  }

  // ---------------------------------------------------------------- tampering behind its back

  @ParameterizedTest
  @ValueSource(strings = {"at", "actor", "action", "subject", "detail"})
  void anEditedFieldIsReportedAtItsEntry(String field) throws Exception {
    Path file = tamper(small, c -> edit(c, 4, field));

    assertBroken(verify(file), 4, "altered");
  }

  @Test
  void anEditedLinkOrHashIsReportedAtItsEntry() throws Exception {
    assertBroken(
        verify(tamper(small, c -> update(c, 6, "prev_hash", "f".repeat(64)))), 6, "follow");
    assertBroken(verify(tamper(small, c -> update(c, 6, "hash", "f".repeat(64)))), 6, "altered");
  }

  @Test
  void anEntryDeletedInTheMiddleIsReportedMissing() throws Exception {
    Path file = tamper(small, c -> delete(c, 4));

    assertBroken(verify(file), 4, "entry 4 is missing");
  }

  @Test
  void theFirstEntryDeletedIsReportedMissing() throws Exception {
    assertBroken(verify(tamper(small, c -> delete(c, 1))), 1, "entry 1 is missing");
  }

  @Test
  void entriesCutOffTheEndAreCaughtByTheCounter() throws Exception {
    Path file = tamper(small, c -> truncate(c, 3));

    assertBroken(
        verify(file),
        SMALL - 2,
        "entries " + (SMALL - 2) + " to " + SMALL + " are missing from the end");
    assertBroken(verify(tamper(small, c -> truncate(c, SMALL))), 1, "missing from the end");
  }

  @Test
  void twoEntriesSwappedAreReportedAtTheFirst() throws Exception {
    assertBroken(verify(tamper(small, c -> swapRows(c, 3, 7))), 3, "follow");
    assertBroken(verify(tamper(small, c -> swapRows(c, 5, 6))), 5, "follow");
  }

  @Test
  void twoEntriesWithTheirContentsSwappedAreReportedAtTheFirst() throws Exception {
    assertBroken(verify(tamper(small, c -> swapContents(c, 3, 7))), 3, "altered");
  }

  @Test
  void anEntryReHashedAfterEditingIsCaughtAtTheNextEntry() throws Exception {
    Path file = tamper(small, c -> reHash(c, 4));

    assertThat(read(file).get(3).detail()).endsWith("(edited)");
    assertBroken(verify(file), 5, "does not follow entry 4");
  }

  @Test
  void anEntryInsertedIsCaughtAtTheEntryAfterIt() throws Exception {
    Path file = tamper(small, c -> insert(c, 4));

    assertThat(read(file)).hasSize(SMALL + 1);
    assertThat(read(file).get(3).actor()).isEqualTo("intruder");
    assertBroken(verify(file), 5, "does not follow entry 4");
  }

  @Test
  void anEntryAppendedWithoutTheCounterIsReported() throws Exception {
    Path file = tamper(small, c -> insert(c, SMALL + 1));

    assertBroken(verify(file), SMALL + 1, "");
  }

  // ---------------------------------------------------------------- random single mutations

  /** The kinds of single mutation, and at which entry each must be reported. */
  enum Kind {
    EDIT_FIELD,
    EDIT_LINK,
    EDIT_HASH,
    DELETE,
    TRUNCATE,
    SWAP_ROWS,
    SWAP_CONTENTS,
    REHASH,
    INSERT
  }

  /** One mutation of a log of {@code n} entries: {@code a}, {@code b} are entry numbers. */
  record Mutation(Kind kind, int a, int b, String field) {
    static Mutation random(Random random, int n) {
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      int a;
      int b = 0;
      String field = "";
      switch (kind) {
        case EDIT_FIELD:
          a = 1 + random.nextInt(n);
          field = FIELDS[random.nextInt(FIELDS.length)];
          break;
        case DELETE:
        case REHASH:
          a = 1 + random.nextInt(n - 1); // the last one: see TRUNCATE; a re-hashed last entry
          break; //                           has no successor to give it away
        case TRUNCATE:
          a = 1 + random.nextInt(n); // how many are cut off
          break;
        case SWAP_ROWS:
        case SWAP_CONTENTS:
          a = 1 + random.nextInt(n - 1);
          b = a + 1 + random.nextInt(n - a);
          break;
        case INSERT:
          a = 1 + random.nextInt(n); // the forged entry takes this number
          break;
        default:
          a = 1 + random.nextInt(n);
      }
      return new Mutation(kind, a, b, field);
    }

    /** The entry {@link AuditChain#verify} must name. */
    long expectedEntry(int n) {
      switch (kind) {
        case TRUNCATE:
          return n - a + 1;
        case REHASH:
        case INSERT:
          return a + 1;
        default:
          return a;
      }
    }

    void apply(Connection c) throws SQLException {
      switch (kind) {
        case EDIT_FIELD:
          edit(c, a, field);
          break;
        case EDIT_LINK:
          update(c, a, "prev_hash", "e".repeat(64));
          break;
        case EDIT_HASH:
          update(c, a, "hash", "e".repeat(64));
          break;
        case DELETE:
          delete(c, a);
          break;
        case TRUNCATE:
          truncate(c, a);
          break;
        case SWAP_ROWS:
          swapRows(c, a, b);
          break;
        case SWAP_CONTENTS:
          swapContents(c, a, b);
          break;
        case REHASH:
          reHash(c, a);
          break;
        case INSERT:
          insert(c, a);
          break;
      }
    }
  }

  private static final String[] FIELDS = {"at", "actor", "action", "subject", "detail"};

  @RepeatedTest(200)
  void aRandomSingleMutationIsReportedAtExactlyTheEntryItBroke(RepetitionInfo repetition)
      throws Exception {
    Random random = new Random(0xA0D1_7000L + repetition.getCurrentRepetition());
    Mutation mutation = Mutation.random(random, LARGE);
    Path file = copy(large);

    Verdict verdict;
    try (Connection c = plain(file)) {
      dropTriggers(c);
      mutation.apply(c);
      verdict = AuditChain.verify(c);
    }

    assertThat(verdict).as("%s", mutation).isInstanceOf(Verdict.Broken.class);
    assertThat(((Verdict.Broken) verdict).entry())
        .as("%s: %s", mutation, verdict)
        .isEqualTo(mutation.expectedEntry(LARGE));
    assertThat(((Verdict.Broken) verdict).problem())
        .contains(Long.toString(mutation.expectedEntry(LARGE)));
  }

  @Test
  void theRandomMutationsCoverEveryKind() {
    java.util.Set<Kind> drawn = java.util.EnumSet.noneOf(Kind.class);
    for (int repetition = 1; repetition <= 200; repetition++) {
      drawn.add(Mutation.random(new Random(0xA0D1_7000L + repetition), LARGE).kind());
    }

    assertThat(drawn).containsExactlyInAnyOrder(Kind.values());
  }

  // ---------------------------------------------------------------- mutations

  @FunctionalInterface
  private interface Tampering {
    void apply(Connection connection) throws SQLException;
  }

  /** A copy of {@code log} with the append-only triggers dropped and {@code tampering} applied. */
  private Path tamper(Path log, Tampering tampering) throws SQLException {
    Path file = copy(log);
    try (Connection c = plain(file)) {
      dropTriggers(c);
      tampering.apply(c);
    }
    return file;
  }

  private static void dropTriggers(Connection c) throws SQLException {
    exec(c, "DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete");
  }

  private static void edit(Connection c, int id, String field) throws SQLException {
    if (field.equals("at")) {
      exec(c, "UPDATE audit_log SET at = at + 1 WHERE id = " + id);
    } else {
      exec(c, "UPDATE audit_log SET " + field + " = " + field + " || 'x' WHERE id = " + id);
    }
  }

  private static void update(Connection c, int id, String column, String value)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE audit_log SET " + column + " = ? WHERE id = ?")) {
      ps.setString(1, value);
      ps.setInt(2, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private static void delete(Connection c, int id) throws SQLException {
    exec(c, "DELETE FROM audit_log WHERE id = " + id);
  }

  private static void truncate(Connection c, int howMany) throws SQLException {
    exec(c, "DELETE FROM audit_log WHERE id > (SELECT max(id) FROM audit_log) - " + howMany);
  }

  /** Rows {@code i} and {@code j} trade everything but their ids. */
  private static void swapRows(Connection c, int i, int j) throws SQLException {
    Entry ei = entry(c, i);
    Entry ej = entry(c, j);
    write(c, i, ej, ej.prev(), ej.hash());
    write(c, j, ei, ei.prev(), ei.hash());
  }

  /** Rows {@code i} and {@code j} trade what happened, keeping their ids, links and hashes. */
  private static void swapContents(Connection c, int i, int j) throws SQLException {
    Entry ei = entry(c, i);
    Entry ej = entry(c, j);
    write(c, i, ej, ei.prev(), ei.hash());
    write(c, j, ei, ej.prev(), ej.hash());
  }

  /** Edits entry {@code id} and gives it the hash the edit calls for. */
  private static void reHash(Connection c, int id) throws SQLException {
    Entry e = entry(c, id);
    Entry edited =
        new Entry(
            e.id(),
            e.at(),
            e.actor(),
            e.action(),
            e.subject(),
            e.detail() + " (edited)",
            e.prev(),
            "");
    write(c, id, edited, e.prev(), canonicalHash(edited));
  }

  /**
   * Forges a well-formed entry numbered {@code id}: linked to entry {@code id - 1} and hashed
   * right; the entries from {@code id} on move up by one.
   */
  private static void insert(Connection c, int id) throws SQLException {
    exec(
        c,
        "UPDATE audit_log SET id = -id WHERE id >= " + id,
        "UPDATE audit_log SET id = 1 - id WHERE id < 0");
    String prev = id == 1 ? AuditChain.GENESIS : entry(c, id - 1).hash();
    long at = id == 1 ? 0 : entry(c, id - 1).at();
    Entry forged = new Entry(id, at, "intruder", "door.open", "A01", "forged", prev, "");
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_log(id, at, actor, action, subject, detail, prev_hash, hash)"
                + " VALUES (?,?,?,?,?,?,?,?)")) {
      ps.setLong(1, id);
      ps.setLong(2, at);
      ps.setString(3, forged.actor());
      ps.setString(4, forged.action());
      ps.setString(5, forged.subject());
      ps.setString(6, forged.detail());
      ps.setString(7, prev);
      ps.setString(8, canonicalHash(forged));
      ps.executeUpdate();
    }
  }

  private static void write(Connection c, int id, Entry content, String prev, String hash)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE audit_log SET at = ?, actor = ?, action = ?, subject = ?, detail = ?,"
                + " prev_hash = ?, hash = ? WHERE id = ?")) {
      ps.setLong(1, content.at());
      ps.setString(2, content.actor());
      ps.setString(3, content.action());
      ps.setString(4, content.subject());
      ps.setString(5, content.detail());
      ps.setString(6, prev);
      ps.setString(7, hash);
      ps.setInt(8, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The documented hash, computed here independently of {@link AuditChain#hash}: SHA-256 over
   * {@code length:field;} for prev_hash, id, at (ms), actor, action, subject, detail.
   */
  static String canonicalHash(Entry e) {
    StringBuilder canonical = new StringBuilder();
    for (String field :
        List.of(
            e.prev(),
            Long.toString(e.id()),
            Long.toString(e.at()),
            e.actor(),
            e.action(),
            e.subject(),
            e.detail())) {
      canonical.append(field.length()).append(':').append(field).append(';');
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e2) {
      throw new AssertionError(e2);
    }
  }

  private static void assertBroken(Verdict verdict, long entry, String problem) {
    assertThat(verdict).isInstanceOf(Verdict.Broken.class);
    Verdict.Broken broken = (Verdict.Broken) verdict;
    assertThat(broken.entry()).as("%s", broken).isEqualTo(entry);
    assertThat(broken.problem()).contains(problem);
  }

  private static Verdict verify(Path file) {
    try (SqliteLockerStore store =
        SqliteLockerStore.open(file, ManualClock.at("2026-11-22T12:00:00Z"), LOCKER_ID)) {
      return store.verifyAudit();
    }
  }

  private Path copy(Path log) {
    try {
      Path file = Files.createTempFile(dir, "copy", ".db");
      Files.copy(log, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      for (String suffix : List.of("-wal", "-shm")) {
        Path side = log.resolveSibling(log.getFileName() + suffix);
        if (Files.exists(side)) {
          Files.copy(side, file.resolveSibling(file.getFileName() + suffix));
        }
      }
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Entry entry(Connection c, int id) throws SQLException {
    return query(c, "SELECT * FROM audit_log WHERE id = " + id).get(0);
  }

  private static List<Entry> read(Path file) throws SQLException {
    try (Connection c = plain(file)) {
      return query(c, "SELECT * FROM audit_log ORDER BY id");
    }
  }

  private static List<Entry> query(Connection c, String sql) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        entries.add(
            new Entry(
                rs.getLong("id"),
                rs.getLong("at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("subject"),
                rs.getString("detail"),
                rs.getString("prev_hash"),
                rs.getString("hash")));
      }
    }
    return entries;
  }
}
