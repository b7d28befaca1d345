package dev.locker.core.cloud;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.LockerStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a message from the command topic exactly as contracts/mqtt.md orders, and stops at the
 * first check that fails:
 *
 * <ol>
 *   <li>the envelope is {@code {"kid", "body", "sig"}} ({@code malformed} otherwise);
 *   <li>the signature verifies with the cloud key named by {@code kid} over the UTF-8 bytes of
 *       {@code body} ({@code bad_signature});
 *   <li>the body is a version-1 command with its fields ({@code invalid});
 *   <li>{@code lockerId} is this locker's ({@code wrong_locker});
 *   <li>{@code expiresAt} has not passed, give or take the clock skew ({@code expired}); a command
 *       issued in the future or living longer than {@link Policy#maxLifetime} is {@code invalid};
 *   <li>{@code cmdId} was never answered before: the replay cache is the store, so it survives
 *       restarts ({@code replayed});
 *   <li>the type is one of the contract's ({@code invalid}) and within its rate limit ({@code
 *       rate_limited}).
 * </ol>
 *
 * Nothing is parsed from the body before its signature verified, so a forger learns nothing and
 * costs nothing beyond one signature check. The gate never throws for what arrives on the wire.
 * Thread-safe; it only reads the store (the caller applies and records the command in one
 * transaction, with this check repeated inside it).
 */
public final class CommandGate {
  /** The command types of contracts/mqtt.md. */
  public static final Set<String> TYPES =
      Set.of(
          "parcel.expect",
          "parcel.cancel",
          "compartment.open",
          "compartment.service",
          "payment.qr.confirmed",
          "notification.status",
          "credentials.upsert",
          "credentials.revoke",
          "config.update");

  /** Longest message the gate reads; a real command is a few hundred bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final Pattern CMD_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final ObjectMapper JSON = strictMapper();

  private final String lockerId;
  private final CommandKeys keys;
  private final Policy policy;

  /**
   * How much a locker tolerates.
   *
   * @param clockSkew how far the locker's clock may be from the cloud's, either way
   * @param maxLifetime longest {@code expiresAt - issuedAt} accepted; the replay cache need keep no
   *     command longer than this plus the skew
   * @param rateLimits per command type, at most {@code count} applied within {@code window}
   */
  public record Policy(
      Duration clockSkew, Duration maxLifetime, Map<String, RateLimit> rateLimits) {
    public Policy {
      Objects.requireNonNull(clockSkew, "clockSkew");
      Objects.requireNonNull(maxLifetime, "maxLifetime");
      rateLimits = Map.copyOf(rateLimits);
    }
  }

  /** At most {@code count} commands of a type applied within {@code window}. */
  public record RateLimit(int count, Duration window) {
    public RateLimit {
      if (count < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("a rate limit is a positive count in a positive window");
      }
    }
  }

