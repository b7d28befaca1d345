package dev.locker.core.application.port;

import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Credential;
import dev.locker.core.domain.KeypadGuard;
import dev.locker.core.domain.Notification;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Payment;
import dev.locker.core.domain.PaymentId;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.domain.UnlockIntent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the locker's state lives: compartments, parcels, pickup codes, unlock intents, payments,
 * keypad lockouts, the event outbox and the audit log. The SQLite store is the real one; an
 * in-memory twin serves fast tests, and both pass one contract suite.
 *
 * <p>All changes happen inside {@link #transaction}: the work either commits as a whole (durably,
 * before the call returns) or not at all. Only the locker loop writes; reads outside a transaction
 * see the last committed state.
 */
public interface LockerStore extends AutoCloseable {

  /**
   * Runs {@code work} in one transaction and commits it durably before returning its result. An
   * exception from {@code work} rolls everything back and is rethrown; a failing commit is a {@link
   * StoreFailure}.
   */
  <T> T transaction(Function<Transaction, T> work);

  /** A read-only view of the committed state. */
  <T> T read(Function<Reader, T> work);

  /**
   * Removes published events up to and including {@code seq}, after the broker confirmed them. The
   * cloud link calls it from its own thread: it touches only the outbox, which no domain decision
   * reads.
   */
  void removeFromOutbox(long seq);

  /** Removes an ack the broker confirmed (the cloud link, from its own thread). */
  void removeAck(long id);

  @Override
  void close();

  /** Reads, inside or outside a transaction. */
  interface Reader {
    List<Compartment> compartments();

    Optional<Compartment> compartment(CompartmentId id);

    Optional<Parcel> parcel(ParcelId id);

    /** The parcel with this tracking number that is not in a final state, if any. */
    Optional<Parcel> liveParcel(TrackingNumber tracking);

    List<Parcel> parcels(ParcelState state);

    /**
     * The parcel whose active pickup code has this hash. A code stays active until it is ended
     * (used, or expired by the expiry check); callers check the parcel's deadline themselves.
     */
    Optional<ParcelId> parcelForActiveCode(String codeHash);

    /** Unlock intents still PENDING or DOOR_OPENED. */
    List<UnlockIntent> openIntents();

    Optional<UnlockIntent> openIntent(CompartmentId compartment);

    KeypadGuard.State keypad();

    /** Events not yet removed from the outbox, in seq order. */
    List<OutboxEvent> outbox(int limit);

    /** The last seq handed out (0 before the first event). */
    long lastSeq();

    /** How many events wait in the outbox. */
    long outboxSize();

    /** Acks waiting to be published, oldest first. */
    List<PendingAck> pendingAcks(int limit);

    /** Number of audit entries. */
    long auditSize();

    /** The command with this id, if the locker has answered it before (the replay cache). */
    Optional<CommandRecord> command(String cmdId);

    /** How many commands of {@code type} ended {@code status} at or after {@code since}. */
    int commandsSince(String type, CommandStatus status, Instant since);

    /** The credential of {@code role} with this id, if the cloud granted one. */
    Optional<Credential> credential(Credential.Role role, String id);

    /** Every credential of {@code role}, in id order. */
    List<Credential> credentials(Credential.Role role);

    /** The notification with this id ({@code notificationId}), if the locker requested it. */
    Optional<Notification> notification(String id);

    /** The notifications requested for a parcel, oldest first (then by id). */
    List<Notification> notifications(ParcelId parcel);

    /**
     * The operator settings the cloud changed ({@code config.update}), by key, in key order; a key
     * not here has its configured default (see {@code OperatorSettings}).
     */
    Map<String, String> settings();

    Optional<Payment> payment(PaymentId id);

    /** The payments for a parcel, oldest first (then by id). */
    List<Payment> payments(ParcelId parcel);

    /**
     * The payments start-up must resolve ({@link
     * dev.locker.core.domain.PaymentState#needsRecovery}), oldest first (then by id).
     */
    List<Payment> paymentsNeedingRecovery();

