package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.DoorPhase;
import dev.locker.core.domain.IntentState;
import dev.locker.core.domain.KeypadGuard;
import dev.locker.core.domain.OpeningReason;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.RecipientPhone;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.domain.UnlockIntent;
import dev.locker.core.testing.ManualClock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LockerStore} promises (STYLE.md §7); the SQLite store and its in-memory twin
 * each run this suite.
 */
abstract class LockerStoreContract {
  protected final ManualClock clock = ManualClock.at("2026-11-22T10:15:30Z");
  protected LockerStore store;
  private static final CompartmentId A01 = CompartmentId.of("A01");
  private static final ObjectMapper JSON = new ObjectMapper();

  protected abstract LockerStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Parcel parcel(String tracking) {
    return Parcel.expected(
        ParcelId.random(),
        new TrackingNumber(tracking),
        Size.M,
        RecipientPhone.parse("+85291234567").orElseThrow(),
        "courier-1");
  }

  private UnlockIntent intent(CompartmentId id, Parcel parcel) {
    return new UnlockIntent(
        0,
        id,
        OpeningReason.DEPOSIT,
        Optional.of(parcel.id()),
        "courier-1",
        IntentState.PENDING,
        clock.instant(),
        Optional.empty());
  }

  @Test
  void compartmentsAreSavedReplacedAndReadInIdOrder() {
    Compartment b = Compartment.empty(CompartmentId.of("B01"), Size.L);
    Compartment a = Compartment.empty(A01, Size.S).faulty("jammed").inService(false);
    store.transaction(
        tx -> {
          tx.save(b);
          tx.save(a);
          return null;
        });
    assertThat(store.<List<Compartment>>read(r -> r.compartments())).containsExactly(a, b);
    Compartment changed = a.faultCleared().inService(true).on(CompartmentState.Event.RESERVE);
    store.transaction(
        tx -> {
          tx.save(changed);
          return null;
        });
    assertThat(store.<Optional<Compartment>>read(r -> r.compartment(A01))).hasValue(changed);
  }

  @Test
  void parcelsKeepEveryFieldPresentOrAbsent() {
    Parcel expected = parcel("JD0001");
    Instant at = clock.instant();
    Parcel deposited = parcel("JD0002").deposited(A01, at, at.plusSeconds(3600));
    store.transaction(
        tx -> {
          tx.save(Compartment.empty(A01, Size.M));
          tx.save(expected);
          tx.save(deposited);
          return null;
        });
    assertThat(store.<Optional<Parcel>>read(r -> r.parcel(expected.id()))).hasValue(expected);
    assertThat(store.<Optional<Parcel>>read(r -> r.parcel(deposited.id()))).hasValue(deposited);
    assertThat(store.<List<Parcel>>read(r -> r.parcels(ParcelState.DEPOSITED)))
        .containsExactly(deposited);
    assertThat(store.<Optional<Parcel>>read(r -> r.liveParcel(new TrackingNumber("JD0002"))))
        .hasValue(deposited);
  }

  @Test
  void aParcelInAFinalStateIsNotLive() {
    Instant at = clock.instant();
    Parcel done =
        parcel("JD0003").deposited(A01, at, at.plusSeconds(60)).on(ParcelState.Event.PICK_UP);
    store.transaction(
        tx -> {
          tx.save(Compartment.empty(A01, Size.M));
          tx.save(done);
          return null;
        });
    assertThat(store.<Optional<Parcel>>read(r -> r.liveParcel(new TrackingNumber("JD0003"))))
        .isEmpty();
    assertThat(store.<List<Parcel>>read(r -> r.parcels(ParcelState.PICKED_UP)))
        .containsExactly(done);
  }

  @Test
  void intentsGetRisingIdsAndOnlyOpenOnesAreOpen() {
    Parcel p = parcel("JD0004");
    UnlockIntent first =
        store.transaction(
            tx -> {
              tx.save(Compartment.empty(A01, Size.M));
              tx.save(Compartment.empty(CompartmentId.of("A02"), Size.M));
              tx.save(p);
              return tx.save(intent(A01, p));
            });
    UnlockIntent second = store.transaction(tx -> tx.save(intent(CompartmentId.of("A02"), p)));
    assertThat(first.id()).isEqualTo(1);
    assertThat(second.id()).isEqualTo(2);
    assertThat(store.<List<UnlockIntent>>read(r -> r.openIntents())).containsExactly(first, second);
    store.transaction(tx -> tx.save(first.failed("jammed")));
    assertThat(store.<List<UnlockIntent>>read(r -> r.openIntents())).containsExactly(second);
    assertThat(store.<Optional<UnlockIntent>>read(r -> r.openIntent(A01))).isEmpty();
    UnlockIntent opened = second.on(IntentState.Event.DOOR_OPENED);
    store.transaction(tx -> tx.save(opened));
    assertThat(store.<Optional<UnlockIntent>>read(r -> r.openIntent(CompartmentId.of("A02"))))
        .hasValue(opened);
  }

