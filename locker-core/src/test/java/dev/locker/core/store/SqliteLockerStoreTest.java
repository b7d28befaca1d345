package dev.locker.core.store;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.testing.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store, on a real file, passes the store contract. */
class SqliteLockerStoreTest extends LockerStoreContract {
  @TempDir Path dir;

  @Override
  protected LockerStore newStore(ManualClock clock) {
    return SqliteLockerStore.open(dir.resolve("locker.db"), clock, LOCKER_ID);
  }
}
