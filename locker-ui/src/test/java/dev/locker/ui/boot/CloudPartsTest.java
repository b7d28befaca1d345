package dev.locker.ui.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.locker.core.cloud.CommandGate;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command type of the contract has a way to be applied. */
class CloudPartsTest {
  @Test
  void everyCommandTypeOfTheContractIsHandled() {
    Set<String> handled = new HashSet<>(CloudParts.handlers(null, Clock.systemUTC()).keySet());
    // These two go through the locker's own flows (CommandProcessor).
    handled.add("compartment.open");
    handled.add("compartment.service");

    assertThat(handled).containsExactlyInAnyOrderElementsOf(CommandGate.TYPES);
  }

  private static LockerConfig.Cloud tls(Path folder) {
    return new LockerConfig.Cloud(
        "ssl://broker.example.test:8883",
        false,
        Optional.of(folder.resolve("ca.pem")),
        Optional.of(folder.resolve("locker.pem")),
        Optional.of(folder.resolve("locker.key")),
        Duration.ofSeconds(60),
        Duration.ofMinutes(2),
        Duration.ofHours(24),
        Map.of(),
        3,
        Duration.ofMinutes(10));
  }

  @Test
  void tlsFilesThatCannotBeUsedLeaveTheLockerOfflineAndSayWhy(@TempDir Path folder) {
    LockerConfig.Cloud cloud = tls(folder);
    assertThatThrownBy(() -> LockerParts.pahoLink("LCK-0001", cloud, Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ca.pem");

    List<DeviceHealth> reported = new ArrayList<>();
    HealthRelay health = new HealthRelay(reported::add);
    CloudParts parts =
        new CloudParts(cloud, (id, c) -> LockerParts.pahoLink(id, c, Clock.systemUTC()));

    assertThat(parts.start("LCK-0001", null, null, null, health, Clock.systemUTC())).isEmpty();
    assertThat(reported)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.device()).isEqualTo("cloud");
              assertThat(h.state()).isEqualTo(HealthState.OFFLINE);
              assertThat(h.detail()).contains("ca.pem");
            });
  }

  @Test
  void theSimulatorsBrokerIsPlainTcpWhateverTheProfileSaid(@TempDir Path folder) {
    LockerConfig.Cloud redirected =
        new CloudParts(tls(folder), (id, c) -> null).withBroker("tcp://127.0.0.1:1999").config();

    assertThat(redirected.brokerUrl()).isEqualTo("tcp://127.0.0.1:1999");
    assertThat(redirected.insecurePlaintext()).isTrue();
    assertThat(redirected.caFile()).isEmpty();
  }
}
