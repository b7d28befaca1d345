package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompartmentTest {
  private static final CompartmentId A07 = CompartmentId.of("A07");

  @Test
  void anEmptyCompartmentIsFreeClosedInServiceAndAllocatable() {
    Compartment c = Compartment.empty(A07, Size.M);

    assertThat(c.state()).isEqualTo(CompartmentState.FREE);
    assertThat(c.door()).isEqualTo(DoorPhase.CLOSED);
    assertThat(c.parcel()).isEmpty();
    assertThat(c.inService()).isTrue();
    assertThat(c.fault()).isEmpty();
    assertThat(c.isAllocatable()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = CompartmentState.class, names = "FREE", mode = EnumSource.Mode.EXCLUDE)
  void aCompartmentThatIsNotFreeIsNotAllocatable(CompartmentState state) {
    assertThat(Compartment.empty(A07, Size.S).withState(state).isAllocatable()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = DoorPhase.class, names = "CLOSED", mode = EnumSource.Mode.EXCLUDE)
  void aCompartmentWhoseDoorIsNotClosedIsNotAllocatable(DoorPhase door) {
    Compartment c =
        new Compartment(
            A07, Size.S, CompartmentState.FREE, door, Optional.empty(), true, Optional.empty());

    assertThat(c.isAllocatable()).isFalse();
  }

  @Test
  void aCompartmentOutOfServiceIsNotAllocatableUntilItIsBackInService() {
    Compartment out = Compartment.empty(A07, Size.S).inService(false);

    assertThat(out.isAllocatable()).isFalse();
    assertThat(out.inService(true).isAllocatable()).isTrue();
  }

  @Test
  void aFaultyCompartmentIsNotAllocatableUntilTheFaultIsCleared() {
    Compartment faulty = Compartment.empty(A07, Size.S).faulty("latch reads locked after unlock");

    assertThat(faulty.fault()).contains("latch reads locked after unlock");
    assertThat(faulty.isAllocatable()).isFalse();
    assertThat(faulty.faultCleared().isAllocatable()).isTrue();
  }

  @Test
  void onlyFreeClosedInServiceAndFaultlessTogetherMakeAllocatable() {
    int allocatable = 0;
    for (CompartmentState state : CompartmentState.values()) {
      for (DoorPhase door : DoorPhase.values()) {
        for (boolean inService : new boolean[] {true, false}) {
          for (Optional<String> fault :
              java.util.List.of(Optional.<String>empty(), Optional.of("x"))) {
            Compartment c =
                new Compartment(A07, Size.L, state, door, Optional.empty(), inService, fault);
            boolean expected =
                state == CompartmentState.FREE
                    && door == DoorPhase.CLOSED
                    && inService
                    && fault.isEmpty();
            assertThat(c.isAllocatable()).as("%s", c).isEqualTo(expected);
            allocatable += c.isAllocatable() ? 1 : 0;
          }
        }
      }
    }
    assertThat(allocatable).isEqualTo(1);
  }

  @Test
  void eventsMoveOnlyTheirOwnMachineAndKeepEverythingElse() {
    ParcelId parcel = new ParcelId("p-1");
    Compartment occupied =
        new Compartment(
            A07,
            Size.XL,
            CompartmentState.OCCUPIED,
            DoorPhase.CLOSED,
            Optional.of(parcel),
            false,
            Optional.of("sensor flaky"));

    Compartment released =
        occupied.on(CompartmentState.Event.RELEASE).on(DoorPhase.Event.AUTHORISE);

    assertThat(released)
        .isEqualTo(
            new Compartment(
                A07,
                Size.XL,
                CompartmentState.RELEASING,
                DoorPhase.RELEASED,
                Optional.of(parcel),
                false,
                Optional.of("sensor flaky")));
    assertThat(occupied.state()).as("values do not change").isEqualTo(CompartmentState.OCCUPIED);
  }

  @Test
  void anIllegalEventOnACompartmentIsRefused() {
    Compartment free = Compartment.empty(A07, Size.S);

    assertThatThrownBy(() -> free.on(CompartmentState.Event.RELEASE))
        .isInstanceOf(IllegalTransition.class);
    assertThatThrownBy(() -> free.on(DoorPhase.Event.SENSOR_CLOSED))
        .isInstanceOf(IllegalTransition.class);
  }

  @Test
  void holdingAndEmptiedSetAndClearTheParcel() {
    ParcelId parcel = new ParcelId("p-2");
    Compartment holding = Compartment.empty(A07, Size.S).holding(parcel);

    assertThat(holding.parcel()).contains(parcel);
    assertThat(holding.emptied().parcel()).isEmpty();
  }

  @Test
  void everyComponentIsRequired() {
    assertThatThrownBy(
            () ->
                new Compartment(
                    A07,
                    Size.S,
                    CompartmentState.FREE,
                    DoorPhase.CLOSED,
                    null,
                    true,
                    Optional.empty()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("parcel");
    assertThatThrownBy(() -> Compartment.empty(null, Size.S))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Compartment.empty(A07, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void compartmentIdsAreOneToEightLettersOrDigits() {
    assertThat(CompartmentId.of("A").value()).isEqualTo("A");
    assertThat(CompartmentId.of("Ab123456")).hasToString("Ab123456");
    for (String bad : new String[] {"", "A123456789", "A-07", "A 07", "Ä07"}) {
      assertThatThrownBy(() -> CompartmentId.of(bad))
          .as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(CompartmentId.of("A02")).isGreaterThan(CompartmentId.of("A01"));
  }
}
