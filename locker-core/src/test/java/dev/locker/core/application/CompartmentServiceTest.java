package dev.locker.core.application;

import static dev.locker.core.testing.LockerAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Size;
import dev.locker.core.testing.TestLocker;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A technician or the cloud takes compartments out of service and puts them back, on both stores.
 */
class CompartmentServiceTest {
  private static final CompartmentId A01 = CompartmentId.of("A01");

  @TempDir Path dir;
  private TestLocker locker;

  static Stream<Function<Path, TestLocker>> stores() {
    return LockerScenarioTest.stores();
  }

  @AfterEach
  void tearDown() {
    if (locker != null) {
      locker.close();
    }
  }

  private JsonNode lastEvent() {
    List<JsonNode> events = locker.events();
    return events.get(events.size() - 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aCompartmentOutOfServiceIsPassedOverAndReportedWithItsReason(
      Function<Path, TestLocker> store) {
    locker = store.apply(dir);

    ServiceResult result =
        locker.locker().setInService("A01", false, "door hinge bent", "technician-4");

    assertThat(result).isEqualTo(new ServiceResult.Changed(A01, false));
    assertThat(locker).compartment("A01").isOutOfService().isFree();
    JsonNode event = lastEvent();
    assertThat(event.get("type").asText()).isEqualTo("compartment.out_of_service");
    assertThat(event.get("data").get("compartment").asText()).isEqualTo("A01");
    assertThat(event.get("data").get("reason").asText()).isEqualTo("door hinge bent");
    DepositResult deposit = locker.deposit("SVC001", Size.S);
    assertThat(((DepositResult.Opened) deposit).compartment()).isEqualTo(CompartmentId.of("A02"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void puttingAFaultyCompartmentBackClearsTheFaultAndItIsUsedAgain(
      Function<Path, TestLocker> store) {
    locker = store.apply(dir);
    locker.locks.jam(A01);
    locker.deposit("JAM001", Size.S); // A01 does not open: faulty, A02 is used
    assertThat(locker).compartment("A01").isFaulty();
    locker.locks.unjam(A01);

    assertThat(locker.locker().setInService("A01", true, "lock replaced", "technician-4"))
        .isEqualTo(new ServiceResult.Changed(A01, true));

    assertThat(locker).compartment("A01").isInService().isNotFaulty();
    assertThat(lastEvent().get("type").asText()).isEqualTo("compartment.in_service");
    DepositResult next = locker.deposit("SVC002", Size.S);
    assertThat(((DepositResult.Opened) next).compartment()).isEqualTo(A01);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void anOccupiedCompartmentTakenOutOfServiceStillHandsOverItsParcel(
      Function<Path, TestLocker> store) {
    locker = store.apply(dir);
    String code = locker.depositAndClose("SVC003", Size.S);

    locker.locker().setInService("A01", false, "sensor flickers", "cloud");

    assertThat(locker).compartment("A01").isOutOfService().isOccupied();
    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.Opened.class);
    locker.closeDoor("A01");
    assertThat(locker).compartment("A01").isFree().isOutOfService();
    DepositResult next = locker.deposit("SVC004", Size.S);
    assertThat(((DepositResult.Opened) next).compartment()).isNotEqualTo(A01);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void requestsThatChangeNothingOrLackAReasonAreAnsweredAndRecordNothing(
      Function<Path, TestLocker> store) {
    locker = store.apply(dir);
    int events = locker.events().size();

    assertThat(locker.locker().setInService("A01", true, "just checking", "technician-4"))
        .isEqualTo(new ServiceResult.Unchanged(A01, true));
    assertThat(locker.locker().setInService("Z99", false, "no such door", "technician-4"))
        .isEqualTo(new ServiceResult.NoSuchCompartment("Z99"));
    assertThat(locker.locker().setInService("../A01", false, "path", "technician-4"))
        .isEqualTo(new ServiceResult.NoSuchCompartment("../A01"));
    assertThat(locker.locker().setInService("A01", false, "  ", "technician-4"))
        .isEqualTo(new ServiceResult.MissingReason("a reason is required"));
    assertThat(locker.locker().setInService("A01", false, null, "technician-4"))
        .isEqualTo(new ServiceResult.MissingReason("a reason is required"));
    assertThat(locker.locker().setInService("A01", false, "two\nlines", "technician-4"))
        .isInstanceOf(ServiceResult.MissingReason.class);
    assertThat(locker.locker().setInService("A01", false, "x".repeat(201), "technician-4"))
        .isInstanceOf(ServiceResult.MissingReason.class);

    assertThat(locker.events()).hasSize(events);
    assertThat(locker).compartment("A01").isInService();
  }
}
