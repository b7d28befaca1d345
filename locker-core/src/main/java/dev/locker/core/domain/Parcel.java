package dev.locker.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A parcel at this locker.
 *
 * <p>Recipient data is minimal: {@code recipientMasked} (last 4 digits, what screens and events
 * show) and {@code recipientContact} (the full number, needed only to notify; encrypted at rest and
 * purged after retention once the privacy issue lands).
 *
 * @param deadline when an uncollected parcel expires; set at deposit
 */
public record Parcel(
    ParcelId id,
    TrackingNumber tracking,
    Size size,
    ParcelState state,
    String recipientMasked,
    Optional<String> recipientContact,
    Optional<String> courierId,
    Optional<CompartmentId> compartment,
    Optional<Instant> depositedAt,
    Optional<Instant> deadline) {

  public Parcel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tracking, "tracking");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(recipientMasked, "recipientMasked");
    Objects.requireNonNull(recipientContact, "recipientContact");
    Objects.requireNonNull(courierId, "courierId");
    Objects.requireNonNull(compartment, "compartment");
    Objects.requireNonNull(depositedAt, "depositedAt");
    Objects.requireNonNull(deadline, "deadline");
  }

  /** A parcel a courier is about to put in (no pre-advice): EXPECTED until its door closes. */
  public static Parcel expected(
      ParcelId id, TrackingNumber tracking, Size size, RecipientPhone phone, String courierId) {
    return new Parcel(
        id,
        tracking,
        size,
        ParcelState.EXPECTED,
        phone.masked(),
        Optional.of(phone.value()),
        Optional.of(courierId),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public Parcel deposited(CompartmentId into, Instant at, Instant until) {
    return new Parcel(
        id,
        tracking,
        size,
        state.next(ParcelState.Event.DEPOSIT),
        recipientMasked,
        recipientContact,
        courierId,
        Optional.of(into),
        Optional.of(at),
        Optional.of(until));
  }

  public Parcel on(ParcelState.Event event) {
    return new Parcel(
        id,
        tracking,
        size,
        state.next(event),
        recipientMasked,
        recipientContact,
        courierId,
        compartment,
        depositedAt,
        deadline);
  }

  /** Never shows the recipient's contact: only its masked form, as logs and screens may. */
  @Override
  public String toString() {
    return "Parcel[id="
        + id
        + ", tracking="
        + tracking
        + ", size="
        + size
        + ", state="
        + state
        + ", recipient="
        + recipientMasked
        + ", courierId="
        + courierId.orElse("-")
        + ", compartment="
        + compartment.map(CompartmentId::value).orElse("-")
        + ", depositedAt="
        + depositedAt.map(Instant::toString).orElse("-")
        + ", deadline="
        + deadline.map(Instant::toString).orElse("-")
        + "]";
  }

  public boolean isOverdue(Instant now) {
    return state == ParcelState.DEPOSITED && deadline.map(now::isAfter).orElse(false);
  }
}
