package dev.locker.ui.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.cloud.CommandGate;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every command type of the contract has a way to be applied. */
class CloudPartsTest {
  @Test
  void everyCommandTypeOfTheContractIsHandled() {
    Set<String> handled = new HashSet<>(CloudParts.handlers().keySet());
    // These two go through the locker's own flows (CommandProcessor).
    handled.add("compartment.open");
    handled.add("compartment.service");

    assertThat(handled).containsExactlyInAnyOrderElementsOf(CommandGate.TYPES);
  }
}
