package dev.locker.core.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Credential;
import dev.locker.core.domain.Notification;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.store.InMemoryLockerStore;
import dev.locker.core.store.SqliteLockerStore;
import dev.locker.core.testing.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store and a way to hand a command's data to a handler, as the command processor will: inside
 * one transaction, with the locker's clock. {@link #state()} is everything a handler may change.
 */
final class HandlerFixture implements AutoCloseable {
  static final String LOCKER = "LCK-0001";
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00.125Z");

  final ManualClock clock = new ManualClock(NOW);
  final LockerStore store;
  private final List<ParcelId> parcels = new ArrayList<>();
  private int commands;

  private HandlerFixture(java.util.function.Function<ManualClock, LockerStore> open) {
    this.store = open.apply(clock);
  }

  static HandlerFixture sqlite(Path dir) {
    return new HandlerFixture(c -> SqliteLockerStore.open(dir.resolve("locker.db"), c, LOCKER));
  }

  static HandlerFixture inMemory() {
    return new HandlerFixture(c -> new InMemoryLockerStore(c, LOCKER));
  }

  /** Runs {@code handler} on a fresh command of {@code type} carrying {@code data}. */
  CommandOutcome apply(CommandHandler handler, String type, Map<String, Object> data) {
    Command command =
        new Command(
            "cmd-" + ++commands,
            LOCKER,
            type,
            clock.instant().minusSeconds(5),
            clock.instant().plusSeconds(300),
            data);
    return store.transaction(tx -> handler.apply(command, tx, clock.instant()));
  }

  /** An expected parcel, so that notifications about it may be recorded. */
  ParcelId givenParcel(String id) {
    ParcelId parcel = new ParcelId(id);
    store.transaction(
        tx -> {
          tx.save(
              new Parcel(
                  parcel,
                  new TrackingNumber("T-" + id),
                  Size.S,
                  ParcelState.EXPECTED,
                  "****0000",
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Parcel.Advice.NONE));
          return null;
        });
    parcels.add(parcel);
    return parcel;
  }

  /** A notification requested now about {@code parcel}. */
  Notification givenNotification(String id, ParcelId parcel) {
    Notification requested =
        Notification.requested(
            id, parcel, Notification.Kind.ARRIVAL, Notification.Channel.SMS, clock.instant());
    store.transaction(
        tx -> {
          tx.recordNotification(requested);
          return null;
        });
    return store.read(r -> r.notification(id)).orElseThrow();
  }

  /** What the four handlers may write, and the outbox and audit log they must leave alone. */
  record State(
      List<Credential> couriers,
      List<Credential> technicians,
      List<List<Notification>> notifications,
      Map<String, String> settings,
      long auditSize,
      long lastSeq) {}

  State state() {
    return store.read(
        r -> {
          List<List<Notification>> notifications = new ArrayList<>();
          for (ParcelId parcel : parcels) {
            notifications.add(r.notifications(parcel));
          }
          return new State(
              r.credentials(Credential.Role.COURIER),
              r.credentials(Credential.Role.TECHNICIAN),
              notifications,
              r.settings(),
              r.auditSize(),
              r.lastSeq());
        });
  }

  /** An outcome the ack can carry: applied, or rejected with a snake_case reason. */
  static void assertWellFormed(CommandOutcome outcome, String context) {
    assertThat(outcome).as(context).isNotInstanceOf(CommandOutcome.Failed.class);
    if (outcome instanceof CommandOutcome.Rejected rejected) {
      assertThat(rejected.reason()).as(context).matches("[a-z]+(_[a-z]+)*");
      assertThat(rejected.detail()).as(context).isNotBlank();
    } else {
      assertThat(((CommandOutcome.Applied) outcome).detail()).as(context).isNotBlank();
    }
  }

  static String detail(CommandOutcome outcome) {
    if (outcome instanceof CommandOutcome.Applied a) {
      return a.detail();
    }
    if (outcome instanceof CommandOutcome.Rejected r) {
      return r.detail();
    }
    return ((CommandOutcome.Failed) outcome).detail();
  }

  @Override
  public void close() {
    store.close();
  }
}
