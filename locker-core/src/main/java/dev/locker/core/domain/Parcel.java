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
    Optional<Instant> deadline,
    Advice advice) {

  /**
   * What the cloud's pre-advice adds to a parcel (contracts/mqtt.md {@code parcel.expect}): the
   * recipient's e-mail, a cash-on-delivery amount to collect at pickup, the recipient's language
   * ({@code zh-Hans}, {@code zh-Hant} or {@code en}) and the channels the recipient accepts. A
   * parcel with no pre-advice has {@link #NONE}.
   */
  public record Advice(
      Optional<String> email,
      Optional<Money> cashOnDelivery,
      Optional<String> language,
      boolean notifySms,
      boolean notifyEmail) {
    public static final Advice NONE =
        new Advice(Optional.empty(), Optional.empty(), Optional.empty(), true, true);

    public Advice {
      Objects.requireNonNull(email, "email");
      Objects.requireNonNull(cashOnDelivery, "cashOnDelivery");
      Objects.requireNonNull(language, "language");
    }

    /** Never shows the e-mail address. */
    @Override
    public String toString() {
      return "Advice[email="
          + (email.isPresent() ? "yes" : "no")
          + ", cod="
          + cashOnDelivery.map(m -> m.amount() + " " + m.currency()).orElse("-")
          + ", language="
          + language.orElse("-")
          + ", sms="
          + notifySms
          + ", email="
          + notifyEmail
          + "]";
    }
  }

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
    Objects.requireNonNull(advice, "advice");
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
        Optional.empty(),
        Advice.NONE);
  }

  /**
   * A parcel the cloud announced (contracts/mqtt.md {@code parcel.expect}): EXPECTED, with no
   * courier yet, until a courier's scan finds it.
   */
  public static Parcel preAdvised(
      ParcelId id, TrackingNumber tracking, Size size, RecipientPhone phone, Advice advice) {
    return new Parcel(
        id,
        tracking,
        size,
        ParcelState.EXPECTED,
        phone.masked(),
        Optional.of(phone.value()),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        advice);
  }

  /** The same parcel in the hands of courier {@code id} (a pre-advice being deposited). */
  public Parcel withCourier(String id) {
    return new Parcel(
        this.id,
        tracking,
        size,
        state,
        recipientMasked,
        recipientContact,
        Optional.of(id),
        compartment,
        depositedAt,
        deadline,
        advice);
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
        Optional.of(until),
        advice);
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
        deadline,
        advice);
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
        + ", advice="
        + advice
        + "]";
  }

  public boolean isOverdue(Instant now) {
    return state == ParcelState.DEPOSITED && deadline.map(now::isAfter).orElse(false);
  }
}
