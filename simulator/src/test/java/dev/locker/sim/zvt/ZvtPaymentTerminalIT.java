package dev.locker.sim.zvt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.core.application.port.PaymentTerminal.Approval;
import dev.locker.core.application.port.PaymentTerminal.ChargeOutcome;
import dev.locker.core.application.port.PaymentTerminal.LastTransaction;
import dev.locker.core.application.port.PaymentTerminal.Release;
import dev.locker.core.application.port.PaymentTerminal.ReversalOutcome;
import dev.locker.core.domain.Money;
import dev.locker.hal.payment.ZvtPaymentTerminal;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SerialWire;
import dev.locker.hal.zvt.Apdu;
import dev.locker.hal.zvt.ZvtFrame;
import dev.locker.hal.zvt.ZvtTerminal;
import dev.locker.hal.zvt.ZvtTerminal.RegistrationResult;
import dev.locker.sim.zvt.ZvtTerminalEmulator.Outcome;
import dev.locker.sim.zvt.ZvtTerminalEmulator.Transaction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * locker-core's payment port as the locker uses it: {@link ZvtPaymentTerminal} on the real ZVT
 * driver against the emulated terminal, over every wire (in memory, and jssc on a socat pty pair at
 * 9600 8N2). Each scenario checks the outcome the locker sees and, where money moved, the
 * terminal's own journal. Timeouts are short upper bounds so that faults play out quickly; no
 * duration is asserted.
 */
class ZvtPaymentTerminalIT {
  private static final JsscSerialLink.LineSettings ZVT_LINE = ZvtTestTiming.ZVT_LINE;
  private static final Money FEE = new Money(1250, "EUR");
  private static final String DECLINED_BY_HOST = "declined by the authorisation host (code 05)";

  @TempDir Path dir;
  private SerialWire.Ends wire;
  private CuttableLink ecrEnd;
  private ZvtTerminalEmulator emulator;
  private PaymentTerminal terminal;
  private final List<String> screen = new CopyOnWriteArrayList<>();
  private final List<Approval> releaseAsked = new CopyOnWriteArrayList<>();

  private static ZvtTerminalEmulator.Options emulatorOptions(Duration cardPhase) {
    return ZvtTestTiming.emulatorOptions(cardPhase);
  }

  private static ZvtTerminal.Settings driverSettings() {
    return ZvtTestTiming.driverSettings(Duration.ofSeconds(1));
  }

  private void given(SerialWire transport, Duration cardPhase) throws Exception {
    wire = transport.open(dir, "zvt", ZVT_LINE);
    emulator =
        new ZvtTerminalEmulator(wire.device(), Clock.systemUTC(), emulatorOptions(cardPhase));
    ecrEnd = new CuttableLink(wire.host());
    ZvtTerminal driver = new ZvtTerminal(ecrEnd, driverSettings(), health -> {});
    assertThat(driver.register()).isInstanceOf(RegistrationResult.Registered.class);
    terminal = new ZvtPaymentTerminal(driver, "EUR");
  }

  private void given(SerialWire transport) throws Exception {
    given(transport, Duration.ofMillis(50));
  }

  /** The locker after a restart: a fresh driver and port on the same wire. */
  private PaymentTerminal restarted() {
    return new ZvtPaymentTerminal(new ZvtTerminal(ecrEnd, driverSettings(), health -> {}), "EUR");
  }

  @AfterEach
  void tearDown() {
    if (emulator != null) {
      emulator.close();
    }
    if (wire != null) {
      wire.close();
    }
  }

  /** A release that records the approval and answers {@code released} at once. */
  private Release release(boolean released) {
    return approval -> {
      releaseAsked.add(approval);
      return CompletableFuture.completedFuture(released);
    };
  }

  private ChargeOutcome charge(Release release) {
    return terminal.charge(FEE, release, screen::add);
  }

