package dev.locker.core.store;

import dev.locker.core.application.port.LockerStore;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The SQLite store's in-memory twin, for fast tests: same contract (one contract suite runs against
 * both), no durability. A transaction works on a copy of the state and swaps it in on success, so a
 * failing transaction leaves nothing behind.
 */
public final class InMemoryLockerStore implements LockerStore {
  private final Clock clock;
  private final String lockerId;
  private final EventEnvelope.Ids eventIds = new EventEnvelope.Ids();
  private State committed = new State();

  public InMemoryLockerStore(Clock clock, String lockerId) {
    this.clock = clock;
    this.lockerId = lockerId;
  }

  /** Everything the store holds; entries are immutable records, so a shallow copy is a snapshot. */
  private static final class State {
    final Map<CompartmentId, Compartment> compartments = new TreeMap<>();
    final Map<ParcelId, Parcel> parcels = new TreeMap<>(Comparator.comparing(ParcelId::value));
    final List<Code> codes = new ArrayList<>();
    final TreeMap<Long, UnlockIntent> intents = new TreeMap<>();
    KeypadGuard.State keypad = KeypadGuard.State.FRESH;
    final TreeMap<Long, OutboxEvent> outbox = new TreeMap<>();
    long lastSeq;
    long lastIntent;
    final List<String> auditHashes = new ArrayList<>();
    final Map<String, CommandRecord> commands = new TreeMap<>();
    final TreeMap<Long, String> acks = new TreeMap<>();
    long lastAck;

    /** By role and id: {@code "courier courier-7"} (an id has no space). */
    final TreeMap<String, Credential> credentials = new TreeMap<>();

    final TreeMap<String, Notification> notifications = new TreeMap<>();
    final TreeMap<String, String> settings = new TreeMap<>();
    final Map<PaymentId, Payment> payments = new TreeMap<>(Comparator.comparing(PaymentId::value));

    State copy() {
      State s = new State();
      s.compartments.putAll(compartments);
      s.parcels.putAll(parcels);
      s.codes.addAll(codes);
      s.intents.putAll(intents);
      s.keypad = keypad;
      s.outbox.putAll(outbox);
      s.lastSeq = lastSeq;
      s.lastIntent = lastIntent;
      s.auditHashes.addAll(auditHashes);
      s.commands.putAll(commands);
      s.acks.putAll(acks);
      s.lastAck = lastAck;
      s.credentials.putAll(credentials);
      s.notifications.putAll(notifications);
      s.settings.putAll(settings);
      s.payments.putAll(payments);
      return s;
    }
  }

  private record Code(String hash, ParcelId parcel, String state, Instant expiresAt) {}

  private static String credentialKey(Credential.Role role, String id) {
    return role.wire() + " " + id;
  }

  /** By creation time, then by id: the order of the SQLite store's payment queries. */
  private static final Comparator<Payment> OLDEST_FIRST =
      Comparator.comparing(Payment::createdAt).thenComparing(p -> p.id().value());

  /** Millisecond instants, as the SQLite store keeps them. */
  private static Instant millis(Instant at) {
    return Instant.ofEpochMilli(at.toEpochMilli());
  }

  @Override
  public synchronized <T> T transaction(Function<Transaction, T> work) {
    State working = committed.copy();
    T result = work.apply(new Tx(working));
    checkReferences(working);
    committed = working;
    return result;
  }

  /**
   * What SQLite's deferred foreign keys check at commit: every parcel, compartment and code points
   * at rows that exist. A failing check rolls the whole transaction back, as on the real store.
   */
  private static void checkReferences(State s) {
    for (Compartment c : s.compartments.values()) {
      c.parcel()
          .filter(p -> !s.parcels.containsKey(p))
          .ifPresent(p -> refuse("compartment " + c.id() + " holds unknown parcel " + p));
    }
    for (Parcel p : s.parcels.values()) {
      p.compartment()
          .filter(c -> !s.compartments.containsKey(c))
          .ifPresent(c -> refuse("parcel " + p.id() + " is in unknown compartment " + c));
    }
    for (UnlockIntent i : s.intents.values()) {
      if (!s.compartments.containsKey(i.compartment())) {
        refuse("intent " + i.id() + " is for unknown compartment " + i.compartment());
      }
      i.parcel()
          .filter(p -> !s.parcels.containsKey(p))
          .ifPresent(p -> refuse("intent " + i.id() + " names unknown parcel " + p));
    }
    for (Code code : s.codes) {
      if (!s.parcels.containsKey(code.parcel())) {
        refuse("a code names unknown parcel " + code.parcel());
      }
    }
    for (Notification n : s.notifications.values()) {
      if (!s.parcels.containsKey(n.parcel())) {
        refuse("notification " + n.id() + " names unknown parcel " + n.parcel());
      }
    }
    for (Payment p : s.payments.values()) {
      if (!s.parcels.containsKey(p.parcel())) {
        refuse("payment " + p.id() + " names unknown parcel " + p.parcel());
      }
    }
  }

