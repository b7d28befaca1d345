package dev.locker.core.cloud;

import static dev.locker.core.cloud.HandlerFixture.assertWellFormed;
import static dev.locker.core.cloud.HandlerFixture.detail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.cloud.QrPaymentConfirmedCommand.QrPayment;
import dev.locker.core.domain.Money;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code payment.qr.confirmed}: today no QR payment is ever pending, so a well-formed confirmation
 * is {@code unknown_payment}; with a lookup that knows one (as issue 5 will plug in) it is applied
 * once.
 */
class QrPaymentConfirmedCommandTest {
  @TempDir Path dir;
  private HandlerFixture locker;

  /** Payments that a lookup knows, as issue 5's store would; confirmations write an event. */
  private final Map<String, QrPayment> payments = new HashMap<>();

  private final List<String> confirmed = new java.util.ArrayList<>();

  private final QrPaymentConfirmedCommand knowing =
      new QrPaymentConfirmedCommand(
          (id, store) -> Optional.ofNullable(payments.get(id)),
          (payment, reference, tx, now) -> {
            payments.put(
                payment.paymentId(),
                new QrPayment(payment.paymentId(), payment.due(), Optional.of(reference)));
            tx.emit("payment.approved", Map.of("paymentId", payment.paymentId()));
            confirmed.add(payment.paymentId());
          });

  @BeforeEach
  void open() {
    locker = HandlerFixture.sqlite(dir);
  }

  @AfterEach
  void close() {
    locker.close();
  }

