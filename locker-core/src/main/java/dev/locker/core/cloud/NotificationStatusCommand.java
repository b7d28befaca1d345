package dev.locker.core.cloud;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Notification;
import dev.locker.core.domain.NotificationStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code notification.status} (contracts/mqtt.md): a delivery receipt for a notification the locker
 * requested. Data: {@code notificationId}, {@code status} ({@code delivered|failed}), {@code
 * detail?} (one line of at most 200 characters, kept with the notification, never copied into the
 * outcome: a gateway's words may name the recipient).
 *
 * <p>The status moves as {@link NotificationStatus} draws it. The same status again is applied and
 * changes nothing (the first receipt's detail stays); "failed" after "delivered" is {@code
 * invalid}; an id the locker never requested is {@code unknown_notification}. The e-mail fallback
 * of a failed SMS is issue 7's and not done here.
 */
public final class NotificationStatusCommand implements CommandHandler {
  private static final Set<String> KEYS = Set.of("notificationId", "status", "detail");

  @Override
  public CommandOutcome apply(Command command, LockerStore.Transaction tx, Instant now) {
    CommandData data = CommandData.of(command.data());
    data.onlyKeys(KEYS);
    Optional<String> id =
        data.text("notificationId", true)
            .filter(
                text -> {
                  if (!Notification.isId(text)) {
                    data.problem("notificationId", "must be 1 to 64 of A-Z a-z 0-9 . _ : -");
                    return false;
                  }
                  return true;
                });
    Optional<NotificationStatus.Receipt> receipt =
        data.text("status", true)
            .flatMap(
                text -> {
                  Optional<NotificationStatus.Receipt> r =
                      NotificationStatus.Receipt.fromWire(text);
                  if (r.isEmpty()) {
                    data.problem("status", "must be delivered or failed");
                  }
                  return r;
                });
    Optional<String> detail =
        data.text("detail", false)
            .filter(
                text -> {
                  if (!Notification.isDetail(text)) {
                    data.problem(
                        "detail",
                        "must be one line of at most " + Notification.MAX_DETAIL + " characters");
                    return false;
                  }
                  return true;
                });
    if (!data.ok() || id.isEmpty() || receipt.isEmpty()) {
      return new CommandOutcome.Rejected("invalid", String.join("; ", data.problems()));
    }
    Optional<Notification> known = tx.notification(id.get());
    if (known.isEmpty()) {
      return new CommandOutcome.Rejected(
          "unknown_notification", "no notification " + id.get() + " was requested here");
    }
    Notification before = known.get();
    Optional<NotificationStatus> next = before.status().on(receipt.get());
    if (next.isEmpty()) {
      return new CommandOutcome.Rejected(
          "invalid",
          "notification "
              + id.get()
              + " is "
              + word(before.status())
              + " and cannot become "
              + receipt.get().wire());
    }
    if (next.get() == before.status()) {
      return new CommandOutcome.Applied(
          "notification " + id.get() + " was already " + word(before.status()));
    }
    tx.recordNotification(before.after(receipt.get(), detail, now));
    return new CommandOutcome.Applied(
        "notification "
            + id.get()
            + " ("
            + before.kind().wire()
            + " by "
            + before.channel().wire()
            + "): "
            + word(before.status())
            + " -> "
            + word(next.get()));
  }

  private static String word(NotificationStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }
}
