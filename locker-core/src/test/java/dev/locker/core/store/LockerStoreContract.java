package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.LockerStore.CommandStatus;
import dev.locker.core.application.port.LockerStore.OutboxEvent;
import dev.locker.core.application.port.LockerStore.StoreFailure;
import dev.locker.core.application.port.LockerStore.Transaction;
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
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.domain.UnlockIntent;
import dev.locker.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LockerStore} promises (STYLE.md §7): the SQLite store and its in-memory twin
 * both extend this suite, so a test that passes on the twin means the same on the real store.
 */
abstract class LockerStoreContract {
  static final String LOCKER_ID = "LCK-CONTRACT-01";

  /** Milliseconds included: the stores keep instants to the millisecond. */
  static final Instant NOW = Instant.parse("2026-11-22T10:15:30.250Z");

  private static final ObjectMapper JSON = new ObjectMapper();

  static final CompartmentId A01 = CompartmentId.of("A01");
  static final CompartmentId A02 = CompartmentId.of("A02");
  static final CompartmentId B01 = CompartmentId.of("B01");
  static final CompartmentId C01 = CompartmentId.of("C01");

  protected ManualClock clock;
  protected LockerStore store;

  /** A new, empty store on {@code clock}. */
  protected abstract LockerStore newStore(ManualClock clock);

  @BeforeEach
  void openStore() {
    clock = new ManualClock(NOW);
    store = newStore(clock);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ---------------------------------------------------------------- fixtures

  void write(Consumer<Transaction> work) {
    store.transaction(
        tx -> {
          work.accept(tx);
          return null;
        });
  }

  static Parcel minimalParcel(String id, String tracking, ParcelState state) {
    return new Parcel(
        new ParcelId(id),
        new TrackingNumber(tracking),
        Size.S,
        state,
        "****0000",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Parcel.Advice.NONE);
  }

  static Parcel fullParcel(String id, String tracking, CompartmentId in, Instant depositedAt) {
    return new Parcel(
        new ParcelId(id),
        new TrackingNumber(tracking),
        Size.L,
        ParcelState.DEPOSITED,
        "****4567",
        Optional.of("+85291234567"),
        Optional.of("courier-7"),
        Optional.of(in),
        Optional.of(depositedAt),
        Optional.of(depositedAt.plus(Duration.ofDays(3))),
        new Parcel.Advice(
            Optional.of("wong@example.test"),
            Optional.of(new Money(4500, "HKD")),
            Optional.of("zh-Hant"),
            true,
            false),
        Optional.of(
            new dev.locker.core.domain.Tariff(
                Duration.ofHours(24),
                Duration.ofHours(12),
                500,
                3000,
                "HKD",
                java.util.Map.of(Size.XL, 800L))));
  }

  static UnlockIntent intent(CompartmentId compartment, IntentState state) {
    return new UnlockIntent(
        0,
        compartment,
        OpeningReason.SERVICE,
        Optional.empty(),
        "technician-3",
        state,
        NOW,
        Optional.empty());
  }

  /** A01, A02 (S), B01 (M), C01 (L): empty and closed. */
  void givenACabinet() {
    write(
        tx -> {
          tx.save(Compartment.empty(A01, Size.S));
          tx.save(Compartment.empty(A02, Size.S));
          tx.save(Compartment.empty(B01, Size.M));
          tx.save(Compartment.empty(C01, Size.L));
        });
  }

  /** Everything a reader can see, to compare before and after a transaction that failed. */
  record Snapshot(
      List<Compartment> compartments,
      List<List<Parcel>> parcelsByState,
      List<UnlockIntent> openIntents,
      KeypadGuard.State keypad,
      List<OutboxEvent> outbox,
      long lastSeq,
      long auditSize) {}

  Snapshot snapshot() {
    return store.read(
        r -> {
          List<List<Parcel>> parcels = new ArrayList<>();
          for (ParcelState state : ParcelState.values()) {
            parcels.add(r.parcels(state));
          }
          return new Snapshot(
              r.compartments(),
              parcels,
              r.openIntents(),
              r.keypad(),
              r.outbox(1_000),
              r.lastSeq(),
              r.auditSize());
        });
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  // Typed reads: AssertJ's assertThat overloads cannot infer store.read's generic result.

  Optional<Compartment> compartment(CompartmentId id) {
    return store.read(r -> r.compartment(id));
  }

  List<Compartment> compartments() {
    return store.read(LockerStore.Reader::compartments);
  }

  Optional<Parcel> parcel(ParcelId id) {
    return store.read(r -> r.parcel(id));
  }

  Optional<Parcel> liveParcel(TrackingNumber tracking) {
    return store.read(r -> r.liveParcel(tracking));
  }

  List<Parcel> parcels(ParcelState state) {
    return store.read(r -> r.parcels(state));
  }

  List<UnlockIntent> openIntents() {
    return store.read(LockerStore.Reader::openIntents);
  }

  Optional<UnlockIntent> openIntent(CompartmentId id) {
    return store.read(r -> r.openIntent(id));
  }

  Optional<ParcelId> parcelForActiveCode(String hash) {
    return store.read(r -> r.parcelForActiveCode(hash));
  }

  boolean codeActive(String hash) {
    return store.transaction(tx -> tx.codeActive(hash));
  }

  KeypadGuard.State keypad() {
    return store.read(LockerStore.Reader::keypad);
  }

  List<OutboxEvent> outbox(int limit) {
    return store.read(r -> r.outbox(limit));
  }

  long lastSeq() {
    return store.read(LockerStore.Reader::lastSeq);
  }

  long outboxSize() {
    return store.read(LockerStore.Reader::outboxSize);
  }

  long auditSize() {
    return store.read(LockerStore.Reader::auditSize);
  }

  // ---------------------------------------------------------------- compartments

  @Test
  void aNewStoreIsEmpty() {
    Snapshot empty = snapshot();

    assertThat(empty.compartments()).isEmpty();
    assertThat(empty.parcelsByState()).allMatch(List::isEmpty);
    assertThat(empty.openIntents()).isEmpty();
    assertThat(empty.keypad()).isEqualTo(KeypadGuard.State.FRESH);
    assertThat(empty.outbox()).isEmpty();
    assertThat(empty.lastSeq()).isZero();
    assertThat(empty.auditSize()).isZero();
  }

  @Test
  void aCompartmentWithEveryOptionalFieldPresentReadsBackEqual() {
    Parcel parcel = fullParcel("p-1", "JD0001", B01, NOW);
    Compartment full =
        new Compartment(
            B01,
            Size.M,
            CompartmentState.OCCUPIED,
            DoorPhase.CLOSED,
            Optional.of(parcel.id()),
            false,
            Optional.of("latch reads locked after unlock"));

    write(
        tx -> {
          tx.save(full);
          tx.save(parcel);
        });

    assertThat(compartment(B01)).contains(full);
  }

  @Test
  void aCompartmentWithEveryOptionalFieldAbsentReadsBackEqual() {
    Compartment empty = Compartment.empty(A01, Size.S);

    write(tx -> tx.save(empty));

    assertThat(compartment(A01)).contains(empty);
    assertThat(compartment(A02)).isEmpty();
  }

  @Test
  void everyStateDoorAndSizeOfACompartmentIsStored() {
    List<Compartment> all = new ArrayList<>();
    int n = 0;
    for (CompartmentState state : CompartmentState.values()) {
      for (DoorPhase door : DoorPhase.values()) {
        Size size = Size.values()[n % Size.values().length];
        all.add(
            new Compartment(
                CompartmentId.of(String.format("Z%02d", n++)),
                size,
                state,
                door,
                Optional.empty(),
                n % 2 == 0,
                Optional.empty()));
      }
    }

    write(tx -> all.forEach(tx::save));

    assertThat(compartments()).containsExactlyElementsOf(all);
  }

  @Test
  void savingACompartmentAgainReplacesIt() {
    givenACabinet();
    Compartment reserved =
        Compartment.empty(A01, Size.S)
            .on(CompartmentState.Event.RESERVE)
            .on(DoorPhase.Event.AUTHORISE)
            .inService(false)
            .faulty("jammed");

    write(tx -> tx.save(reserved));

    assertThat(compartment(A01)).contains(reserved);
    assertThat(compartments()).hasSize(4);
  }

  @Test
  void compartmentsAreListedInIdOrder() {
    write(
        tx -> {
          tx.save(Compartment.empty(C01, Size.L));
          tx.save(Compartment.empty(A02, Size.S));
          tx.save(Compartment.empty(B01, Size.M));
          tx.save(Compartment.empty(A01, Size.S));
        });

    assertThat(compartments()).extracting(Compartment::id).containsExactly(A01, A02, B01, C01);
  }

  @Test
  void referencesToRowsThatDoNotExistAreRefused() {
    givenACabinet();
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    write(tx -> tx.save(parcel));
    Snapshot before = snapshot();
    CompartmentId nowhere = CompartmentId.of("Z99");
    ParcelId nothing = new ParcelId("p-none");

    assertThatThrownBy(() -> write(tx -> tx.save(Compartment.empty(A01, Size.S).holding(nothing))))
        .as("a compartment holding an unknown parcel")
        .isInstanceOf(StoreFailure.class);
    assertThatThrownBy(() -> write(tx -> tx.save(fullParcel("p-2", "JD0002", nowhere, NOW))))
        .as("a parcel in an unknown compartment")
        .isInstanceOf(StoreFailure.class);
    assertThatThrownBy(() -> write(tx -> tx.save(intent(nowhere, IntentState.PENDING))))
        .as("an intent for an unknown compartment")
        .isInstanceOf(StoreFailure.class);
    assertThatThrownBy(() -> write(tx -> tx.addCode("hash-1", nothing, NOW)))
        .as("a code for an unknown parcel")
        .isInstanceOf(StoreFailure.class);

    assertThat(snapshot()).isEqualTo(before);
    assertThat(parcelForActiveCode("hash-1")).isEmpty();
  }

  // ---------------------------------------------------------------- parcels

  @Test
  void aParcelWithEveryOptionalFieldPresentReadsBackEqual() {
    givenACabinet();
    Parcel parcel = fullParcel("p-1", "JD0001", B01, NOW);

    write(tx -> tx.save(parcel));

    assertThat(parcel(parcel.id())).contains(parcel);
  }

  @Test
  void aParcelWithEveryOptionalFieldAbsentReadsBackEqual() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);

    write(tx -> tx.save(parcel));

    assertThat(parcel(parcel.id())).contains(parcel);
    assertThat(parcel(new ParcelId("p-2"))).isEmpty();
  }

