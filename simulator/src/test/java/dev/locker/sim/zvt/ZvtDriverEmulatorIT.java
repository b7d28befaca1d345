package dev.locker.sim.zvt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SerialWire;
import dev.locker.hal.zvt.Apdu;
import dev.locker.hal.zvt.AuthorizationResult;
import dev.locker.hal.zvt.GoodsDecision;
import dev.locker.hal.zvt.StatusInformation;
import dev.locker.hal.zvt.ZvtFrame;
import dev.locker.hal.zvt.ZvtTerminal;
import dev.locker.hal.zvt.ZvtTerminal.ReceiptResult;
import dev.locker.hal.zvt.ZvtTerminal.RegistrationResult;
import dev.locker.hal.zvt.ZvtTerminal.ReversalResult;
import dev.locker.sim.zvt.ZvtTerminalEmulator.Outcome;
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
 * The real ZVT driver against the emulated terminal over every wire (in memory, and jssc on a socat
 * pty pair at 9600 8N2), one scenario per outcome and fault plan. Timeouts are short so that the
 * faults play out quickly; they are upper bounds, never asserted durations.
 */
class ZvtDriverEmulatorIT {
  private static final JsscSerialLink.LineSettings ZVT_LINE = ZvtTestTiming.ZVT_LINE;
  private static final long AMOUNT = 1250;

  @TempDir Path dir;
  private SerialWire.Ends wire;
  private CuttableLink ecrEnd;
  private ZvtTerminalEmulator terminal;
  private ZvtTerminal driver;
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();
  private final List<String> statuses = new CopyOnWriteArrayList<>();
  private final List<String> receipt = new CopyOnWriteArrayList<>();

  private static ZvtTerminalEmulator.Options emulatorOptions(Duration cardPhase) {
    return ZvtTestTiming.emulatorOptions(cardPhase);
  }

  private static ZvtTerminal.Settings driverSettings() {
    return ZvtTestTiming.driverSettings(Duration.ofSeconds(5));
  }

  private void given(SerialWire transport, ZvtTerminalEmulator.Options options) throws Exception {
    wire = transport.open(dir, "zvt", ZVT_LINE);
    terminal = new ZvtTerminalEmulator(wire.device(), Clock.systemUTC(), options);
    ecrEnd = new CuttableLink(wire.host());
    driver = freshDriver();
    assertThat(driver.register())
        .isEqualTo(new RegistrationResult.Registered(Optional.of("28004869")));
  }

  private void given(SerialWire transport) throws Exception {
    given(transport, emulatorOptions(Duration.ofMillis(50)));
  }

  private ZvtTerminal freshDriver() {
    return new ZvtTerminal(ecrEnd, driverSettings(), health::add);
  }

  @AfterEach
  void tearDown() {
    if (terminal != null) {
      terminal.close();
    }
    if (wire != null) {
      wire.close();
    }
  }

  /** A listener that records statuses and receipt lines and answers every approval with d. */
  private ZvtTerminal.AuthorizationListener goods(GoodsDecision d) {
    return listener(info -> CompletableFuture.completedFuture(d));
  }

  private ZvtTerminal.AuthorizationListener listener(
      java.util.function.Function<StatusInformation, CompletableFuture<GoodsDecision>> decide) {
    return new ZvtTerminal.AuthorizationListener() {
      @Override
      public void intermediateStatus(int code, String text) {
        statuses.add(text);
      }

      @Override
      public void receiptLines(List<String> lines) {
        receipt.addAll(lines);
      }

      @Override
      public CompletableFuture<GoodsDecision> goodsDecision(StatusInformation approved) {
        return decide.apply(approved);
      }
    };
  }