  public CommandGate(String lockerId, CommandKeys keys, Policy policy) {
    this.lockerId = Objects.requireNonNull(lockerId, "lockerId");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** Checks {@code payload} at {@code now} against what {@code store} remembers. */
  public CommandVerdict check(byte[] payload, Instant now, LockerStore.Reader store) {
    if (payload.length > MAX_BYTES) {
      return malformed("the message is " + payload.length + " bytes, more than " + MAX_BYTES);
    }
    JsonNode envelope;
    try {
      envelope = JSON.readTree(payload);
    } catch (java.io.IOException | RuntimeException e) {
      return malformed("the message is not JSON");
    }
    if (envelope == null || !envelope.isObject()) {
      return malformed("the message is not a JSON object");
    }
    Optional<String> kid = text(envelope, "kid");
    Optional<String> body = text(envelope, "body");
    Optional<String> sig = text(envelope, "sig");
    if (kid.isEmpty() || body.isEmpty() || sig.isEmpty() || envelope.size() != 3) {
      return malformed("the envelope must have exactly kid, body and sig, as text");
    }
    Optional<PublicKey> key = keys.key(kid.get());
    if (key.isEmpty()) {
      return rejected(null, null, RejectReason.BAD_SIGNATURE, "unknown key id");
    }
    byte[] bodyBytes = body.get().getBytes(StandardCharsets.UTF_8);
    if (!verifies(key.get(), bodyBytes, sig.get())) {
      return rejected(null, null, RejectReason.BAD_SIGNATURE, "the signature does not verify");
    }
    return checkBody(bodyBytes, now, store);
  }

  private CommandVerdict checkBody(byte[] bodyBytes, Instant now, LockerStore.Reader store) {
    JsonNode body;
    try {
      body = JSON.readTree(bodyBytes);
    } catch (java.io.IOException | RuntimeException e) {
      return rejected(null, null, RejectReason.INVALID, "the signed body is not JSON");
    }
    if (body == null || !body.isObject()) {
      return rejected(null, null, RejectReason.INVALID, "the signed body is not a JSON object");
    }
    Optional<String> cmdId = text(body, "cmdId").filter(id -> CMD_ID.matcher(id).matches());
    Optional<String> type = text(body, "type");
    if (cmdId.isEmpty()) {
      return rejected(
          null, type.orElse(null), RejectReason.INVALID, "cmdId is missing or not an id");
    }
    if (!body.path("v").isInt() || body.path("v").intValue() != 1) {
      return rejected(cmdId.get(), type.orElse(null), RejectReason.INVALID, "v must be 1");
    }
    Optional<String> target = text(body, "lockerId");
    Optional<Instant> issued = instant(body, "issuedAt");
    Optional<Instant> expires = instant(body, "expiresAt");
    JsonNode data = body.path("data");
    if (type.isEmpty()
        || target.isEmpty()
        || issued.isEmpty()
        || expires.isEmpty()
        || !data.isObject()) {
      return rejected(
          cmdId.get(),
          type.orElse(null),
          RejectReason.INVALID,
          "lockerId, type, issuedAt, expiresAt (ISO-8601 instants) and data (an object) are"
              + " required");
    }
    String id = cmdId.get();
    String kind = type.get();
    if (!target.get().equals(lockerId)) {
      return rejected(id, kind, RejectReason.WRONG_LOCKER, "the command is for another locker");
    }
    if (now.isAfter(expires.get().plus(policy.clockSkew()))) {
      return rejected(id, kind, RejectReason.EXPIRED, "expired at " + expires.get());
    }
    if (issued.get().isAfter(now.plus(policy.clockSkew()))) {
      return rejected(
          id, kind, RejectReason.INVALID, "issued in the future (" + issued.get() + ")");
    }
    if (expires.get().isBefore(issued.get())
        || Duration.between(issued.get(), expires.get()).compareTo(policy.maxLifetime()) > 0) {
      return rejected(
          id,
          kind,
          RejectReason.INVALID,
          "its lifetime is not within 0 and " + policy.maxLifetime());
    }
    if (store.command(id).isPresent()) {
      return rejected(id, kind, RejectReason.REPLAYED, "already answered");
    }
    if (!TYPES.contains(kind)) {
      return rejected(id, kind, RejectReason.INVALID, "unknown command type");
    }
    RateLimit limit = policy.rateLimits().get(kind);
    if (limit != null
        && store.commandsSince(kind, LockerStore.CommandStatus.APPLIED, now.minus(limit.window()))
            >= limit.count()) {
      return rejected(
          id,
          kind,
          RejectReason.RATE_LIMITED,
          "more than " + limit.count() + " " + kind + " within " + limit.window());
    }
    Map<String, Object> values =
        JSON.convertValue(data, new TypeReference<Map<String, Object>>() {});
    return new CommandVerdict.Accepted(
        new Command(id, target.get(), kind, issued.get(), expires.get(), values));
  }

  private static boolean verifies(PublicKey key, byte[] body, String signature) {
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(body);
      return verifier.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? Optional.of(v.textValue()) : Optional.empty();
  }

  private static Optional<Instant> instant(JsonNode node, String field) {
    try {
      return text(node, field).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static CommandVerdict malformed(String detail) {
    return rejected(null, null, RejectReason.MALFORMED, detail);
  }

  private static CommandVerdict rejected(
      String cmdId, String type, RejectReason reason, String detail) {
    return new CommandVerdict.Rejected(
        Optional.ofNullable(cmdId), Optional.ofNullable(type), reason, detail);
  }

  /** Strict JSON: no duplicate keys (a second "lockerId" must not win), bounded nesting. */
  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    return mapper;
  }
}
