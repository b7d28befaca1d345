package dev.locker.core.cloud;

import java.util.Objects;

/**
 * What carrying out an accepted command came to; it becomes the command's ack (contracts/mqtt.md)
 * and its audit entry. {@code detail} is for the audit log and never holds personal data.
 */
public sealed interface CommandOutcome {

  /** The effect is committed (or was already in place: applying it again changes nothing). */
  record Applied(String detail) implements CommandOutcome {
    public Applied {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Refused by the command's own rules; nothing was changed. {@code reason} is the ack's reason in
   * snake case: {@code invalid} for data that breaks the contract, or a specific word such as
   * {@code unknown_compartment}, {@code unknown_payment}, {@code already_deposited}.
   */
  record Rejected(String reason, String detail) implements CommandOutcome {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Allowed, but the locker could not carry it out (a lock that did not open). */
  record Failed(String reason, String detail) implements CommandOutcome {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