  private static Map<String, Object> confirmation(
      Object paymentId, Object amount, Object currency, Object reference) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("paymentId", paymentId);
    data.put("amount", amount);
    data.put("currency", currency);
    data.put("reference", reference);
    return data;
  }

  private static final Map<String, Object> GOOD =
      confirmation("pay-1", 350, "CNY", "WX-20261202-0001");

  private CommandOutcome send(CommandHandler handler, Map<String, Object> data) {
    CommandOutcome outcome = locker.apply(handler, "payment.qr.confirmed", data);
    assertWellFormed(outcome, "outcome");
    return outcome;
  }

  private void assertRejected(
      CommandHandler handler, Map<String, Object> data, String reason, String detailPart) {
    HandlerFixture.State before = locker.state();

    CommandOutcome outcome = send(handler, data);

    assertThat(outcome).isInstanceOf(CommandOutcome.Rejected.class);
    assertThat(((CommandOutcome.Rejected) outcome).reason()).isEqualTo(reason);
    assertThat(detail(outcome)).contains(detailPart);
    assertThat(locker.state()).as("nothing written").isEqualTo(before);
  }

  // ---------------------------------------------------------------- today: no payments

  @Test
  void aWellFormedConfirmationIsUnknownPaymentWhileNoQrPaymentIsPending() {
    assertRejected(
        new QrPaymentConfirmedCommand(),
        GOOD,
        "unknown_payment",
        "no QR payment pay-1 is pending here");
  }

  @Test
  void fieldsAreCheckedBeforeThePaymentIsLookedUp() {
    assertRejected(
        new QrPaymentConfirmedCommand(),
        confirmation("pay-1", -1, "CNY", "ref"),
        "invalid",
        "amount must be between 0 and 2147483647, was -1");
  }

  // ---------------------------------------------------------------- with a lookup that knows one

  @Test
  void aPendingPaymentIsConfirmedOnceAndAgainChangesNothing() {
    payments.put("pay-1", new QrPayment("pay-1", new Money(350, "CNY"), Optional.empty()));

    CommandOutcome first = send(knowing, GOOD);
    HandlerFixture.State after = locker.state();
    CommandOutcome again = send(knowing, GOOD);

    assertThat(first)
        .isEqualTo(
            new CommandOutcome.Applied(
                "payment pay-1 of 350 CNY confirmed, reference WX-20261202-0001"));
    assertThat(again).isEqualTo(new CommandOutcome.Applied("payment pay-1 was already confirmed"));
    assertThat(confirmed).containsExactly("pay-1");
    assertThat(after.lastSeq()).isEqualTo(1);
    assertThat(locker.state()).isEqualTo(after);
  }

  @Test
  void aConfirmationUnderAnotherReferenceIsAlreadyConfirmed() {
    payments.put("pay-1", new QrPayment("pay-1", new Money(350, "CNY"), Optional.of("WX-OTHER")));

    assertRejected(
        knowing,
        GOOD,
        "already_confirmed",
        "payment pay-1 was already confirmed under another reference");
    assertThat(confirmed).isEmpty();
  }

  @Test
  void anAmountOrCurrencyOtherThanTheOneDueIsAmountMismatch() {
    payments.put("pay-1", new QrPayment("pay-1", new Money(350, "CNY"), Optional.empty()));

    assertRejected(
        knowing,
        confirmation("pay-1", 35, "CNY", "WX-1"),
        "amount_mismatch",
        "payment pay-1 is 350 CNY, the provider confirmed 35 CNY");
    assertRejected(
        knowing,
        confirmation("pay-1", 350, "HKD", "WX-1"),
        "amount_mismatch",
        "the provider confirmed 350 HKD");
    assertThat(confirmed).isEmpty();
  }

  @Test
  void anotherPaymentIdIsStillUnknown() {
    payments.put("pay-1", new QrPayment("pay-1", new Money(350, "CNY"), Optional.empty()));

    assertRejected(
        knowing,
        confirmation("pay-2", 350, "CNY", "WX-1"),
        "unknown_payment",
        "no QR payment pay-2");
  }

  // ---------------------------------------------------------------- the fields

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "paymentId|pay 1|paymentId must be 1 to 64 of",
        "paymentId||paymentId must be 1 to 64 of",
        "currency|RMB|currency must be an ISO 4217 currency code",
        "currency|cny|currency must be an ISO 4217 currency code",
        "reference||reference must be 1 to 64 printable ASCII characters",
        "reference|\u5fae\u4fe1|reference must be 1 to 64 printable ASCII characters",
        "reference|tab\there|reference must be 1 to 64 printable ASCII characters",
      })
  void aBadTextFieldIsInvalidEvenForAKnownPayment(String row) {
    payments.put("pay-1", new QrPayment("pay-1", new Money(350, "CNY"), Optional.empty()));
    String[] parts = row.split("\\|", -1);
    Map<String, Object> data = new LinkedHashMap<>(GOOD);
    data.put(parts[0], parts[1]);

    assertRejected(knowing, data, "invalid", parts[2]);
    assertThat(confirmed).isEmpty();
  }

  @Test
  void theAmountIsAWholeNumberOfMinorUnitsAndZeroIsAllowed() {
    assertRejected(
        knowing,
        confirmation("pay-1", 3.5, "CNY", "r"),
        "invalid",
        "amount must be a whole number");
    assertRejected(
        knowing,
        confirmation("pay-1", "350", "CNY", "r"),
        "invalid",
        "amount must be a whole number, was text");
    assertRejected(
        knowing,
        confirmation("pay-1", 2_147_483_648L, "CNY", "r"),
        "invalid",
        "amount must be between 0 and 2147483647");
    payments.put("pay-0", new QrPayment("pay-0", new Money(0, "CNY"), Optional.empty()));

    assertThat(send(knowing, confirmation("pay-0", 0, "CNY", "r")))
        .isInstanceOf(CommandOutcome.Applied.class);
  }

  @Test
  void aReferenceOf64CharactersIsAcceptedAnd65IsNot() {
    payments.put("pay-1", new QrPayment("pay-1", new Money(350, "CNY"), Optional.empty()));

    assertRejected(
        knowing, confirmation("pay-1", 350, "CNY", "r".repeat(65)), "invalid", "reference must be");
    assertThat(send(knowing, confirmation("pay-1", 350, "CNY", "r".repeat(64))))
        .isInstanceOf(CommandOutcome.Applied.class);
  }

  @Test
  void missingFieldsAndUnknownKeysAreAllNamed() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("paymentId", "pay-1");
    data.put("maskedPan", "****1234");

    assertRejected(
        knowing,
        data,
        "invalid",
        "maskedPan is not a known key; amount is required; currency is required;"
            + " reference is required");
  }

  @Test
  void tenThousandMutatedConfirmationsAreEachAppliedOrRejectedWithAReason() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    payments.put("pay-1", new QrPayment("pay-1", new Money(350, "CNY"), Optional.empty()));
    payments.put("pay-2", new QrPayment("pay-2", new Money(0, "HKD"), Optional.empty()));
    List<Map<String, Object>> valid =
        List.of(
            GOOD, confirmation("pay-2", 0, "HKD", "ALI-9"), confirmation("pay-3", 1, "EUR", "x"));
    try (HandlerFixture fast = HandlerFixture.inMemory()) {
      for (int i = 0; i < 10_000; i++) {
        Map<String, Object> data = DataFuzz.mutate(valid.get(random.nextInt(valid.size())), random);
        String context = "seed " + seed + ", case " + i + ": " + data;
        HandlerFixture.State before = fast.state();
        CommandHandler handler = random.nextBoolean() ? knowing : new QrPaymentConfirmedCommand();

        CommandOutcome outcome = fast.apply(handler, "payment.qr.confirmed", data);

        assertWellFormed(outcome, context);
        if (outcome instanceof CommandOutcome.Rejected) {
          assertThat(fast.state()).as(context + " wrote nothing").isEqualTo(before);
        }
      }
    }
  }
}
