package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A payment record: what it keeps of the card, how it moves, what it refuses and shows. */
class PaymentTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(20);
  private static final Instant T2 = T0.plusSeconds(35);
  private static final Instant T3 = T0.plusSeconds(40);
  private static final PaymentId ID = new PaymentId("0193a0b0-1111-7000-8000-000000000005");
  private static final ParcelId PARCEL = new ParcelId("p-1");
  private static final Money FEE = new Money(1500, "HKD");

  private static final CardApproval APPROVAL =
      new CardApproval(
          "0042",
          Optional.of("000123"),
          Optional.of("************1234"),
          Optional.of("A1B2C3"),
          Optional.of("52500038"),
          Optional.of("Debit Mastercard"));

  /** The whole message: it never repeats the refused text, which may be a full PAN. */
  private static final String REFUSED_PAN =
      "a masked PAN is '*' then at most the last 4 digits, 1 to 19 characters";

  private static final List<String> RECEIPT =
      List.of("PARCEL LOCKER LCK-01", "Debit Mastercard", "************1234", "HKD 15.00");

  private static Payment card() {
    return Payment.charging(ID, PARCEL, PaymentState.Method.CARD, FEE, T0);
  }

  private static Payment qr() {
    return Payment.charging(ID, PARCEL, PaymentState.Method.QR, FEE, T0);
  }

  private static Payment withMaskedPan(String maskedPan) {
    Payment p = card();
    return new Payment(
        p.id(),
        p.parcel(),
        p.method(),
        p.amount(),
        p.state(),
        p.createdAt(),
        p.updatedAt(),
        p.receipt(),
        p.reference(),
        Optional.of(maskedPan),
        p.authCode(),
        p.terminalId(),
        p.cardName(),
        p.receiptText(),
        p.failure());
  }

  private static CardApproval approvalWithMaskedPan(String maskedPan) {
    return new CardApproval(
        "0042",
        Optional.empty(),
        Optional.of(maskedPan),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  // ---------------------------------------------------------------- life

  @Test
  void aCardNumberPrintedOnTheReceiptIsKeptMaskedToItsLastFourDigits() {
    assertThat(Payment.maskCardNumbers("Card 5413330089604771")).isEqualTo("Card ************4771");
    assertThat(Payment.maskCardNumbers("PAN 5413 3300 8960 4771 exp"))
        .isEqualTo("PAN **** **** **** 4771 exp");
    assertThat(Payment.maskCardNumbers("Amount 12.50  Trace 000123  Date 02.12"))
        .as("short numbers stay")
        .isEqualTo("Amount 12.50  Trace 000123  Date 02.12");
    assertThat(Payment.maskCardNumbers("************4771")).isEqualTo("************4771");
  }

  @Test
  void aNewChargeKnowsOnlyWhatIsChargedForWhichParcel() {
    Payment p = card();

    assertThat(p.state()).isEqualTo(PaymentState.CHARGING);
    assertThat(p.id()).isEqualTo(ID);
    assertThat(p.parcel()).isEqualTo(PARCEL);
    assertThat(p.method()).isEqualTo(PaymentState.Method.CARD);
    assertThat(p.amount()).isEqualTo(FEE);
    assertThat(p.createdAt()).isEqualTo(T0);
    assertThat(p.updatedAt()).isEqualTo(T0);
    assertThat(
            List.of(
                p.receipt(),
                p.reference(),
                p.maskedPan(),
                p.authCode(),
                p.terminalId(),
                p.cardName(),
                p.failure()))
        .allMatch(Optional::isEmpty);
    assertThat(p.receiptText()).isEmpty();
  }

  @Test
  void aPaidCardPaymentKeepsItsApprovalAndReceiptAndWhenItLastChanged() {
    Payment approved = card().approved(APPROVAL, T1);
    Payment released = approved.on(PaymentState.Event.RELEASE, T2);
    Payment paid = released.on(PaymentState.Event.COMPLETE, T3).withReceiptText(RECEIPT, T3);

    assertThat(approved.state()).isEqualTo(PaymentState.APPROVED);
    assertThat(released.state()).isEqualTo(PaymentState.RELEASED);
    assertThat(paid.state()).isEqualTo(PaymentState.PAID);
    assertThat(paid.receipt()).contains("0042");
    assertThat(paid.reference()).contains("000123");
    assertThat(paid.maskedPan()).contains("************1234");
    assertThat(paid.authCode()).contains("A1B2C3");
    assertThat(paid.terminalId()).contains("52500038");
    assertThat(paid.cardName()).contains("Debit Mastercard");
    assertThat(paid.receiptText()).isEqualTo(RECEIPT);
    assertThat(paid.createdAt()).isEqualTo(T0);
    assertThat(paid.updatedAt()).isEqualTo(T3);
    assertThat(paid.failure()).isEmpty();
  }

  @Test
  void eventsKeepEverythingButTheStateAndTheUpdateTime() {
    Payment approved = card().approved(APPROVAL, T1);

    Payment withheld = approved.on(PaymentState.Event.WITHHOLD, T2);

    assertThat(withheld.state()).isEqualTo(PaymentState.REVERSING);
    assertThat(withheld.updatedAt()).isEqualTo(T2);
    assertThat(withheld)
        .usingRecursiveComparison()
        .ignoringFields("state", "updatedAt")
        .isEqualTo(approved);
  }

  @Test
  void anEventItsStateRefusesIsAnIllegalTransition() {
    Payment declined = card().failed("card declined", T1);

    assertThatThrownBy(() -> declined.on(PaymentState.Event.APPROVE, T2))
        .isInstanceOf(IllegalTransition.class)
        .hasMessage("payment: no transition from DECLINED on APPROVE");
    assertThatThrownBy(() -> card().on(PaymentState.Event.RELEASE, T1))
        .as("no parcel is released without approval")
        .isInstanceOf(IllegalTransition.class);
  }

  @Test
  void aFailedChargeIsDeclinedWithItsReason() {
    Payment declined = card().failed("cancelled on the terminal", T1);

    assertThat(declined.state()).isEqualTo(PaymentState.DECLINED);
    assertThat(declined.failure()).contains("cancelled on the terminal");
    assertThat(declined.updatedAt()).isEqualTo(T1);
  }

  @Test
  void aChargeLostAfterTheApprovalKeepsWhatWasKnownAndStaysUnknown() {
    Payment unknown =
        card()
            .on(PaymentState.Event.LOSE, T1)
            .withFailure("link lost after the approval", T1)
            .withApproval(APPROVAL, T1);

    assertThat(unknown.state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(unknown.receipt()).contains("0042");
    assertThat(unknown.failure()).contains("link lost after the approval");

    Payment recovered = unknown.approved(APPROVAL, T2);
    assertThat(recovered.state()).isEqualTo(PaymentState.APPROVED);
  }

  @Test
  void aQrPaymentIsConfirmedWithTheProvidersReferenceAndNoCardData() {
    Payment confirmed = qr().confirmed("QR-REF-77", T1);

    assertThat(confirmed.state()).isEqualTo(PaymentState.APPROVED);
    assertThat(confirmed.reference()).contains("QR-REF-77");
    assertThat(confirmed.receipt()).isEmpty();
    assertThat(confirmed.maskedPan()).isEmpty();
    assertThat(confirmed.updatedAt()).isEqualTo(T1);
  }

  @Test
  void aCardApprovalIsForCardPaymentsAndAProviderConfirmationForQrPayments() {
    assertThatThrownBy(() -> qr().approved(APPROVAL, T1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a card payment");
    assertThatThrownBy(() -> card().confirmed("QR-REF-77", T1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a QR payment");
  }

  @Test
  void aPaymentIsNotUpdatedBeforeItWasCreated() {
    assertThatThrownBy(() -> card().on(PaymentState.Event.APPROVE, T0.minusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReceiptLineHoldsNoLineBreakSoTheStoredTextSplitsBackIntoTheSameLines() {
    assertThatThrownBy(() -> card().withReceiptText(List.of("one\ntwo"), T1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> card().withReceiptText(List.of("one\rtwo"), T1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(card().withReceiptText(List.of("", "  TOTAL  ", ""), T1).receiptText())
        .containsExactly("", "  TOTAL  ", "");
  }

  @Test
  void toStringNeverShowsTheReceiptText() {
    Payment paid =
        card()
            .approved(APPROVAL, T1)
            .on(PaymentState.Event.RELEASE, T2)
            .on(PaymentState.Event.COMPLETE, T3)
            .withReceiptText(RECEIPT, T3);

    String shown = paid.toString();

    assertThat(shown)
        .contains(ID.value(), "PAID", "0042", "receiptText=4 lines")
        .doesNotContain("PARCEL LOCKER", "HKD 15.00", "Debit Mastercard, ************1234");
  }

  // ---------------------------------------------------------------- the masked PAN

  @ParameterizedTest
  @ValueSource(strings = {"************1234", "****1234", "*1234", "1234", "****", "*", "**12"})
  void aMaskedPanOfStarsAndAtMostTheLastFourDigitsIsKept(String maskedPan) {
    assertThat(Payment.isMaskedPan(maskedPan)).isTrue();
    assertThat(withMaskedPan(maskedPan).maskedPan()).contains(maskedPan);
    assertThat(card().approved(approvalWithMaskedPan(maskedPan), T1).maskedPan())
        .contains(maskedPan);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111111111111111", // a full 16-digit PAN
        "5500005555555559", // another
        "*****11111", // five trailing digits
        "************01234", // five trailing digits behind the mask
        "411111******1234", // BIN and last four: more than the locker needs
        "12**", // digits that are not trailing
        "XXXXXXXXXXXX1234", // another masking character
        "************123A", // a letter
        "abcd",
        "**** **** **** 1234", // spaces
        "****-1234",
        "********************", // longer than any PAN
        "****\u0661\u0662\u0663\u0664", // Arabic-Indic digits
        "****\uFF11\uFF12\uFF13\uFF14", // full-width digits
        ""
      })
  void anythingElseIsRefusedWithoutShowingIt(String maskedPan) {
    assertThat(Payment.isMaskedPan(maskedPan)).isFalse();
    assertThatThrownBy(() -> withMaskedPan(maskedPan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(REFUSED_PAN);
    assertThatThrownBy(() -> approvalWithMaskedPan(maskedPan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(REFUSED_PAN);
  }

  /**
   * 100,000 strings of stars, digits (ASCII and not), masking letters and separators (every tenth
   * also through a card approval, which applies the same rule): whatever a payment accepts as a
   * masked PAN is kept as it was and holds at most four trailing ASCII digits and nothing but stars
   * before them; and what the rule allows is accepted.
   */
  @Test
  void noStringEverYieldsAKeptMaskedPanWithMoreThanFourDigits() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String alphabet = "*0123456789Xx #-\u0661\uFF14\u00B2a";
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      StringBuilder text = new StringBuilder();
      if (random.nextBoolean()) {
        text.append("*".repeat(random.nextInt(20)));
        for (int d = random.nextInt(8); d > 0; d--) {
          text.append((char) ('0' + random.nextInt(10)));
        }
      } else {
        for (int n = random.nextInt(25); n > 0; n--) {
          text.append(
              random.nextInt(3) == 0 ? '*' : alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String candidate = text.toString();
      Optional<String> kept = keptByPayment(candidate);
      if (i % 10 == 0 && !kept.equals(keptByApproval(candidate))) {
        fail("seed %d, case %d: '%s': payment and approval disagree", seed, i, candidate);
      }
      if (kept.isPresent()) {
        accepted++;
        if (!kept.get().equals(candidate) || !isStarsThenAtMostFourDigits(kept.get())) {
          fail("seed %d, case %d: '%s' was kept as '%s'", seed, i, candidate, kept.get());
        }
      } else if (isStarsThenAtMostFourDigits(candidate)) {
        fail("seed %d, case %d: '%s' was refused", seed, i, candidate);
      }
    }
    assertThat(accepted).as("seed %d: accepted cases", seed).isBetween(10_000, 90_000);
  }

  /** The rule restated by hand: 1 to 19 characters, stars, then at most four ASCII digits. */
  private static boolean isStarsThenAtMostFourDigits(String value) {
    int digits = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c != '*' || digits > 0) {
        return false;
      }
    }
    return !value.isEmpty() && value.length() <= 19 && digits <= Payment.MAX_PAN_DIGITS;
  }

  private static Optional<String> keptByPayment(String candidate) {
    try {
      return withMaskedPan(candidate).maskedPan();
    } catch (IllegalArgumentException refused) {
      return Optional.empty();
    }
  }

  private static Optional<String> keptByApproval(String candidate) {
    try {
      return card().approved(approvalWithMaskedPan(candidate), T1).maskedPan();
    } catch (IllegalArgumentException refused) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- ids

  @Test
  void aNewPaymentIdIsRandomUuidText() {
    PaymentId one = PaymentId.random();
    PaymentId two = PaymentId.random();

    assertThat(one).isNotEqualTo(two);
    assertThat(one.value())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(one).hasToString(one.value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "has space", "a/b", "p\u00e4y", "x\n"})
  void aPaymentIdHasTheContractsForm(String text) {
    assertThat(PaymentId.isId(text)).isFalse();
    assertThatThrownBy(() -> new PaymentId(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPaymentIdIsAtMost64Characters() {
    assertThat(PaymentId.isId("a".repeat(64))).isTrue();
    assertThat(PaymentId.isId("a".repeat(65))).isFalse();
    assertThat(PaymentId.isId("QR.pay_01:ok-1")).isTrue();
  }
}
