package dev.locker.core.store;

import dev.locker.core.application.port.LockerStore;

class InMemoryLockerStoreTest extends LockerStoreContract {
  @Override
  protected LockerStore newStore() {
    return new InMemoryLockerStore(clock, "LCK-0001");
  }
}
