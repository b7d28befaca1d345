package dev.locker.core.application;

import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.application.port.CompartmentLocks.UnlockOutcome;
import dev.locker.core.application.port.DoorMonitor;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.LockerStore.Transaction;
import dev.locker.core.application.port.PaymentSigner;
import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.core.domain.CardApproval;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.DoorPhase;
import dev.locker.core.domain.DoorState;
import dev.locker.core.domain.IntentState;
import dev.locker.core.domain.KeypadGuard;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.OpeningReason;
import dev.locker.core.domain.OperatorSettings;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Payment;
import dev.locker.core.domain.PaymentId;
import dev.locker.core.domain.PaymentState;
import dev.locker.core.domain.PickupCode;
import dev.locker.core.domain.PickupCodeGenerator;
import dev.locker.core.domain.PickupCodeHasher;
import dev.locker.core.domain.RecipientPhone;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.Tariff;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.domain.UnlockIntent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locker's use cases: deposit, pickup, door changes, expiry and start-up reconciliation.
 *
 * <p>Threads: every public method runs its work on the {@link LockerLoop}, the single writer of
 * domain state; callers on other threads wait for the result. Door changes from the {@link
 * DoorMonitor} are posted to the loop.
 *
 * <p>Durability: each step commits before anything outside learns of it. An unlock intent is
 * committed before the unlock frame; "door opened" and "door closed" are committed before a result
 * is returned or a listener is told.
 */
