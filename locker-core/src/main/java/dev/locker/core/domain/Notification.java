package dev.locker.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A message the locker asked the cloud to send ({@code notification.requested}) and what the
 * delivery receipts said of it since. The recipient's address is not kept here: it travels once, in
 * the event, and leaves the outbox on PUBACK.
 *
 * @param id the event's {@code notificationId}; receipts name it
 * @param detail the last receipt's detail (at most 200 characters, one line), if any
 * @param updatedAt when the status last changed (the request time until a receipt arrives)
 */
public record Notification(
    String id,
    ParcelId parcel,
    Kind kind,
    Channel channel,
    NotificationStatus status,
    Optional<String> detail,
    Instant requestedAt,
    Instant updatedAt) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** The longest receipt detail kept. */
  public static final int MAX_DETAIL = 200;

  /** Why the recipient is told (contracts/mqtt.md {@code kind}). */
  public enum Kind {
    ARRIVAL("arrival"),
    REMINDER("reminder"),
    EXPIRY("expiry");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Optional<Kind> fromWire(String text) {
      for (Kind kind : values()) {
        if (kind.wire.equals(text)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }
  }

  /** How the recipient is told (contracts/mqtt.md {@code channel}). */
  public enum Channel {
    SMS("sms"),
    EMAIL("email");

    private final String wire;

    Channel(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Optional<Channel> fromWire(String text) {
      for (Channel channel : values()) {
        if (channel.wire.equals(text)) {
          return Optional.of(channel);
        }
      }
      return Optional.empty();
    }
  }

  public Notification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(parcel, "parcel");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (!isId(id)) {
      throw new IllegalArgumentException("a notification id is 1 to 64 of A-Z a-z 0-9 . _ : -");
    }
    if (detail.isPresent() && !isDetail(detail.get())) {
      throw new IllegalArgumentException("a receipt detail is one line of at most 200 characters");
    }
  }

  /** A notification just requested: no receipt yet. */
  public static Notification requested(
      String id, ParcelId parcel, Kind kind, Channel channel, Instant at) {
    return new Notification(
        id, parcel, kind, channel, NotificationStatus.REQUESTED, Optional.empty(), at, at);
  }

  /**
   * This notification after {@code receipt}; the same status again returns it unchanged. Throws
   * {@link IllegalTransition} for a receipt its status refuses (check {@link NotificationStatus#on}
   * first).
   */
  public Notification after(
      NotificationStatus.Receipt receipt, Optional<String> receiptDetail, Instant at) {
    NotificationStatus next = status.next(receipt);
    if (next == status) {
      return this;
    }
    return new Notification(id, parcel, kind, channel, next, receiptDetail, requestedAt, at);
  }

  /** True when {@code text} is a notification id: 1 to 64 of {@code A-Z a-z 0-9 . _ : -}. */
  public static boolean isId(String text) {
    return text != null && ID.matcher(text).matches();
  }

  /**
   * True when {@code text} is one line of at most 200 characters: no control characters, no line or
   * paragraph separators, no unpaired surrogates.
   */
  public static boolean isDetail(String text) {
    return text != null
        && text.length() <= MAX_DETAIL
        && text.codePoints()
            .noneMatch(
                cp ->
                    Character.isISOControl(cp)
                        || Character.getType(cp) == Character.LINE_SEPARATOR
                        || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
                        || Character.getType(cp) == Character.SURROGATE);
  }
}