  @Test
  void savingAParcelAgainReplacesIt() {
    givenACabinet();
    Parcel expected = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    write(tx -> tx.save(expected));
    Parcel deposited = expected.deposited(A01, NOW, NOW.plus(Duration.ofDays(3)));

    write(tx -> tx.save(deposited));

    assertThat(parcel(expected.id())).contains(deposited);
    assertThat(parcels(ParcelState.EXPECTED)).isEmpty();
  }

  @Test
  void theLiveParcelOfATrackingNumberIgnoresFinalStates() {
    write(
        tx -> {
          tx.save(minimalParcel("p-1", "JD0001", ParcelState.PICKED_UP));
          tx.save(minimalParcel("p-2", "JD0001", ParcelState.RETURNED));
          tx.save(minimalParcel("p-3", "JD0001", ParcelState.CANCELLED));
        });
    TrackingNumber jd0001 = new TrackingNumber("JD0001");

    assertThat(liveParcel(jd0001)).isEmpty();

    for (ParcelState live :
        List.of(ParcelState.EXPECTED, ParcelState.DEPOSITED, ParcelState.EXPIRED)) {
      Parcel parcel = minimalParcel("p-live", "JD0001", live);
      write(tx -> tx.save(parcel));
      assertThat(liveParcel(jd0001)).as("%s is live", live).contains(parcel);
    }
    assertThat(liveParcel(new TrackingNumber("JD0002"))).isEmpty();
  }

  @Test
  void aSecondLiveParcelWithTheSameTrackingNumberIsRefused() {
    write(tx -> tx.save(minimalParcel("p-1", "JD0001", ParcelState.EXPECTED)));

    assertThatThrownBy(
            () -> write(tx -> tx.save(minimalParcel("p-2", "JD0001", ParcelState.EXPECTED))))
        .isInstanceOf(StoreFailure.class);
    write(tx -> tx.save(minimalParcel("p-3", "JD0001", ParcelState.CANCELLED)));

    assertThat(parcel(new ParcelId("p-2"))).isEmpty();
    assertThat(parcel(new ParcelId("p-3"))).isPresent();
  }

  @Test
  void parcelsInAStateAreListedByDepositTimeThenId() {
    givenACabinet();
    Parcel late = fullParcel("p-a", "JD0001", A01, NOW.plusSeconds(60));
    Parcel early = fullParcel("p-z", "JD0002", A02, NOW);
    Parcel sameTime = fullParcel("p-b", "JD0003", B01, NOW.plusSeconds(60));
    Parcel expectedB = minimalParcel("p-y", "JD0004", ParcelState.EXPECTED);
    Parcel expectedA = minimalParcel("p-x", "JD0005", ParcelState.EXPECTED);
    Parcel picked = fullParcel("p-c", "JD0006", C01, NOW).on(ParcelState.Event.PICK_UP);

    write(
        tx -> {
          for (Parcel p : List.of(late, early, sameTime, expectedB, expectedA, picked)) {
            tx.save(p);
          }
        });

    assertThat(parcels(ParcelState.DEPOSITED)).containsExactly(early, late, sameTime);
    assertThat(parcels(ParcelState.EXPECTED)).containsExactly(expectedA, expectedB);
    assertThat(parcels(ParcelState.PICKED_UP)).containsExactly(picked);
    assertThat(parcels(ParcelState.EXPIRED)).isEmpty();
  }

