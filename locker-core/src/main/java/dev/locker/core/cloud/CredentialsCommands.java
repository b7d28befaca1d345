package dev.locker.core.cloud;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Credential;
import dev.locker.core.domain.PinHash;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code credentials.upsert} and {@code credentials.revoke} (contracts/mqtt.md): who may sign in.
 * Data: {@code role} ({@code courier|technician}), {@code id} ({@code [A-Za-z0-9._-]{1,40}}), and
 * for an upsert {@code cardHash?} (64 lower-case hex characters, a keyed hash of the card UID) and
 * {@code pinHash?} (an Argon2id PHC string, see {@link PinHash}). A technician needs both (card +
 * PIN, issue 8); a courier at least one.
 *
 * <p>An upsert replaces the whole credential: a factor it leaves out is gone. Sending the same
 * credential again changes nothing. Revoking an id the locker does not know is applied ("nothing to
 * revoke"), so a revoke is idempotent. Reasons: {@code invalid}, {@code weak_pin_hash} (a
 * well-formed PIN hash cheaper than OWASP's Argon2id minimum). Details name the role, the id and
 * which factors are set, never a hash.
 */
public final class CredentialsCommands {
  private static final Set<String> UPSERT_KEYS = Set.of("role", "id", "cardHash", "pinHash");
  private static final Set<String> REVOKE_KEYS = Set.of("role", "id");

  private CredentialsCommands() {}

  /** The handler of {@code credentials.upsert}. */
  public static CommandHandler upsert() {
    return CredentialsCommands::applyUpsert;
  }

  /** The handler of {@code credentials.revoke}. */
  public static CommandHandler revoke() {
    return CredentialsCommands::applyRevoke;
  }

  private record Who(Credential.Role role, String id) {
    @Override
    public String toString() {
      return role.wire() + " " + id;
    }
  }

  private static Optional<Who> who(CommandData data) {
    Optional<Credential.Role> role =
        data.text("role", true)
            .flatMap(
                text -> {
                  Optional<Credential.Role> r = Credential.Role.fromWire(text);
                  if (r.isEmpty()) {
                    data.problem("role", "must be courier or technician");
                  }
                  return r;
                });
    Optional<String> id =
        data.text("id", true)
            .filter(
                text -> {
                  if (!Credential.isId(text)) {
                    data.problem("id", "must be 1 to 40 of A-Z a-z 0-9 . _ -");
                    return false;
                  }
                  return true;
                });
    return role.isPresent() && id.isPresent()
        ? Optional.of(new Who(role.get(), id.get()))
        : Optional.empty();
  }

  private static CommandOutcome applyUpsert(
      Command command, LockerStore.Transaction tx, Instant now) {
    CommandData data = CommandData.of(command.data());
    data.onlyKeys(UPSERT_KEYS);
    Optional<Who> who = who(data);
    Optional<String> card =
        data.text("cardHash", false)
            .filter(
                text -> {
                  if (!Credential.isCardHash(text)) {
                    data.problem("cardHash", "must be 64 lower-case hex characters");
                    return false;
                  }
                  return true;
                });
    Optional<String> weak = Optional.empty();
    Optional<String> pin = data.text("pinHash", false);
    if (pin.isPresent()) {
      PinHash.Parsed parsed = PinHash.parse(pin.get());
      if (parsed instanceof PinHash.Parsed.Invalid invalid) {
        data.problem("pinHash", "is not an accepted Argon2id hash: " + invalid.why());
      } else if (parsed instanceof PinHash.Parsed.Weak w) {
        weak = Optional.of("pinHash is too weak: " + w.why());
      }
    }
    if (who.isPresent() && data.ok()) {
      boolean hasCard = data.has("cardHash");
      boolean hasPin = data.has("pinHash");
      if (who.get().role() == Credential.Role.TECHNICIAN && !(hasCard && hasPin)) {
        data.problem("of a technician needs cardHash and pinHash (card + PIN)");
      } else if (!hasCard && !hasPin) {
        data.problem("of a courier needs cardHash, pinHash or both");
      }
    }
    if (!data.ok() || who.isEmpty()) {
      return new CommandOutcome.Rejected("invalid", String.join("; ", data.problems()));
    }
    if (weak.isPresent()) {
      return new CommandOutcome.Rejected("weak_pin_hash", who.get() + ": " + weak.get());
    }
    Credential credential = new Credential(who.get().role(), who.get().id(), card, pin, now);
    Optional<Credential> before = tx.credential(who.get().role(), who.get().id());
    String factors = factors(credential);
    if (before.isPresent()
        && before.get().cardHash().equals(card)
        && before.get().pinHash().equals(pin)) {
      return new CommandOutcome.Applied(who.get() + " already has " + factors);
    }
    tx.saveCredential(credential);
    return new CommandOutcome.Applied(
        who.get()
            + (before.isPresent() ? " replaced (was " + factors(before.get()) + ")" : " granted")
            + ": "
            + factors);
  }

  private static CommandOutcome applyRevoke(
      Command command, LockerStore.Transaction tx, Instant now) {
    CommandData data = CommandData.of(command.data());
    data.onlyKeys(REVOKE_KEYS);
    Optional<Who> who = who(data);
    if (!data.ok() || who.isEmpty()) {
      return new CommandOutcome.Rejected("invalid", String.join("; ", data.problems()));
    }
    boolean revoked = tx.revokeCredential(who.get().role(), who.get().id());
    return new CommandOutcome.Applied(who.get() + (revoked ? " revoked" : ": nothing to revoke"));
  }

  private static String factors(Credential credential) {
    if (credential.cardHash().isPresent() && credential.pinHash().isPresent()) {
      return "card and PIN";
    }
    return credential.cardHash().isPresent() ? "card only" : "PIN only";
  }
}
