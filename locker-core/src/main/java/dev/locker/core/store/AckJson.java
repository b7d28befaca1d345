package dev.locker.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.LockerStore.CommandStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one acknowledgement every command gets (contracts/mqtt.md): {@code {"cmdId", "status",
 * "reason"?, "at"}}; {@code cmdId} is null only for a message that could not be read at all.
 */
final class AckJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AckJson() {}

  static String json(
      Optional<String> cmdId, CommandStatus status, Optional<String> reason, Instant at) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cmdId", cmdId.orElse(null));
    out.put("status", status.name().toLowerCase(Locale.ROOT));
    reason.ifPresent(r -> out.put("reason", r));
    out.put("at", at.truncatedTo(ChronoUnit.SECONDS).toString());
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ack of strings always serialises", e);
    }
  }
}