  @Test
  void everyParcelStateAndSizeIsStored() {
    int n = 0;
    List<Parcel> saved = new ArrayList<>();
    for (ParcelState state : ParcelState.values()) {
      for (Size size : Size.values()) {
        saved.add(
            new Parcel(
                new ParcelId("p-" + n),
                new TrackingNumber("TRK" + n++),
                size,
                state,
                "****1234",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Parcel.Advice.NONE));
      }
    }

    write(tx -> saved.forEach(tx::save));

    for (Parcel p : saved) {
      assertThat(parcel(p.id())).contains(p);
    }
  }

  // ---------------------------------------------------------------- unlock intents

  @Test
  void intentsGetRisingIdsFromOne() {
    givenACabinet();

    List<Long> ids = new ArrayList<>();
    write(
        tx -> {
          ids.add(tx.save(intent(A01, IntentState.PENDING)).id());
          ids.add(tx.save(intent(A02, IntentState.PENDING)).id());
        });
    write(tx -> ids.add(tx.save(intent(B01, IntentState.PENDING)).id()));

    assertThat(ids).containsExactly(1L, 2L, 3L);
  }

  @Test
  void anIntentWithEveryOptionalFieldReadsBackEqual() {
    givenACabinet();
    Parcel parcel = fullParcel("p-1", "JD0001", B01, NOW);
    UnlockIntent withParcel =
        new UnlockIntent(
            0,
            B01,
            OpeningReason.PICKUP,
            Optional.of(parcel.id()),
            "recipient",
            IntentState.PENDING,
            NOW,
            Optional.empty());

    UnlockIntent saved =
        store.transaction(
            tx -> {
              tx.save(parcel);
              return tx.save(withParcel);
            });

    assertThat(openIntent(B01)).contains(saved);
    assertThat(saved).usingRecursiveComparison().ignoringFields("id").isEqualTo(withParcel);
    UnlockIntent failed = saved.failed("latch reads locked after unlock");
    write(tx -> tx.save(failed));
    assertThat(openIntent(B01)).isEmpty();
    UnlockIntent next = store.transaction(tx -> tx.save(intent(B01, IntentState.PENDING)));
    assertThat(openIntent(B01)).contains(next);
    assertThat(next.parcel()).isEmpty();
    assertThat(next.failure()).isEmpty();
  }

  @Test
  void everyOpeningReasonIsStored() {
    givenACabinet();
    for (OpeningReason reason : OpeningReason.values()) {
      UnlockIntent i =
          new UnlockIntent(
              0, A01, reason, Optional.empty(), "x", IntentState.PENDING, NOW, Optional.empty());
      UnlockIntent saved = store.transaction(tx -> tx.save(i));
      assertThat(openIntent(A01)).contains(saved);
      write(tx -> tx.save(saved.failed("test")));
    }
  }

  @Test
  void onlyPendingAndDoorOpenedIntentsAreOpen() {
    givenACabinet();
    List<UnlockIntent> saved =
        store.transaction(
            tx -> {
              UnlockIntent pending = tx.save(intent(A01, IntentState.PENDING));
              UnlockIntent opened = tx.save(intent(A02, IntentState.PENDING));
              UnlockIntent completed = tx.save(intent(B01, IntentState.PENDING));
              UnlockIntent failed = tx.save(intent(C01, IntentState.PENDING));
              return List.of(
                  pending,
                  tx.save(opened.on(IntentState.Event.DOOR_OPENED)),
                  tx.save(
                      completed
                          .on(IntentState.Event.DOOR_OPENED)
                          .on(IntentState.Event.DOOR_CLOSED)),
                  tx.save(failed.failed("no reply from board 0")));
            });

    assertThat(openIntents()).containsExactly(saved.get(0), saved.get(1));
    assertThat(openIntent(A01)).contains(saved.get(0));
    assertThat(openIntent(A02)).contains(saved.get(1));
    assertThat(openIntent(B01)).isEmpty();
    assertThat(openIntent(C01)).isEmpty();
    assertThat(saved.get(3).failure()).contains("no reply from board 0");
  }

  @Test
  void aSecondOpenIntentOnACompartmentIsRefusedAndTheWholeTransactionRollsBack() {
    givenACabinet();
    UnlockIntent first = store.transaction(tx -> tx.save(intent(A01, IntentState.PENDING)));
    Snapshot before = snapshot();

    assertThatThrownBy(
            () ->
                write(
                    tx -> {
                      tx.save(Compartment.empty(B01, Size.M).on(CompartmentState.Event.RESERVE));
                      tx.save(intent(B01, IntentState.PENDING));
                      tx.emit("door.opened", Map.of("compartment", "B01"));
                      tx.audit("technician-3", "service.open", "B01", "test");
                      tx.saveKeypad(new KeypadGuard.State(1, NOW, List.of(NOW)));
                      tx.save(intent(A01, IntentState.DOOR_OPENED));
                    }))
        .isInstanceOf(RuntimeException.class);

    assertThat(snapshot()).isEqualTo(before);
    assertThat(openIntent(A01)).contains(first);
    assertThat(store.transaction(tx -> tx.save(intent(B01, IntentState.PENDING))).id())
        .as("the refused transaction's intent id is not used up")
        .isEqualTo(2);
  }

  @Test
  void aNewIntentMayFollowOneThatIsOver() {
    givenACabinet();
    UnlockIntent first = store.transaction(tx -> tx.save(intent(A01, IntentState.PENDING)));
    write(tx -> tx.save(first.on(IntentState.Event.DOOR_OPENED).on(IntentState.Event.DOOR_CLOSED)));

    UnlockIntent second = store.transaction(tx -> tx.save(intent(A01, IntentState.PENDING)));

    assertThat(second.id()).isEqualTo(2);
    assertThat(openIntent(A01)).contains(second);
  }

  // ---------------------------------------------------------------- pickup codes

  @Test
  void anAddedCodeIsActiveAndNamesItsParcel() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    write(
        tx -> {
          tx.save(parcel);
          tx.addCode("hash-1", parcel.id(), NOW.plus(Duration.ofDays(3)));
          assertThat(tx.codeActive("hash-1")).as("inside the transaction").isTrue();
        });

