package dev.locker.core.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One attempt to pay for one parcel, and where it stands (see {@link PaymentState}). It is saved
 * before the terminal or the QR provider is asked and at every transition after, before the side
 * effect the transition announces.
 *
 * <p>It holds what reliability-security.md §2.2 allows on the locker and nothing else: amount, the
 * terminal's receipt number and reference, the masked PAN as the terminal returned it (at most the
 * last four digits: a full PAN cannot be held, see {@link #isMaskedPan}), authorisation code,
 * terminal id, card brand and the receipt text. {@link #toString()} leaves the receipt text out.
 *
 * @param id our sale transaction id: one attempt, one id
 * @param parcel the parcel paid for
 * @param amount what is charged
 * @param createdAt when the charge was committed, before the terminal was asked
 * @param updatedAt when the state or a field last changed
 * @param receipt the terminal's receipt number, once known (card payments)
 * @param reference the terminal's trace number, or the QR provider's reference
 * @param receiptText the receipt as the terminal printed it, one element per line (no line breaks
 *     inside a line); empty until known
 * @param failure why the payment left the plain way (declined, lost, withheld), if it did
 */
public record Payment(
    PaymentId id,
    ParcelId parcel,
    PaymentState.Method method,
    Money amount,
    PaymentState state,
    Instant createdAt,
    Instant updatedAt,
    Optional<String> receipt,
    Optional<String> reference,
    Optional<String> maskedPan,
    Optional<String> authCode,
    Optional<String> terminalId,
    Optional<String> cardName,
    List<String> receiptText,
    Optional<String> failure) {

  /** The longest PAN there is (ISO/IEC 7812-1): a masked one is no longer. */
  public static final int MAX_MASKED_PAN = 19;

  /** At most this many digits of a PAN may be kept: the last four (PCI DSS v4.0.1 Req. 3.4.1). */
  public static final int MAX_PAN_DIGITS = 4;

  private static final Pattern MASKED_PAN = Pattern.compile("\\**[0-9]{0,4}");

  /**
   * A run of 12 to 19 digits, spaces or dashes between them allowed: what a card number looks like.
   */
  private static final Pattern CARD_NUMBER =
      Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){11,18}(?![0-9])");

  /**
   * {@code line} with every digit of anything shaped like a card number masked but the last four,
   * so that a terminal that prints a full PAN on its receipt cannot put one in the store.
   */
  static String maskCardNumbers(String line) {
    java.util.regex.Matcher m = CARD_NUMBER.matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String run = m.group();
      int digits = (int) run.chars().filter(Character::isDigit).count();
      StringBuilder masked = new StringBuilder();
      int seen = 0;
      for (char c : run.toCharArray()) {
        if (Character.isDigit(c)) {
          seen++;
          masked.append(seen > digits - MAX_PAN_DIGITS ? c : '*');
        } else {
          masked.append(c);
        }
      }
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(masked.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  public Payment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(parcel, "parcel");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(maskedPan, "maskedPan");
    Objects.requireNonNull(authCode, "authCode");
    Objects.requireNonNull(terminalId, "terminalId");
    Objects.requireNonNull(cardName, "cardName");
    Objects.requireNonNull(receiptText, "receiptText");
    Objects.requireNonNull(failure, "failure");
    requireMaskedPan(maskedPan);
    receiptText = receiptText.stream().map(Payment::maskCardNumbers).toList();
    for (String line : receiptText) {
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("a receipt line holds no line break");
      }
    }
    if (updatedAt.isBefore(createdAt)) {
      throw new IllegalArgumentException("a payment is not updated before it was created");
    }
  }

  /** A charge about to be sent to the terminal or shown as a QR code: nothing known of it yet. */
  public static Payment charging(
      PaymentId id, ParcelId parcel, PaymentState.Method method, Money amount, Instant now) {
    return new Payment(
        id,
        parcel,
        method,
        amount,
        PaymentState.CHARGING,
        now,
        now,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /**
   * This payment after {@code event}. Throws {@link IllegalTransition} for an event its state
   * refuses (check {@link PaymentState#on} first).
   */
  public Payment on(PaymentState.Event event, Instant now) {
    return withState(state.next(event), now);
  }

  /** DECLINE, and why (declined, cancelled, no terminal, recovery found nothing). */
  public Payment failed(String reason, Instant now) {
    return on(PaymentState.Event.DECLINE, now).withFailure(reason, now);
  }

  /** A card payment the terminal approved (or recovery found approved): APPROVE, approval kept. */
  public Payment approved(CardApproval approval, Instant now) {
    if (method != PaymentState.Method.CARD) {
      throw new IllegalStateException("payment " + id + " is not a card payment");
    }
    return on(PaymentState.Event.APPROVE, now).withApproval(approval, now);
  }

  /**
   * A QR payment the provider confirmed with {@code providerReference}: APPROVE, reference kept.
   */
  public Payment confirmed(String providerReference, Instant now) {
    Objects.requireNonNull(providerReference, "providerReference");
    if (method != PaymentState.Method.QR) {
      throw new IllegalStateException("payment " + id + " is not a QR payment");
    }
    Payment approved = on(PaymentState.Event.APPROVE, now);
    return new Payment(
        id,
        parcel,
        method,
        amount,
        approved.state,
        createdAt,
        now,
        receipt,
        Optional.of(providerReference),
        maskedPan,
        authCode,
        terminalId,
        cardName,
        receiptText,
        failure);
  }

  /**
   * The same payment, in the same state, with what is known of its card approval (a charge lost
   * after the approval, or the terminal's last transaction found by recovery).
   */
  public Payment withApproval(CardApproval approval, Instant now) {
    return new Payment(
        id,
        parcel,
        method,
        amount,
        state,
        createdAt,
        now,
        Optional.of(approval.receipt()),
        approval.reference(),
        approval.maskedPan(),
        approval.authCode(),
        approval.terminalId(),
        approval.cardName(),
        receiptText,
        failure);
  }

  /** The same payment, in the same state, with the receipt the terminal printed. */
  public Payment withReceiptText(List<String> lines, Instant now) {
    return new Payment(
        id,
        parcel,
        method,
        amount,
        state,
        createdAt,
        now,
        receipt,
        reference,
        maskedPan,
        authCode,
        terminalId,
        cardName,
        lines,
        failure);
  }

  /** The same payment, in the same state, with why it left the plain way (lost, withheld). */
  public Payment withFailure(String reason, Instant now) {
    return new Payment(
        id,
        parcel,
        method,
        amount,
        state,
        createdAt,
        now,
        receipt,
        reference,
        maskedPan,
        authCode,
        terminalId,
        cardName,
        receiptText,
        Optional.of(reason));
  }

  private Payment withState(PaymentState next, Instant now) {
    return new Payment(
        id,
        parcel,
        method,
        amount,
        next,
        createdAt,
        now,
        receipt,
        reference,
        maskedPan,
        authCode,
        terminalId,
        cardName,
        receiptText,
        failure);
  }

  /**
   * True when {@code text} may be kept as a masked PAN: 1 to 19 characters, {@code *} only, then at
   * most 4 ASCII digits (the last four). Anything else, a full or a partly masked PAN, another
   * masking character, spaces or letters, is refused; a terminal adapter that gets one keeps no PAN
   * rather than this one.
   */
  public static boolean isMaskedPan(String text) {
    return text != null
        && !text.isEmpty()
        && text.length() <= MAX_MASKED_PAN
        && MASKED_PAN.matcher(text).matches();
  }

  /** Refuses a masked PAN {@link #isMaskedPan} refuses, without showing it in the message. */
  static void requireMaskedPan(Optional<String> maskedPan) {
    if (maskedPan.isPresent() && !isMaskedPan(maskedPan.get())) {
      throw new IllegalArgumentException(
          "a masked PAN is '*' then at most the last 4 digits, 1 to 19 characters");
    }
  }

  /** Every field but the receipt text, of which only the number of lines shows. */
  @Override
  public String toString() {
    return "Payment[id="
        + id
        + ", parcel="
        + parcel
        + ", method="
        + method
        + ", amount="
        + amount
        + ", state="
        + state
        + ", createdAt="
        + createdAt
        + ", updatedAt="
        + updatedAt
        + ", receipt="
        + receipt
        + ", reference="
        + reference
        + ", maskedPan="
        + maskedPan
        + ", authCode="
        + authCode
        + ", terminalId="
        + terminalId
        + ", cardName="
        + cardName
        + ", receiptText="
        + receiptText.size()
        + " lines, failure="
        + failure
        + "]";
  }
}
