package dev.locker.core.application;

import static dev.locker.core.testing.LockerAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.DoorPhase;
import dev.locker.core.domain.DoorState;
import dev.locker.core.domain.IntentState;
import dev.locker.core.domain.OpeningReason;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.RecipientPhone;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.domain.UnlockIntent;
import dev.locker.core.testing.TestLocker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a locker finds when it starts after a crash or power cut, and what it does about it: open
 * intents are finished or failed by what the doors report, unexplained open doors are forced.
 */
class RestartReconciliationTest {
  private static final CompartmentId A01 = CompartmentId.of("A01");
  @TempDir Path dir;
  private TestLocker locker;

  @AfterEach
  void tearDown() {
    locker.close();
  }

  @Test
  void aDepositWhoseDoorClosedWhileTheLockerWasDownIsCompletedAtStartUp() {
    locker = TestLocker.sqlite(dir);
    locker.deposit("RC0001", Size.S);
    locker.doors.setSilently(A01, DoorState.CLOSED);

    Locker.ReconcileReport report = locker.restart();

    assertThat(report.finished()).containsExactly(A01);
    assertThat(locker).compartment("A01").isOccupied().hasDoor(DoorPhase.CLOSED);
    assertThat(locker.eventTypes()).contains("parcel.deposited", "notification.requested");
    assertThat(locker.pickup(locker.lastCode())).isInstanceOf(PickupResult.Opened.class);
  }

  @Test
  void aDepositWhoseDoorIsStillOpenAtStartUpWaitsForTheDoorToClose() {
    locker = TestLocker.sqlite(dir);
    locker.deposit("RC0002", Size.S);

    Locker.ReconcileReport report = locker.restart();

    assertThat(report.finished()).isEmpty();
    assertThat(report.forced()).isEmpty();
    assertThat(locker).compartment("A01").is(CompartmentState.LOADING).hasDoor(DoorPhase.OPEN);

    locker.closeDoor("A01");

    assertThat(locker).compartment("A01").isOccupied();
  }

  @Test
  void anIntentCommittedJustBeforeTheCrashWhoseDoorNeverOpenedIsClosedAsFailed() {
    locker = TestLocker.sqlite(dir);
    commitPendingDepositIntent("RC0003");

    Locker.ReconcileReport report = locker.restart();

    assertThat(report.failed()).containsExactly(A01);
    assertThat(locker).compartment("A01").isFree().hasDoor(DoorPhase.CLOSED).isNotFaulty();
    List<UnlockIntent> open = locker.store().read(r -> r.openIntents());
    assertThat(open).isEmpty();
    assertThat(locker.eventTypes()).doesNotContain("door.opened", "door.forced");
    assertThat(locker.deposit("RC0003", Size.S)).isInstanceOf(DepositResult.Opened.class);
  }

  @Test
  void anIntentCommittedJustBeforeTheCrashWhoseDoorDidOpenFinishesItsFlow() {
    locker = TestLocker.sqlite(dir);
    commitPendingDepositIntent("RC0004");
    locker.doors.setSilently(A01, DoorState.OPEN);

    Locker.ReconcileReport report = locker.restart();

    assertThat(report.finished()).containsExactly(A01);
    assertThat(locker).compartment("A01").is(CompartmentState.LOADING).hasDoor(DoorPhase.OPEN);
    assertThat(locker.eventTypes()).containsExactly("door.opened");
    locker.closeDoor("A01");
    assertThat(locker).compartment("A01").isOccupied();
  }

  @Test
  void aPickupInterruptedAfterTheDoorOpenedCompletesWhenTheDoorIsFoundClosed() {
    locker = TestLocker.sqlite(dir);
    String code = locker.depositAndClose("RC0005", Size.S);
    locker.pickup(code);
    locker.doors.setSilently(A01, DoorState.CLOSED);

    locker.restart();

    assertThat(locker).compartment("A01").isFree();
    Parcel parcel = locker.store().read(r -> r.parcels(ParcelState.PICKED_UP)).get(0);
    assertThat(parcel.tracking().value()).isEqualTo("RC0005");
  }

