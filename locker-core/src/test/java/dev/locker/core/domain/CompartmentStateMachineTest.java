package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CompartmentState}, edge by edge as drawn in its Javadoc, and every pair it must refuse.
 */
class CompartmentStateMachineTest {

  @Test
  void Free_Reserve_Reserved() {
    assertThat(CompartmentState.FREE.on(CompartmentState.Event.RESERVE))
        .hasValue(CompartmentState.RESERVED);
    assertThat(CompartmentState.FREE.next(CompartmentState.Event.RESERVE))
        .isEqualTo(CompartmentState.RESERVED);
  }

  @Test
  void Reserved_DoorOpened_Loading() {
    assertThat(CompartmentState.RESERVED.on(CompartmentState.Event.DOOR_OPENED))
        .hasValue(CompartmentState.LOADING);
    assertThat(CompartmentState.RESERVED.next(CompartmentState.Event.DOOR_OPENED))
        .isEqualTo(CompartmentState.LOADING);
  }

  @Test
  void Reserved_UnlockFailed_Free() {
    assertThat(CompartmentState.RESERVED.on(CompartmentState.Event.UNLOCK_FAILED))
        .hasValue(CompartmentState.FREE);
    assertThat(CompartmentState.RESERVED.next(CompartmentState.Event.UNLOCK_FAILED))
        .isEqualTo(CompartmentState.FREE);
  }

  @Test
  void Loading_DoorClosed_Occupied() {
    assertThat(CompartmentState.LOADING.on(CompartmentState.Event.DOOR_CLOSED))
        .hasValue(CompartmentState.OCCUPIED);
    assertThat(CompartmentState.LOADING.next(CompartmentState.Event.DOOR_CLOSED))
        .isEqualTo(CompartmentState.OCCUPIED);
  }

  @Test
  void Occupied_Release_Releasing() {
    assertThat(CompartmentState.OCCUPIED.on(CompartmentState.Event.RELEASE))
        .hasValue(CompartmentState.RELEASING);
    assertThat(CompartmentState.OCCUPIED.next(CompartmentState.Event.RELEASE))
        .isEqualTo(CompartmentState.RELEASING);
  }

  @Test
  void Releasing_DoorOpened_Emptying() {
    assertThat(CompartmentState.RELEASING.on(CompartmentState.Event.DOOR_OPENED))
        .hasValue(CompartmentState.EMPTYING);
    assertThat(CompartmentState.RELEASING.next(CompartmentState.Event.DOOR_OPENED))
        .isEqualTo(CompartmentState.EMPTYING);
  }

  @Test
  void Releasing_UnlockFailed_Occupied() {
    assertThat(CompartmentState.RELEASING.on(CompartmentState.Event.UNLOCK_FAILED))
        .hasValue(CompartmentState.OCCUPIED);
    assertThat(CompartmentState.RELEASING.next(CompartmentState.Event.UNLOCK_FAILED))
        .isEqualTo(CompartmentState.OCCUPIED);
  }

  @Test
  void Emptying_DoorClosed_Free() {
    assertThat(CompartmentState.EMPTYING.on(CompartmentState.Event.DOOR_CLOSED))
        .hasValue(CompartmentState.FREE);
    assertThat(CompartmentState.EMPTYING.next(CompartmentState.Event.DOOR_CLOSED))
        .isEqualTo(CompartmentState.FREE);
  }

  static Stream<Arguments> illegalPairs() {
    return StateMachineTables.illegal(
        CompartmentState.class, CompartmentState.Event.class, StateMachineTables.COMPARTMENT);
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void everyOtherPairIsRefused(CompartmentState state, CompartmentState.Event event) {
    StateMachineTables.assertRefused(
        "compartment", state, event, CompartmentState::on, CompartmentState::next);
  }

  @Test
  void theCodeHasExactlyTheDrawnTransitions() {
    assertThat(
            StateMachineTables.legalCount(
                CompartmentState.class, CompartmentState.Event.class, CompartmentState::on))
        .isEqualTo(StateMachineTables.COMPARTMENT.size());
  }
}
