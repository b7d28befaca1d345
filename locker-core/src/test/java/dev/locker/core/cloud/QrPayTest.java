package dev.locker.core.cloud;

import static dev.locker.core.testing.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.Locker;
import dev.locker.core.application.PaymentResult;
import dev.locker.core.application.PickupResult;
import dev.locker.core.application.QrOffer;
import dev.locker.core.application.QrPayCode;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.PaymentId;
import dev.locker.core.domain.PaymentState;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.Tariff;
import dev.locker.core.store.LockerSigningKey;
import dev.locker.core.testing.FakePaymentTerminal;
import dev.locker.core.testing.TestLocker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QR pay: a signed, expiring code on the screen; the door opens when the cloud confirms the
 * payment; a duplicate confirmation changes nothing, a late or unknown one is refused.
 */
class QrPayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Tariff HKD =
      new Tariff(Duration.ofHours(24), Duration.ofHours(12), 500, 3000, "HKD");

  @TempDir Path dir;
  private TestLocker locker;
  private CommandProcessor processor;
  private final CloudSigner cloud = new CloudSigner("cloud-2026-1");
  private final LockerSigningKey signer = new LockerSigningKey(new byte[32]);
  private final AtomicInteger ids = new AtomicInteger();

  @BeforeEach
  void setUp() {
    locker = TestLocker.sqlite(dir, TestLocker.testPolicy().withTariff(Optional.of(HKD)));
    Locker l = locker.locker();
    QrPaymentConfirmedCommand confirmations =
        new QrPaymentConfirmedCommand(
            (paymentId, reader) ->
                Locker.qrPayment(paymentId, reader, locker.clock.instant())
                    .map(
                        p ->
                            new QrPaymentConfirmedCommand.QrPayment(
                                p.id().value(), p.due(), p.confirmedReference())),
            (payment, reference, tx, now) ->
                l.confirmQr(new PaymentId(payment.paymentId()), reference, tx, now));
    processor =
        new CommandProcessor(
            new CommandGate(
                TestLocker.LOCKER_ID,
                CommandKeys.ofKeys(Map.of(cloud.kid, cloud.publicKey())),
                new CommandGate.Policy(Duration.ofMinutes(2), Duration.ofHours(24), Map.of())),
            locker.store(),
            l,
            locker.clock,
            Map.of("payment.qr.confirmed", confirmations),
            Optional.empty());
  }

  @AfterEach
  void tearDown() {
    locker.close();
  }

  private PickupResult.PaymentRequired owing(String tracking) {
    String code = locker.depositAndClose(tracking, Size.S);
    locker.clock.advance(Duration.ofHours(30));
    return (PickupResult.PaymentRequired) locker.pickup(code);
  }

  private QrOffer.Offered offer(PickupResult.PaymentRequired due) {
    QrOffer offer = locker.locker().offerQrPay(due.parcel(), signer, true);
    assertThat(offer).isInstanceOf(QrOffer.Offered.class);
    return (QrOffer.Offered) offer;
  }

  /** The cloud confirms; returns the ack's status and reason. */
  private String confirm(PaymentId payment, long amount, String reference) {
    Instant now = locker.clock.instant();
    String message =
        cloud.envelope(
            CloudSigner.body(
                "cmd-" + ids.incrementAndGet(),
                TestLocker.LOCKER_ID,
                "payment.qr.confirmed",
                now.minusSeconds(1),
                now.plusSeconds(120),
                obj(
                    "paymentId",
                    payment.value(),
                    "amount",
                    amount,
                    "currency",
                    "HKD",
                    "reference",
                    reference)));
    locker.loop().call(() -> processor.process(message.getBytes(StandardCharsets.UTF_8)));
    locker.locker().awaitIdle(); // the door released after the confirmation committed
    List<LockerStore.PendingAck> acks = locker.store().read(r -> r.pendingAcks(1000));
    JsonNode ack = json(acks.get(acks.size() - 1).ack());
    return ack.get("status").asText()
        + ack.path("reason").asText("").transform(r -> r.isEmpty() ? "" : " " + r);
  }

  private PaymentState stateOf(PaymentId id) {
    return locker.store().read(r -> r.payment(id)).orElseThrow().state();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theCodeNamesThePaymentTheAmountAndTheLockerSignedAndExpiring() {
    QrOffer.Offered offer = offer(owing("QR00001"));

    Optional<QrPayCode> read =
        QrPayCode.verify(offer.code(), signer.publicKey(), locker.clock.instant());
    assertThat(read)
        .get()
        .satisfies(
            code -> {
              assertThat(code.payment()).isEqualTo(offer.payment());
              assertThat(code.amount()).isEqualTo(new Money(500, "HKD"));
              assertThat(code.lockerId()).isEqualTo(TestLocker.LOCKER_ID);
              assertThat(code.keyId()).isEqualTo(signer.keyId());
            });
    assertThat(QrPayCode.verify(offer.code(), signer.publicKey(), offer.expiresAt().plusSeconds(1)))
        .as("expired")
        .isEmpty();
    String tampered =
        offer.code().substring(0, 12)
            + (offer.code().charAt(12) == 'A' ? 'B' : 'A')
            + offer.code().substring(13);
    assertThat(QrPayCode.verify(tampered, signer.publicKey(), locker.clock.instant())).isEmpty();
    assertThat(
            QrPayCode.verify(
                offer.code(),
                new LockerSigningKey(
                        new byte[] {
                          1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                          22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
                        })
                    .publicKey(),
                locker.clock.instant()))
        .as("another locker's key")
        .isEmpty();
  }

  @Test
  void aConfirmedQrPaymentOpensTheDoorAndARepeatChangesNothing() {
    PickupResult.PaymentRequired due = owing("QR00002");
    QrOffer.Offered offer = offer(due);

    assertThat(confirm(offer.payment(), 500, "WX-123")).isEqualTo("applied");

    assertThat(stateOf(offer.payment())).isEqualTo(PaymentState.PAID);
    assertThat(locker.locks.unlocks()).hasSize(2);
    assertThat(locker.store().read(r -> r.parcel(due.parcel())).orElseThrow().state())
        .isEqualTo(ParcelState.PICKED_UP);
    JsonNode approved =
        locker.events().stream()
            .filter(e -> e.get("type").asText().equals("payment.approved"))
            .findFirst()
            .orElseThrow();
    assertThat(approved.get("data").get("method").asText()).isEqualTo("qr");
    assertThat(approved.get("data").get("reference").asText()).isEqualTo("WX-123");

    assertThat(confirm(offer.payment(), 500, "WX-123")).as("a duplicate").isEqualTo("applied");
    assertThat(confirm(offer.payment(), 500, "WX-999")).isEqualTo("rejected already_confirmed");
    assertThat(locker.locks.unlocks()).as("one opening only").hasSize(2);
  }

  @Test
  void lateCancelledUnknownOrWrongAmountConfirmationsAreRefused() {
    QrOffer.Offered late = offer(owing("QR00003"));
    locker.clock.advance(Locker.QR_PAY_VALIDITY.plus(Locker.QR_PAY_GRACE).plusSeconds(1));
    assertThat(confirm(late.payment(), 500, "WX-1")).isEqualTo("rejected unknown_payment");
    locker.locker().expireOverdue();
    assertThat(stateOf(late.payment()))
        .as("the housekeeping closes it")
        .isEqualTo(PaymentState.DECLINED);

    PickupResult.PaymentRequired due = owing("QR00004");
    QrOffer.Offered cancelled = offer(due);
    assertThat(locker.locker().cancelQrPay(cancelled.payment())).isTrue();
    assertThat(confirm(cancelled.payment(), 500, "WX-2")).isEqualTo("rejected unknown_payment");
    assertThat(stateOf(cancelled.payment())).isEqualTo(PaymentState.DECLINED);

    QrOffer.Offered wrong = offer(due);
    assertThat(confirm(wrong.payment(), 400, "WX-3")).isEqualTo("rejected amount_mismatch");
    assertThat(confirm(PaymentId.random(), 500, "WX-4")).isEqualTo("rejected unknown_payment");
    assertThat(locker.locks.unlocks()).as("only the deposits").hasSize(2);
  }

  @Test
  void aConfirmedPaymentWhoseDoorDoesNotOpenIsReportedForRefund() {
    PickupResult.PaymentRequired due = owing("QR00005");
    QrOffer.Offered offer = offer(due);
    locker.locks.jam(CompartmentId.of("A01"));

    assertThat(confirm(offer.payment(), 500, "WX-5")).isEqualTo("applied");

    assertThat(stateOf(offer.payment())).isEqualTo(PaymentState.REVERSED);
    JsonNode reversed =
        locker.events().stream()
            .filter(e -> e.get("type").asText().equals("payment.reversed"))
            .findFirst()
            .orElseThrow();
    assertThat(reversed.get("data").get("reason").asText()).contains("refund");
    assertThat(locker.store().read(r -> r.parcel(due.parcel())).orElseThrow().state())
        .isEqualTo(ParcelState.DEPOSITED);
  }

  @Test
  void qrPayNeedsTheCloudAndALiveCodeHoldsOffACardPayment() {
    PickupResult.PaymentRequired due = owing("QR00006");
    assertThat(locker.locker().offerQrPay(due.parcel(), signer, false))
        .isInstanceOf(QrOffer.Unavailable.class);

    QrOffer.Offered offer = offer(due);
    FakePaymentTerminal terminal = new FakePaymentTerminal("HKD");
    assertThat(locker.locker().payByCard(due.parcel(), terminal, PaymentTerminal.Progress.NONE))
        .isInstanceOf(PaymentResult.NotPayable.class);
    assertThat(terminal.journal()).isEmpty();

    locker.locker().cancelQrPay(offer.payment());
    assertThat(locker.locker().payByCard(due.parcel(), terminal, PaymentTerminal.Progress.NONE))
        .isInstanceOf(PaymentResult.Opened.class);
  }

  @Test
  void theLockerAnnouncesItsKeyOnce() {
    locker.locker().announceSigningKey(signer);
    locker.locker().announceSigningKey(signer);

    List<JsonNode> keys =
        locker.events().stream().filter(e -> e.get("type").asText().equals("locker.key")).toList();
    assertThat(keys)
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.get("data").get("keyId").asText()).isEqualTo(signer.keyId());
              assertThat(k.get("data").get("publicKey").asText()).isEqualTo(signer.publicKey());
            });
  }
}
