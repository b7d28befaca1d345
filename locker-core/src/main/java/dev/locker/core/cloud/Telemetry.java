package dev.locker.core.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.CloudLink;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.Size;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The locker's periodic report on {@code locker/v1/{id}/telemetry} (contracts/mqtt.md): device
 * health, outbox depth, free compartments by size, firmware. Nothing personal.
 *
 * <pre>
 * {"at":"…","firmware":"0.1.0","outbox":0,"acksWaiting":0,
 *  "free":{"S":3,"M":2,"L":1,"XL":0},"compartments":{"total":8,"outOfService":1,"faulty":0},
 *  "health":[{"device":"lockboard-1","state":"online","detail":"…"}],
 *  "link":{"reconnects":1},"unreadableCommands":0}
 * </pre>
 */
public final class Telemetry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LockerStore store;
  private final Supplier<Collection<DeviceHealth>> health;
  private final String firmware;
  private final Clock clock;
  private final LongSupplier unreadableCommands;

  public Telemetry(
      LockerStore store,
      Supplier<Collection<DeviceHealth>> health,
      String firmware,
      Clock clock,
      LongSupplier unreadableCommands) {
    this.store = Objects.requireNonNull(store, "store");
    this.health = Objects.requireNonNull(health, "health");
    this.firmware = Objects.requireNonNull(firmware, "firmware");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.unreadableCommands = Objects.requireNonNull(unreadableCommands, "unreadableCommands");
  }

  /** The report as it is now. */
  public byte[] report(CloudLink.Status link) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("at", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    out.put("firmware", firmware);
    List<Compartment> compartments =
        store.read(
            r -> {
              out.put("outbox", r.outboxSize());
              out.put("acksWaiting", r.pendingAcks(1000).size());
              return r.compartments();
            });
    Map<String, Object> free = new LinkedHashMap<>();
    for (Size size : Size.values()) {
      free.put(
          size.name(),
          compartments.stream().filter(c -> c.size() == size && c.isAllocatable()).count());
    }
    out.put("free", free);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("total", compartments.size());
    counts.put("outOfService", compartments.stream().filter(c -> !c.inService()).count());
    counts.put("faulty", compartments.stream().filter(c -> c.fault().isPresent()).count());
    out.put("compartments", counts);
    List<Map<String, Object>> devices = new ArrayList<>();
    for (DeviceHealth h : health.get()) {
      Map<String, Object> device = new LinkedHashMap<>();
      device.put("device", h.device());
      device.put("state", h.state().name().toLowerCase(Locale.ROOT));
      device.put("detail", h.detail());
      devices.add(device);
    }
    out.put("health", devices);
    out.put("link", Map.of("reconnects", link.reconnects()));
    out.put("unreadableCommands", unreadableCommands.getAsLong());
    try {
      return JSON.writeValueAsString(out).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("telemetry of plain values always serialises", e);
    }
  }
}
