package dev.locker.core.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * What a payment keeps of a card approval: what a receipt may show and a reversal or a support call
 * needs, nothing more (reliability-security.md §2.2). The terminal port's {@code Approval} carries
 * the same fields; the application copies them over, because the domain does not know the port.
 *
 * @param receipt the terminal's receipt number: what a reversal names
 * @param reference the terminal's trace number (or another host reference)
 * @param maskedPan {@code *} and at most the last four digits, e.g. {@code ************1234}; see
 *     {@link Payment#isMaskedPan}
 * @param authCode the issuer's authorisation code
 * @param terminalId the terminal's id
 * @param cardName the card brand, e.g. "Debit Mastercard"
 */
public record CardApproval(
    String receipt,
    Optional<String> reference,
    Optional<String> maskedPan,
    Optional<String> authCode,
    Optional<String> terminalId,
    Optional<String> cardName) {

  public CardApproval {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(maskedPan, "maskedPan");
    Objects.requireNonNull(authCode, "authCode");
    Objects.requireNonNull(terminalId, "terminalId");
    Objects.requireNonNull(cardName, "cardName");
    if (receipt.isBlank()) {
      throw new IllegalArgumentException("a receipt number is not blank");
    }
    Payment.requireMaskedPan(maskedPan);
  }
}
