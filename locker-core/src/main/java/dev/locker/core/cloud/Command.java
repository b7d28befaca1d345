package dev.locker.core.cloud;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A command whose envelope checked out (contracts/mqtt.md): signed by a known key, for this locker,
 * in time, never answered before, within its rate limit. {@code data} holds strings, numbers,
 * booleans, nulls, lists and nested maps, as the JSON had them; each type's handler checks its own
 * fields.
 */
public record Command(
    String cmdId,
    String lockerId,
    String type,
    Instant issuedAt,
    Instant expiresAt,
    Map<String, Object> data) {
  public Command {
    Objects.requireNonNull(cmdId, "cmdId");
    Objects.requireNonNull(lockerId, "lockerId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    // Not Map.copyOf: JSON null is a value a handler may meet (and refuse), not a crash.
    data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }

  /** No data values: a command may carry personal data (a recipient's phone). */
  @Override
  public String toString() {
    return "Command[" + cmdId + " " + type + " for " + lockerId + ", expires " + expiresAt + "]";
  }
}
