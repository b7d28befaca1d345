package dev.locker.core.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * One compartment as the locker knows it: its occupancy ({@link CompartmentState}), what it
 * believes about its door ({@link DoorPhase}), the parcel inside, and two flags that take it out of
 * allocation: out of service (a technician's or the cloud's decision) and a fault (the locker's own
 * finding, such as a lock that would not release). Immutable: transitions return a new value.
 */
public record Compartment(
    CompartmentId id,
    Size size,
    CompartmentState state,
    DoorPhase door,
    Optional<ParcelId> parcel,
    boolean inService,
    Optional<String> fault) {

  public Compartment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(door, "door");
    Objects.requireNonNull(parcel, "parcel");
    Objects.requireNonNull(fault, "fault");
  }

  /** A new, empty, closed compartment in service. */
  public static Compartment empty(CompartmentId id, Size size) {
    return new Compartment(
        id,
        size,
        CompartmentState.FREE,
        DoorPhase.CLOSED,
        Optional.empty(),
        true,
        Optional.empty());
  }

  /** Free, closed, in service and without fault: a deposit may use it. */
  public boolean isAllocatable() {
    return state == CompartmentState.FREE
        && door == DoorPhase.CLOSED
        && inService
        && fault.isEmpty();
  }

  public Compartment on(CompartmentState.Event event) {
    return withState(state.next(event));
  }

  public Compartment on(DoorPhase.Event event) {
    return new Compartment(id, size, state, door.next(event), parcel, inService, fault);
  }

  public Compartment withState(CompartmentState next) {
    return new Compartment(id, size, next, door, parcel, inService, fault);
  }

  public Compartment holding(ParcelId parcelId) {
    return new Compartment(id, size, state, door, Optional.of(parcelId), inService, fault);
  }

  public Compartment emptied() {
    return new Compartment(id, size, state, door, Optional.empty(), inService, fault);
  }

  public Compartment faulty(String reason) {
    return new Compartment(id, size, state, door, parcel, inService, Optional.of(reason));
  }

  public Compartment faultCleared() {
    return new Compartment(id, size, state, door, parcel, inService, Optional.empty());
  }

  public Compartment inService(boolean value) {
    return new Compartment(id, size, state, door, parcel, value, fault);
  }
}
