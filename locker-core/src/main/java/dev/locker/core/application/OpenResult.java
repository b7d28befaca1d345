package dev.locker.core.application;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.ParcelId;
import java.util.Optional;

/** What opening a compartment for a technician or a signed cloud command came to. */
public sealed interface OpenResult {

  /**
   * The door opened. {@code released} names the parcel handed over by a remote open of an occupied
   * compartment (its pickup is recorded with method {@code remote}).
   */
  record Opened(CompartmentId compartment, Optional<ParcelId> released) implements OpenResult {}

  /** No compartment has this id. */
  record NoSuchCompartment(String compartment) implements OpenResult {}

  /** A flow is using the compartment, or its door is not closed: nothing was sent to the lock. */
  record Busy(CompartmentId compartment, String why) implements OpenResult {}

  /** The request lacks a usable reason: every opening is explained. */
  record MissingReason(String problem) implements OpenResult {}

  /** The parcel inside has expired: it goes back with a courier, not out by a remote open. */
  record ParcelExpired(CompartmentId compartment) implements OpenResult {}

  /** The lock was driven but the door was not seen open; the compartment is marked faulty. */
  record DidNotOpen(CompartmentId compartment, String detail) implements OpenResult {}
}