  @Test
  void aDoorFoundOpenWithNoIntentAtStartUpIsForced() {
    locker = TestLocker.sqlite(dir);
    locker.doors.setSilently(CompartmentId.of("B02"), DoorState.OPEN);

    Locker.ReconcileReport report = locker.restart();

    assertThat(report.forced()).containsExactly(CompartmentId.of("B02"));
    assertThat(locker).compartment("B02").hasDoor(DoorPhase.FORCED);
    assertThat(locker.eventTypes()).containsExactly("door.forced");
  }

  @Test
  void aDoorWhoseSensorIsUnknownAtStartUpIsReconciledAtItsFirstRead() {
    locker = TestLocker.sqlite(dir);
    locker.deposit("RC0006", Size.S);
    locker.doors.setSilently(A01, DoorState.UNKNOWN);

    Locker.ReconcileReport report = locker.restart();
    assertThat(report.finished()).isEmpty();

    locker.closeDoor("A01");

    assertThat(locker).compartment("A01").isOccupied();
  }

  @Test
  void aPendingIntentWhoseDoorIsUnknownAtStartUpFailsAtTheFirstClosedRead() {
    locker = TestLocker.sqlite(dir);
    commitPendingDepositIntent("RC0010");
    locker.doors.setSilently(A01, DoorState.UNKNOWN);

    Locker.ReconcileReport report = locker.restart();
    assertThat(report.failed()).isEmpty();
    assertThat(locker).compartment("A01").is(CompartmentState.RESERVED);

    locker.closeDoor("A01");

    assertThat(locker).compartment("A01").isFree().hasDoor(DoorPhase.CLOSED).isNotFaulty();
    assertThat(locker.deposit("RC0010", Size.S)).isInstanceOf(DepositResult.Opened.class);
  }

  @Test
  void aKeypadLockoutSurvivesARestart() {
    locker = TestLocker.sqlite(dir);
    String code = locker.depositAndClose("RC0007", Size.S);
    String wrong = code.equals("00000000") ? "11111111" : "00000000";
    for (int i = 0; i < 5; i++) {
      locker.pickup(wrong);
    }

    locker.restart();

    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.LockedOut.class);
    locker.clock.advance(Duration.ofSeconds(61));
    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.Opened.class);
  }

  @Test
  void outboxSeqContinuesWithoutAGapAcrossRestarts() {
    locker = TestLocker.sqlite(dir);
    locker.depositAndClose("RC0008", Size.S);
    long before = locker.store().read(r -> r.lastSeq());

    locker.restart();
    locker.depositAndClose("RC0009", Size.S);

    List<Long> seqs = locker.events().stream().map(e -> e.get("seq").asLong()).toList();
    assertThat(seqs).hasSize((int) locker.store().read(r -> r.lastSeq()).longValue());
    assertThat(seqs.get((int) before)).isEqualTo(before + 1);
  }

  /** What a crash right after the intent's commit leaves: a reserved compartment, a PENDING row. */
  private void commitPendingDepositIntent(String tracking) {
    Parcel parcel =
        Parcel.expected(
            ParcelId.random(),
            new TrackingNumber(tracking),
            Size.S,
            RecipientPhone.parse("+85291234567").orElseThrow(),
            "courier-7");
    locker
        .store()
        .transaction(
            tx -> {
              tx.save(parcel);
              tx.save(
                  tx.compartment(A01)
                      .orElseThrow()
                      .on(CompartmentState.Event.RESERVE)
                      .on(DoorPhase.Event.AUTHORISE)
                      .holding(parcel.id()));
              return tx.save(
                  new UnlockIntent(
                      0,
                      A01,
                      OpeningReason.DEPOSIT,
                      Optional.of(parcel.id()),
                      "courier-7",
                      IntentState.PENDING,
                      locker.clock.instant(),
                      Optional.empty()));
            });
  }
}
