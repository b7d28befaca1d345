package dev.locker.core.domain;

/**
 * A state machine was asked for a transition its table does not have. This is a programming error
 * (the application checks the state before acting), never a business outcome.
 */
public final class IllegalTransition extends IllegalStateException {
  public IllegalTransition(String machine, Enum<?> from, Enum<?> event) {
    super(machine + ": no transition from " + from + " on " + event);
  }
}