  // ---------------------------------------------------------------- outcomes

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void anApprovedPaymentWithTheGoodsIssuedIsApprovedWithItsReceipt(SerialWire transport)
      throws Exception {
    given(transport);

    AuthorizationResult result = driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED));

    assertThat(result).isInstanceOf(AuthorizationResult.Approved.class);
    AuthorizationResult.Approved approved = (AuthorizationResult.Approved) result;
    assertThat(approved.info().amountCents()).hasValue(AMOUNT);
    assertThat(approved.info().maskedPan()).contains("************4771");
    assertThat(approved.info().receiptNo()).hasValue(1);
    assertThat(approved.receipt()).contains("APPROVED", "Amount 12.50");
    assertThat(receipt).isEqualTo(approved.receipt());
    assertThat(statuses).contains("insert card");
    assertThat(terminal.journal()).singleElement().matches(t -> !t.reversed());
    assertThat(driver.health().state()).isEqualTo(HealthState.ONLINE);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void anApprovedPaymentWhoseGoodsAreRefusedIsReversedByTheTerminal(SerialWire transport)
      throws Exception {
    given(transport);

    AuthorizationResult result = driver.authorize(AMOUNT, goods(GoodsDecision.REFUSED));

    assertThat(result).isInstanceOf(AuthorizationResult.Reversed.class);
    assertThat(((AuthorizationResult.Reversed) result).resultCode())
        .isEqualTo(ZvtTerminalEmulator.AUTO_REVERSAL_RC);
    assertThat(statuses).contains("sending auto-reversal");
    assertThat(terminal.journal().get(0).reversed()).isTrue();
    assertThat(terminal.received()).contains(Apdu.of(0x84, 0x66));
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aDeclineIsDeclinedInBothStyles(SerialWire transport) throws Exception {
    given(transport);

    terminal.nextPayment(Outcome.DECLINE_ABORT);
    AuthorizationResult byAbort = driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED));
    terminal.nextPayment(Outcome.DECLINE_STATUS);
    AuthorizationResult byStatus = driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED));

    AuthorizationResult.Declined expected =
        new AuthorizationResult.Declined(0x05, "declined by the authorisation host (code 05)");
    assertThat(byAbort).isEqualTo(expected);
    assertThat(byStatus).isEqualTo(expected);
    assertThat(terminal.journal()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void theCustomerCancelsOnTheKioskAndThePaymentIsAborted(SerialWire transport) throws Exception {
    given(transport, emulatorOptions(Duration.ofSeconds(20)));

    CompletableFuture<AuthorizationResult> payment =
        CompletableFuture.supplyAsync(() -> driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED)));
    awaitTrue(() -> statuses.contains("insert card"), "the terminal asks for a card");
    assertThat(driver.abort()).isEqualTo(ZvtTerminal.AbortRequest.REQUESTED);

    assertThat(payment.get(10, TimeUnit.SECONDS))
        .isEqualTo(new AuthorizationResult.Aborted(0x6C, "abort via timeout or abort key"));
    assertThat(terminal.received()).contains(new Apdu(0x06, 0xB0, new byte[3]));
    assertThat(driver.abort()).isEqualTo(ZvtTerminal.AbortRequest.NOTHING_TO_ABORT);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aTerminalSilentPastT4IsAskedToAbortAndTheCustomerIsNotCharged(SerialWire transport)
      throws Exception {
    given(transport, emulatorOptions(Duration.ofSeconds(20))); // a card phase far beyond T4

    assertThat(driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED)))
        .isEqualTo(new AuthorizationResult.Aborted(0x6C, "abort via timeout or abort key"));
    assertThat(terminal.received()).contains(new Apdu(0x06, 0xB0, new byte[3]));
    assertThat(terminal.journal()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void theTerminalTimesOutWaitingForACard(SerialWire transport) throws Exception {
    given(transport);
    terminal.nextPayment(Outcome.TIMEOUT);

    assertThat(driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED)))
        .isEqualTo(new AuthorizationResult.Aborted(0x6C, "abort via timeout or abort key"));
  }

  // ---------------------------------------------------------------- faults

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aSlowTerminalAndASlowDoorAreWaitedFor(SerialWire transport) throws Exception {
    given(transport);
    terminal.slow(Duration.ofMillis(1500)); // longer than the driver's T3 of 1 s

    AuthorizationResult result =
        driver.authorize(
            AMOUNT,
            listener(
                info ->
                    CompletableFuture.supplyAsync(
                        () -> GoodsDecision.ISSUED,
                        CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS))));

    assertThat(result).isInstanceOf(AuthorizationResult.Approved.class);
    assertThat(statuses).contains("please wait");
    assertThat(terminal.received()).contains(Apdu.of(0x84, 0x9C)); // the door was slow
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aBadCrcOnceIsNakedAndResent(SerialWire transport) throws Exception {
    given(transport);
    terminal.badCrc(1);

    assertThat(driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED)))
        .isInstanceOf(AuthorizationResult.Approved.class);
    assertThat(driver.health().state()).isEqualTo(HealthState.DEGRADED);
    assertThat(driver.health().detail()).contains("1 bad CRC");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void theFirstFramesNakedAreResent(SerialWire transport) throws Exception {
    given(transport);
    terminal.nakFirst(2);

    assertThat(driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED)))
        .isInstanceOf(AuthorizationResult.Approved.class);
    assertThat(driver.health().state()).isEqualTo(HealthState.DEGRADED);
    assertThat(driver.health().detail()).contains("2 NAK(s)");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aFrameThatLostAByteIsRefusedAndResent(SerialWire transport) throws Exception {
    given(transport);
    terminal.dropByteOnce();

    assertThat(driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED)))
        .isInstanceOf(AuthorizationResult.Approved.class);
    assertThat(driver.health().state()).isEqualTo(HealthState.DEGRADED);
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aLineThatGarblesEveryFrameNeverBecomesAChargeThatStands(SerialWire transport)
      throws Exception {
    given(transport);
    terminal.badCrc(Integer.MAX_VALUE);

    AuthorizationResult result = driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED));

    assertThat(result).isNotInstanceOf(AuthorizationResult.Approved.class);
    assertThat(driver.health().state()).isNotEqualTo(HealthState.ONLINE);
    terminal.clearFaults();
    awaitTrue(terminal::idle, "the terminal back in idle");
    assertThat(terminal.journal())
        .filteredOn(t -> t.kind() == ZvtTerminalEmulator.Transaction.Kind.PAYMENT)
        .allSatisfy(t -> assertThat(t.reversed()).as("a payment left standing").isTrue());
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aSilentTerminalIsNoTerminalAndOffline(SerialWire transport) throws Exception {
    given(transport);
    terminal.silent(true);

    AuthorizationResult result = driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED));

    assertThat(result).isInstanceOf(AuthorizationResult.NoTerminal.class);
    assertThat(((AuthorizationResult.NoTerminal) result).detail()).contains("no ACK to 4 tries");
    assertThat(health).last().extracting(DeviceHealth::state).isEqualTo(HealthState.OFFLINE);
    assertThat(terminal.journal()).isEmpty();

    terminal.silent(false);

    assertThat(driver.statusEnquiry()).isInstanceOf(ZvtTerminal.StatusResult.Ready.class);
    assertThat(health).last().extracting(DeviceHealth::state).isNotEqualTo(HealthState.OFFLINE);
  }

  // ---------------------------------------------------------------- recovery

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aLinkCutAfterTheGoodsWereIssuedIsUnknownAndRecoveredByReversal(SerialWire transport)
      throws Exception {
    given(transport);
    ZvtTerminal.AuthorizationListener cutAfterIssuing =
        listener(
            info -> {
              ecrEnd.cutAfterWriting(ZvtFrame.encode(Apdu.of(0x80, 0x00).encode()));
              return CompletableFuture.completedFuture(GoodsDecision.ISSUED);
            });

    AuthorizationResult result = driver.authorize(AMOUNT, cutAfterIssuing);

    assertThat(result).isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
    awaitTrue(terminal::idle, "the terminal gave up on the dead link");
    ecrEnd.restore();
    ZvtTerminal recovering = freshDriver();

    ReceiptResult last = recovering.repeatReceipt();
    assertThat(last).isInstanceOf(ReceiptResult.LastTransaction.class);
    StatusInformation info = ((ReceiptResult.LastTransaction) last).info();
    assertThat(info.approved()).isTrue();
    assertThat(info.isReversal()).isFalse();
    int receiptNo = info.receiptNo().orElseThrow();

    assertThat(recovering.reverse(receiptNo)).isInstanceOf(ReversalResult.Reversed.class);
    assertThat(recovering.reverse(receiptNo))
        .isEqualTo(new ReversalResult.AlreadyReversed("already reversed"));
    assertThat(terminal.journal().get(0).reversed()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void anEcrThatCrashesAfterTheApprovalGetsThePaymentAutoReversed(SerialWire transport)
      throws Exception {
    given(transport);
    ZvtTerminal.AuthorizationListener crash =
        listener(
            info -> {
              ecrEnd.cut();
              return new CompletableFuture<>(); // never decided: the ECR is gone
            });

    assertThat(driver.authorize(AMOUNT, crash))
        .isInstanceOf(AuthorizationResult.OutcomeUnknown.class);
    awaitTrue(
        () -> terminal.idle() && terminal.journal().size() == 2, "the terminal auto-reversed");
    ecrEnd.restore();

    ReceiptResult last = freshDriver().repeatReceipt();

    assertThat(last).isInstanceOf(ReceiptResult.LastTransaction.class);
    StatusInformation info = ((ReceiptResult.LastTransaction) last).info();
    assertThat(info.isReversal()).isTrue();
    assertThat(info.originalTrace()).hasValue(1);
    assertThat(((ReceiptResult.LastTransaction) last).receipt()).contains("REVERSAL");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void printLinesCarryTheSameReceipt(SerialWire transport) throws Exception {
    given(
        transport,
        emulatorOptions(Duration.ofMillis(50))
            .withReceiptStyle(ZvtTerminalEmulator.ReceiptStyle.PRINT_LINES));

    AuthorizationResult result = driver.authorize(AMOUNT, goods(GoodsDecision.ISSUED));

    assertThat(((AuthorizationResult.Approved) result).receipt())
        .contains("APPROVED", "Amount 12.50");
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }
}
