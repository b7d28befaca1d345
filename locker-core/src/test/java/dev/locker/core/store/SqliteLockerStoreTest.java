package dev.locker.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Size;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLockerStoreTest extends LockerStoreContract {
  @TempDir Path dir;

  @Override
  protected LockerStore newStore() {
    return SqliteLockerStore.open(dir.resolve("locker.db"), clock, "LCK-0001");
  }

  @Test
  void everythingCommittedIsThereAfterReopening() {
    store.transaction(
        tx -> {
          tx.save(Compartment.empty(CompartmentId.of("A01"), Size.S));
          tx.emit("x", Map.of());
          tx.audit("a", "b", "c", "d");
          return null;
        });
    store.close();
    store = newStore();
    assertThat(store.<List<Compartment>>read(r -> r.compartments())).hasSize(1);
    assertThat(store.<Long>read(r -> r.lastSeq())).isEqualTo(1);
    assertThat(((SqliteLockerStore) store).verifyAudit())
        .isEqualTo(new AuditChain.Verdict.Intact(1));
  }

  @Test
  void publishedEventsLeaveTheOutboxButTheSeqGoesOn() {
    for (int i = 0; i < 3; i++) {
      store.transaction(tx -> tx.emit("x", Map.of()));
    }
    ((SqliteLockerStore) store).removeFromOutbox(2);
    assertThat(store.<List<LockerStore.OutboxEvent>>read(r -> r.outbox(10)))
        .extracting(LockerStore.OutboxEvent::seq)
        .containsExactly(3L);
    store.transaction(tx -> tx.emit("y", Map.of()));
    assertThat(store.<Long>read(r -> r.lastSeq())).isEqualTo(4);
  }
}
