package dev.locker.core.domain;

import static dev.locker.core.domain.CompartmentState.EMPTYING;
import static dev.locker.core.domain.CompartmentState.Event.DOOR_CLOSED;
import static dev.locker.core.domain.CompartmentState.Event.DOOR_OPENED;
import static dev.locker.core.domain.CompartmentState.Event.RELEASE;
import static dev.locker.core.domain.CompartmentState.Event.RESERVE;
import static dev.locker.core.domain.CompartmentState.Event.UNLOCK_FAILED;
import static dev.locker.core.domain.CompartmentState.FREE;
import static dev.locker.core.domain.CompartmentState.LOADING;
import static dev.locker.core.domain.CompartmentState.OCCUPIED;
import static dev.locker.core.domain.CompartmentState.RELEASING;
import static dev.locker.core.domain.CompartmentState.RESERVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The compartment machine drawn in {@link CompartmentState}, one test per transition. */
class CompartmentStateTest {
  /**
   * The diagram of {@link CompartmentState}, written out again so the code cannot vouch for itself.
   */
  static final TransitionTable<CompartmentState, CompartmentState.Event> TABLE =
      new TransitionTable<>(
              "compartment",
              CompartmentState.class,
              CompartmentState.Event.class,
              CompartmentState::on,
              CompartmentState::next)
          .row(FREE, RESERVE, RESERVED)
          .row(RESERVED, DOOR_OPENED, LOADING)
          .row(RESERVED, UNLOCK_FAILED, FREE)
          .row(LOADING, DOOR_CLOSED, OCCUPIED)
          .row(OCCUPIED, RELEASE, RELEASING)
          .row(RELEASING, DOOR_OPENED, EMPTYING)
          .row(RELEASING, UNLOCK_FAILED, OCCUPIED)
          .row(EMPTYING, DOOR_CLOSED, FREE);

  @Test
  void Free_Reserve_Reserved() {
    TABLE.assertTransition(FREE, RESERVE, RESERVED);
  }

  @Test
  void Reserved_DoorOpened_Loading() {
    TABLE.assertTransition(RESERVED, DOOR_OPENED, LOADING);
  }

  @Test
  void Reserved_UnlockFailed_Free() {
    TABLE.assertTransition(RESERVED, UNLOCK_FAILED, FREE);
  }

  @Test
  void Loading_DoorClosed_Occupied() {
    TABLE.assertTransition(LOADING, DOOR_CLOSED, OCCUPIED);
  }

  @Test
  void Occupied_Release_Releasing() {
    TABLE.assertTransition(OCCUPIED, RELEASE, RELEASING);
  }

  @Test
  void Releasing_DoorOpened_Emptying() {
    TABLE.assertTransition(RELEASING, DOOR_OPENED, EMPTYING);
  }

  @Test
  void Releasing_UnlockFailed_Occupied() {
    TABLE.assertTransition(RELEASING, UNLOCK_FAILED, OCCUPIED);
  }

  @Test
  void Emptying_DoorClosed_Free() {
    TABLE.assertTransition(EMPTYING, DOOR_CLOSED, FREE);
  }

  static Stream<Arguments> illegalPairs() {
    return TABLE.illegalPairs();
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void illegalPairsAreRefused(CompartmentState from, CompartmentState.Event event) {
    TABLE.assertRefused(from, event);
  }

  @Test
  void theMachineHasEightTransitions() {
    assertThat(TABLE.size()).isEqualTo(8);
    assertThat(TABLE.legalPairsInCode()).isEqualTo(8);
    assertThat(illegalPairs()).hasSize(6 * 5 - 8);
  }

  @Test
  void everyTransitionHasItsOwnTest() {
    TABLE.assertEveryRowHasItsTest(getClass());
  }

  @Test
  void aCompartmentIsInAFlowWhileAnUnlockIntentMayBeOpen() {
    assertThat(EnumSet.allOf(CompartmentState.class).stream().filter(CompartmentState::inFlow))
        .containsExactlyInAnyOrder(RESERVED, LOADING, RELEASING, EMPTYING);
  }
}
