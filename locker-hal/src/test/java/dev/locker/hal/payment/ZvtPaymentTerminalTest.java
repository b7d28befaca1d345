package dev.locker.hal.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.application.port.PaymentTerminal.Approval;
import dev.locker.core.application.port.PaymentTerminal.ChargeOutcome;
import dev.locker.core.application.port.PaymentTerminal.Progress;
import dev.locker.core.application.port.PaymentTerminal.Release;
import dev.locker.core.application.port.PaymentTerminal.ReversalOutcome;
import dev.locker.core.domain.Money;
import dev.locker.hal.serial.InMemorySerialLink;
import dev.locker.hal.zvt.Apdu;
import dev.locker.hal.zvt.Bmp;
import dev.locker.hal.zvt.StatusInformation;
import dev.locker.hal.zvt.ZvtFrame;
import dev.locker.hal.zvt.ZvtFramer;
import dev.locker.hal.zvt.ZvtTerminal;
import java.time.Duration;
import java.time.LocalTime;
import java.time.MonthDay;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's own decisions, without an emulator: what of a status information becomes an
 * approval, which currency it accepts, what it refuses without a word to the terminal, and an
 * approval without a receipt number, scripted byte for byte on an in-memory link.
 */
class ZvtPaymentTerminalTest {
  private final InMemorySerialLink[] pair = InMemorySerialLink.pair("zvt");
  private final List<Approval> releaseAsked = new CopyOnWriteArrayList<>();
  private final Release releaseAtOnce =
      approval -> {
        releaseAsked.add(approval);
        return CompletableFuture.completedFuture(true);
      };

  private ZvtTerminal driver(int currency) {
    return new ZvtTerminal(
        pair[0],
        new ZvtTerminal.Settings(
            "000000",
            currency,
            0x8A,
            Duration.ofMillis(200),
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofMillis(1000),
            2,
            Duration.ofSeconds(2),
            Duration.ofMillis(50)),
        health -> {});
  }

  @AfterEach
  void close() {
    pair[0].close();
    pair[1].close();
  }

  private static StatusInformation approvedInfo(OptionalLong amount, OptionalInt receiptNo) {
    return new StatusInformation(
        0x00,
        amount,
        OptionalInt.of(978),
        OptionalInt.of(470),
        OptionalInt.empty(),
        receiptNo,
        Optional.of(MonthDay.of(10, 6)),
        Optional.of(LocalTime.of(22, 39, 53)),
        Optional.of("5412751234564771"),
        Optional.of("Debit Mastercard"),
        Optional.of("28004869"),
        Optional.of("611804"));
  }

  // ---------------------------------------------------------------- status information → approval

  @Test
  void anApprovalShowsWhatAReceiptShowsAndThePanOnlyByItsLastFour() {
    StatusInformation info = approvedInfo(OptionalLong.of(2040), OptionalInt.of(470));

    assertThat(ZvtPaymentTerminal.approval(info, "EUR", new Money(2040, "EUR")))
        .contains(
            new Approval(
                new Money(2040, "EUR"),
                "0470",
                Optional.of("000470"),
                Optional.of("************4771"),
                Optional.of("611804"),
                Optional.of("28004869"),
                Optional.of("Debit Mastercard")));
  }

  @Test
  void anApprovalWithoutAnAmountTakesTheChargedOne() {
    StatusInformation info = approvedInfo(OptionalLong.empty(), OptionalInt.of(12));

    Optional<Approval> approval = ZvtPaymentTerminal.approval(info, "EUR", new Money(1250, "EUR"));

    assertThat(approval).map(Approval::amount).contains(new Money(1250, "EUR"));
    assertThat(approval).map(Approval::receipt).contains("0012");
  }