  @Test
  void aSecondOpenIntentOnOneCompartmentIsRefusedAndRolledBackWhole() {
    Parcel p = parcel("JD0005");
    store.transaction(
        tx -> {
          tx.save(Compartment.empty(A01, Size.M));
          tx.save(p);
          return tx.save(intent(A01, p));
        });
    long seqBefore = store.<Long>read(r -> r.lastSeq());
    assertThatThrownBy(
            () ->
                store.transaction(
                    tx -> {
                      tx.emit("door.opened", Map.of("compartment", "A01"));
                      tx.save(Compartment.empty(CompartmentId.of("Z01"), Size.S));
                      return tx.save(intent(A01, p));
                    }))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.<List<UnlockIntent>>read(r -> r.openIntents())).hasSize(1);
    assertThat(store.<Optional<Compartment>>read(r -> r.compartment(CompartmentId.of("Z01"))))
        .isEmpty();
    assertThat(store.<Long>read(r -> r.lastSeq())).isEqualTo(seqBefore);
  }

  @Test
  void codesAreActiveUntilEnded() {
    Parcel p = parcel("JD0006");
    store.transaction(
        tx -> {
          tx.save(p);
          tx.addCode("hash-1", p.id(), clock.instant().plusSeconds(60));
          return null;
        });
    assertThat(store.<Optional<ParcelId>>read(r -> r.parcelForActiveCode("hash-1")))
        .hasValue(p.id());
    assertThat(store.<Boolean>transaction(tx -> tx.codeActive("hash-1"))).isTrue();
    assertThat(store.<Boolean>transaction(tx -> tx.codeActive("hash-2"))).isFalse();
    store.transaction(
        tx -> {
          tx.endCode(p.id(), LockerStore.CodeEnd.USED);
          return null;
        });
    assertThat(store.<Optional<ParcelId>>read(r -> r.parcelForActiveCode("hash-1"))).isEmpty();
    // The same hash may be active again for another parcel once the first has ended.
    Parcel q = parcel("JD0007");
    store.transaction(
        tx -> {
          tx.save(q);
          tx.addCode("hash-1", q.id(), clock.instant().plusSeconds(60));
          return null;
        });
    assertThat(store.<Optional<ParcelId>>read(r -> r.parcelForActiveCode("hash-1")))
        .hasValue(q.id());
  }

  @Test
  void theKeypadStateRoundTrips() {
    assertThat(store.<KeypadGuard.State>read(r -> r.keypad())).isEqualTo(KeypadGuard.State.FRESH);
    KeypadGuard.State state =
        new KeypadGuard.State(
            6,
            clock.instant().plusSeconds(120),
            List.of(clock.instant(), clock.instant().plusSeconds(1)));
    store.transaction(
        tx -> {
          tx.saveKeypad(state);
          return null;
        });
    assertThat(store.<KeypadGuard.State>read(r -> r.keypad())).isEqualTo(state);
  }

  @Test
  void eventsGetAGapFreeSeqAndARolledBackOneConsumesNone() {
    store.transaction(tx -> tx.emit("a", Map.of()));
    assertThatThrownBy(
            () ->
                store.transaction(
                    tx -> {
                      tx.emit("b", Map.of());
                      tx.audit("x", "y", "z", "w");
                      throw new IllegalStateException("power cut");
                    }))
        .hasMessage("power cut");
    store.transaction(tx -> tx.emit("c", Map.of()));
    store.transaction(tx -> tx.emit("d", Map.of()));
    assertThat(store.<List<LockerStore.OutboxEvent>>read(r -> r.outbox(10)))
        .extracting(LockerStore.OutboxEvent::seq, LockerStore.OutboxEvent::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "a"),
            org.assertj.core.groups.Tuple.tuple(2L, "c"),
            org.assertj.core.groups.Tuple.tuple(3L, "d"));
    assertThat(store.<List<LockerStore.OutboxEvent>>read(r -> r.outbox(2))).hasSize(2);
    assertThat(store.<Long>read(r -> r.lastSeq())).isEqualTo(3);
    assertThat(store.<Long>read(r -> r.auditSize())).isZero();
  }

  @Test
  void theEnvelopeIsTheContractsOne() throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("compartment", "A01");
    data.put("fee", Map.of("amount", 350, "currency", "CNY"));
    data.put("courierId", null);
    LockerStore.OutboxEvent event = store.transaction(tx -> tx.emit("parcel.deposited", data));
    JsonNode json = JSON.readTree(event.envelope());
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("v", "lockerId", "seq", "eventId", "type", "at", "data");
    assertThat(json.get("v").asInt()).isEqualTo(1);
    assertThat(json.get("lockerId").asText()).isEqualTo("LCK-0001");
    assertThat(json.get("seq").asLong()).isEqualTo(1);
    assertThat(json.get("type").asText()).isEqualTo("parcel.deposited");
    assertThat(json.get("at").asText()).isEqualTo("2026-11-22T10:15:30Z");
    UUID id = UUID.fromString(json.get("eventId").asText());
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
    assertThat(json.get("data").get("fee").get("amount").asInt()).isEqualTo(350);
    assertThat(json.get("data").get("courierId").isNull()).isTrue();
  }

  @Test
  void auditEntriesAreCounted() {
    store.transaction(
        tx -> {
          tx.audit("a", "b", "c", "d");
          tx.audit("a", "b", "c", "e");
          return null;
        });
    assertThat(store.<Long>read(r -> r.auditSize())).isEqualTo(2);
  }

  @Test
  void doorPhasesAndStatesSurviveTheStore() {
    Compartment c =
        Compartment.empty(A01, Size.XL)
            .on(CompartmentState.Event.RESERVE)
            .on(DoorPhase.Event.AUTHORISE);
    store.transaction(
        tx -> {
          tx.save(c);
          return null;
        });
    assertThat(store.<Optional<Compartment>>read(r -> r.compartment(A01)).orElseThrow().door())
        .isEqualTo(DoorPhase.RELEASED);
  }
}