    /**
     * The newest payment (by creation, then by id) with this terminal receipt number. Terminals
     * number receipts in a short cycle, so an old payment may carry the same number.
     */
    Optional<Payment> paymentByReceipt(String receipt);
  }

  /** Reads and writes of one transaction. */
  interface Transaction extends Reader {
    /** Adds a compartment or replaces the one with its id. */
    void save(Compartment compartment);

    /** Adds a parcel or replaces the one with its id. */
    void save(Parcel parcel);

    /** Records an unlock intent; assigns and returns its id when {@code intent.id()} is 0. */
    UnlockIntent save(UnlockIntent intent);

    /** Stores an active pickup code (its hash) for a parcel, valid until {@code expiresAt}. */
    void addCode(String codeHash, ParcelId parcel, Instant expiresAt);

    /** True when an active code has this hash (the generator draws again on a collision). */
    boolean codeActive(String codeHash);

    /** Ends a parcel's active code. */
    void endCode(ParcelId parcel, CodeEnd end);

    void saveKeypad(KeypadGuard.State state);

    /**
     * Appends an event to the outbox with the next gap-free seq, in this transaction. {@code data}
     * holds strings, numbers, booleans, nulls, lists and nested maps only.
     */
    OutboxEvent emit(String type, Map<String, Object> data);

    /** Appends an entry to the hash-chained audit log, in this transaction. */
    void audit(String actor, String action, String subject, String detail);

    /**
     * Remembers that command {@code cmdId} was answered {@code status}, in the transaction that
     * applied (or refused) it, so that it is never applied twice. A cmdId is recorded once.
     */
    void recordCommand(CommandRecord command);

    /**
     * Queues the one ack of a command (contracts/mqtt.md: {@code cmdId}, {@code status}, {@code
     * reason}, {@code at} now) to be published, in this transaction: the ack of an applied command
     * commits with its effect, so a power cut can lose neither. {@code cmdId} is empty only for a
     * message that could not be read at all; {@code reason} is snake case.
     */
    void queueAck(Optional<String> cmdId, CommandStatus status, Optional<String> reason);

    /**
     * Forgets commands answered before {@code before}: commands that old are expired anyway.
     * Returns how many were forgotten.
     */
    int forgetCommandsBefore(Instant before);

    /** Adds a credential or replaces the one with its role and id, all of it. */
    void saveCredential(Credential credential);

    /** Removes the credential of {@code role} with this id; false when there was none. */
    boolean revokeCredential(Credential.Role role, String id);

    /**
     * Adds a notification or replaces the one with its id. Its parcel must exist when the
     * transaction commits.
     */
    void recordNotification(Notification notification);

    /** Sets an operator setting, stamped with the store's clock. */
    void saveSetting(String key, String value);

    /**
     * Adds a payment or replaces the one with its id, all of it. Its parcel must exist when the
     * transaction commits.
     */
    void save(Payment payment);
  }

  /** How the locker answered a cloud command (contracts/mqtt.md, ack {@code status}). */
  enum CommandStatus {
    APPLIED,
    REJECTED,
    FAILED
  }

  /** A command the locker answered: its id, type, when, and how. */
  record CommandRecord(String cmdId, String type, Instant at, CommandStatus status) {}

  /** An ack waiting for the broker's PUBACK: its queue id and its JSON. */
  record PendingAck(long id, String ack) {}

  /** How a pickup code stops being active: used by a pickup, or expired with its parcel. */
  enum CodeEnd {
    USED,
    EXPIRED
  }

  /** An event waiting in the outbox: its seq, id, type and the full JSON envelope. */
  record OutboxEvent(long seq, String eventId, String type, Instant at, String envelope) {}

  /** The store itself failed: disk full, file corrupt, settings not in force. */
  final class StoreFailure extends RuntimeException {
    public StoreFailure(String message, Throwable cause) {
      super(message, cause);
    }

    public StoreFailure(String message) {
      super(message);
    }
  }
}
