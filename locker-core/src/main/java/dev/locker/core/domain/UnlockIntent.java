package dev.locker.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The committed reason for one door opening (see {@link IntentState}). {@code id} rises by one per
 * intent; {@code parcel} names the parcel a deposit or pickup is about.
 */
public record UnlockIntent(
    long id,
    CompartmentId compartment,
    OpeningReason reason,
    Optional<ParcelId> parcel,
    String actor,
    IntentState state,
    Instant createdAt,
    Optional<String> failure) {

  public UnlockIntent {
    Objects.requireNonNull(compartment, "compartment");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(parcel, "parcel");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(failure, "failure");
  }

  public UnlockIntent on(IntentState.Event event) {
    return new UnlockIntent(
        id, compartment, reason, parcel, actor, state.next(event), createdAt, failure);
  }

  public UnlockIntent failed(String why) {
    return new UnlockIntent(
        id,
        compartment,
        reason,
        parcel,
        actor,
        state.next(IntentState.Event.FAIL),
        createdAt,
        Optional.of(why));
  }
}