  private static void refuse(String what) {
    throw new StoreFailure("commit failed: FOREIGN KEY constraint failed (" + what + ")");
  }

  @Override
  public synchronized <T> T read(Function<Reader, T> work) {
    return work.apply(new Tx(committed));
  }

  @Override
  public synchronized void removeFromOutbox(long seq) {
    committed.outbox.headMap(seq, true).clear();
  }

  @Override
  public synchronized void removeAck(long id) {
    committed.acks.remove(id);
  }

  @Override
  public void close() {}

  private final class Tx implements Transaction {
    private final State s;

    Tx(State s) {
      this.s = s;
    }

    @Override
    public List<Compartment> compartments() {
      return List.copyOf(s.compartments.values());
    }

    @Override
    public Optional<Compartment> compartment(CompartmentId id) {
      return Optional.ofNullable(s.compartments.get(id));
    }

    @Override
    public Optional<Parcel> parcel(ParcelId id) {
      return Optional.ofNullable(s.parcels.get(id));
    }

    @Override
    public Optional<Parcel> liveParcel(TrackingNumber tracking) {
      return s.parcels.values().stream()
          .filter(p -> p.tracking().equals(tracking) && !p.state().isFinal())
          .findFirst();
    }

    @Override
    public List<Parcel> parcels(ParcelState state) {
      return s.parcels.values().stream()
          .filter(p -> p.state() == state)
          .sorted(
              Comparator.comparing((Parcel p) -> p.depositedAt().orElse(Instant.EPOCH))
                  .thenComparing(p -> p.id().value()))
          .toList();
    }

    @Override
    public Optional<ParcelId> parcelForActiveCode(String codeHash) {
      return s.codes.stream()
          .filter(c -> c.hash().equals(codeHash) && c.state().equals("ACTIVE"))
          .map(Code::parcel)
          .findFirst();
    }

    @Override
    public List<UnlockIntent> openIntents() {
      return s.intents.values().stream().filter(i -> i.state().isOpen()).toList();
    }

    @Override
    public Optional<UnlockIntent> openIntent(CompartmentId compartment) {
      return openIntents().stream().filter(i -> i.compartment().equals(compartment)).findFirst();
    }

    @Override
    public KeypadGuard.State keypad() {
      return s.keypad;
    }

    @Override
    public List<OutboxEvent> outbox(int limit) {
      return s.outbox.values().stream().limit(limit).toList();
    }

    @Override
    public long lastSeq() {
      return s.lastSeq;
    }

    @Override
    public long outboxSize() {
      return s.outbox.size();
    }

    @Override
    public List<PendingAck> pendingAcks(int limit) {
      return s.acks.entrySet().stream()
          .limit(limit)
          .map(e -> new PendingAck(e.getKey(), e.getValue()))
          .toList();
    }

    @Override
    public void queueAck(Optional<String> cmdId, CommandStatus status, Optional<String> reason) {
      s.acks.put(++s.lastAck, AckJson.json(cmdId, status, reason, clock.instant()));
    }

    @Override
    public long auditSize() {
      return s.auditHashes.size();
    }

    @Override
    public Optional<CommandRecord> command(String cmdId) {
      return Optional.ofNullable(s.commands.get(cmdId));
    }

    @Override
    public int commandsSince(String type, CommandStatus status, Instant since) {
      return (int)
          s.commands.values().stream()
              .filter(
                  c ->
                      c.type().equals(type)
                          && c.status() == status
                          && c.at().toEpochMilli() >= since.toEpochMilli())
              .count();
    }

    @Override
    public void recordCommand(CommandRecord command) {
      if (s.commands.containsKey(command.cmdId())) {
        throw new StoreFailure("command " + command.cmdId() + " is already recorded");
      }
      // Millisecond instants, as the SQLite store keeps them.
      s.commands.put(
          command.cmdId(),
          new CommandRecord(
              command.cmdId(),
              command.type(),
              Instant.ofEpochMilli(command.at().toEpochMilli()),
              command.status()));
    }

    @Override
    public int forgetCommandsBefore(Instant before) {
      int count = s.commands.size();
      s.commands.values().removeIf(c -> c.at().toEpochMilli() < before.toEpochMilli());
      return count - s.commands.size();
    }

    @Override
    public Optional<Credential> credential(Credential.Role role, String id) {
      return Optional.ofNullable(s.credentials.get(credentialKey(role, id)));
    }

    @Override
    public List<Credential> credentials(Credential.Role role) {
      return s.credentials.values().stream().filter(c -> c.role() == role).toList();
    }

    @Override
    public void saveCredential(Credential c) {
      s.credentials.put(
          credentialKey(c.role(), c.id()),
          new Credential(c.role(), c.id(), c.cardHash(), c.pinHash(), millis(c.updatedAt())));
    }

    @Override
    public boolean revokeCredential(Credential.Role role, String id) {
      return s.credentials.remove(credentialKey(role, id)) != null;
    }

