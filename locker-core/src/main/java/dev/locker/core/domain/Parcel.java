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
 * @param tariff the storage fee in force at its deposit; none: its storage is free
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
    Advice advice,
    Optional<Tariff> tariff) {

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
    Objects.requireNonNull(tariff, "tariff");
  }

  /** A parcel whose storage is free (no tariff kept with it). */
  public Parcel(
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
    this(
        id,
        tracking,
        size,
        state,
        recipientMasked,
        recipientContact,
        courierId,
        compartment,
        depositedAt,
        deadline,
        advice,
        Optional.empty());
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
        Advice.NONE,
        Optional.empty());
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
        advice,
        Optional.empty());
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
        advice,
        tariff);
  }

  public Parcel deposited(CompartmentId into, Instant at, Instant until) {
    return deposited(into, at, until, Optional.empty());
  }

  /** Deposited into {@code into} at {@code at}, charged by {@code charged} from then on. */
  public Parcel deposited(CompartmentId into, Instant at, Instant until, Optional<Tariff> charged) {
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
        advice,
        charged);
  }

  /**
   * What the recipient owes at {@code now} for a parcel kept in a compartment of {@code
   * compartmentSize}: the storage fee of its tariff, and the cash on delivery of its pre-advice.
   */
  public Due due(Size compartmentSize, Instant now) {
    Optional<Money> storage =
        tariff
            .flatMap(t -> depositedAt.map(at -> t.fee(compartmentSize, at, now)))
            .filter(m -> m.amount() > 0);
    return new Due(storage, advice.cashOnDelivery().filter(m -> m.amount() > 0));
  }

  /**
   * What a recipient owes before the door opens: a storage fee and cash on delivery, each only when
   * there is one.
   */
  public record Due(Optional<Money> storage, Optional<Money> cashOnDelivery) {
    public Due {
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(cashOnDelivery, "cashOnDelivery");
    }

    public boolean isNothing() {
      return storage.isEmpty() && cashOnDelivery.isEmpty();
    }

    /**
     * The sum, when both are in one currency (a terminal charges one amount); empty when nothing is
     * owed or the currencies differ.
     */
    public Optional<Money> total() {
      if (storage.isPresent() && cashOnDelivery.isPresent()) {
        Money a = storage.get();
        Money b = cashOnDelivery.get();
        return a.currency().equals(b.currency())
            ? Optional.of(new Money(Math.addExact(a.amount(), b.amount()), a.currency()))
            : Optional.empty();
      }
      return storage.or(() -> cashOnDelivery);
    }
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
        advice,
        tariff);
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
