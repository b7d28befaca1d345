package dev.locker.core.application;

import static dev.locker.core.testing.LockerAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Payment;
import dev.locker.core.domain.PaymentState;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.Tariff;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.testing.FakePaymentTerminal;
import dev.locker.core.testing.TestLocker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipient who owes a storage fee pays by card at the locker: never charged without the door
 * opening, never handed the parcel without paying.
 */
class CardPaymentTest {
  private static final CompartmentId A01 = CompartmentId.of("A01");

  /** 24 h free, then HK$5 per started 12 h, at most HK$30. */
  private static final Tariff HKD =
      new Tariff(Duration.ofHours(24), Duration.ofHours(12), 500, 3000, "HKD");

  @TempDir Path dir;
  private TestLocker locker;
  private final FakePaymentTerminal terminal = new FakePaymentTerminal("HKD");

  @BeforeEach
  void setUp() {
    locker = TestLocker.sqlite(dir, TestLocker.testPolicy().withTariff(Optional.of(HKD)));
  }

  @AfterEach
  void tearDown() {
    locker.close();
  }

  /** Deposits a parcel, lets {@code kept} pass, and enters its code: the payment it asks for. */
  private PickupResult.PaymentRequired keptFor(String tracking, Duration kept) {
    String code = locker.depositAndClose(tracking, Size.S);
    locker.clock.advance(kept);
    PickupResult result = locker.pickup(code);
    assertThat(result).isInstanceOf(PickupResult.PaymentRequired.class);
    return (PickupResult.PaymentRequired) result;
  }

  private PaymentResult pay(PickupResult.PaymentRequired due) {
    return locker.locker().payByCard(due.parcel(), terminal, PaymentTerminal.Progress.NONE);
  }

  private List<Payment> payments(PickupResult.PaymentRequired due) {
    return locker.store().read(r -> r.payments(due.parcel()));
  }

  private Parcel parcel(String tracking) {
    return locker
        .store()
        .read(r -> r.liveParcel(new TrackingNumber(tracking)))
        .or(
            () ->
                locker.store().read(r -> r.parcels(ParcelState.PICKED_UP)).stream()
                    .filter(p -> p.tracking().value().equals(tracking))
                    .findFirst())
        .orElseThrow();
  }

  private JsonNode last(String type) {
    List<JsonNode> all =
        locker.events().stream().filter(e -> e.get("type").asText().equals(type)).toList();
    assertThat(all).as(type).isNotEmpty();
    return all.get(all.size() - 1);
  }