public final class Locker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Locker.class);
  private static final String SYSTEM = "locker";
  private static final java.time.format.DateTimeFormatter DEADLINE =
      java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", java.util.Locale.ENGLISH);

  private final LockerPolicy policy;
  private final LockerStore store;
  private final CompartmentLocks locks;
  private final DoorMonitor doors;
  private final Clock clock;
  private final PickupCodeHasher hasher;
  private final PickupCodeGenerator codes;
  private final KeypadGuard keypad;
  private final LockerLoop loop;
  private final List<LockerListener> listeners = new CopyOnWriteArrayList<>();
  private final DoorWait doorWait;

  /** Card payments being charged right now: recovery leaves them alone. */
  private final java.util.Set<PaymentId> charging =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** How the deposit and pickup flows wait for a released door to be seen open. */
  @FunctionalInterface
  public interface DoorWait {
    /** Polls {@code opened} until it is true or {@code timeoutMillis} passed; true if it opened. */
    boolean await(BooleanSupplier opened, long timeoutMillis);

    /** Polls every 20 ms with the monotonic clock: a hardware wait, not domain time. */
    DoorWait POLLING =
        (opened, timeoutMillis) -> {
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
          while (true) {
            if (opened.getAsBoolean()) {
              return true;
            }
            if (System.nanoTime() - deadline >= 0) {
              return false;
            }
            try {
              Thread.sleep(20);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
          }
        };
  }

  public Locker(
      LockerPolicy policy,
      LockerStore store,
      CompartmentLocks locks,
      DoorMonitor doors,
      Clock clock,
      PickupCodeHasher hasher,
      PickupCodeGenerator codes,
      LockerLoop loop,
      DoorWait doorWait) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.store = Objects.requireNonNull(store, "store");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.doors = Objects.requireNonNull(doors, "doors");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.codes = Objects.requireNonNull(codes, "codes");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.doorWait = Objects.requireNonNull(doorWait, "doorWait");
    this.keypad =
        new KeypadGuard(
            policy.maxConsecutiveFailures(),
            policy.lockout(),
            policy.maxLockout(),
            policy.maxFailuresPerHour());
  }

  public void addListener(LockerListener listener) {
    listeners.add(listener);
  }

  /**
   * Makes sure every configured compartment exists in the store (new ones empty; removed ones are
   * left alone), starts the door monitor, waits up to {@code firstReads} for every door's first
   * read, and reconciles open intents and door phases with what the sensors report. Doors still
   * unknown then are settled at their first read, by the same rules. Call once.
   */
  public ReconcileReport start(Map<CompartmentId, Size> configured, Duration firstReads) {
    loop.call(
        () ->
            store.transaction(
                tx -> {
                  configured.forEach(
                      (id, size) -> {
                        if (tx.compartment(id).isEmpty()) {
                          tx.save(Compartment.empty(id, size));
                        }
                      });
                  return null;
                }));
    doors.start((compartment, state) -> loop.post(() -> onDoorChanged(compartment, state)));
    doorWait.await(
        () ->
            configured.keySet().stream()
                .allMatch(
                    id ->
                        doors.currentStates().getOrDefault(id, DoorState.UNKNOWN)
                            != DoorState.UNKNOWN),
        firstReads.toMillis());
    return loop.call(() -> reconcile(doors.currentStates()));
  }

  /** A courier puts a parcel in. */
  public DepositResult deposit(DepositRequest request) {
    return loop.call(() -> depositOnLoop(request));
  }

  /** A recipient enters a pickup code (keypad text as typed). */
  public PickupResult pickup(String keypadText) {
    return loop.call(() -> pickupOnLoop(keypadText));
  }

  /**
   * A device's health changed (called on a driver's thread): posted to the loop, which records it
   * as a {@code device.health} event and in the audit log.
   */
  public void deviceHealthChanged(dev.locker.core.domain.DeviceHealth health) {
    loop.post(
        () -> {
          try {
            store.transaction(
                tx -> {
                  tx.emit(
                      "device.health",
                      data(
                          "device", health.device(),
                          "state", health.state().name().toLowerCase(java.util.Locale.ROOT),
                          "detail", health.detail()));
                  tx.audit(
                      SYSTEM,
                      "device.health",
                      health.device(),
                      health.state() + ": " + health.detail());
                  return null;
                });
          } catch (RuntimeException e) {
            log.error("health of {} could not be recorded", health.device(), e);
          }
        });
  }

  /**
   * Tells the cloud, once per key, the public key that checks this locker's QR-pay codes: event
   * {@code locker.key} {@code {keyId, publicKey, use: "qr-pay"}}, through the outbox like every
   * event, so it arrives before any code signed with it can be confirmed.
   */
  public void announceSigningKey(PaymentSigner signer) {
    loop.call(
        () ->
            store.transaction(
                tx -> {
                  String setting = "announced.signingKey";
                  if (signer.keyId().equals(tx.settings().get(setting))) {
                    return null;
                  }
                  tx.emit(
                      "locker.key",
                      data(
                          "keyId", signer.keyId(),
                          "publicKey", signer.publicKey(),
                          "use", "qr-pay"));
                  tx.saveSetting(setting, signer.keyId());
                  tx.audit(SYSTEM, "locker.key", signer.keyId(), "announced for qr-pay");
                  return null;
                }));
  }

  /** Longest service reason kept, in characters. */
  public static final int MAX_REASON = 200;

  /**
   * Takes a compartment out of service ({@code inService} false) or puts it back (true), for {@code
   * actor} (a technician's id, or {@code cloud}) with a reason, recorded as a {@code
   * compartment.out_of_service} / {@code compartment.in_service} event and in the audit log. An
   * occupied compartment taken out of service keeps its parcel until it is collected; it is not
   * allocated again until it is back in service. Putting a compartment back also clears the fault
   * the locker found in it: whoever puts it back has checked it.
   */
  public ServiceResult setInService(
      String compartment, boolean inService, String reason, String actor) {
    return setInService(compartment, inService, reason, actor, tx -> {});
  }

  /**
   * {@link #setInService(String, boolean, String, String)}, with {@code alongside} written in the
   * transaction of the change (a cloud command's replay record); it runs only for {@link
   * ServiceResult.Changed}.
   */
  public ServiceResult setInService(
      String compartment,
      boolean inService,
      String reason,
      String actor,
      Consumer<Transaction> alongside) {
    return loop.call(() -> setInServiceOnLoop(compartment, inService, reason, actor, alongside));
  }

  private ServiceResult setInServiceOnLoop(
      String compartment,
      boolean inService,
      String reason,
      String actor,
      Consumer<Transaction> alongside) {
    Optional<String> problem = reasonProblem(reason);
    if (problem.isPresent()) {
      return new ServiceResult.MissingReason(problem.get());
    }
    String why = reason.strip();
    Optional<Compartment> found = findCompartment(compartment);
    if (found.isEmpty()) {
      return new ServiceResult.NoSuchCompartment(compartment);
    }
    Compartment current = found.get();
    if (current.inService() == inService && (!inService || current.fault().isEmpty())) {
      return new ServiceResult.Unchanged(current.id(), inService);
    }
    store.transaction(
        tx -> {
          Compartment next = current.inService(inService);
          tx.save(inService ? next.faultCleared() : next);
          String type = inService ? "compartment.in_service" : "compartment.out_of_service";
          tx.emit(type, data("compartment", current.id().value(), "reason", why));
          tx.audit(actor, type, current.id().value(), why);
          alongside.accept(tx);
          return null;
        });
    return new ServiceResult.Changed(current.id(), inService);
  }

  /** Actor of a remote opening: {@code cloud:} and the command's id, which its ack names. */
  public static final String CLOUD_ACTOR = "cloud:";

  /**
   * Opens a compartment for a technician at the locker ({@link OpeningReason#SERVICE}) or a signed
   * cloud command ({@link OpeningReason#REMOTE}, {@code actor} {@link #CLOUD_ACTOR} + cmdId), with
   * a reason. The intent is committed before the unlock, together with whatever {@code alongside}
   * writes (the command's replay record), so a power cut can neither lose the reason nor open
   * twice. A remote open of an occupied compartment hands its parcel over (a pickup with method
   * {@code remote}); a service opening leaves the parcel where it is. A remote open's ack is queued
   * with its outcome: applied when the door is seen open, failed when it is not, also when the
   * outcome is only found at the next start.
   */
  public OpenResult open(
      String compartment,
      OpeningReason reason,
      String actor,
      String why,
      Consumer<Transaction> alongside) {
    if (reason != OpeningReason.SERVICE && reason != OpeningReason.REMOTE) {
      throw new IllegalArgumentException("deposits and pickups open through their own flows");
    }
    return loop.call(() -> openOnLoop(compartment, reason, actor, why, alongside));
  }

  private OpenResult openOnLoop(
      String compartment,
      OpeningReason reason,
      String actor,
      String why,
      Consumer<Transaction> alongside) {
    Optional<String> problem = reasonProblem(why);
    if (problem.isPresent()) {
      return new OpenResult.MissingReason(problem.get());
    }
    Optional<Compartment> found = findCompartment(compartment);
    if (found.isEmpty()) {
      return new OpenResult.NoSuchCompartment(compartment);
    }
    Compartment target = found.get();
    if (target.state().inFlow() || target.door() != DoorPhase.CLOSED) {
      return new OpenResult.Busy(
          target.id(), "in use (" + target.state() + ", door " + target.door() + ")");
    }
    Optional<Parcel> inside = target.parcel().flatMap(id -> store.read(r -> r.parcel(id)));
    boolean handOver = reason == OpeningReason.REMOTE && inside.isPresent();
    if (handOver && inside.get().state() != ParcelState.DEPOSITED) {
      return new OpenResult.ParcelExpired(target.id());
    }
    String text = why.strip();
    UnlockIntent intent =
        store.transaction(
            tx -> {
              Compartment released = handOver ? target.on(CompartmentState.Event.RELEASE) : target;
              tx.save(released.on(DoorPhase.Event.AUTHORISE));
              UnlockIntent saved =
                  tx.save(
                      new UnlockIntent(
                          0,
                          target.id(),
                          reason,
                          handOver ? Optional.of(inside.get().id()) : Optional.empty(),
                          actor,
                          IntentState.PENDING,
                          clock.instant(),
                          Optional.empty()));
              alongside.accept(tx);
              tx.audit(
                  actor,
                  reason.wire() + ".intent",
                  target.id().value(),
                  text + ", intent " + saved.id());
              return saved;
            });
    Optional<String> failure = releaseAndWatch(intent);
    if (failure.isPresent()) {
      failIntent(intent, failure.get(), true);
      return new OpenResult.DidNotOpen(target.id(), failure.get());
    }
    doorOpened(intent);
    return new OpenResult.Opened(target.id(), intent.parcel());
  }

  private static Optional<String> reasonProblem(String reason) {
    String why = reason == null ? "" : reason.strip();
    if (why.isEmpty()) {
      return Optional.of("a reason is required");
    }
    if (why.length() > MAX_REASON || why.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("the reason must be one line of at most " + MAX_REASON + " characters");
    }
    return Optional.empty();
  }

  private Optional<Compartment> findCompartment(String compartment) {
    return compartment != null && CompartmentId.FORMAT.matcher(compartment).matches()
        ? store.read(r -> r.compartment(CompartmentId.of(compartment)))
        : Optional.empty();
  }

  /**
   * The compartment {@code parcel} can be handed over from now: the one it lies in, occupied and
   * closed, with no flow using it.
   */
  private static Optional<Compartment> handOverFrom(
      LockerStore.Reader store, Optional<Parcel> parcel) {
    return parcel
        .flatMap(Parcel::compartment)
        .flatMap(store::compartment)
        .filter(c -> c.state() == CompartmentState.OCCUPIED && c.door() == DoorPhase.CLOSED);
  }

  /** The parcel's approved card payment waiting for its door, if any. */
  private static Optional<Payment> approvedPayment(LockerStore.Reader tx, ParcelId parcel) {
    return tx.payments(parcel).stream()
        .filter(p -> p.state() == PaymentState.APPROVED)
        .reduce((first, second) -> second);
  }

  /** The cloud command a remote opening answers, whose ack goes with its outcome. */
  private static Optional<String> commandOf(UnlockIntent intent) {
    return intent.reason() == OpeningReason.REMOTE && intent.actor().startsWith(CLOUD_ACTOR)
        ? Optional.of(intent.actor().substring(CLOUD_ACTOR.length()))
        : Optional.empty();
  }

  /** Expires every parcel past its deadline; returns how many. */
  public int expireOverdue() {
    return loop.call(this::expireOnLoop);
  }

  /** Waits until everything posted to the loop before this call (door changes) has run. */
  public void awaitIdle() {
    loop.call(() -> null);
  }

  /** A snapshot of every compartment, for screens and the simulator. */
  public List<Compartment> compartments() {
    return store.read(LockerStore.Reader::compartments);
  }

  public LockerPolicy policy() {
    return policy;
  }

  // ---------------------------------------------------------------- deposit

  private DepositResult depositOnLoop(DepositRequest request) {
    if (request.courierId() == null || request.courierId().isBlank()) {
      return new DepositResult.InvalidInput("courierId", "sign in first");
    }
    Optional<TrackingNumber> tracking = TrackingNumber.parse(request.tracking());
    if (tracking.isEmpty()) {
      return new DepositResult.InvalidInput(
          "tracking", "a tracking number is 4 to 40 letters, digits or dashes");
    }
    Optional<Parcel> live = store.read(r -> r.liveParcel(tracking.get()));
    if (live.isPresent() && live.get().state() != ParcelState.EXPECTED) {
      Parcel parcel = live.get();
      return new DepositResult.AlreadyInLocker(
          parcel.tracking().value(),
          parcel.compartment().orElseThrow(() -> new IllegalStateException("no compartment")));
    }
    Parcel parcel;
    if (live.isPresent()) {
      parcel = live.get().withCourier(request.courierId());
    } else {
      Optional<RecipientPhone> phone = RecipientPhone.parse(request.recipientPhone());
      if (phone.isEmpty()) {
        return new DepositResult.InvalidInput(
            "recipientPhone", "enter the number with its country code, for example +852 9123 4567");
      }
      parcel =
          Parcel.expected(
              ParcelId.random(),
              tracking.get(),
              request.size().orElse(Size.S),
              phone.get(),
              request.courierId());
    }
    Size wanted = request.size().orElse(parcel.size());
    List<CompartmentId> skipped = new ArrayList<>();
    for (int round = 0; round < policy.maxAlternatives(); round++) {
      Optional<Compartment> chosen = chooseCompartment(wanted);
      if (chosen.isEmpty()) {
        return skipped.isEmpty()
            ? new DepositResult.NoFreeCompartment(wanted)
            : new DepositResult.HardwareFault(skipped, "no other compartment is free");
      }
      Compartment compartment = chosen.get();
      Parcel sized = parcel;
      UnlockIntent intent =
          store.transaction(
              tx -> {
                tx.save(sized);
                tx.save(
                    compartment
                        .on(CompartmentState.Event.RESERVE)
                        .on(DoorPhase.Event.AUTHORISE)
                        .holding(sized.id()));
                UnlockIntent saved =
                    tx.save(
                        newIntent(
                            compartment.id(), OpeningReason.DEPOSIT, sized, request.courierId()));
                tx.audit(
                    request.courierId(),
                    "deposit.intent",
                    compartment.id().value(),
                    "parcel " + sized.tracking() + ", intent " + saved.id());
                return saved;
              });
      Optional<String> failure = releaseAndWatch(intent);
      if (failure.isEmpty()) {
        doorOpened(intent);
        return new DepositResult.Opened(compartment.id(), compartment.size(), parcel.id(), skipped);
      }
      failIntent(intent, failure.get(), true);
      skipped.add(compartment.id());
    }
    return new DepositResult.HardwareFault(skipped, "none of the compartments tried would open");
  }

  /** The smallest allocatable compartment that fits, lowest id first within a size. */
  private Optional<Compartment> chooseCompartment(Size parcel) {
    List<Compartment> all = store.read(LockerStore.Reader::compartments);
    for (Size size : parcel.andLarger()) {
      Optional<Compartment> match =
          all.stream()
              .filter(c -> c.size() == size && c.isAllocatable())
              .min((a, b) -> a.id().compareTo(b.id()));
      if (match.isPresent()) {
        return match;
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- pickup

  private PickupResult pickupOnLoop(String keypadText) {
    Instant now = clock.instant();
    KeypadGuard.State guard = store.read(LockerStore.Reader::keypad);
    if (keypad.check(guard, now) instanceof KeypadGuard.Verdict.LockedOut out) {
      return new PickupResult.LockedOut(out.until(), out.hourlyLimit());
    }
    Optional<String> malformed = PickupCode.problemWith(keypadText, codes.length());
    if (malformed.isPresent()) {
      return new PickupResult.MalformedCode(malformed.get());
    }
    String hash = hasher.hash(new PickupCode(keypadText));
    Optional<Parcel> parcel =
        store.read(
            r ->
                r.parcelForActiveCode(hash)
                    .flatMap(r::parcel)
                    .filter(p -> p.state() == ParcelState.DEPOSITED)
                    .filter(p -> !p.isOverdue(now)));
    Optional<Compartment> compartment = store.read(r -> handOverFrom(r, parcel));
    if (parcel.isEmpty() || compartment.isEmpty()) {
      return codeRefused(guard, now);
    }
    Parcel found = parcel.get();
    Compartment target = compartment.get();
    Parcel.Due due = found.due(target.size(), now);
    if (!due.isNothing()) {
      store.transaction(
          tx -> {
            tx.saveKeypad(keypad.afterSuccess(tx.keypad(), now));
            tx.audit(
                "recipient",
                "pickup.payment_required",
                target.id().value(),
                "parcel " + found.tracking() + " owes " + describe(due));
            return null;
          });
      return new PickupResult.PaymentRequired(
          target.id(), found.id(), found.tracking().value(), due);
    }
    UnlockIntent intent =
        store.transaction(
            tx -> {
              tx.saveKeypad(keypad.afterSuccess(tx.keypad(), now));
              tx.save(target.on(CompartmentState.Event.RELEASE).on(DoorPhase.Event.AUTHORISE));
              UnlockIntent saved =
                  tx.save(newIntent(target.id(), OpeningReason.PICKUP, found, "recipient"));
              tx.audit(
                  "recipient",
                  "pickup.intent",
                  target.id().value(),
                  "parcel " + found.tracking() + ", intent " + saved.id());
              return saved;
            });
    Optional<String> failure = releaseAndWatch(intent);
    if (failure.isPresent()) {
      failIntent(intent, failure.get(), true);
      return new PickupResult.HardwareFault(target.id(), failure.get());
    }
    doorOpened(intent);
    return new PickupResult.Opened(target.id(), found.id(), found.tracking().value());
  }

  private PickupResult codeRefused(KeypadGuard.State guard, Instant now) {
    KeypadGuard.State after = keypad.afterFailure(guard, now);
    KeypadGuard.Verdict verdict = keypad.check(after, now);
    store.transaction(
        tx -> {
          tx.saveKeypad(after);
          tx.audit(
              "recipient",
              "pickup.code_refused",
              "keypad",
              "failures in a row: " + after.consecutiveFailures());
          if (verdict instanceof KeypadGuard.Verdict.LockedOut out
              && !(keypad.check(guard, now) instanceof KeypadGuard.Verdict.LockedOut)) {
            tx.emit("auth.lockout", data("scope", "pickup", "until", out.until().toString()));
            tx.audit("locker", "auth.lockout", "keypad", "until " + out.until());
          }
          return null;
        });
    return new PickupResult.InvalidCode();
  }

  private static String describe(Parcel.Due due) {
    List<String> parts = new ArrayList<>();
    due.storage().ifPresent(m -> parts.add("storage " + m.amount() + " " + m.currency()));
    due.cashOnDelivery()
        .ifPresent(m -> parts.add("cash on delivery " + m.amount() + " " + m.currency()));
    return String.join(" and ", parts);
  }

  // ---------------------------------------------------------------- card payment

  /**
   * The recipient pays what {@code parcelId} owes on the card {@code terminal}, and its door opens
   * once the payment is approved (reliability-security.md §2.3). The payment is committed before
   * the terminal is asked; its approval, the unlock intent and the door's outcome are committed as
   * they happen; the terminal completes the payment only after the door sensor saw the door open,
   * and reverses it otherwise. Blocks the caller (not the locker loop) while the customer is at the
   * terminal.
   */
  public PaymentResult payByCard(
      ParcelId parcelId, PaymentTerminal terminal, PaymentTerminal.Progress progress) {
    Object prepared = loop.call(() -> prepareCardPayment(parcelId, terminal));
    if (prepared instanceof PaymentResult refused) {
      return refused;
    }
    Payment payment = (Payment) prepared;
    charging.add(payment.id());
    PaymentResult result;
    try {
      result = chargeAndFinish(payment, terminal, progress);
    } finally {
      charging.remove(payment.id());
    }
    if (result instanceof PaymentResult.Unresolved unresolved) {
      // Ask the terminal at once: a link that broke for a moment is usually back.
      resolvePayments(terminal);
      Payment now = store.read(r -> r.payment(payment.id())).orElseThrow();
      CompartmentId compartment =
          store.read(r -> r.parcel(payment.parcel())).flatMap(Parcel::compartment).orElseThrow();
      if (now.state() == PaymentState.PAID) {
        return new PaymentResult.Opened(
            compartment, payment.parcel(), payment.id(), payment.amount(), now.receiptText());
      }
      if (now.state() == PaymentState.REVERSED) {
        return new PaymentResult.DoorDidNotOpen(compartment, true, "the payment was reversed");
      }
      if (now.state() == PaymentState.DECLINED) {
        return new PaymentResult.Declined(now.failure().orElse("not taken"));
      }
      return unresolved;
    }
    return result;
  }

  private PaymentResult chargeAndFinish(
      Payment payment, PaymentTerminal terminal, PaymentTerminal.Progress progress) {
    PaymentTerminal.ChargeOutcome outcome =
        terminal.charge(
            payment.amount(),
            approval -> {
              CompletableFuture<Boolean> released = new CompletableFuture<>();
              loop.post(
                  () -> {
                    try {
                      released.complete(releasePaid(payment.id(), approval));
                    } catch (RuntimeException e) {
                      log.error("payment {} could not release its parcel", payment.id(), e);
                      released.complete(false);
                    }
                  });
              return released;
            },
            progress);
    return loop.call(() -> finishCardPayment(payment.id(), outcome));
  }

  /** How long a QR-pay code is shown; a confirmation may come this long plus the grace after. */
  public static final Duration QR_PAY_VALIDITY = Duration.ofMinutes(5);

  /** A provider's confirmation of a code the customer paid at the last moment is still taken. */
  public static final Duration QR_PAY_GRACE = Duration.ofMinutes(2);

  /** What a parcel owes and where it waits, when it can be paid for now. */
  private record Payable(Parcel parcel, Compartment compartment, Parcel.Due due) {}

  /**
   * The parcel, its compartment and what it owes, or why it cannot be paid for now. QR offers past
   * their grace are closed first; a live one is closed when {@code replaceQr} (a new payment
   * replaces it), else it blocks.
   */
  private Object payable(ParcelId parcelId, Instant now, boolean replaceQr) {
    Optional<Parcel> parcel =
        store
            .read(r -> r.parcel(parcelId))
            .filter(p -> p.state() == ParcelState.DEPOSITED && !p.isOverdue(now));
    Optional<Compartment> compartment = store.read(r -> handOverFrom(r, parcel));
    if (parcel.isEmpty() || compartment.isEmpty()) {
      return "this parcel is not waiting for pickup";
    }
    for (Payment open : store.read(r -> r.payments(parcelId))) {
      if (open.state().isFinal()) {
        continue;
      }
      boolean qrOffer =
          open.method() == PaymentState.Method.QR && open.state() == PaymentState.CHARGING;
      if (qrOffer && (replaceQr || !now.isBefore(qrDeadline(open)))) {
        String why = replaceQr ? "replaced by a new payment" : "expired";
        settle(open.failed(why, now), "payment.failed", Optional.of(why));
        continue;
      }
      return qrOffer
          ? "a QR code for this parcel is still waiting to be paid"
          : "an earlier payment for this parcel is still being settled";
    }
    Parcel.Due due = parcel.get().due(compartment.get().size(), now);
    return new Payable(parcel.get(), compartment.get(), due);
  }

  private static Instant qrDeadline(Payment payment) {
    return payment.createdAt().plus(QR_PAY_VALIDITY).plus(QR_PAY_GRACE);
  }

  private Object prepareCardPayment(ParcelId parcelId, PaymentTerminal terminal) {
    Instant now = clock.instant();
    // The terminal tells only its last transaction: an open card payment must be settled before
    // another one could hide it (reliability-security.md §2.3, rule 1).
    boolean unsettled =
        store.read(LockerStore.Reader::paymentsNeedingRecovery).stream()
            .anyMatch(p -> p.method() == PaymentState.Method.CARD);
    if (unsettled) {
      return new PaymentResult.NotPayable(
          "the card terminal is settling an earlier payment; try again in a moment");
    }
    Object checked = payable(parcelId, now, false);
    if (checked instanceof String reason) {
      return new PaymentResult.NotPayable(reason);
    }
    Payable payable = (Payable) checked;
    Parcel.Due due = payable.due();
    if (due.isNothing()) {
      return new PaymentResult.NothingOwed(parcelId);
    }
    Optional<Money> total = due.total();
    if (total.isEmpty() || !total.get().currency().equals(terminal.currency())) {
      return new PaymentResult.NotPayable(
          "the amount owed ("
              + describe(due)
              + ") cannot be paid on a terminal that charges "
              + terminal.currency());
    }
    return startPayment(payable, PaymentState.Method.CARD, total.get(), now, "by card");
  }

  /** Commits a payment about to be charged, before the terminal or the provider is asked. */
  private Payment startPayment(
      Payable payable, PaymentState.Method method, Money total, Instant now, String how) {
    Payment payment =
        Payment.charging(PaymentId.random(), payable.parcel().id(), method, total, now);
    store.transaction(
        tx -> {
          tx.save(payment);
          tx.audit(
              "recipient",
              "payment.charging",
              payment.id().value(),
              "parcel "
                  + payable.parcel().tracking()
                  + ", "
                  + total.amount()
                  + " "
                  + total.currency()
                  + " "
                  + how);
          return null;
        });
    return payment;
  }

  // ---------------------------------------------------------------- QR pay

  /**
   * Offers QR pay for what {@code parcelId} owes: a payment committed with a code signed by {@code
   * signer}, shown for {@link #QR_PAY_VALIDITY}. Only while the cloud link is up ({@code
   * cloudConnected}): the confirmation comes through it. A QR offer still showing for the parcel is
   * replaced.
   */
  public QrOffer offerQrPay(ParcelId parcelId, PaymentSigner signer, boolean cloudConnected) {
    if (!cloudConnected) {
      return new QrOffer.Unavailable("QR pay needs the cloud link, which is down: pay by card");
    }
    return loop.call(
        () -> {
          Instant now = clock.instant();
          Object checked = payable(parcelId, now, true);
          if (checked instanceof String reason) {
            return new QrOffer.NotPayable(reason);
          }
          Payable payable = (Payable) checked;
          if (payable.due().isNothing()) {
            return new QrOffer.NothingOwed(parcelId);
          }
          Optional<Money> total = payable.due().total();
          if (total.isEmpty()) {
            return new QrOffer.NotPayable(
                "the amount owed (" + describe(payable.due()) + ") is in two currencies");
          }
          Instant expires = now.plus(QR_PAY_VALIDITY);
          Payment payment =
              startPayment(
                  payable, PaymentState.Method.QR, total.get(), now, "by QR until " + expires);
          String code =
              new QrPayCode(payment.id(), policy.lockerId(), total.get(), expires, signer.keyId())
                  .text(signer);
          return new QrOffer.Offered(payment.id(), code, total.get(), expires);
        });
  }

  /** The customer left the QR screen: the offer is withdrawn (a later confirmation is refused). */
  public boolean cancelQrPay(PaymentId id) {
    return loop.call(
        () -> {
          Optional<Payment> open =
              store
                  .read(r -> r.payment(id))
                  .filter(
                      p ->
                          p.method() == PaymentState.Method.QR
                              && p.state() == PaymentState.CHARGING);
          open.ifPresent(
              p ->
                  settle(
                      p.failed("cancelled on the screen", clock.instant()),
                      "payment.failed",
                      Optional.of("cancelled on the screen")));
          return open.isPresent();
        });
  }

  /**
   * A QR payment as the cloud's confirmation needs it: one still waiting (within its validity and
   * grace), or one already confirmed (with its reference, so that a repeat changes nothing). Empty
   * for anything else: unknown, expired, cancelled.
   */
  public static Optional<QrPending> qrPayment(String id, LockerStore.Reader store, Instant now) {
    if (!PaymentId.isId(id)) {
      return Optional.empty();
    }
    return store
        .payment(new PaymentId(id))
        .filter(p -> p.method() == PaymentState.Method.QR)
        .flatMap(
            p -> {
              if (p.state() == PaymentState.CHARGING) {
                return now.isBefore(qrDeadline(p))
                    ? Optional.of(new QrPending(p.id(), p.amount(), Optional.empty()))
                    : Optional.empty();
              }
              return p.reference().map(ref -> new QrPending(p.id(), p.amount(), Optional.of(ref)));
            });
  }

  /** A QR payment the cloud may confirm (see {@link #qrPayment}). */
  public record QrPending(PaymentId id, Money due, Optional<String> confirmedReference) {}

  /**
   * The provider confirmed QR payment {@code id} with {@code reference}: recorded in {@code tx}
   * (the confirmation command's transaction) with the unlock intent; the door is released once that
   * commits. When the parcel can no longer be handed over, the payment is recorded reversed and
   * {@code payment.reversed} tells the cloud to refund it. Runs on the locker loop.
   */
  public void confirmQr(PaymentId id, String reference, Transaction tx, Instant now) {
    Payment payment = tx.payment(id).orElseThrow();
    Payment approved = payment.confirmed(reference, now);
    Optional<Parcel> parcel =
        tx.parcel(payment.parcel()).filter(p -> p.state() == ParcelState.DEPOSITED);
    Optional<Compartment> compartment = handOverFrom(tx, parcel);
    if (compartment.isEmpty()) {
      String why = "the parcel can no longer be handed over: the provider refunds";
      Payment refunded =
          approved
              .on(PaymentState.Event.WITHHOLD, now)
              .on(PaymentState.Event.REVERSE, now)
              .withFailure(why, now);
      tx.save(refunded);
      emitPayment(tx, refunded, "payment.reversed", Optional.of(why));
      return;
    }
    Compartment target = compartment.get();
    tx.save(approved);
    tx.save(target.on(CompartmentState.Event.RELEASE).on(DoorPhase.Event.AUTHORISE));
    UnlockIntent intent =
        tx.save(newIntent(target.id(), OpeningReason.PICKUP, parcel.get(), "recipient"));
    tx.audit(
        "cloud",
        "payment.confirmed",
        id.value(),
        "QR reference " + reference + ", intent " + intent.id());
    loop.post(() -> releaseConfirmed(intent));
  }

  /** Releases the door a confirmed QR payment paid for, once its confirmation committed. */
  private void releaseConfirmed(UnlockIntent intent) {
    try {
      Optional<UnlockIntent> still =
          store
              .read(r -> r.openIntent(intent.compartment()))
              .filter(i -> i.id() == intent.id() && i.state() == IntentState.PENDING);
      if (still.isEmpty()) {
        return;
      }
      Optional<String> failure = releaseAndWatch(still.get());
      if (failure.isPresent()) {
        failIntent(still.get(), failure.get(), true);
      } else {
        doorOpened(still.get());
      }
    } catch (RuntimeException e) {
      log.error("the door of a confirmed QR payment could not be released", e);
    }
  }

  /**
   * The terminal approved: records the approval with the unlock intent, releases the door and waits
   * for the sensor. True when the door opened (the parcel is out); false when it did not, or the
   * approval does not match the charge: the terminal then reverses.
   */
  private boolean releasePaid(PaymentId id, PaymentTerminal.Approval approval) {
    Instant now = clock.instant();
    Payment payment = store.read(r -> r.payment(id)).orElseThrow();
    if (payment.state() != PaymentState.CHARGING) {
      log.warn("payment {} was approved in state {}: not released", id, payment.state());
      return false;
    }
    CardApproval card = card(approval);
    Payment approved = payment.approved(card, now);
    Optional<Parcel> parcel =
        store.read(r -> r.parcel(payment.parcel())).filter(p -> p.state() == ParcelState.DEPOSITED);
    Optional<Compartment> compartment = store.read(r -> handOverFrom(r, parcel));
    if (!approval.amount().equals(payment.amount()) || compartment.isEmpty()) {
      String why =
          compartment.isEmpty()
              ? "the parcel is no longer waiting in a closed compartment"
              : "the terminal approved " + approval.amount() + ", not " + payment.amount();
      store.transaction(
          tx -> {
            tx.save(approved.on(PaymentState.Event.WITHHOLD, now).withFailure(why, now));
            tx.audit("recipient", "payment.withheld", id.value(), why);
            return null;
          });
      return false;
    }
    Compartment target = compartment.get();
    UnlockIntent intent =
        store.transaction(
            tx -> {
              tx.save(approved);
              tx.save(target.on(CompartmentState.Event.RELEASE).on(DoorPhase.Event.AUTHORISE));
              UnlockIntent saved =
                  tx.save(newIntent(target.id(), OpeningReason.PICKUP, parcel.get(), "recipient"));
              tx.audit(
                  "recipient",
                  "payment.approved",
                  id.value(),
                  "receipt " + card.receipt() + ", intent " + saved.id());
              return saved;
            });
    Optional<String> failure = releaseAndWatch(intent);
    if (failure.isPresent()) {
      failIntent(intent, failure.get(), true);
      return false;
    }
    doorOpened(intent);
    return true;
  }

  /** Records how the terminal ended the payment, and what the screen should say. */
  private PaymentResult finishCardPayment(PaymentId id, PaymentTerminal.ChargeOutcome outcome) {
    Instant now = clock.instant();
    Payment payment = store.read(r -> r.payment(id)).orElseThrow();
    CompartmentId compartment =
        store.read(r -> r.parcel(payment.parcel())).flatMap(Parcel::compartment).orElseThrow();
    if (outcome instanceof PaymentTerminal.ChargeOutcome.Paid paid) {
      if (payment.state() == PaymentState.RELEASED) {
        Payment done =
            payment.on(PaymentState.Event.COMPLETE, now).withReceiptText(paid.receiptText(), now);
        settle(done, "payment.approved", Optional.empty());
        return new PaymentResult.Opened(
            compartment, payment.parcel(), id, payment.amount(), paid.receiptText());
      }
      // Paid although the parcel was not released: the reversal it is owed goes ahead.
      log.error("payment {} completed by the terminal in state {}", id, payment.state());
      return new PaymentResult.DoorDidNotOpen(compartment, false, "the payment will be reversed");
    }
    if (outcome instanceof PaymentTerminal.ChargeOutcome.Reversed reversed) {
      if (payment.state() == PaymentState.RELEASED) {
        settle(
            payment.on(PaymentState.Event.REVERSE, now).withFailure(reversed.reason(), now),
            "payment.reversed",
            Optional.of("the parcel was released but the terminal reversed: " + reversed.reason()));
        alarm("payment_reversed_after_release", "payment " + id + " for a released parcel");
        return new PaymentResult.Opened(
            compartment, payment.parcel(), id, payment.amount(), List.of());
      }
      Payment before =
          payment.state() == PaymentState.CHARGING
              ? payment.on(PaymentState.Event.APPROVE, now)
              : payment;
      if (before.state() == PaymentState.REVERSING || before.state() == PaymentState.APPROVED) {
        settle(
            before.on(PaymentState.Event.REVERSE, now),
            "payment.reversed",
            Optional.of(reversed.reason()));
      }
      return new PaymentResult.DoorDidNotOpen(compartment, true, reversed.reason());
    }
    if (outcome instanceof PaymentTerminal.ChargeOutcome.Unknown unknown) {
      if (payment.state() == PaymentState.CHARGING || payment.state() == PaymentState.RELEASED) {
        store.transaction(
            tx -> {
              tx.save(payment.on(PaymentState.Event.LOSE, now).withFailure(unknown.detail(), now));
              tx.audit("locker", "payment.unknown", id.value(), unknown.detail());
              return null;
            });
      }
      return new PaymentResult.Unresolved(id, unknown.detail());
    }
    String reason;
    PaymentResult result;
    if (outcome instanceof PaymentTerminal.ChargeOutcome.Declined declined) {
      reason = declined.reason();
      result = new PaymentResult.Declined(reason);
    } else if (outcome instanceof PaymentTerminal.ChargeOutcome.Cancelled cancelled) {
      reason = cancelled.reason();
      result = new PaymentResult.Cancelled(reason);
    } else {
      reason = ((PaymentTerminal.ChargeOutcome.NoTerminal) outcome).detail();
      result = new PaymentResult.TerminalUnavailable(reason);
    }
    if (payment.state() == PaymentState.CHARGING) {
      settle(payment.failed(reason, now), "payment.failed", Optional.of(reason));
    }
    return result;
  }

  /** What {@link #resolvePayments} settled, and how many it must try again later. */
  public record PaymentRecovery(int settled, int pending) {}

  /**
   * Settles every card payment a crash, a lost link or a failed door left open, with {@code
   * terminal} (reliability-security.md §2.3): a charge the terminal approved for a parcel that was
   * not released is reversed; one whose parcel was released is completed, or, if the terminal
   * reversed it meanwhile, recorded as released unpaid with an alarm; one the terminal never took
   * is closed as failed. A payment the terminal cannot answer for now stays, for the next round.
   * Call at start-up before the kiosk takes payments, and then every few minutes; blocks the caller
   * (terminal exchanges), never the locker loop. Payments being charged right now are left alone.
   */
  public PaymentRecovery resolvePayments(PaymentTerminal terminal) {
    int settled = 0;
    int pending = 0;
    List<Payment> open = store.read(LockerStore.Reader::paymentsNeedingRecovery);
    for (Payment payment : open) {
      if (payment.method() != PaymentState.Method.CARD || charging.contains(payment.id())) {
        continue;
      }
      boolean done;
      try {
        done = resolve(payment, terminal);
      } catch (RuntimeException e) {
        log.error("payment {} could not be resolved", payment.id(), e);
        done = false;
      }
      if (done) {
        settled++;
      } else {
        pending++;
      }
    }
    if (settled > 0 || pending > 0) {
      log.info("payment recovery: {} settled, {} left for later", settled, pending);
    }
    return new PaymentRecovery(settled, pending);
  }

  /** One payment's recovery step; true when it reached a final state. */
  private boolean resolve(Payment payment, PaymentTerminal terminal) {
    switch (payment.state()) {
      case CHARGING, UNKNOWN -> {
        PaymentTerminal.LastTransaction last = terminal.lastTransaction();
        if (last instanceof PaymentTerminal.LastTransaction.NoTerminal) {
          return false;
        }
        Optional<PaymentTerminal.LastTransaction.Known> ours =
            Optional.of(last)
                .filter(PaymentTerminal.LastTransaction.Known.class::isInstance)
                .map(PaymentTerminal.LastTransaction.Known.class::cast)
                .filter(k -> isOurs(payment, k.approval()));
        if (ours.isEmpty()) {
          return loop.call(
              () -> {
                settle(
                    payment.failed("interrupted before the terminal took it", clock.instant()),
                    "payment.failed",
                    Optional.of("interrupted before the terminal took it"));
                return true;
              });
        }
        PaymentTerminal.Approval approval = ours.get().approval();
        if (!ours.get().approved()) {
          return loop.call(
              () -> {
                settle(
                    payment
                        .approved(card(approval), clock.instant())
                        .on(PaymentState.Event.REVERSE, clock.instant()),
                    "payment.reversed",
                    Optional.of("reversed by the terminal after an interruption"));
                return true;
              });
        }
        // Approved, but its parcel was never released (a release goes through APPROVED).
        Payment owed =
            loop.call(
                () ->
                    store.transaction(
                        tx -> {
                          Payment next =
                              payment
                                  .approved(card(approval), clock.instant())
                                  .on(PaymentState.Event.WITHHOLD, clock.instant())
                                  .withFailure(
                                      "approved while the locker was down", clock.instant());
                          tx.save(next);
                          tx.audit(
                              "locker",
                              "payment.withheld",
                              payment.id().value(),
                              "recovered approval");
                          return next;
                        }));
        return reverseOwed(owed, terminal);
      }
      case REVERSING -> {
        return reverseOwed(payment, terminal);
      }
      case RELEASED, RELEASED_UNCONFIRMED -> {
        PaymentTerminal.LastTransaction last = terminal.lastTransaction();
        if (!(last instanceof PaymentTerminal.LastTransaction.Known known)) {
          return false;
        }
        boolean same = payment.receipt().equals(Optional.of(known.approval().receipt()));
        boolean reversal =
            known.reverses().isPresent() && known.reverses().equals(payment.reference());
        if (!same && !reversal) {
          // A later transaction hides ours; its fate cannot be read back now: try again later.
          return false;
        }
        if (reversal) {
          return loop.call(
              () -> {
                settle(
                    payment.on(PaymentState.Event.REVERSE, clock.instant()),
                    "payment.reversed",
                    Optional.of("the parcel was released but the terminal reversed"));
                alarm("payment_reversed_after_release", "payment " + payment.id());
                return true;
              });
        }
        return loop.call(
            () -> {
              if (known.approved()) {
                settle(
                    payment.on(PaymentState.Event.COMPLETE, clock.instant()),
                    "payment.approved",
                    Optional.empty());
              } else {
                settle(
                    payment.on(PaymentState.Event.REVERSE, clock.instant()),
                    "payment.reversed",
                    Optional.of("the parcel was released but the terminal reversed"));
                alarm("payment_reversed_after_release", "payment " + payment.id());
              }
              return true;
            });
      }
      default -> {
        return false; // APPROVED: its door is settled by the reconciliation of its unlock intent
      }
    }
  }

  /** Reverses a payment that owes a reversal; true once the terminal confirmed it. */
  private boolean reverseOwed(Payment payment, PaymentTerminal terminal) {
    Optional<String> receipt = payment.receipt();
    if (receipt.isEmpty()) {
      return false;
    }
    PaymentTerminal.ReversalOutcome outcome = terminal.reverse(receipt.get());
    boolean reversed =
        outcome instanceof PaymentTerminal.ReversalOutcome.Reversed
            || outcome instanceof PaymentTerminal.ReversalOutcome.AlreadyReversed;
    if (!reversed) {
      return false;
    }
    return loop.call(
        () -> {
          settle(
              payment.on(PaymentState.Event.REVERSE, clock.instant()),
              "payment.reversed",
              Optional.of(payment.failure().orElse("reversal owed")));
          return true;
        });
  }

  /** The terminal's transaction is this payment's: same amount, a receipt no other payment has. */
  private boolean isOurs(Payment payment, PaymentTerminal.Approval approval) {
    if (payment.receipt().isPresent()) {
      return payment.receipt().get().equals(approval.receipt());
    }
    return approval.amount().equals(payment.amount())
        && store.read(r -> r.paymentByReceipt(approval.receipt())).isEmpty();
  }

  private static CardApproval card(PaymentTerminal.Approval approval) {
    return new CardApproval(
        approval.receipt(),
        approval.reference(),
        approval.maskedPan().filter(Payment::isMaskedPan),
        approval.authCode(),
        approval.terminalId(),
        approval.cardName());
  }

  /** Saves a payment that reached {@code event}'s state, with its event and audit entry. */
  private void settle(Payment payment, String event, Optional<String> reason) {
    store.transaction(
        tx -> {
          tx.save(payment);
          emitPayment(tx, payment, event, reason);
          return null;
        });
  }

  /** The contract's {@code payment.*} event of {@code payment}, and its audit entry. */
  private static void emitPayment(
      Transaction tx, Payment payment, String event, Optional<String> reason) {
    Map<String, Object> data =
        data(
            "paymentId", payment.id().value(),
            "parcelId", payment.parcel().value(),
            "method", payment.method().name().toLowerCase(java.util.Locale.ROOT),
            "amount", payment.amount().amount(),
            "currency", payment.amount().currency(),
            "reference", payment.reference().or(payment::receipt).orElse(null));
    payment.maskedPan().ifPresent(pan -> data.put("maskedPan", pan));
    reason.ifPresent(r -> data.put("reason", r));
    tx.emit(event, data);
    tx.audit(
        "locker",
        event,
        payment.id().value(),
        payment.state() + reason.map(r -> ": " + r).orElse(""));
  }

  private void alarm(String kind, String detail) {
    store.transaction(
        tx -> {
          tx.emit("security.alarm", data("kind", kind, "detail", detail));
          tx.audit("locker", "security.alarm", kind, detail);
          return null;
        });
    log.warn("alarm {}: {}", kind, detail);
  }

  // ---------------------------------------------------------------- doors

  /**
   * Sends the unlock (up to {@code unlockAttempts} times) and waits for the door sensor to report
   * the door open. Empty when it opened; otherwise why not, in words for the audit log.
   */
  private Optional<String> releaseAndWatch(UnlockIntent intent) {
    String lastProblem = "not tried";
    for (int attempt = 1; attempt <= policy.unlockAttempts(); attempt++) {
      UnlockOutcome outcome = locks.unlock(intent.compartment());
      if (outcome instanceof UnlockOutcome.Released) {
        boolean opened =
            doorWait.await(
                () -> doors.currentStates().get(intent.compartment()) == DoorState.OPEN,
                policy.openTimeout().toMillis());
        if (opened) {
          return Optional.empty();
        }
        lastProblem = "released, but the door was not seen open";
      } else if (outcome instanceof UnlockOutcome.StillLocked jam) {
        lastProblem = "lock stayed locked: " + jam.detail();
      } else if (outcome instanceof UnlockOutcome.Unreachable silent) {
        lastProblem = "lock board did not answer: " + silent.detail();
      }
      log.warn(
          "unlock attempt {} of {} on {} failed: {}",
          attempt,
          policy.unlockAttempts(),
          intent.compartment(),
          lastProblem);
    }
    return Optional.of(lastProblem);
  }

  private void onDoorChanged(CompartmentId id, DoorState state) {
    try {
      settle(id, state);
    } catch (RuntimeException e) {
      log.error("door change on {} could not be recorded", id, e);
    }
  }

  /** What settling one door did. */
  private enum Settled {
    NOTHING,
    FINISHED,
    FAILED,
    FORCED
  }

  /**
   * Brings one compartment in line with its sensor. The rules, for start-up and for every later
   * change alike (a flow in progress never sees them: it runs on the loop to its end first, so a
   * PENDING intent seen here is a leftover of a crash):
   *
   * <ul>
   *   <li>open, intent PENDING: the door did open; the flow goes on as "door opened";
   *   <li>open, no intent: forced;
   *   <li>closed, intent PENDING: the door never opened; the intent fails, the compartment is not
   *       blamed (the crash, not the lock, interrupted it);
   *   <li>closed, door believed open: "door closed", finishing a deposit or pickup.
   * </ul>
   */
  private Settled settle(CompartmentId id, DoorState sensor) {
    Optional<Compartment> known = store.read(r -> r.compartment(id));
    if (known.isEmpty() || sensor == DoorState.UNKNOWN) {
      return Settled.NOTHING;
    }
    Compartment compartment = known.get();
    Optional<UnlockIntent> intent = store.read(r -> r.openIntent(id));
    boolean pending = intent.isPresent() && intent.get().state() == IntentState.PENDING;
    if (sensor == DoorState.OPEN) {
      if (compartment.door().isOpen()) {
        return Settled.NOTHING;
      }
      if (pending) {
        doorOpened(intent.get());
        return Settled.FINISHED;
      }
      doorForced(compartment);
      return Settled.FORCED;
    }
    if (pending) {
      failIntent(intent.get(), "door never opened (found at start-up)", false);
      return Settled.FAILED;
    }
    if (compartment.door().isOpen()) {
      doorClosed(compartment, intent);
      return intent.isPresent() ? Settled.FINISHED : Settled.NOTHING;
    }
    return Settled.NOTHING;
  }

  /** Commits "door opened" for an intent: a pickup's parcel is out from this moment. */
  private void doorOpened(UnlockIntent intent) {
    Instant now = clock.instant();
    store.transaction(
        tx -> {
          Compartment compartment = tx.compartment(intent.compartment()).orElseThrow();
          tx.save(intent.on(IntentState.Event.DOOR_OPENED));
          Compartment opened =
              compartment.state().inFlow()
                  ? compartment.on(CompartmentState.Event.DOOR_OPENED)
                  : compartment;
          tx.save(opened.on(DoorPhase.Event.SENSOR_OPEN));
          tx.emit(
              "door.opened",
              data("compartment", intent.compartment().value(), "reason", intent.reason().wire()));
          commandOf(intent)
              .ifPresent(
                  cmdId ->
                      tx.queueAck(
                          Optional.of(cmdId), LockerStore.CommandStatus.APPLIED, Optional.empty()));
          boolean handOver =
              intent.reason() == OpeningReason.PICKUP
                  || (intent.reason() == OpeningReason.REMOTE && intent.parcel().isPresent());
          if (handOver) {
            Parcel parcel = tx.parcel(intent.parcel().orElseThrow()).orElseThrow();
            tx.save(parcel.on(ParcelState.Event.PICK_UP));
            tx.endCode(parcel.id(), LockerStore.CodeEnd.USED);
            // A paid pickup: the door is open, so the parcel is released for its payment.
            Optional<Payment> paid = approvedPayment(tx, parcel.id());
            paid.ifPresent(
                payment -> {
                  Payment released = payment.on(PaymentState.Event.RELEASE, now);
                  if (payment.method() == PaymentState.Method.QR) {
                    // The provider's confirmation was the capture: nothing more to wait for.
                    Payment done = released.on(PaymentState.Event.COMPLETE, now);
                    tx.save(done);
                    emitPayment(tx, done, "payment.approved", Optional.empty());
                  } else {
                    tx.save(released);
                  }
                  tx.audit(
                      intent.actor(),
                      "payment.released",
                      payment.id().value(),
                      "parcel "
                          + parcel.tracking()
                          + " released for receipt "
                          + payment.receipt().orElse("-"));
                });
            Money charged =
                paid.map(Payment::amount)
                    .orElseGet(
                        () -> new Money(0, parcel.tariff().map(Tariff::currency).orElse("CNY")));
            Map<String, Object> fee =
                data("amount", charged.amount(), "currency", charged.currency());
            tx.emit(
                "parcel.picked_up",
                data(
                    "parcelId", parcel.id().value(),
                    "tracking", parcel.tracking().value(),
                    "compartment", intent.compartment().value(),
                    "method", intent.reason() == OpeningReason.REMOTE ? "remote" : "code",
                    "fee", fee));
          }
          tx.audit(
              intent.actor(),
              "door.opened",
              intent.compartment().value(),
              intent.reason().wire() + " at " + now);
          return null;
        });
  }

  /** Commits "door closed": a deposit's parcel is in and its code goes out; a pickup ends. */
  private void doorClosed(Compartment compartment, Optional<UnlockIntent> open) {
    if (compartment.door() == DoorPhase.FORCED || open.isEmpty()) {
      store.transaction(
          tx -> {
            tx.save(compartment.on(DoorPhase.Event.SENSOR_CLOSED));
            tx.audit(
                SYSTEM, "door.closed", compartment.id().value(), "after an unexplained opening");
            return null;
          });
      return;
    }
    UnlockIntent intent = open.get();
    if (intent.parcel().isEmpty()) {
      store.transaction(
          tx -> {
            tx.save(intent.on(IntentState.Event.DOOR_CLOSED));
            tx.save(compartment.on(DoorPhase.Event.SENSOR_CLOSED));
            tx.emit(
                "door.closed",
                data("compartment", compartment.id().value(), "reason", intent.reason().wire()));
            tx.audit(
                intent.actor(), "door.closed", compartment.id().value(), intent.reason().wire());
            return null;
          });
      return;
    }
    Instant now = clock.instant();
    Parcel parcel =
        store.transaction(
            tx -> {
              Compartment current = tx.compartment(compartment.id()).orElseThrow();
              Parcel p = tx.parcel(intent.parcel().orElseThrow()).orElseThrow();
              tx.save(intent.on(IntentState.Event.DOOR_CLOSED));
              tx.emit(
                  "door.closed",
                  data("compartment", compartment.id().value(), "reason", intent.reason().wire()));
              Compartment closed =
                  current.on(CompartmentState.Event.DOOR_CLOSED).on(DoorPhase.Event.SENSOR_CLOSED);
              if (intent.reason() == OpeningReason.DEPOSIT) {
                Parcel deposited =
                    p.deposited(
                        compartment.id(),
                        now,
                        now.plus(policy.pickupWindow()),
                        OperatorSettings.tariff(policy.tariff(), tx.settings()));
                tx.save(deposited);
                tx.save(closed);
                PickupCode code = uniqueCode(tx);
                tx.addCode(hasher.hash(code), deposited.id(), deposited.deadline().orElseThrow());
                emitDeposited(tx, deposited, compartment);
                emitArrivalNotice(tx, deposited, code);
                tx.audit(
                    intent.actor(),
                    "parcel.deposited",
                    compartment.id().value(),
                    "parcel " + deposited.tracking());
                return deposited;
              }
              tx.save(closed.emptied());
              tx.audit(
                  intent.actor(), "door.closed", compartment.id().value(), intent.reason().wire());
              return p;
            });
    for (LockerListener listener : listeners) {
      if (intent.reason() == OpeningReason.DEPOSIT) {
        listener.depositCompleted(parcel, compartment.id());
      } else {
        listener.pickupCompleted(parcel, compartment.id());
      }
    }
  }

  private void doorForced(Compartment compartment) {
    store.transaction(
        tx -> {
          tx.save(compartment.on(DoorPhase.Event.SENSOR_OPEN));
          tx.emit("door.forced", data("compartment", compartment.id().value()));
          tx.audit(
              SYSTEM, "door.forced", compartment.id().value(), "opened with no recorded reason");
          return null;
        });
    log.warn("door {} opened with no recorded reason", compartment.id());
    listeners.forEach(l -> l.doorForced(compartment.id()));
  }

  /** Closes an intent as failed; {@code markFaulty} takes the compartment out of allocation. */
  private void failIntent(UnlockIntent intent, String why, boolean markFaulty) {
    store.transaction(
        tx -> {
          Compartment compartment = tx.compartment(intent.compartment()).orElseThrow();
          Compartment after =
              (compartment.state().inFlow()
                      ? compartment.on(CompartmentState.Event.UNLOCK_FAILED)
                      : compartment)
                  .on(DoorPhase.Event.RELEASE_LAPSED);
          commandOf(intent)
              .ifPresent(
                  cmdId ->
                      tx.queueAck(
                          Optional.of(cmdId),
                          LockerStore.CommandStatus.FAILED,
                          Optional.of("did_not_open")));
          if (intent.reason() == OpeningReason.DEPOSIT) {
            after = after.emptied();
          }
          if (intent.reason() == OpeningReason.PICKUP) {
            // A paid pickup whose door did not open: the payment must be reversed.
            approvedPayment(tx, intent.parcel().orElseThrow())
                .ifPresent(
                    payment -> {
                      Payment owed =
                          payment
                              .on(PaymentState.Event.WITHHOLD, clock.instant())
                              .withFailure("the door did not open: " + why, clock.instant());
                      if (payment.method() == PaymentState.Method.QR) {
                        // Only the provider can give the money back: the event tells the cloud.
                        Payment refunded = owed.on(PaymentState.Event.REVERSE, clock.instant());
                        tx.save(refunded);
                        emitPayment(
                            tx,
                            refunded,
                            "payment.reversed",
                            Optional.of("the door did not open: the provider refunds"));
                      } else {
                        tx.save(owed);
                      }
                      tx.audit(
                          intent.actor(),
                          "payment.withheld",
                          payment.id().value(),
                          "door did not open; reversal owed for receipt "
                              + payment.receipt().orElse("-"));
                    });
          }
          if (markFaulty) {
            after = after.faulty(why);
            tx.emit(
                "compartment.fault",
                data("compartment", intent.compartment().value(), "reason", why));
          }
          tx.save(after);
          tx.save(intent.failed(why));
          tx.audit(intent.actor(), "unlock.failed", intent.compartment().value(), why);
          return null;
        });
  }

  // ---------------------------------------------------------------- expiry and start-up

  private int expireOnLoop() {
    Instant now = clock.instant();
    for (Payment offer : store.read(LockerStore.Reader::paymentsNeedingRecovery)) {
      if (offer.method() == PaymentState.Method.QR
          && offer.state() == PaymentState.CHARGING
          && !now.isBefore(qrDeadline(offer))) {
        settle(offer.failed("expired", now), "payment.failed", Optional.of("expired"));
      }
    }
    List<Parcel> overdue =
        store.read(r -> r.parcels(ParcelState.DEPOSITED)).stream()
            .filter(p -> p.isOverdue(now))
            .toList();
    for (Parcel parcel : overdue) {
      store.transaction(
          tx -> {
            tx.save(parcel.on(ParcelState.Event.EXPIRE));
            tx.endCode(parcel.id(), LockerStore.CodeEnd.EXPIRED);
            tx.emit(
                "parcel.expired",
                data(
                    "parcelId", parcel.id().value(),
                    "tracking", parcel.tracking().value(),
                    "compartment", parcel.compartment().map(CompartmentId::value).orElse(null)));
            tx.audit(
                SYSTEM,
                "parcel.expired",
                parcel.compartment().map(CompartmentId::value).orElse("-"),
                "parcel " + parcel.tracking());
            return null;
          });
    }
    return overdue.size();
  }

  /** What start-up found and did. */
  public record ReconcileReport(
      List<CompartmentId> finished, List<CompartmentId> failed, List<CompartmentId> forced) {}

  /**
   * Brings open intents and door phases in line with what the sensors report now: an intent whose
   * door opened finishes its flow; one whose door never opened is closed as failed; a door found
   * open with no intent is forced. Doors whose state is unknown are left until their first read.
   */
  private ReconcileReport reconcile(Map<CompartmentId, DoorState> sensors) {
    List<CompartmentId> finished = new ArrayList<>();
    List<CompartmentId> failed = new ArrayList<>();
    List<CompartmentId> forced = new ArrayList<>();
    for (Compartment compartment : store.read(LockerStore.Reader::compartments)) {
      Settled settled =
          settle(compartment.id(), sensors.getOrDefault(compartment.id(), DoorState.UNKNOWN));
      switch (settled) {
        case FINISHED -> finished.add(compartment.id());
        case FAILED -> failed.add(compartment.id());
        case FORCED -> forced.add(compartment.id());
        case NOTHING -> {}
      }
    }
    if (!finished.isEmpty() || !failed.isEmpty() || !forced.isEmpty()) {
      log.info(
          "start-up reconciliation: finished {}, failed {}, forced {}", finished, failed, forced);
    }
    return new ReconcileReport(finished, failed, forced);
  }

  // ---------------------------------------------------------------- events

  private UnlockIntent newIntent(
      CompartmentId compartment, OpeningReason reason, Parcel parcel, String actor) {
    return new UnlockIntent(
        0,
        compartment,
        reason,
        Optional.of(parcel.id()),
        actor,
        IntentState.PENDING,
        clock.instant(),
        Optional.empty());
  }

  private PickupCode uniqueCode(Transaction tx) {
    while (true) {
      PickupCode code = codes.next();
      if (!tx.codeActive(hasher.hash(code))) {
        return code;
      }
    }
  }

  private static void emitDeposited(Transaction tx, Parcel parcel, Compartment compartment) {
    tx.emit(
        "parcel.deposited",
        data(
            "parcelId", parcel.id().value(),
            "tracking", parcel.tracking().value(),
            "compartment", compartment.id().value(),
            "size", compartment.size().name(),
            "courierId", parcel.courierId().orElse(null),
            "pickupDeadline", parcel.deadline().map(Instant::toString).orElse(null),
            "recipient", data("phoneMasked", parcel.recipientMasked())));
  }

  /**
   * The recipient's arrival message, the only place the plain code ever goes (contracts/mqtt.md
   * {@code notification.requested}). Plain English for now; templates per language come with the
   * notification work.
   */
  private void emitArrivalNotice(Transaction tx, Parcel parcel, PickupCode code) {
    String text =
        "Your parcel "
            + parcel.tracking()
            + " is ready at "
            + policy.lockerName()
            + ". Pickup code: "
            + code.digits()
            + ". Collect by "
            + DEADLINE.withZone(policy.timeZone()).format(parcel.deadline().orElseThrow())
            + ".";
    String notificationId = java.util.UUID.randomUUID().toString();
    LockerStore.OutboxEvent requested =
        tx.emit(
            "notification.requested",
            data(
                "notificationId",
                notificationId,
                "parcelId",
                parcel.id().value(),
                "kind",
                "arrival",
                "channel",
                "sms",
                "to",
                parcel.recipientContact().orElse(""),
                "language",
                "en",
                "text",
                text));
    // Remembered so that the cloud's delivery receipt (notification.status) finds it.
    tx.recordNotification(
        dev.locker.core.domain.Notification.requested(
            notificationId,
            parcel.id(),
            dev.locker.core.domain.Notification.Kind.ARRIVAL,
            dev.locker.core.domain.Notification.Channel.SMS,
            requested.at()));
  }

  /** An insertion-ordered map from alternating keys and values (values may be null). */
  static Map<String, Object> data(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Starts the periodic expiry check (every minute). */
  public void scheduleHousekeeping() {
    loop.every(
        1,
        TimeUnit.MINUTES,
        () -> {
          try {
            expireOnLoop();
          } catch (RuntimeException e) {
            log.error("expiry check failed", e);
          }
        });
  }

  @Override
  public void close() {
    doors.stop();
    loop.close();
  }
}
