package dev.locker.core.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The audit log's hash chain. Each entry carries the SHA-256 of the previous entry ({@code
 * prev_hash}) and its own hash over {@code prev_hash} and all its fields, length-prefixed so that
 * no two different entries encode alike. The first entry's {@code prev_hash} is {@link #GENESIS}.
 */
public final class AuditChain {
  /** The {@code prev_hash} of entry 1. */
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  /** The hash of one entry. */
  public static String hash(
      String prevHash,
      long id,
      long atMillis,
      String actor,
      String action,
      String subject,
      String detail) {
    StringBuilder canonical = new StringBuilder();
    for (String field :
        new String[] {
          prevHash, Long.toString(id), Long.toString(atMillis), actor, action, subject, detail
        }) {
      canonical.append(field.length()).append(':').append(field).append(';');
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java 17 runtime", e);
    }
  }

  /** The outcome of checking a whole chain. */
  public sealed interface Verdict {
    /** Every entry links to the one before and hashes right. */
    record Intact(long entries) implements Verdict {}

    /** The first entry that is altered, missing or out of place, and what is wrong with it. */
    record Broken(long entry, String problem) implements Verdict {}

    /** The file could not be read as a locker database. */
    record Unreadable(String problem) implements Verdict {}
  }

  /**
   * Checks the audit log of a database file offline, opening it read-only (nothing is migrated or
   * written). A file that is missing or not a locker database is a {@link Verdict.Unreadable}.
   */
  public static Verdict verifyFile(java.nio.file.Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return new Verdict.Unreadable("no database file at " + file);
    }
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    try (Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
      return verify(connection);
    } catch (SQLException e) {
      return new Verdict.Unreadable("cannot read the audit log of " + file + ": " + e.getMessage());
    }
  }

  /**
   * Walks the log in id order and names the first entry that does not hold. Also compares the
   * number of entries with the audit counter, so that entries cut off the end are found.
   */
  public static Verdict verify(Connection connection) throws SQLException {
    long expectedId = 1;
    String prev = GENESIS;
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, at, actor, action, subject, detail, prev_hash, hash"
                    + " FROM audit_log ORDER BY id")) {
      while (rs.next()) {
        long id = rs.getLong(1);
        if (id != expectedId) {
          return new Verdict.Broken(
              expectedId,
              id > expectedId
                  ? "entry " + expectedId + " is missing (next is " + id + ")"
                  : "entry " + id + " appears twice");
        }
        if (!prev.equals(rs.getString(7))) {
          return new Verdict.Broken(
              id,
              "entry "
                  + id
                  + " does not follow entry "
                  + (id - 1)
                  + " (an entry was removed, inserted or reordered)");
        }
        String expected =
            hash(
                prev,
                id,
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6));
        if (!expected.equals(rs.getString(8))) {
          return new Verdict.Broken(id, "entry " + id + " was altered (its hash does not match)");
        }
        prev = rs.getString(8);
        expectedId++;
      }
    }
    long recorded = 0;
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT last FROM sequences WHERE name = 'audit'")) {
      if (rs.next()) {
        recorded = rs.getLong(1);
      }
    }
    if (recorded > expectedId - 1) {
      return new Verdict.Broken(
          expectedId,
          "entries " + expectedId + " to " + recorded + " are missing from the end of the log");
    }
    if (recorded < expectedId - 1) {
      return new Verdict.Broken(
          recorded + 1,
          "entry "
              + (recorded + 1)
              + " is not counted by the audit counter (appended behind the store's back)");
    }
    return new Verdict.Intact(expectedId - 1);
  }
}
