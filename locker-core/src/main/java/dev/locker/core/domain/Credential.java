package dev.locker.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may sign in at the locker, as the cloud last said ({@code credentials.upsert}): a courier or
 * a technician, by id, with a card (a keyed hash of its UID) and/or a PIN (an Argon2id hash, see
 * {@link PinHash}). The locker never holds a card UID or a PIN itself.
 *
 * <p>A courier has at least one factor; a technician has both (card and PIN, issue 8).
 *
 * @param cardHash 64 lower-case hex characters
 * @param pinHash an Argon2id PHC string that {@link PinHash#parse} accepts
 * @param updatedAt when the cloud's last upsert for this credential was applied
 */
public record Credential(
    Role role, String id, Optional<String> cardHash, Optional<String> pinHash, Instant updatedAt) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,40}");
  private static final Pattern CARD_HASH = Pattern.compile("[0-9a-f]{64}");

  /** The two kinds of people who sign in at the locker (contracts/mqtt.md {@code role}). */
  public enum Role {
    COURIER("courier"),
    TECHNICIAN("technician");

    private final String wire;

    Role(String wire) {
      this.wire = wire;
    }

    /** As the contract and the store write it. */
    public String wire() {
      return wire;
    }

    public static Optional<Role> fromWire(String text) {
      for (Role role : values()) {
        if (role.wire.equals(text)) {
          return Optional.of(role);
        }
      }
      return Optional.empty();
    }
  }

  public Credential {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(cardHash, "cardHash");
    Objects.requireNonNull(pinHash, "pinHash");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (!isId(id)) {
      throw new IllegalArgumentException("a credential id is 1 to 40 of A-Z a-z 0-9 . _ -");
    }
    if (cardHash.isPresent() && !isCardHash(cardHash.get())) {
      throw new IllegalArgumentException("a card hash is 64 lower-case hex characters");
    }
    if (pinHash.isPresent() && pinHash.get().isBlank()) {
      throw new IllegalArgumentException("a PIN hash is never blank");
    }
    if (role == Role.TECHNICIAN && (cardHash.isEmpty() || pinHash.isEmpty())) {
      throw new IllegalArgumentException("a technician signs in with card and PIN");
    }
    if (cardHash.isEmpty() && pinHash.isEmpty()) {
      throw new IllegalArgumentException("a credential has a card, a PIN or both");
    }
  }

  /** True when {@code text} is a credential id: 1 to 40 of {@code A-Z a-z 0-9 . _ -}. */
  public static boolean isId(String text) {
    return text != null && ID.matcher(text).matches();
  }

  /** True when {@code text} is 64 lower-case hex characters (a keyed hash of a card UID). */
  public static boolean isCardHash(String text) {
    return text != null && CARD_HASH.matcher(text).matches();
  }

  /** Names the factors, never the hashes. */
  @Override
  public String toString() {
    return "Credential["
        + role.wire()
        + " "
        + id
        + ", card="
        + (cardHash.isPresent() ? "yes" : "no")
        + ", pin="
        + (pinHash.isPresent() ? "yes" : "no")
        + ", updated "
        + updatedAt
        + "]";
  }
}