  // ---------------------------------------------------------------- charges

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void approvedAndReleasedIsPaidWithTheReceiptsData(SerialWire transport) throws Exception {
    given(transport);

    ChargeOutcome outcome = charge(release(true));

    Approval approval =
        new Approval(
            FEE,
            "0001",
            Optional.of("000001"),
            Optional.of("************4771"),
            Optional.of("000001"),
            Optional.of("28004869"),
            Optional.of("Debit Mastercard"));
    assertThat(outcome)
        .isInstanceOfSatisfying(
            ChargeOutcome.Paid.class,
            paid -> {
              assertThat(paid.approval()).isEqualTo(approval);
              assertThat(paid.receiptText()).contains("APPROVED", "Amount 12.50");
            });
    assertThat(releaseAsked).containsExactly(approval);
    assertThat(screen).contains("insert card");
    assertThat(emulator.journal())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.kind()).isEqualTo(Transaction.Kind.PAYMENT);
              assertThat(t.amountCents()).isEqualTo(1250);
              assertThat(t.reversed()).isFalse();
            });
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void approvedButNotReleasedIsReversedByTheTerminal(SerialWire transport) throws Exception {
    given(transport);

    ChargeOutcome outcome = charge(release(false));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            ChargeOutcome.Reversed.class,
            reversed -> {
              assertThat(reversed.approval().receipt()).isEqualTo("0001");
              assertThat(reversed.reason())
                  .isEqualTo(
                      "the parcel was not released; the terminal reversed the payment"
                          + " (processing error)");
            });
    assertThatTheJournalShowsTheFirstPaymentReversed();
    assertThat(emulator.received()).contains(Apdu.of(0x84, 0x66));
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aReleaseThatNeverAnswersIsReversedAfterThePatience(SerialWire transport) throws Exception {
    given(transport);

    ChargeOutcome outcome = charge(approval -> new CompletableFuture<>());

    assertThat(outcome)
        .isInstanceOfSatisfying(
            ChargeOutcome.Reversed.class,
            reversed ->
                assertThat(reversed.reason())
                    .isEqualTo(
                        "no release decision in time; the terminal reversed the payment"
                            + " (processing error)"));
    assertThat(emulator.received()).contains(Apdu.of(0x84, 0x9C), Apdu.of(0x84, 0x66));
    assertThatTheJournalShowsTheFirstPaymentReversed();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aReleaseThatFailsIsReversed(SerialWire transport) throws Exception {
    given(transport);

    ChargeOutcome outcome =
        charge(approval -> CompletableFuture.failedFuture(new IllegalStateException("door jam")));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            ChargeOutcome.Reversed.class,
            reversed ->
                assertThat(reversed.reason())
                    .startsWith(
                        "releasing the parcel failed: java.lang.IllegalStateException: door jam"));
    assertThatTheJournalShowsTheFirstPaymentReversed();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aDeclineIsDeclinedInBothStyles(SerialWire transport) throws Exception {
    given(transport);

    emulator.nextPayment(Outcome.DECLINE_ABORT);
    ChargeOutcome byAbort = charge(release(true));
    emulator.nextPayment(Outcome.DECLINE_STATUS);
    ChargeOutcome byStatus = charge(release(true));

    assertThat(byAbort).isEqualTo(new ChargeOutcome.Declined(DECLINED_BY_HOST));
    assertThat(byStatus).isEqualTo(new ChargeOutcome.Declined(DECLINED_BY_HOST));
    assertThat(releaseAsked).isEmpty();
    assertThat(emulator.journal()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void theCustomerCancelsOnTheTerminal(SerialWire transport) throws Exception {
    given(transport);
    emulator.nextPayment(Outcome.CUSTOMER_CANCEL);

    assertThat(charge(release(true)))
        .isEqualTo(new ChargeOutcome.Cancelled("abort via timeout or abort key"));
    assertThat(emulator.journal()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void theCustomerCancelsOnTheScreenWhileTheTerminalWaitsForTheCard(SerialWire transport)
      throws Exception {
    given(transport, Duration.ofSeconds(20));

    CompletableFuture<ChargeOutcome> charging =
        CompletableFuture.supplyAsync(() -> charge(release(true)));
    awaitTrue(() -> screen.contains("insert card"), "the terminal asks for a card");
    boolean cancelled = terminal.cancel();

    assertThat(cancelled).isTrue();
    assertThat(charging.get(10, TimeUnit.SECONDS))
        .isEqualTo(new ChargeOutcome.Cancelled("cancelled on the screen"));
    assertThat(emulator.received()).contains(new Apdu(0x06, 0xB0, new byte[3]));
    assertThat(emulator.journal()).isEmpty();
    assertThat(terminal.cancel()).as("nothing left to cancel").isFalse();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aCancelOnceTheCardIsApprovedIsTooLate(SerialWire transport) throws Exception {
    given(transport);
    CompletableFuture<Boolean> released = new CompletableFuture<>();
    List<Boolean> cancelAnswers = new CopyOnWriteArrayList<>();

    ChargeOutcome outcome =
        charge(
            approval -> {
              CompletableFuture.runAsync(() -> cancelAnswers.add(terminal.cancel()))
                  .thenRun(() -> released.complete(true));
              return released;
            });

    assertThat(cancelAnswers).containsExactly(false);
    assertThat(outcome).isInstanceOf(ChargeOutcome.Paid.class);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aSilentTerminalIsNoTerminalAndNothingIsCharged(SerialWire transport) throws Exception {
    given(transport);
    emulator.silent(true);

    ChargeOutcome outcome = charge(release(true));

    assertThat(outcome).isInstanceOf(ChargeOutcome.NoTerminal.class);
    assertThat(((ChargeOutcome.NoTerminal) outcome).detail()).contains("no ACK to 4 tries");
    assertThat(releaseAsked).isEmpty();
    assertThat(emulator.journal()).isEmpty();
  }

  // ---------------------------------------------------------------- recovery

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aLinkCutAfterTheApprovalIsUnknownWithTheApprovalAndTheTerminalTellsTheRest(
      SerialWire transport) throws Exception {
    given(transport);
    Release cutAfterReleasing =
        approval -> {
          ecrEnd.cutAfterWriting(ZvtFrame.encode(Apdu.of(0x80, 0x00).encode()));
          return CompletableFuture.completedFuture(true);
        };

    ChargeOutcome outcome = charge(cutAfterReleasing);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            ChargeOutcome.Unknown.class,
            unknown -> {
              assertThat(unknown.approval()).map(Approval::receipt).contains("0001");
              assertThat(unknown.approval())
                  .flatMap(Approval::maskedPan)
                  .contains("************4771");
            });
    awaitTrue(emulator::idle, "the terminal gave up on the dead link");
    ecrEnd.restore();

    LastTransaction last = restarted().lastTransaction();

    assertThat(last)
        .isInstanceOfSatisfying(
            LastTransaction.Known.class,
            known -> {
              assertThat(known.approved()).as("the payment stands").isTrue();
              assertThat(known.approval().receipt()).isEqualTo("0001");
            });
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void theLastTransactionAfterAPaidChargeIsThatPayment(SerialWire transport) throws Exception {
    given(transport);
    ChargeOutcome.Paid paid = (ChargeOutcome.Paid) charge(release(true));

    LastTransaction last = terminal.lastTransaction();

    assertThat(last)
        .isInstanceOfSatisfying(
            LastTransaction.Known.class,
            known -> {
              assertThat(known.approved()).isTrue();
              assertThat(known.approval()).isEqualTo(paid.approval());
              assertThat(known.receiptText()).contains("APPROVED");
            });
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aCompletedPaymentIsReversedByItsReceiptOnce(SerialWire transport) throws Exception {
    given(transport);
    ChargeOutcome.Paid paid = (ChargeOutcome.Paid) charge(release(true));
    String receipt = paid.approval().receipt();

    assertThat(terminal.reverse(receipt)).isEqualTo(new ReversalOutcome.Reversed("0001"));

    assertThatTheJournalShowsTheFirstPaymentReversed();
    assertThat(terminal.lastTransaction())
        .isInstanceOfSatisfying(
            LastTransaction.Known.class,
            known -> {
              assertThat(known.approved()).as("a reversal is no standing payment").isFalse();
              assertThat(known.approval().receipt()).isEqualTo("0002");
              assertThat(known.reverses())
                  .as("it names the trace it reversed")
                  .isEqualTo(paid.approval().reference());
              assertThat(known.receiptText()).contains("REVERSAL");
            });
    assertThat(terminal.reverse(receipt)).isEqualTo(new ReversalOutcome.AlreadyReversed("0001"));
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aReceiptThatIsNoNumberIsRefusedWithoutAskingTheTerminal(SerialWire transport)
      throws Exception {
    given(transport);

    assertThat(terminal.reverse("abc"))
        .isEqualTo(new ReversalOutcome.Refused("a receipt number is one to four digits"));
    assertThat(emulator.received()).noneMatch(a -> a.is(0x06, 0x30));
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aTerminalWithNoTransactionKnowsNone(SerialWire transport) throws Exception {
    given(transport);

    assertThat(terminal.lastTransaction())
        .isEqualTo(new LastTransaction.NoneKnown("function not possible"));
  }

  private void assertThatTheJournalShowsTheFirstPaymentReversed() {
    List<Transaction> journal = emulator.journal();
    assertThat(journal).hasSize(2);
    assertThat(journal.get(0).kind()).isEqualTo(Transaction.Kind.PAYMENT);
    assertThat(journal.get(0).reversed()).as("the payment is reversed").isTrue();
    assertThat(journal.get(1).kind()).isEqualTo(Transaction.Kind.REVERSAL);
    assertThat(journal.get(1).originalReceiptNo()).isEqualTo(1);
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }
}
