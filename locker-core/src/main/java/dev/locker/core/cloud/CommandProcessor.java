package dev.locker.core.cloud;

import dev.locker.core.application.Locker;
import dev.locker.core.application.OpenResult;
import dev.locker.core.application.ServiceResult;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.LockerStore.CommandRecord;
import dev.locker.core.application.port.LockerStore.CommandStatus;
import dev.locker.core.application.port.LockerStore.Transaction;
import dev.locker.core.domain.OpeningReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every message of the command topic exactly once (contracts/mqtt.md): {@link CommandGate}
 * decides whether it may be applied, then its effect, its replay record, its ack and its audit
 * entry commit together. Runs on the locker loop (the single writer): {@link #process} is called
 * there, so the gate's reads and the transaction that follows see the same state.
 *
 * <p>What each outcome writes:
 *
 * <ul>
 *   <li>unreadable, forged ({@code cmdId} unknown): an ack with {@code cmdId} null or the reason,
 *       and an audit entry; counted;
 *   <li>signed but refused ({@code wrong_locker}, {@code expired}, {@code invalid}, {@code
 *       rate_limited}, a handler's reason): the cmdId recorded as REJECTED (so a redelivery is
 *       answered {@code replayed}), an ack, an audit entry;
 *   <li>replayed: an ack and an audit entry (the first answer stays the record);
 *   <li>applied: the effect, the record, the ack (for a remote open, when the door's outcome is
 *       known), an audit entry.
 * </ul>
 *
 * A remote open refused for its rate limit also raises a {@code security.alarm} event, at most once
 * per rate window.
 */
public final class CommandProcessor {
  private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);
  private static final String ACTOR = "cloud";
  private static final Pattern TICKET = Pattern.compile("[\\p{Graph}]{1,64}");

  private final CommandGate gate;
  private final LockerStore store;
  private final Locker locker;
  private final Clock clock;
  private final Map<String, CommandHandler> handlers;
  private final Optional<CommandGate.RateLimit> remoteOpenLimit;
  private final AtomicLong unreadable = new AtomicLong();
  private Instant lastAlarm = Instant.MIN;

  /**
   * @param handlers the handler of each command type that is applied inside one transaction (all
   *     but {@code compartment.open} and {@code compartment.service}, which go through the locker's
   *     own flows)
   * @param remoteOpenLimit the rate limit of {@code compartment.open}, for its alarm
   */
  public CommandProcessor(
      CommandGate gate,
      LockerStore store,
      Locker locker,
      Clock clock,
      Map<String, CommandHandler> handlers,
      Optional<CommandGate.RateLimit> remoteOpenLimit) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.store = Objects.requireNonNull(store, "store");
    this.locker = Objects.requireNonNull(locker, "locker");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.handlers = Map.copyOf(handlers);
    this.remoteOpenLimit = Objects.requireNonNull(remoteOpenLimit, "remoteOpenLimit");
  }

  /** How many messages could not be read as a command at all (malformed, forged). */
  public long unreadable() {
    return unreadable.get();
  }

  /**
   * Checks, applies and answers one message from the command topic. Call on the locker loop.
   * Returns the ack's status, for tests and logs.
   */
  public CommandStatus process(byte[] payload) {
    Instant now = clock.instant();
    CommandVerdict verdict = store.read(reader -> gate.check(payload, now, reader));
    if (verdict instanceof CommandVerdict.Rejected rejected) {
      refuse(rejected, now);
      return CommandStatus.REJECTED;
    }
    Command command = ((CommandVerdict.Accepted) verdict).command();
    try {
      return apply(command, now);
    } catch (RuntimeException e) {
      log.error("command {} ({}) failed", command.cmdId(), command.type(), e);
      store.transaction(
          tx -> {
            answer(
                tx, command, CommandStatus.FAILED, "internal_error", e.getClass().getSimpleName());
            return null;
          });
      return CommandStatus.FAILED;
    }
  }

  private void refuse(CommandVerdict.Rejected rejected, Instant now) {
    String reason = rejected.reason().wire();
    if (rejected.cmdId().isEmpty()) {
      unreadable.incrementAndGet();
    }
    boolean alarm =
        rejected.reason() == RejectReason.RATE_LIMITED
            && rejected.type().filter("compartment.open"::equals).isPresent()
            && remoteOpenLimit.map(l -> !now.isBefore(lastAlarm.plus(l.window()))).orElse(false);
    store.transaction(
        tx -> {
          // A message refused before the replay check (wrong locker, expired) may come again.
          boolean record =
              rejected.cmdId().isPresent() && tx.command(rejected.cmdId().get()).isEmpty();
          if (record) {
            tx.recordCommand(
                new CommandRecord(
                    rejected.cmdId().get(),
                    rejected.type().orElse("-"),
                    now,
                    CommandStatus.REJECTED));
          }
          tx.queueAck(rejected.cmdId(), CommandStatus.REJECTED, Optional.of(reason));
          tx.audit(
              ACTOR,
              "command.rejected",
              rejected.cmdId().orElse("-"),
              rejected.type().orElse("-") + ": " + reason + " (" + rejected.detail() + ")");
          if (alarm) {
            CommandGate.RateLimit limit = remoteOpenLimit.get();
            tx.emit(
                "security.alarm",
                data(
                    "kind",
                    "remote_open_burst",
                    "detail",
                    "more than "
                        + limit.count()
                        + " remote opens within "
                        + limit.window()
                        + "; the excess is refused",
                    "limit",
                    limit.count(),
                    "windowSeconds",
                    limit.window().toSeconds()));
            tx.audit(ACTOR, "security.alarm", "compartment.open", "remote open burst refused");
          }
          return null;
        });
    if (alarm) {
      lastAlarm = now;
      log.warn("remote opens beyond the rate limit are being refused");
    }
  }

  private CommandStatus apply(Command command, Instant now) {
    if (command.type().equals("compartment.open")) {
      return remoteOpen(command, now);
    }
    if (command.type().equals("compartment.service")) {
      return service(command, now);
    }
    CommandHandler handler = handlers.get(command.type());
    if (handler == null) {
      return store.transaction(
          tx ->
              answer(
                  tx,
                  command,
                  CommandStatus.FAILED,
                  "not_supported",
                  "this firmware has no handler for " + command.type()));
    }
    return store.transaction(
        tx -> {
          CommandOutcome outcome = handler.apply(command, tx, now);
          if (outcome instanceof CommandOutcome.Applied applied) {
            return answer(tx, command, CommandStatus.APPLIED, null, applied.detail());
          }
          if (outcome instanceof CommandOutcome.Rejected rejected) {
            return answer(
                tx, command, CommandStatus.REJECTED, rejected.reason(), rejected.detail());
          }
          CommandOutcome.Failed failed = (CommandOutcome.Failed) outcome;
          return answer(tx, command, CommandStatus.FAILED, failed.reason(), failed.detail());
        });
  }

  private CommandStatus remoteOpen(Command command, Instant now) {
    Optional<String> compartment = text(command, "compartment");
    Optional<String> reason = text(command, "reason");
    Optional<String> ticket = text(command, "ticket").filter(t -> TICKET.matcher(t).matches());
    if (compartment.isEmpty() || reason.isEmpty() || ticket.isEmpty()) {
      return rejectAlone(
          command,
          "invalid",
          "compartment, reason and ticket (1-64 visible characters) are required");
    }
    OpenResult result =
        locker.open(
            compartment.get(),
            OpeningReason.REMOTE,
            Locker.CLOUD_ACTOR + command.cmdId(),
            reason.get().strip() + " (ticket " + ticket.get() + ")",
            tx -> tx.recordCommand(record(command, now, CommandStatus.APPLIED)));
    if (result instanceof OpenResult.Opened) {
      return CommandStatus.APPLIED;
    }
    if (result instanceof OpenResult.DidNotOpen) {
      return CommandStatus.FAILED;
    }
    if (result instanceof OpenResult.NoSuchCompartment) {
      return rejectAlone(command, "unknown_compartment", "no compartment " + compartment.get());
    }
    if (result instanceof OpenResult.Busy busy) {
      return rejectAlone(command, "busy", busy.why());
    }
    if (result instanceof OpenResult.ParcelExpired) {
      return rejectAlone(command, "parcel_expired", "the parcel inside has expired");
    }
    return rejectAlone(command, "invalid", ((OpenResult.MissingReason) result).problem());
  }

  private CommandStatus service(Command command, Instant now) {
    Optional<String> compartment = text(command, "compartment");
    Object inService = command.data().get("inService");
    Optional<String> reason = text(command, "reason");
    if (compartment.isEmpty() || !(inService instanceof Boolean) || reason.isEmpty()) {
      return rejectAlone(
          command, "invalid", "compartment (text), inService (true/false) and reason are required");
    }
    boolean wanted = (Boolean) inService;
    ServiceResult result =
        locker.setInService(
            compartment.get(),
            wanted,
            reason.get(),
            Locker.CLOUD_ACTOR + command.cmdId(),
            tx -> {
              tx.recordCommand(record(command, now, CommandStatus.APPLIED));
              tx.queueAck(Optional.of(command.cmdId()), CommandStatus.APPLIED, Optional.empty());
            });
    if (result instanceof ServiceResult.Changed) {
      return CommandStatus.APPLIED;
    }
    if (result instanceof ServiceResult.Unchanged) {
      return store.transaction(
          tx ->
              answer(
                  tx,
                  command,
                  CommandStatus.APPLIED,
                  null,
                  compartment.get() + " already " + (wanted ? "in" : "out of") + " service"));
    }
    if (result instanceof ServiceResult.NoSuchCompartment) {
      return rejectAlone(command, "unknown_compartment", "no compartment " + compartment.get());
    }
    return rejectAlone(command, "invalid", ((ServiceResult.MissingReason) result).problem());
  }

  private CommandStatus rejectAlone(Command command, String reason, String detail) {
    return store.transaction(tx -> answer(tx, command, CommandStatus.REJECTED, reason, detail));
  }

  /** Records the command, queues its ack and audits it, in {@code tx}. */
  private CommandStatus answer(
      Transaction tx, Command command, CommandStatus status, String reason, String detail) {
    tx.recordCommand(record(command, clock.instant(), status));
    tx.queueAck(Optional.of(command.cmdId()), status, Optional.ofNullable(reason));
    tx.audit(
        ACTOR,
        "command." + status.name().toLowerCase(java.util.Locale.ROOT),
        command.cmdId(),
        command.type() + (reason == null ? "" : ": " + reason) + " (" + detail + ")");
    return status;
  }

  private static CommandRecord record(Command command, Instant at, CommandStatus status) {
    return new CommandRecord(command.cmdId(), command.type(), at, status);
  }

  private static Optional<String> text(Command command, String field) {
    Object value = command.data().get(field);
    return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }

  private static Map<String, Object> data(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** How long the replay cache must remember a command: its longest life plus the clock skew. */
  public static Duration replayMemory(CommandGate.Policy policy) {
    return policy.maxLifetime().plus(policy.clockSkew()).plus(policy.clockSkew());
  }
}
