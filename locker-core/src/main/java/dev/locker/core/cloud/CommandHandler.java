package dev.locker.core.cloud;

import dev.locker.core.application.port.LockerStore;
import java.time.Instant;

/**
 * Carries out one type of accepted command inside the transaction that also records it in the
 * replay cache and queues its ack, so that a command's effect and "this cmdId was answered" commit
 * together or not at all.
 *
 * <p>A handler checks every field of {@link Command#data()} before it writes anything: when it
 * returns {@link CommandOutcome.Rejected} nothing may have been written. It runs on the locker loop
 * (the single writer); it never throws for what the cloud sent, only for a broken store.
 */
@FunctionalInterface
public interface CommandHandler {
  CommandOutcome apply(Command command, LockerStore.Transaction tx, Instant now);
}