    assertThat(parcelForActiveCode("hash-1")).contains(parcel.id());
    assertThat(parcelForActiveCode("hash-2")).isEmpty();
    assertThat(codeActive("hash-1")).isTrue();
    assertThat(codeActive("hash-2")).isFalse();
  }

  @Test
  void aUsedCodeIsNoLongerActiveAndItsHashMayBeDrawnAgain() {
    Parcel one = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    Parcel two = minimalParcel("p-2", "JD0002", ParcelState.EXPECTED);
    write(
        tx -> {
          tx.save(one);
          tx.save(two);
          tx.addCode("hash-1", one.id(), NOW);
          tx.addCode("hash-2", two.id(), NOW);
        });

    write(tx -> tx.endCode(one.id(), LockerStore.CodeEnd.USED));

    assertThat(parcelForActiveCode("hash-1")).isEmpty();
    assertThat(codeActive("hash-1")).isFalse();
    assertThat(parcelForActiveCode("hash-2")).as("another parcel's code stays").contains(two.id());
    write(tx -> tx.addCode("hash-1", two.id(), NOW));
    assertThat(parcelForActiveCode("hash-1")).contains(two.id());
  }

  @Test
  void anExpiredCodeIsNoLongerActive() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    write(
        tx -> {
          tx.save(parcel);
          tx.addCode("hash-1", parcel.id(), NOW);
        });

    write(tx -> tx.endCode(parcel.id(), LockerStore.CodeEnd.EXPIRED));

    assertThat(parcelForActiveCode("hash-1")).isEmpty();
  }

  @Test
  void twoActiveCodesWithTheSameHashAreRefused() {
    Parcel one = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    Parcel two = minimalParcel("p-2", "JD0002", ParcelState.EXPECTED);
    write(
        tx -> {
          tx.save(one);
          tx.save(two);
          tx.addCode("hash-1", one.id(), NOW);
        });

    assertThatThrownBy(() -> write(tx -> tx.addCode("hash-1", two.id(), NOW)))
        .isInstanceOf(StoreFailure.class);
    assertThat(parcelForActiveCode("hash-1")).contains(one.id());
  }

  // ---------------------------------------------------------------- keypad

  @Test
  void theKeypadStateRoundTrips() {
    KeypadGuard.State locked =
        new KeypadGuard.State(
            5,
            NOW.plusMillis(60_001),
            List.of(NOW.minusMillis(30_007), NOW.minusMillis(3_011), NOW));
    KeypadGuard.State later = new KeypadGuard.State(0, NOW.plusMillis(60_001), List.of(NOW));

    write(tx -> tx.saveKeypad(locked));
    assertThat(keypad()).isEqualTo(locked);

    write(tx -> tx.saveKeypad(later));
    assertThat(keypad()).isEqualTo(later);

    write(tx -> tx.saveKeypad(KeypadGuard.State.FRESH));
    assertThat(keypad()).isEqualTo(KeypadGuard.State.FRESH);
  }

  // ---------------------------------------------------------------- outbox

  @Test
  void eventsGetGapFreeSeqAcrossTransactions() {
    List<Long> seqs = new ArrayList<>();
    write(tx -> seqs.add(tx.emit("door.opened", Map.of("compartment", "A01")).seq()));
    write(
        tx -> {
          seqs.add(tx.emit("door.closed", Map.of("compartment", "A01")).seq());
          seqs.add(tx.emit("parcel.deposited", Map.of("compartment", "A01")).seq());
        });
    write(tx -> seqs.add(tx.emit("door.forced", Map.of("compartment", "A02")).seq()));

    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L);
    assertThat(lastSeq()).isEqualTo(4);
    assertThat(outbox(10))
        .extracting(OutboxEvent::seq, OutboxEvent::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "door.opened"),
            org.assertj.core.groups.Tuple.tuple(2L, "door.closed"),
            org.assertj.core.groups.Tuple.tuple(3L, "parcel.deposited"),
            org.assertj.core.groups.Tuple.tuple(4L, "door.forced"));
  }

  @Test
  void aTransactionThatThrowsLeavesNothingBehind() {
    givenACabinet();
    write(
        tx -> {
          tx.emit("door.opened", Map.of("compartment", "A01"));
          tx.audit("courier-7", "deposit.intent", "A01", "first");
        });
    Snapshot before = snapshot();
    IllegalStateException boom = new IllegalStateException("the work failed");

    assertThatThrownBy(
            () ->
                write(
                    tx -> {
                      tx.save(Compartment.empty(A01, Size.S).on(CompartmentState.Event.RESERVE));
                      tx.save(minimalParcel("p-1", "JD0001", ParcelState.EXPECTED));
                      tx.save(intent(A01, IntentState.PENDING));
                      tx.emit("door.opened", Map.of("compartment", "A01"));
                      tx.emit("door.closed", Map.of("compartment", "A01"));
                      tx.audit("courier-7", "deposit.intent", "A01", "second");
                      tx.saveKeypad(new KeypadGuard.State(2, NOW, List.of(NOW, NOW)));
                      throw boom;
                    }))
        .isSameAs(boom);

    assertThat(snapshot()).isEqualTo(before);
    assertThat(parcel(new ParcelId("p-1"))).isEmpty();
    assertThat(compartment(A01))
        .get()
        .extracting(Compartment::state)
        .isEqualTo(CompartmentState.FREE);
    assertThat(store.transaction(tx -> tx.emit("door.opened", Map.of())).seq())
        .as("no seq was consumed")
        .isEqualTo(2);
    write(tx -> tx.audit("courier-7", "deposit.intent", "A01", "third"));
    assertThat(auditSize()).isEqualTo(2);
  }

  @Test
  void aTransactionReadsItsOwnWritesAndReturnsItsResult() {
    String result =
        store.transaction(
            tx -> {
              tx.save(Compartment.empty(A01, Size.S));
              tx.emit("door.opened", Map.of());
              assertThat(tx.compartment(A01)).isPresent();
              assertThat(tx.lastSeq()).isEqualTo(1);
              assertThat(tx.outbox(10)).hasSize(1);
              return "done";
            });

    assertThat(result).isEqualTo("done");
  }

  @Test
  void theEnvelopeIsTheOneOfTheMqttContract() {
    clock.set(Instant.parse("2026-11-22T10:15:30.750Z"));
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("phoneMasked", "****4567");
    recipient.put("email", null);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("parcelId", "p-1");
    data.put("tracking", "JD0001");
    data.put("size", "M");
    data.put("fee", Map.of("amount", 350, "currency", "CNY"));
    data.put("recipient", recipient);
    data.put("reason", null);
    data.put("paid", false);
    data.put("tags", List.of("fragile", 2, true));

    OutboxEvent emitted = store.transaction(tx -> tx.emit("parcel.deposited", data));
    OutboxEvent stored = outbox(1).get(0);
    JsonNode envelope = json(stored.envelope());

    assertThat(stored).isEqualTo(emitted);
    List<String> fields = new ArrayList<>();
    envelope.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("v", "lockerId", "seq", "eventId", "type", "at", "data");
    assertThat(envelope.get("v").isInt()).isTrue();
    assertThat(envelope.get("v").asInt()).isEqualTo(1);
    assertThat(envelope.get("lockerId").asText()).isEqualTo(LOCKER_ID);
    assertThat(envelope.get("seq").isIntegralNumber()).isTrue();
    assertThat(envelope.get("seq").asLong()).isEqualTo(1).isEqualTo(stored.seq());
    assertThat(envelope.get("eventId").asText()).isEqualTo(stored.eventId());
    assertThat(envelope.get("type").asText())
        .isEqualTo("parcel.deposited")
        .isEqualTo(stored.type());
    assertThat(envelope.get("at").asText()).isEqualTo("2026-11-22T10:15:30Z");
    assertThat(envelope.get("data")).isEqualTo(JSON.valueToTree(data));
    assertThat(envelope.get("data").get("reason").isNull()).isTrue();
    assertThat(envelope.get("data").get("recipient").get("email").isNull()).isTrue();
    assertThat(envelope.get("data").get("fee").get("amount").asInt()).isEqualTo(350);
  }

  @Test
  void eventIdsAreUuidV7CarryingTheEmissionTime() {
    clock.set(Instant.parse("2026-11-22T10:15:30.750Z"));
    OutboxEvent first = store.transaction(tx -> tx.emit("door.opened", Map.of()));
    clock.advance(Duration.ofMillis(1234));
    OutboxEvent second = store.transaction(tx -> tx.emit("door.closed", Map.of()));

    for (OutboxEvent event : List.of(first, second)) {
      UUID id = UUID.fromString(event.eventId());
      assertThat(event.eventId())
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
      assertThat(id.getMostSignificantBits() >>> 16)
          .as("unix milliseconds in the top 48 bits")
          .isEqualTo(event.at().toEpochMilli());
    }
    assertThat(second.at()).isEqualTo(first.at().plusMillis(1234));
    assertThat(first.eventId()).isLessThan(second.eventId());
  }

  @Test
  void eventIdsAreUnique() {
    List<String> ids =
        store.transaction(
            tx -> {
              List<String> all = new ArrayList<>();
              for (int i = 0; i < 200; i++) {
                all.add(tx.emit("door.opened", Map.of()).eventId());
              }
              return all;
            });

    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void eventIdsOfOneMillisecondSortInSeqOrder() {
    List<String> ids =
        store.transaction(
            tx -> {
              List<String> all = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                all.add(tx.emit("door.opened", Map.of()).eventId());
              }
              return all;
            });

    assertThat(ids).isSorted();
  }

  @Test
  void theOutboxIsReadInSeqOrderUpToTheLimit() {
    write(
        tx -> {
          for (int i = 1; i <= 5; i++) {
            tx.emit("door.opened", Map.of("n", i));
          }
        });

    assertThat(outbox(3)).extracting(OutboxEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(outbox(100)).extracting(OutboxEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(outbox(0)).isEmpty();
    Iterator<OutboxEvent> events = outbox(5).iterator();
    for (int i = 1; i <= 5; i++) {
      assertThat(json(events.next().envelope()).get("data").get("n").asInt()).isEqualTo(i);
    }
  }

  @Test
  void removingPublishedEventsKeepsTheRestAndNeverReusesASeq() {
    write(
        tx -> {
          for (int i = 0; i < 5; i++) {
            tx.emit("door.opened", Map.of());
          }
        });

    assertThat(outboxSize()).isEqualTo(5);
    store.removeFromOutbox(2);

    assertThat(outbox(10)).extracting(OutboxEvent::seq).containsExactly(3L, 4L, 5L);
    assertThat(outboxSize()).isEqualTo(3);
    assertThat(lastSeq()).isEqualTo(5);

    store.removeFromOutbox(5);
    assertThat(outbox(10)).isEmpty();
    assertThat(outboxSize()).isZero();
    assertThat(store.transaction(tx -> tx.emit("door.closed", Map.of())).seq()).isEqualTo(6);
    store.removeFromOutbox(100);
    assertThat(outbox(10)).isEmpty();
    assertThat(lastSeq()).isEqualTo(6);
  }

  @Test
  void acksWaitInOrderUntilTheBrokerConfirmedThem() {
    write(
        tx -> {
          tx.queueAck(Optional.of("c-1"), CommandStatus.APPLIED, Optional.empty());
          tx.queueAck(Optional.of("c-2"), CommandStatus.REJECTED, Optional.of("replayed"));
        });
    assertThatThrownBy(
            () ->
                write(
                    tx -> {
                      tx.queueAck(
                          Optional.of("rolled-back"), CommandStatus.APPLIED, Optional.empty());
                      throw new IllegalStateException("roll back");
                    }))
        .isInstanceOf(IllegalStateException.class);
    clock.advance(Duration.ofMillis(1500));
    write(tx -> tx.queueAck(Optional.empty(), CommandStatus.REJECTED, Optional.of("malformed")));

    List<LockerStore.PendingAck> waiting = store.read(r -> r.pendingAcks(10));
    String at = NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    String later =
        NOW.plusMillis(1500).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    assertThat(waiting)
        .extracting(LockerStore.PendingAck::ack)
        .containsExactly(
            "{\"cmdId\":\"c-1\",\"status\":\"applied\",\"at\":\"" + at + "\"}",
            "{\"cmdId\":\"c-2\",\"status\":\"rejected\",\"reason\":\"replayed\",\"at\":\""
                + at
                + "\"}",
            "{\"cmdId\":null,\"status\":\"rejected\",\"reason\":\"malformed\",\"at\":\""
                + later
                + "\"}");
    List<LockerStore.PendingAck> first = store.read(r -> r.pendingAcks(1));
    assertThat(first).hasSize(1);

    store.removeAck(waiting.get(1).id());
    List<LockerStore.PendingAck> left = store.read(r -> r.pendingAcks(10));
    assertThat(left)
        .extracting(LockerStore.PendingAck::id)
        .containsExactly(waiting.get(0).id(), waiting.get(2).id());
  }

  // ---------------------------------------------------------------- audit

  @Test
  void theAuditSizeCountsCommittedEntries() {
    assertThat(auditSize()).isZero();

    write(tx -> tx.audit("courier-7", "deposit.intent", "A01", "parcel JD0001"));
    write(
        tx -> {
          tx.audit("recipient", "pickup.intent", "A01", "parcel JD0001");
          tx.audit("locker", "door.closed", "A01", "");
        });

    assertThat(auditSize()).isEqualTo(3);
  }

  // ---------------------------------------------------------------- command replay cache

  private static LockerStore.CommandRecord command(
      String id, String type, Instant at, LockerStore.CommandStatus status) {
    return new LockerStore.CommandRecord(id, type, at, status);
  }

  private java.util.Optional<LockerStore.CommandRecord> answered(String cmdId) {
    return store.read(r -> r.command(cmdId));
  }

  private int counted(String type, LockerStore.CommandStatus status, Instant since) {
    return store.read(r -> r.commandsSince(type, status, since));
  }

  @Test
  void anAnsweredCommandIsRememberedWithItsTypeTimeAndStatus() {
    assertThat(answered("cmd-1")).isEmpty();

    write(
        tx ->
            tx.recordCommand(
                command("cmd-1", "compartment.open", NOW, LockerStore.CommandStatus.APPLIED)));

    assertThat(answered("cmd-1"))
        .hasValue(command("cmd-1", "compartment.open", NOW, LockerStore.CommandStatus.APPLIED));
  }

  @Test
  void aCommandIsRecordedOnlyOnceAndTheSecondTransactionRollsBack() {
    write(
        tx ->
            tx.recordCommand(
                command("cmd-1", "parcel.expect", NOW, LockerStore.CommandStatus.APPLIED)));

    assertThatThrownBy(
            () ->
                write(
                    tx -> {
                      tx.emit("door.opened", java.util.Map.of("compartment", "A01"));
                      tx.recordCommand(
                          command(
                              "cmd-1", "parcel.expect", NOW, LockerStore.CommandStatus.REJECTED));
                    }))
        .isInstanceOf(LockerStore.StoreFailure.class);
    assertThat(lastSeq()).isZero();
    assertThat(answered("cmd-1").orElseThrow().status())
        .isEqualTo(LockerStore.CommandStatus.APPLIED);
  }

  @Test
  void commandsAreCountedByTypeStatusAndTime() {
    write(
        tx -> {
          tx.recordCommand(
              command(
                  "a",
                  "compartment.open",
                  NOW.minusSeconds(700),
                  LockerStore.CommandStatus.APPLIED));
          tx.recordCommand(
              command(
                  "b",
                  "compartment.open",
                  NOW.minusSeconds(300),
                  LockerStore.CommandStatus.APPLIED));
          tx.recordCommand(
              command("c", "compartment.open", NOW, LockerStore.CommandStatus.APPLIED));
          tx.recordCommand(
              command("d", "compartment.open", NOW, LockerStore.CommandStatus.REJECTED));
          tx.recordCommand(command("e", "parcel.expect", NOW, LockerStore.CommandStatus.APPLIED));
        });

    assertThat(
            counted("compartment.open", LockerStore.CommandStatus.APPLIED, NOW.minusSeconds(300)))
        .isEqualTo(2);
    assertThat(
            counted("compartment.open", LockerStore.CommandStatus.REJECTED, NOW.minusSeconds(900)))
        .isEqualTo(1);
  }

  @Test
  void oldCommandsAreForgottenAndNewOnesKept() {
    write(
        tx -> {
          tx.recordCommand(
              command(
                  "old",
                  "parcel.expect",
                  NOW.minusSeconds(90_000),
                  LockerStore.CommandStatus.APPLIED));
          tx.recordCommand(command("new", "parcel.expect", NOW, LockerStore.CommandStatus.APPLIED));
        });

    int forgotten = store.transaction(tx -> tx.forgetCommandsBefore(NOW.minusSeconds(86_400)));

    assertThat(forgotten).isEqualTo(1);
    assertThat(answered("old")).isEmpty();
    assertThat(answered("new")).isPresent();
  }

  // ---------------------------------------------------------------- credentials

  static final String CARD = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  static final String PIN =
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
          + "Bj1hp0d+jNr3tSTsrrSUYCVI4FUf3qYwBePBWi6lN3E";

  static Credential courier(String id, Optional<String> card, Optional<String> pin) {
    return new Credential(Credential.Role.COURIER, id, card, pin, NOW);
  }

  Optional<Credential> credential(Credential.Role role, String id) {
    return store.read(r -> r.credential(role, id));
  }

  List<Credential> credentials(Credential.Role role) {
    return store.read(r -> r.credentials(role));
  }

  @Test
  void aCredentialReadsBackEqualAndAnUpsertReplacesAllOfIt() {
    Credential both = courier("courier-7", Optional.of(CARD), Optional.of(PIN));
    write(tx -> tx.saveCredential(both));
    assertThat(credential(Credential.Role.COURIER, "courier-7")).contains(both);

    clock.advance(Duration.ofMinutes(5));
    Credential pinOnly =
        new Credential(
            Credential.Role.COURIER,
            "courier-7",
            Optional.empty(),
            Optional.of(PIN),
            NOW.plus(Duration.ofMinutes(5)));
    write(tx -> tx.saveCredential(pinOnly));

    assertThat(credential(Credential.Role.COURIER, "courier-7"))
        .as("the card is gone with the upsert that left it out")
        .contains(pinOnly);
    assertThat(credentials(Credential.Role.COURIER)).containsExactly(pinOnly);
  }

  @Test
  void credentialsAreKeptPerRoleAndListedInIdOrder() {
    Credential technician =
        new Credential(
            Credential.Role.TECHNICIAN, "courier-7", Optional.of(CARD), Optional.of(PIN), NOW);
    Credential b = courier("b-2", Optional.of(CARD), Optional.empty());
    Credential a = courier("a-1", Optional.empty(), Optional.of(PIN));
    Credential c = courier("courier-7", Optional.of(CARD), Optional.empty());

    write(
        tx -> {
          tx.saveCredential(technician);
          tx.saveCredential(c);
          tx.saveCredential(b);
          tx.saveCredential(a);
        });

    assertThat(credentials(Credential.Role.COURIER)).containsExactly(a, b, c);
    assertThat(credentials(Credential.Role.TECHNICIAN)).containsExactly(technician);
    assertThat(credential(Credential.Role.TECHNICIAN, "courier-7")).contains(technician);
    assertThat(credential(Credential.Role.TECHNICIAN, "a-1")).isEmpty();
  }

  @Test
  void revokingRemovesOnlyThatCredentialAndSaysWhetherThereWasOne() {
    Credential keep = courier("courier-8", Optional.of(CARD), Optional.empty());
    write(
        tx -> {
          tx.saveCredential(courier("courier-7", Optional.of(CARD), Optional.empty()));
          tx.saveCredential(keep);
        });

    boolean first =
        store.transaction(tx -> tx.revokeCredential(Credential.Role.COURIER, "courier-7"));
    boolean again =
        store.transaction(tx -> tx.revokeCredential(Credential.Role.COURIER, "courier-7"));
    boolean otherRole =
        store.transaction(tx -> tx.revokeCredential(Credential.Role.TECHNICIAN, "courier-8"));

    assertThat(first).isTrue();
    assertThat(again).isFalse();
    assertThat(otherRole).isFalse();
    assertThat(credentials(Credential.Role.COURIER)).containsExactly(keep);
  }

  @Test
  void credentialTimesAreKeptToTheMillisecond() {
    Credential precise =
        new Credential(
            Credential.Role.COURIER,
            "courier-7",
            Optional.of(CARD),
            Optional.empty(),
            NOW.plusNanos(123_456));

    write(tx -> tx.saveCredential(precise));

    assertThat(credential(Credential.Role.COURIER, "courier-7").orElseThrow().updatedAt())
        .isEqualTo(NOW);
  }

  // ---------------------------------------------------------------- notifications

  Optional<Notification> notification(String id) {
    return store.read(r -> r.notification(id));
  }

  List<Notification> notifications(ParcelId parcel) {
    return store.read(r -> r.notifications(parcel));
  }

  @Test
  void aRequestedNotificationReadsBackEqualAndAReceiptReplacesIt() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    Notification requested =
        Notification.requested(
            "n-1", parcel.id(), Notification.Kind.ARRIVAL, Notification.Channel.SMS, NOW);
    write(
        tx -> {
          tx.save(parcel);
          tx.recordNotification(requested);
        });
    assertThat(notification("n-1")).contains(requested);

    Notification failed =
        requested.after(
            NotificationStatus.Receipt.FAILED,
            Optional.of("gateway: number unreachable"),
            NOW.plusSeconds(30));
    write(tx -> tx.recordNotification(failed));

    assertThat(notification("n-1")).contains(failed);
    assertThat(notification("n-2")).isEmpty();
    assertThat(notifications(parcel.id())).containsExactly(failed);
  }

  @Test
  void everyKindChannelAndStatusOfANotificationIsStored() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    write(tx -> tx.save(parcel));
    List<Notification> all = new ArrayList<>();
    int n = 0;
    for (Notification.Kind kind : Notification.Kind.values()) {
      for (Notification.Channel channel : Notification.Channel.values()) {
        for (NotificationStatus status : NotificationStatus.values()) {
          Instant at = NOW.plusSeconds(n);
          all.add(
              new Notification(
                  "n-" + n++,
                  parcel.id(),
                  kind,
                  channel,
                  status,
                  status == NotificationStatus.REQUESTED
                      ? Optional.empty()
                      : Optional.of("receipt " + n),
                  at,
                  at.plusSeconds(1)));
        }
      }
    }

    write(tx -> all.forEach(tx::recordNotification));

    assertThat(notifications(parcel.id())).containsExactlyElementsOf(all);
  }

  @Test
  void aParcelsNotificationsAreListedOldestFirstThenById() {
    Parcel one = minimalParcel("p-1", "JD0001", ParcelState.EXPECTED);
    Parcel two = minimalParcel("p-2", "JD0002", ParcelState.EXPECTED);
    Notification late =
        Notification.requested(
            "a-late",
            one.id(),
            Notification.Kind.REMINDER,
            Notification.Channel.SMS,
            NOW.plusSeconds(60));
    Notification earlyB =
        Notification.requested(
            "b-early", one.id(), Notification.Kind.ARRIVAL, Notification.Channel.EMAIL, NOW);
    Notification earlyA =
        Notification.requested(
            "a-early", one.id(), Notification.Kind.ARRIVAL, Notification.Channel.SMS, NOW);
    Notification other =
        Notification.requested(
            "c-other", two.id(), Notification.Kind.ARRIVAL, Notification.Channel.SMS, NOW);

    write(
        tx -> {
          tx.save(one);
          tx.save(two);
          for (Notification n : List.of(late, earlyB, other, earlyA)) {
            tx.recordNotification(n);
          }
        });

    assertThat(notifications(one.id())).containsExactly(earlyA, earlyB, late);
    assertThat(notifications(two.id())).containsExactly(other);
    assertThat(notifications(new ParcelId("p-none"))).isEmpty();
  }

  @Test
  void aNotificationForAParcelThatDoesNotExistIsRefused() {
    Notification orphan =
        Notification.requested(
            "n-1",
            new ParcelId("p-none"),
            Notification.Kind.ARRIVAL,
            Notification.Channel.SMS,
            NOW);

    assertThatThrownBy(() -> write(tx -> tx.recordNotification(orphan)))
        .isInstanceOf(StoreFailure.class);

    assertThat(notification("n-1")).isEmpty();
  }

  // ---------------------------------------------------------------- payments

  Optional<Payment> payment(PaymentId id) {
    return store.read(r -> r.payment(id));
  }

  List<Payment> payments(ParcelId parcel) {
    return store.read(r -> r.payments(parcel));
  }

  List<Payment> paymentsNeedingRecovery() {
    return store.read(LockerStore.Reader::paymentsNeedingRecovery);
  }

  Optional<Payment> paymentByReceipt(String receipt) {
    return store.read(r -> r.paymentByReceipt(receipt));
  }

  static Payment payment(
      String id, ParcelId parcel, PaymentState state, Instant createdAt, Optional<String> receipt) {
    return new Payment(
        new PaymentId(id),
        parcel,
        PaymentState.Method.CARD,
        new Money(1500, "HKD"),
        state,
        createdAt,
        createdAt,
        receipt,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /** Every field set; the receipt has empty lines, at the start and the end too. */
  static Payment fullPayment(ParcelId parcel) {
    return new Payment(
        new PaymentId("0193a0b0-2222-7000-8000-000000000006"),
        parcel,
        PaymentState.Method.CARD,
        new Money(2500, "HKD"),
        PaymentState.RELEASED_UNPAID,
        NOW,
        NOW.plusSeconds(95),
        Optional.of("0042"),
        Optional.of("000123"),
        Optional.of("************1234"),
        Optional.of("A1B2C3"),
        Optional.of("52500038"),
        Optional.of("Debit Mastercard"),
        List.of("", "PARCEL LOCKER LCK-01", "  Debit Mastercard  ", "", "HKD 25.00", ""),
        Optional.of("reversed by the terminal after the release"));
  }

  @Test
  void aPaymentWithEveryFieldPresentReadsBackEqual() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Payment full = fullPayment(parcel.id());

    write(
        tx -> {
          tx.save(parcel);
          tx.save(full);
          assertThat(tx.payment(full.id())).as("inside the transaction").contains(full);
        });

    assertThat(payment(full.id())).contains(full);
    assertThat(payment(new PaymentId("p-none"))).isEmpty();
  }

  @Test
  void aPaymentWithEveryOptionalFieldAbsentReadsBackEqual() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Payment charging =
        Payment.charging(
            new PaymentId("pay-1"), parcel.id(), PaymentState.Method.QR, new Money(0, "CNY"), NOW);

    write(
        tx -> {
          tx.save(parcel);
          tx.save(charging);
        });

    assertThat(payment(charging.id())).contains(charging);
  }

  @Test
  void aReceiptOfOneEmptyLineIsNotNoReceipt() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Payment blank =
        payment("pay-1", parcel.id(), PaymentState.PAID, NOW, Optional.of("0001"))
            .withReceiptText(List.of(""), NOW);

    write(
        tx -> {
          tx.save(parcel);
          tx.save(blank);
        });

    assertThat(payment(blank.id()).orElseThrow().receiptText()).containsExactly("");
  }

  @Test
  void everyStateAndMethodOfAPaymentIsStored() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    List<Payment> all = new ArrayList<>();
    int n = 0;
    for (PaymentState state : PaymentState.values()) {
      for (PaymentState.Method method : PaymentState.Method.values()) {
        Instant at = NOW.plusSeconds(n);
        all.add(
            new Payment(
                new PaymentId("pay-" + n++),
                parcel.id(),
                method,
                new Money(n * 100L, "HKD"),
                state,
                at,
                at.plusMillis(1),
                Optional.empty(),
                Optional.of("ref-" + n),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty()));
      }
    }

    write(
        tx -> {
          tx.save(parcel);
          all.forEach(tx::save);
        });

    assertThat(payments(parcel.id())).containsExactlyElementsOf(all);
  }

  @Test
  void savingAPaymentAgainReplacesAllOfIt() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Payment full = fullPayment(parcel.id());
    write(
        tx -> {
          tx.save(parcel);
          tx.save(full);
        });

    Payment bare =
        payment(full.id().value(), parcel.id(), PaymentState.CHARGING, NOW, Optional.empty());
    write(tx -> tx.save(bare));

    assertThat(payment(full.id())).contains(bare);
    assertThat(payments(parcel.id())).containsExactly(bare);
  }

  @Test
  void aParcelsPaymentsAreListedOldestFirstThenById() {
    Parcel one = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Parcel two = minimalParcel("p-2", "JD0002", ParcelState.DEPOSITED);
    Payment late =
        payment("a-late", one.id(), PaymentState.DECLINED, NOW.plusSeconds(60), Optional.empty());
    Payment earlyB = payment("b-early", one.id(), PaymentState.DECLINED, NOW, Optional.empty());
    Payment earlyA = payment("a-early", one.id(), PaymentState.PAID, NOW, Optional.empty());
    Payment other = payment("c-other", two.id(), PaymentState.CHARGING, NOW, Optional.empty());

    write(
        tx -> {
          tx.save(one);
          tx.save(two);
          for (Payment p : List.of(late, earlyB, other, earlyA)) {
            tx.save(p);
          }
        });

    assertThat(payments(one.id())).containsExactly(earlyA, earlyB, late);
    assertThat(payments(two.id())).containsExactly(other);
    assertThat(payments(new ParcelId("p-none"))).isEmpty();
  }

  @Test
  void thePaymentsNeedingRecoveryAreThoseNotFinalOldestFirst() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    List<Payment> oldestFirst = new ArrayList<>();
    int n = 0;
    for (PaymentState state : PaymentState.values()) {
      oldestFirst.add(
          payment("pay-" + n, parcel.id(), state, NOW.plusSeconds(n++), Optional.empty()));
    }
    Payment sameTimeLaterId =
        payment("pay-z", parcel.id(), PaymentState.UNKNOWN, NOW, Optional.empty());
    List<Payment> shuffled = new ArrayList<>(oldestFirst);
    Collections.reverse(shuffled);
    shuffled.add(sameTimeLaterId);
    assertThat(paymentsNeedingRecovery()).isEmpty();

    write(
        tx -> {
          tx.save(parcel);
          shuffled.forEach(tx::save);
        });

    List<Payment> expected = new ArrayList<>();
    expected.add(oldestFirst.get(0));
    expected.add(sameTimeLaterId);
    oldestFirst.stream().skip(1).filter(p -> p.state().needsRecovery()).forEach(expected::add);
    assertThat(oldestFirst.get(0).state().needsRecovery()).isTrue();
    assertThat(paymentsNeedingRecovery()).containsExactlyElementsOf(expected);
    assertThat(paymentsNeedingRecovery())
        .extracting(Payment::state)
        .doesNotContain(
            PaymentState.DECLINED,
            PaymentState.PAID,
            PaymentState.REVERSED,
            PaymentState.RELEASED_UNPAID);

    Payment resolved = oldestFirst.get(0).failed("recovery: the terminal knows none", NOW);
    write(tx -> tx.save(resolved));
    assertThat(paymentsNeedingRecovery()).doesNotContain(oldestFirst.get(0), resolved);
  }

  @Test
  void aReceiptNumberFindsTheNewestPaymentThatCarriesIt() {
    Parcel one = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Parcel two = minimalParcel("p-2", "JD0002", ParcelState.DEPOSITED);
    Payment old =
        payment(
            "pay-old", one.id(), PaymentState.PAID, NOW.minusSeconds(86400), Optional.of("0042"));
    Payment newest = payment("pay-new", two.id(), PaymentState.APPROVED, NOW, Optional.of("0042"));
    Payment otherReceipt =
        payment("pay-other", two.id(), PaymentState.PAID, NOW.plusSeconds(5), Optional.of("0043"));
    Payment noReceipt =
        payment("pay-none", two.id(), PaymentState.CHARGING, NOW.plusSeconds(9), Optional.empty());

    write(
        tx -> {
          tx.save(one);
          tx.save(two);
          for (Payment p : List.of(newest, old, otherReceipt, noReceipt)) {
            tx.save(p);
          }
        });

    assertThat(paymentByReceipt("0042")).contains(newest);
    assertThat(paymentByReceipt("0043")).contains(otherReceipt);
    assertThat(paymentByReceipt("0044")).isEmpty();
    assertThat(paymentByReceipt("")).isEmpty();
  }

  @Test
  void aPaymentForAParcelThatDoesNotExistIsRefusedWithItsWholeTransaction() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Payment orphan =
        payment("pay-1", new ParcelId("p-none"), PaymentState.CHARGING, NOW, Optional.empty());

    assertThatThrownBy(
            () ->
                write(
                    tx -> {
                      tx.save(parcel);
                      tx.save(orphan);
                    }))
        .isInstanceOf(StoreFailure.class);

    assertThat(payment(orphan.id())).isEmpty();
    Optional<Parcel> parcelToo = store.read(r -> r.parcel(parcel.id()));
    assertThat(parcelToo).as("the parcel saved in the same transaction").isEmpty();
    assertThat(paymentsNeedingRecovery()).isEmpty();
  }

  @Test
  void paymentsOfATransactionThatThrowsAreNotKept() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Payment charging = payment("pay-1", parcel.id(), PaymentState.CHARGING, NOW, Optional.empty());
    write(
        tx -> {
          tx.save(parcel);
          tx.save(charging);
        });

    assertThatThrownBy(
            () ->
                write(
                    tx -> {
                      tx.save(charging.on(PaymentState.Event.LOSE, NOW.plusSeconds(1)));
                      throw new IllegalStateException("roll back");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(payment(charging.id())).contains(charging);
  }

  @Test
  void paymentTimesAreKeptToTheMillisecond() {
    Parcel parcel = minimalParcel("p-1", "JD0001", ParcelState.DEPOSITED);
    Instant created = NOW.plusNanos(123_456);
    Payment charging =
        Payment.charging(
                new PaymentId("pay-1"),
                parcel.id(),
                PaymentState.Method.CARD,
                new Money(1500, "HKD"),
                created)
            .on(PaymentState.Event.LOSE, created.plusNanos(999_999));

    write(
        tx -> {
          tx.save(parcel);
          tx.save(charging);
        });

    Payment read = payment(charging.id()).orElseThrow();
    assertThat(read.createdAt()).isEqualTo(NOW);
    assertThat(read.updatedAt()).isEqualTo(NOW.plusMillis(1));
  }

  // ---------------------------------------------------------------- operator settings

  Map<String, String> settings() {
    return store.read(LockerStore.Reader::settings);
  }

  @Test
  void settingsStartEmptyAndASavedSettingReplacesTheOldValue() {
    assertThat(settings()).isEmpty();

    write(
        tx -> {
          tx.saveSetting("tariff.period", "PT24H");
          tx.saveSetting("language.default", "zh-Hant");
          assertThat(tx.settings()).as("inside the transaction").hasSize(2);
        });
    write(tx -> tx.saveSetting("tariff.period", "PT12H"));

    assertThat(settings())
        .containsExactly(
            Map.entry("language.default", "zh-Hant"), Map.entry("tariff.period", "PT12H"));
  }

  @Test
  void settingsOfATransactionThatThrowsAreNotKept() {
    write(tx -> tx.saveSetting("tariff.cap", "2000"));

    assertThatThrownBy(
            () ->
                write(
                    tx -> {
                      tx.saveSetting("tariff.cap", "9000");
                      tx.saveSetting("tariff.currency", "HKD");
                      throw new IllegalStateException("roll back");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(settings()).containsExactly(Map.entry("tariff.cap", "2000"));
  }
}