  @Test
  void withinTheFreePeriodTheCodeOpensTheDoorWithoutPayment() {
    String code = locker.depositAndClose("FREE001", Size.S);
    locker.clock.advance(Duration.ofHours(23));

    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.Opened.class);
    assertThat(last("parcel.picked_up").get("data").get("fee").get("amount").asLong()).isZero();
  }

  @Test
  void aFeeIsShownBeforeAnyPaymentAndTheCardPaymentOpensTheDoor() {
    PickupResult.PaymentRequired due = keptFor("FEE001", Duration.ofHours(30));
    assertThat(due.due().total()).contains(new Money(500, "HKD"));
    assertThat(locker.locks.unlocks()).as("only the deposit's unlock").hasSize(1);

    PaymentResult result = pay(due);

    assertThat(result).isInstanceOf(PaymentResult.Opened.class);
    assertThat(((PaymentResult.Opened) result).paid()).isEqualTo(new Money(500, "HKD"));
    assertThat(payments(due))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.state()).isEqualTo(PaymentState.PAID);
              assertThat(p.maskedPan()).contains("************4771");
              assertThat(p.receipt()).contains("0001");
            });
    assertThat(parcel("FEE001").state()).isEqualTo(ParcelState.PICKED_UP);
    assertThat(last("parcel.picked_up").get("data").get("fee").get("amount").asLong())
        .isEqualTo(500);
    JsonNode approved = last("payment.approved").get("data");
    assertThat(approved.get("amount").asLong()).isEqualTo(500);
    assertThat(approved.get("currency").asText()).isEqualTo("HKD");
    assertThat(approved.get("maskedPan").asText()).isEqualTo("************4771");
    assertThat(terminal.journal()).singleElement().matches(e -> !e.reversed());
    locker.closeDoor("A01");
    assertThat(locker).compartment("A01").isFree();
  }

  @Test
  void twoHundredPaidPickupsWithAJammedLockEndInTwoHundredReversalsAndNoParcelReleased() {
    PickupResult.PaymentRequired due = keptFor("JAM001", Duration.ofHours(60));
    locker.locks.jam(A01);

    for (int i = 0; i < 200; i++) {
      PaymentResult result = pay(due);
      assertThat(result).as("attempt %d", i).isInstanceOf(PaymentResult.DoorDidNotOpen.class);
      assertThat(((PaymentResult.DoorDidNotOpen) result).reversed()).isTrue();
    }

    assertThat(payments(due)).hasSize(200).allMatch(p -> p.state() == PaymentState.REVERSED);
    assertThat(terminal.journal()).hasSize(200).allMatch(FakePaymentTerminal.Entry::reversed);
    assertThat(parcel("JAM001").state()).isEqualTo(ParcelState.DEPOSITED);
    assertThat(locker).compartment("A01").isOccupied().isFaulty();
    assertThat(locker.eventTypes().stream().filter("payment.reversed"::equals)).hasSize(200);
    assertThat(locker.eventTypes()).doesNotContain("parcel.picked_up", "payment.approved");
  }

  @Test
  void aDeclinedCancelledOrUnreachablePaymentChargesNothingAndOpensNothing() {
    PickupResult.PaymentRequired due = keptFor("NOPAY01", Duration.ofHours(30));
    terminal.next(FakePaymentTerminal.Next.DECLINE);
    assertThat(pay(due)).isInstanceOf(PaymentResult.Declined.class);
    terminal.next(FakePaymentTerminal.Next.CANCEL);
    assertThat(pay(due)).isInstanceOf(PaymentResult.Cancelled.class);
    terminal.next(FakePaymentTerminal.Next.NO_TERMINAL);
    assertThat(pay(due)).isInstanceOf(PaymentResult.TerminalUnavailable.class);

    assertThat(payments(due)).hasSize(3).allMatch(p -> p.state() == PaymentState.DECLINED);
    assertThat(locker.eventTypes().stream().filter("payment.failed"::equals)).hasSize(3);
    assertThat(locker.locks.unlocks()).hasSize(1);
    assertThat(parcel("NOPAY01").state()).isEqualTo(ParcelState.DEPOSITED);

    terminal.next(FakePaymentTerminal.Next.PAY);
    assertThat(pay(due)).as("and then pays").isInstanceOf(PaymentResult.Opened.class);
  }

  @Test
  void aPaymentWhoseOutcomeIsUnknownBlocksAnotherUntilItIsSettled() {
    PickupResult.PaymentRequired due = keptFor("LOST001", Duration.ofHours(30));
    terminal.next(FakePaymentTerminal.Next.LOSE_LINK_AFTER_RELEASE);

    assertThat(pay(due)).isInstanceOf(PaymentResult.Unresolved.class);
    assertThat(payments(due))
        .singleElement()
        .matches(p -> p.state() == PaymentState.RELEASED_UNCONFIRMED);
    assertThat(parcel("LOST001").state()).as("the door opened").isEqualTo(ParcelState.PICKED_UP);
    locker.closeDoor("A01");
    PickupResult.PaymentRequired other = keptFor("LOST009", Duration.ofHours(30));
    terminal.next(FakePaymentTerminal.Next.PAY);
    // While the open one is unsettled no other card payment may start: it would hide it.
    assertThat(pay(other)).isInstanceOf(PaymentResult.NotPayable.class);
    terminal.silent(false);
    locker.locker().resolvePayments(terminal);
    assertThat(pay(other)).isInstanceOf(PaymentResult.Opened.class);
  }

  @Test
  void aLinkThatBreaksForAMomentIsSettledAtOnce() {
    PickupResult.PaymentRequired due = keptFor("BLIP001", Duration.ofHours(30));
    terminal.next(FakePaymentTerminal.Next.LOSE_LINK_AFTER_RELEASE);
    terminal.silentForOneCall(); // the link is back by the time the locker asks

    assertThat(pay(due)).isInstanceOf(PaymentResult.Opened.class);
    assertThat(payments(due)).singleElement().matches(p -> p.state() == PaymentState.PAID);
  }

  @Test
  void aTerminalInAnotherCurrencyCannotTakeThePayment() {
    PickupResult.PaymentRequired due = keptFor("EUR0001", Duration.ofHours(30));

    PaymentResult result =
        locker
            .locker()
            .payByCard(due.parcel(), new FakePaymentTerminal("EUR"), PaymentTerminal.Progress.NONE);

    assertThat(result).isInstanceOf(PaymentResult.NotPayable.class);
    assertThat(payments(due)).isEmpty();
  }

  @Test
  void eachStartedPeriodAfterTheFreeOneIsCharged() {
    PickupResult.PaymentRequired due = keptFor("LONG001", Duration.ofHours(71));
    assertThat(due.due().storage()).contains(new Money(2000, "HKD")); // 47 h: four started 12 h
  }

  @Test
  void aTariffChangeAppliesToParcelsDepositedAfterIt() {
    String before = locker.depositAndClose("OLD0001", Size.S);
    locker
        .store()
        .transaction(
            tx -> {
              tx.saveSetting(
                  dev.locker.core.domain.OperatorSettings.TARIFF_PRICE_PER_PERIOD, "900");
              return null;
            });
    String after = locker.depositAndClose("NEW0001", Size.S);
    locker.clock.advance(Duration.ofHours(30));

    PickupResult old = locker.pickup(before);
    PickupResult fresh = locker.pickup(after);

    assertThat(((PickupResult.PaymentRequired) old).due().total()).contains(new Money(500, "HKD"));
    assertThat(((PickupResult.PaymentRequired) fresh).due().total())
        .contains(new Money(900, "HKD"));
  }

  @Test
  void cashOnDeliveryFromThePreAdviceIsOwedEvenWithinTheFreePeriod() {
    locker
        .store()
        .transaction(
            tx -> {
              tx.save(
                  Parcel.preAdvised(
                      dev.locker.core.domain.ParcelId.random(),
                      new TrackingNumber("COD0001"),
                      Size.S,
                      dev.locker.core.domain.RecipientPhone.parse("+85291234567").orElseThrow(),
                      new Parcel.Advice(
                          Optional.empty(),
                          Optional.of(new Money(12000, "HKD")),
                          Optional.empty(),
                          true,
                          true)));
              return null;
            });
    String code = locker.depositAndClose("COD0001", Size.S);

    PickupResult result = locker.pickup(code);

    assertThat(result).isInstanceOf(PickupResult.PaymentRequired.class);
    PickupResult.PaymentRequired due = (PickupResult.PaymentRequired) result;
    assertThat(due.due().storage()).isEmpty();
    assertThat(due.due().cashOnDelivery()).contains(new Money(12000, "HKD"));
    assertThat(pay(due)).isInstanceOf(PaymentResult.Opened.class);
    assertThat(terminal.journal()).singleElement().matches(e -> e.amount().amount() == 12000);
  }

  // ---------------------------------------------------------------- recovery

  /** A payment committed as the terminal was asked, and then the locker went down. */
  private Payment interruptedCharge(PickupResult.PaymentRequired due) {
    Payment charging =
        Payment.charging(
            dev.locker.core.domain.PaymentId.random(),
            due.parcel(),
            PaymentState.Method.CARD,
            due.due().total().orElseThrow(),
            locker.clock.instant());
    locker
        .store()
        .transaction(
            tx -> {
              tx.save(charging);
              return null;
            });
    return charging;
  }

  private PaymentState stateOf(Payment payment) {
    return locker.store().read(r -> r.payment(payment.id())).orElseThrow().state();
  }

  @Test
  void aChargeTheTerminalApprovedWhileTheLockerWasDownIsReversed() {
    PickupResult.PaymentRequired due = keptFor("CRASH01", Duration.ofHours(30));
    Payment charging = interruptedCharge(due);
    terminal.remember(charging.amount(), false);
    locker.restart();

    assertThat(locker.locker().resolvePayments(terminal))
        .isEqualTo(new Locker.PaymentRecovery(1, 0));

    assertThat(stateOf(charging)).isEqualTo(PaymentState.REVERSED);
    assertThat(terminal.journal()).singleElement().matches(FakePaymentTerminal.Entry::reversed);
    assertThat(parcel("CRASH01").state()).isEqualTo(ParcelState.DEPOSITED);
    assertThat(last("payment.reversed").get("data").get("paymentId").asText())
        .isEqualTo(charging.id().value());
    assertThat(pay(due)).as("the recipient can pay again").isInstanceOf(PaymentResult.Opened.class);
  }

  @Test
  void aChargeTheTerminalNeverTookIsClosedAsFailed() {
    PickupResult.PaymentRequired due = keptFor("CRASH02", Duration.ofHours(30));
    Payment charging = interruptedCharge(due);
    locker.restart();

    locker.locker().resolvePayments(terminal);

    assertThat(stateOf(charging)).isEqualTo(PaymentState.DECLINED);
    assertThat(terminal.journal()).isEmpty();
  }

  @Test
  void anotherPaymentsTransactionIsNotMistakenForAnInterruptedOne() {
    PickupResult.PaymentRequired first = keptFor("CRASH03", Duration.ofHours(30));
    assertThat(pay(first)).isInstanceOf(PaymentResult.Opened.class);
    locker.closeDoor("A01");
    PickupResult.PaymentRequired second = keptFor("CRASH04", Duration.ofHours(30));
    Payment charging = interruptedCharge(second);
    assertThat(charging.amount()).isEqualTo(new Money(500, "HKD")); // the same amount as the first

    locker.locker().resolvePayments(terminal);

    assertThat(stateOf(charging)).isEqualTo(PaymentState.DECLINED);
    assertThat(terminal.journal()).singleElement().matches(e -> !e.reversed());
  }

  @Test
  void aReleasedPaymentWhoseLinkWasLostIsCompletedOrFlaggedByWhatTheTerminalSays() {
    PickupResult.PaymentRequired due = keptFor("LOST002", Duration.ofHours(30));
    terminal.next(FakePaymentTerminal.Next.LOSE_LINK_AFTER_RELEASE);
    assertThat(pay(due)).isInstanceOf(PaymentResult.Unresolved.class);
    terminal.silent(true);
    assertThat(locker.locker().resolvePayments(terminal))
        .isEqualTo(new Locker.PaymentRecovery(0, 1));
    terminal.silent(false);

    assertThat(locker.locker().resolvePayments(terminal))
        .isEqualTo(new Locker.PaymentRecovery(1, 0));

    assertThat(payments(due)).singleElement().matches(p -> p.state() == PaymentState.PAID);
    assertThat(last("payment.approved")).isNotNull();
  }

  @Test
  void aReversalTheTerminalCouldNotTakeIsRetriedUntilItIs() {
    PickupResult.PaymentRequired due = keptFor("REV0001", Duration.ofHours(30));
    Payment charging = interruptedCharge(due);
    terminal.remember(charging.amount(), false);
    terminal.silent(true);
    locker.locker().resolvePayments(terminal);
    assertThat(stateOf(charging)).isEqualTo(PaymentState.CHARGING);

    terminal.silent(false);
    locker.locker().resolvePayments(terminal);

    assertThat(stateOf(charging)).isEqualTo(PaymentState.REVERSED);
    assertThat(locker.locker().resolvePayments(terminal))
        .isEqualTo(new Locker.PaymentRecovery(0, 0));
  }

  /**
   * The power goes after the approval and the unlock intent were committed and the lock was driven,
   * before the door's outcome was: {@code doorOpened} says what the sensors find at start.
   */
  private Payment powerCutDuringTheRelease(PickupResult.PaymentRequired due, boolean doorOpened) {
    Payment charging = interruptedCharge(due);
    String receipt = terminal.remember(charging.amount(), false);
    Payment approved =
        charging.approved(
            new dev.locker.core.domain.CardApproval(
                receipt,
                Optional.empty(),
                Optional.of("************4771"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()),
            locker.clock.instant());
    Parcel parcel = parcel(due.tracking());
    locker
        .store()
        .transaction(
            tx -> {
              tx.save(approved);
              tx.save(
                  locker
                      .compartment("A01")
                      .on(dev.locker.core.domain.CompartmentState.Event.RELEASE)
                      .on(dev.locker.core.domain.DoorPhase.Event.AUTHORISE));
              return tx.save(
                  new dev.locker.core.domain.UnlockIntent(
                      0,
                      A01,
                      dev.locker.core.domain.OpeningReason.PICKUP,
                      Optional.of(parcel.id()),
                      "recipient",
                      dev.locker.core.domain.IntentState.PENDING,
                      locker.clock.instant(),
                      Optional.empty()));
            });
    locker.doors.setSilently(
        A01,
        doorOpened
            ? dev.locker.core.domain.DoorState.OPEN
            : dev.locker.core.domain.DoorState.CLOSED);
    locker.restart();
    return approved;
  }

  @Test
  void aPowerCutBeforeTheDoorOpenedEndsInAReversal() {
    PickupResult.PaymentRequired due = keptFor("CUT0001", Duration.ofHours(30));
    Payment approved = powerCutDuringTheRelease(due, false);
    assertThat(stateOf(approved)).isEqualTo(PaymentState.REVERSING);

    locker.locker().resolvePayments(terminal);

    assertThat(stateOf(approved)).isEqualTo(PaymentState.REVERSED);
    assertThat(parcel("CUT0001").state()).isEqualTo(ParcelState.DEPOSITED);
    assertThat(terminal.journal()).singleElement().matches(FakePaymentTerminal.Entry::reversed);
  }

  @Test
  void aPowerCutAfterTheDoorOpenedEndsInAPaymentMadeAndTheParcelOut() {
    PickupResult.PaymentRequired due = keptFor("CUT0002", Duration.ofHours(30));
    Payment approved = powerCutDuringTheRelease(due, true);
    assertThat(stateOf(approved)).isEqualTo(PaymentState.RELEASED);

    locker.locker().resolvePayments(terminal);

    assertThat(stateOf(approved)).isEqualTo(PaymentState.PAID);
    assertThat(parcel("CUT0002").state()).isEqualTo(ParcelState.PICKED_UP);
  }
}
