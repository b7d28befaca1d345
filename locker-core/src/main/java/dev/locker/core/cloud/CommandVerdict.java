package dev.locker.core.cloud;

import java.util.Optional;

/** What {@link CommandGate} made of one message on the command topic. */
public sealed interface CommandVerdict {

  /** Every check passed: the command may be applied (and recorded in the same transaction). */
  record Accepted(Command command) implements CommandVerdict {}

  /**
   * Refused. {@code cmdId} and {@code type} are known once the signature verified and the body
   * parsed far enough; {@code detail} says what was wrong, for the audit log (never personal data).
   */
  record Rejected(Optional<String> cmdId, Optional<String> type, RejectReason reason, String detail)
      implements CommandVerdict {}
}
