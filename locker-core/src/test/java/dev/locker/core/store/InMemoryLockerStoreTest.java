package dev.locker.core.store;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.testing.ManualClock;

/** The in-memory twin passes the store contract. */
class InMemoryLockerStoreTest extends LockerStoreContract {
  @Override
  protected LockerStore newStore(ManualClock clock) {
    return new InMemoryLockerStore(clock, LOCKER_ID);
  }
}
