package dev.locker.hal.zvt;

import java.util.List;
import java.util.Optional;

/**
 * How an authorization ended. Only {@link Approved} means the customer paid; {@link OutcomeUnknown}
 * means nobody knows yet, and the caller must recover (repeat receipt, then reversal) before it
 * starts another payment for the same thing.
 */
public sealed interface AuthorizationResult {

  /** Paid, and the goods were issued (the locker answered {@code 80 00 00}). */
  record Approved(StatusInformation info, List<String> receipt) implements AuthorizationResult {
    public Approved {
      receipt = List.copyOf(receipt);
    }
  }

  /** Approved, but the locker refused the goods and the terminal reversed: not paid. */
  record Reversed(StatusInformation info, int resultCode, String text)
      implements AuthorizationResult {}

  /** The card or the host declined ({@code 06 1E rc}, or {@code 04 0F} rc≠0 then {@code 06 0F}). */
  record Declined(int resultCode, String text) implements AuthorizationResult {}

  /** Cancelled by the customer (kiosk or terminal) or by the terminal's timeout (rc 6C). */
  record Aborted(int resultCode, String text) implements AuthorizationResult {}

  /** The terminal never took the command (no link ACK, no {@code 80 00 00} within T3): not paid. */
  record NoTerminal(String detail) implements AuthorizationResult {}

  /**
   * The link was lost or T4 expired after the terminal took over: the payment may or may not stand.
   * {@code lastInfo} is the last status information seen, if any (its receipt number is what a
   * reversal names).
   */
  record OutcomeUnknown(String detail, Optional<StatusInformation> lastInfo)
      implements AuthorizationResult {}
}
