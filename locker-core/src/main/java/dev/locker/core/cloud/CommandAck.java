package dev.locker.core.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.LockerStore.CommandStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one acknowledgement every command gets (contracts/mqtt.md): {@code {"cmdId", "status",
 * "reason"?, "at"}}; {@code cmdId} is null only for a message that could not be read at all.
 */
public record CommandAck(
    Optional<String> cmdId, CommandStatus status, Optional<String> reason, Instant at) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public CommandAck {
    Objects.requireNonNull(cmdId, "cmdId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  public static CommandAck applied(String cmdId, Instant at) {
    return new CommandAck(Optional.of(cmdId), CommandStatus.APPLIED, Optional.empty(), at);
  }

  /**
   * The command was accepted but could not be carried out ({@code reason} in the contract's words).
   */
  public static CommandAck failed(String cmdId, String reason, Instant at) {
    return new CommandAck(Optional.of(cmdId), CommandStatus.FAILED, Optional.of(reason), at);
  }

  public static CommandAck rejected(CommandVerdict.Rejected verdict, Instant at) {
    return new CommandAck(
        verdict.cmdId(), CommandStatus.REJECTED, Optional.of(verdict.reason().wire()), at);
  }

  /** The ack as the locker publishes it. */
  public String json() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cmdId", cmdId.orElse(null));
    out.put("status", status.name().toLowerCase(Locale.ROOT));
    reason.ifPresent(r -> out.put("reason", r));
    out.put("at", at.toString());
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ack of strings always serialises", e);
    }
  }
}