  @Test
  void theAmountIsInTheCurrencyTheTerminalNamed() {
    StatusInformation inHkd =
        new StatusInformation(
            0x00,
            OptionalLong.of(3500),
            OptionalInt.of(344),
            OptionalInt.empty(),
            OptionalInt.empty(),
            OptionalInt.of(1),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    Approval approval =
        ZvtPaymentTerminal.approval(inHkd, "HKD", new Money(3500, "HKD")).orElseThrow();

    assertThat(approval.amount()).isEqualTo(new Money(3500, "HKD"));
    assertThat(approval.reference()).isEmpty();
    assertThat(approval.maskedPan()).isEmpty();
  }

  @Test
  void aStatusInformationWithoutAReceiptNumberIsNoApproval() {
    StatusInformation info = approvedInfo(OptionalLong.of(1250), OptionalInt.empty());

    assertThat(ZvtPaymentTerminal.approval(info, "EUR", new Money(1250, "EUR"))).isEmpty();
  }

  @Test
  void everyDigitButTheLastFourIsMasked() {
    assertThat(ZvtPaymentTerminal.lastFourOnly("5412751234564771")).isEqualTo("************4771");
    assertThat(ZvtPaymentTerminal.lastFourOnly("541275******4771")).isEqualTo("************4771");
    assertThat(ZvtPaymentTerminal.lastFourOnly("4771")).isEqualTo("4771");
    assertThat(ZvtPaymentTerminal.lastFourOnly("")).isEmpty();
  }

  // ---------------------------------------------------------------- currency

  @Test
  void theCurrencyMustBeTheTerminals() {
    assertThat(new ZvtPaymentTerminal(driver(344), "HKD").currency()).isEqualTo("HKD");
    assertThat(new ZvtPaymentTerminal(driver(978), "EUR").currency()).isEqualTo("EUR");

    assertThatThrownBy(() -> new ZvtPaymentTerminal(driver(344), "EUR"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the terminal charges in ISO 4217 344 (HKD), not in EUR (978)");
    assertThatThrownBy(() -> new ZvtPaymentTerminal(driver(978), "XYZ"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"XYZ\" is not an ISO 4217 currency code such as EUR or HKD");
    assertThatThrownBy(() -> new ZvtPaymentTerminal(driver(978), "eur"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChargeTheTerminalCannotTakeIsNoTerminalAndNeverReachesIt() throws Exception {
    ZvtPaymentTerminal terminal = new ZvtPaymentTerminal(driver(344), "HKD");

    assertThat(terminal.charge(new Money(1250, "EUR"), releaseAtOnce, Progress.NONE))
        .isEqualTo(new ChargeOutcome.NoTerminal("the terminal charges in HKD, not in EUR"));
    assertThat(terminal.charge(new Money(0, "HKD"), releaseAtOnce, Progress.NONE))
        .isEqualTo(new ChargeOutcome.NoTerminal("an amount of 0 is not charged to a card"));
    assertThat(
            terminal.charge(
                new Money(ZvtPaymentTerminal.MAX_AMOUNT + 1, "HKD"), releaseAtOnce, Progress.NONE))
        .isInstanceOf(ChargeOutcome.NoTerminal.class);

    assertThat(pair[1].read(256, Duration.ofMillis(50))).isEmpty();
    assertThat(releaseAsked).isEmpty();
  }

  // ---------------------------------------------------------------- reversal and cancel

  @Test
  void aReceiptThatIsNotOneToFourDigitsIsRefusedWithoutAskingTheTerminal() throws Exception {
    ZvtPaymentTerminal terminal = new ZvtPaymentTerminal(driver(978), "EUR");

    for (String bad : new String[] {"abc", "", "12345", "-1", "+1", " 12", "1.0", "٣", null}) {
      assertThat(terminal.reverse(bad))
          .as("receipt %s", bad)
          .isEqualTo(new ReversalOutcome.Refused("a receipt number is one to four digits"));
    }
    assertThat(pair[1].read(256, Duration.ofMillis(50))).isEmpty();
  }

  @Test
  void aCancelWithNoChargeRunningStopsNothing() {
    assertThat(new ZvtPaymentTerminal(driver(978), "EUR").cancel()).isFalse();
  }

  // ---------------------------------------------------------------- scripted

  @Test
  void anApprovalWithoutAReceiptNumberIsRefusedAtOnceAndReversedByTheTerminal() throws Exception {
    ZvtPaymentTerminal terminal = new ZvtPaymentTerminal(driver(978), "EUR");
    CompletableFuture<ChargeOutcome> charge =
        CompletableFuture.supplyAsync(
            () -> terminal.charge(new Money(1250, "EUR"), releaseAtOnce, Progress.NONE));
    FakeTerminal pt = new FakeTerminal();

    assertThat(pt.receive())
        .isEqualTo(Apdu.of(0x06, 0x01, Bmp.concat(Bmp.amount(1250), Bmp.currency(978))));
    pt.send(Apdu.of(0x80, 0x00));
    pt.send(
        new Apdu(
            0x04,
            0x0F,
            Bmp.concat(
                bytes(0x27, 0x00), // result code 00: approved
                bytes(0x04, 0x00, 0x00, 0x00, 0x00, 0x12, 0x50), // amount 12.50
                bytes(0x0B, 0x00, 0x00, 0x07), // trace 7
                bytes(0x49, 0x09, 0x78)))); // currency EUR; no BMP 87 receipt number
    assertThat(pt.receive()).isEqualTo(Apdu.of(0x84, 0x66)); // issue of goods not possible
    pt.send(Apdu.of(0x06, 0x1E, 0x66)); // the terminal reversed it
    assertThat(pt.receive()).isEqualTo(Apdu.of(0x80, 0x00));

    assertThat(charge.get(5, TimeUnit.SECONDS))
        .isEqualTo(
            new ChargeOutcome.Declined(
                "the terminal approved without a receipt number, which a later reversal would"
                    + " need; the terminal reversed the payment (processing error)"));
    assertThat(releaseAsked).isEmpty();
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** The terminal's side of a script: frames, with link ACKs both ways. */
  private final class FakeTerminal {
    private final ZvtFramer framer = new ZvtFramer(Duration.ofMillis(200));

    Apdu receive() throws Exception {
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < end) {
        for (ZvtFramer.Decoded d :
            framer.feed(pair[1].read(256, Duration.ofMillis(20)), System.nanoTime())) {
          if (d instanceof ZvtFramer.Decoded.Frame f) {
            pair[1].write(new byte[] {ZvtFrame.ACK});
            return ((Apdu.Parse.Parsed) Apdu.parse(f.apdu())).apdu();
          }
        }
      }
      throw new AssertionError("the driver sent nothing");
    }

    void send(Apdu apdu) throws Exception {
      pair[1].write(ZvtFrame.encode(apdu.encode()));
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < end) {
        for (ZvtFramer.Decoded d :
            framer.feed(pair[1].read(1, Duration.ofMillis(20)), System.nanoTime())) {
          if (d instanceof ZvtFramer.Decoded.Ack) {
            return;
          }
        }
      }
      throw new AssertionError("the driver did not ACK " + apdu);
    }
  }
}
