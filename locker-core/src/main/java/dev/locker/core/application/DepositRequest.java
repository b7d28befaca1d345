package dev.locker.core.application;

import dev.locker.core.domain.Size;
import java.util.Objects;
import java.util.Optional;

/**
 * What a signed-in courier submits: the scanned or typed tracking number, the recipient's phone as
 * typed (needed when there is no pre-advice) and, optionally, the size the courier chose by hand.
 */
public record DepositRequest(
    String courierId, String tracking, String recipientPhone, Optional<Size> size) {
  public DepositRequest {
    Objects.requireNonNull(size, "size");
  }
}
