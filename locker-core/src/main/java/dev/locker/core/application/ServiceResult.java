package dev.locker.core.application;

import dev.locker.core.domain.CompartmentId;

/** What taking a compartment out of service, or putting it back, came to. */
public sealed interface ServiceResult {

  /** Done: the compartment is now in service, or out of it. */
  record Changed(CompartmentId compartment, boolean inService) implements ServiceResult {}

  /** The compartment already was as asked; nothing was recorded. */
  record Unchanged(CompartmentId compartment, boolean inService) implements ServiceResult {}

  /** No compartment has this id. */
  record NoSuchCompartment(String compartment) implements ServiceResult {}

  /** The request lacks a usable reason: every change of service is explained. */
  record MissingReason(String problem) implements ServiceResult {}
}