    @Override
    public Optional<Notification> notification(String id) {
      return Optional.ofNullable(s.notifications.get(id));
    }

    @Override
    public List<Notification> notifications(ParcelId parcel) {
      return s.notifications.values().stream()
          .filter(n -> n.parcel().equals(parcel))
          .sorted(Comparator.comparing(Notification::requestedAt).thenComparing(Notification::id))
          .toList();
    }

    @Override
    public void recordNotification(Notification n) {
      s.notifications.put(
          n.id(),
          new Notification(
              n.id(),
              n.parcel(),
              n.kind(),
              n.channel(),
              n.status(),
              n.detail(),
              millis(n.requestedAt()),
              millis(n.updatedAt())));
    }

    @Override
    public Map<String, String> settings() {
      return Collections.unmodifiableMap(new TreeMap<>(s.settings));
    }

    @Override
    public void saveSetting(String key, String value) {
      s.settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    @Override
    public Optional<Payment> payment(PaymentId id) {
      return Optional.ofNullable(s.payments.get(id));
    }

    @Override
    public List<Payment> payments(ParcelId parcel) {
      return s.payments.values().stream()
          .filter(p -> p.parcel().equals(parcel))
          .sorted(OLDEST_FIRST)
          .toList();
    }

    @Override
    public List<Payment> paymentsNeedingRecovery() {
      return s.payments.values().stream()
          .filter(p -> p.state().needsRecovery())
          .sorted(OLDEST_FIRST)
          .toList();
    }

    @Override
    public Optional<Payment> paymentByReceipt(String receipt) {
      return s.payments.values().stream()
          .filter(p -> p.receipt().filter(receipt::equals).isPresent())
          .max(OLDEST_FIRST);
    }

    @Override
    public void save(Payment p) {
      s.payments.put(
          p.id(),
          new Payment(
              p.id(),
              p.parcel(),
              p.method(),
              p.amount(),
              p.state(),
              millis(p.createdAt()),
              millis(p.updatedAt()),
              p.receipt(),
              p.reference(),
              p.maskedPan(),
              p.authCode(),
              p.terminalId(),
              p.cardName(),
              p.receiptText(),
              p.failure()));
    }

    @Override
    public void save(Compartment compartment) {
      s.compartments.put(compartment.id(), compartment);
    }

    @Override
    public void save(Parcel parcel) {
      liveParcel(parcel.tracking())
          .filter(other -> !other.id().equals(parcel.id()) && !parcel.state().isFinal())
          .ifPresent(
              other -> {
                throw new StoreFailure("tracking " + parcel.tracking() + " is already live");
              });
      s.parcels.put(parcel.id(), parcel);
    }

    @Override
    public UnlockIntent save(UnlockIntent intent) {
      UnlockIntent saved = intent;
      if (intent.id() == 0) {
        if (openIntent(intent.compartment()).isPresent()) {
          throw new StoreFailure("compartment " + intent.compartment() + " has an open intent");
        }
        saved =
            new UnlockIntent(
                ++s.lastIntent,
                intent.compartment(),
                intent.reason(),
                intent.parcel(),
                intent.actor(),
                intent.state(),
                intent.createdAt(),
                intent.failure());
      }
      s.intents.put(saved.id(), saved);
      return saved;
    }

    @Override
    public void addCode(String codeHash, ParcelId parcel, Instant expiresAt) {
      if (codeActive(codeHash)) {
        throw new StoreFailure("an active code with this hash exists");
      }
      s.codes.add(new Code(codeHash, parcel, "ACTIVE", expiresAt));
    }

    @Override
    public boolean codeActive(String codeHash) {
      return parcelForActiveCode(codeHash).isPresent();
    }

    @Override
    public void endCode(ParcelId parcel, CodeEnd end) {
      s.codes.replaceAll(
          c ->
              c.parcel().equals(parcel) && c.state().equals("ACTIVE")
                  ? new Code(c.hash(), c.parcel(), end.name(), c.expiresAt())
                  : c);
    }

    @Override
    public void saveKeypad(KeypadGuard.State state) {
      s.keypad = state;
    }

    @Override
    public OutboxEvent emit(String type, Map<String, Object> data) {
      long seq = ++s.lastSeq;
      Instant at = clock.instant();
      String eventId = eventIds.next(at);
      OutboxEvent event =
          new OutboxEvent(
              seq, eventId, type, at, EventEnvelope.json(lockerId, seq, eventId, type, at, data));
      s.outbox.put(seq, event);
      return event;
    }

    @Override
    public void audit(String actor, String action, String subject, String detail) {
      long id = s.auditHashes.size() + 1L;
      String prev =
          s.auditHashes.isEmpty()
              ? AuditChain.GENESIS
              : s.auditHashes.get(s.auditHashes.size() - 1);
      s.auditHashes.add(AuditChain.hash(prev, id, clock.millis(), actor, action, subject, detail));
    }
  }
}
