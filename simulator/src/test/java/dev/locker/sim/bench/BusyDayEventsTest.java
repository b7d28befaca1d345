package dev.locker.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;

/** The benchmark's events look like a busy locker's, and every round gets the same ones. */
class BusyDayEventsTest {
  private static final Instant DAY = Instant.parse("2026-11-22T08:00:00Z");

  private static List<BusyDayEvents.Event> take(long seed, int n) {
    BusyDayEvents events = new BusyDayEvents(seed, DAY);
    List<BusyDayEvents.Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(events.next());
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameEvents() {
    assertThat(take(7, 2_000)).isEqualTo(take(7, 2_000));
    assertThat(take(7, 2_000)).isNotEqualTo(take(8, 2_000));
  }

  @Test
  void depositsPickupsDoorsAndHealthAreMixedAsOnABusyDay() {
    Map<String, Integer> byType = new TreeMap<>();
    for (BusyDayEvents.Event event : take(1, 10_000)) {
      byType.merge(event.type(), 1, Integer::sum);
    }

    assertThat(byType)
        .containsOnlyKeys(
            "device.health", "door.closed", "door.opened", "parcel.deposited", "parcel.picked_up");
    int parcelEvents = byType.get("parcel.deposited") + byType.get("parcel.picked_up");
    // The last deposit or pickup may be cut off after its door events.
    assertThat(byType.get("door.opened")).isBetween(parcelEvents, parcelEvents + 1);
    assertThat(byType.get("device.health")).isBetween(100, 800);
  }

  @Test
  void aDepositedParcelCarriesTheContractsFieldsAndOnlyAMaskedPhone() {
    BusyDayEvents.Event deposited =
        take(3, 50).stream().filter(e -> e.type().equals("parcel.deposited")).findFirst().get();

    assertThat(deposited.data())
        .containsOnlyKeys(
            "parcelId",
            "tracking",
            "compartment",
            "size",
            "courierId",
            "pickupDeadline",
            "recipient");
    assertThat(deposited.data().get("recipient"))
        .asInstanceOf(MAP)
        .containsOnlyKeys("phoneMasked")
        .hasValueSatisfying(
            new Condition<>(v -> v.toString().matches("\\*{4}[0-9]{4}"), "****NNNN"));
    assertThat(Instant.parse((String) deposited.data().get("pickupDeadline"))).isAfter(DAY);
  }

  @Test
  void aCompartmentNeverHoldsTwoParcelsAndOnlyADepositedParcelIsPickedUp() {
    Map<String, String> occupant = new HashMap<>();
    for (BusyDayEvents.Event event : take(11, 20_000)) {
      String compartment = (String) event.data().get("compartment");
      String parcel = (String) event.data().get("parcelId");
      switch (event.type()) {
        case "parcel.deposited" ->
            assertThat(occupant.put(compartment, parcel)).as("occupant of " + compartment).isNull();
        case "parcel.picked_up" ->
            assertThat(occupant.remove(compartment))
                .as("occupant of " + compartment)
                .isEqualTo(parcel);
        default -> {}
      }
    }
  }
}
