package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The unlock intent machine drawn in {@link IntentState}, one test per transition. */
class IntentStateTest {
  /** The diagram of {@link IntentState}, written out again so the code cannot vouch for itself. */
  static final TransitionTable<IntentState, IntentState.Event> TABLE =
      new TransitionTable<>(
              "unlock intent",
              IntentState.class,
              IntentState.Event.class,
              IntentState::on,
              IntentState::next)
          .row(IntentState.PENDING, IntentState.Event.DOOR_OPENED, IntentState.DOOR_OPENED)
          .row(IntentState.PENDING, IntentState.Event.FAIL, IntentState.FAILED)
          .row(IntentState.DOOR_OPENED, IntentState.Event.DOOR_CLOSED, IntentState.COMPLETED);

  @Test
  void Pending_DoorOpened_DoorOpened() {
    TABLE.assertTransition(
        IntentState.PENDING, IntentState.Event.DOOR_OPENED, IntentState.DOOR_OPENED);
  }

  @Test
  void Pending_Fail_Failed() {
    TABLE.assertTransition(IntentState.PENDING, IntentState.Event.FAIL, IntentState.FAILED);
  }

  @Test
  void DoorOpened_DoorClosed_Completed() {
    TABLE.assertTransition(
        IntentState.DOOR_OPENED, IntentState.Event.DOOR_CLOSED, IntentState.COMPLETED);
  }

  static Stream<Arguments> illegalPairs() {
    return TABLE.illegalPairs();
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void illegalPairsAreRefused(IntentState from, IntentState.Event event) {
    TABLE.assertRefused(from, event);
  }

  @Test
  void theMachineHasThreeTransitions() {
    assertThat(TABLE.size()).isEqualTo(3);
    assertThat(TABLE.legalPairsInCode()).isEqualTo(3);
    assertThat(illegalPairs()).hasSize(4 * 3 - 3);
  }

  @Test
  void everyTransitionHasItsOwnTest() {
    TABLE.assertEveryRowHasItsTest(getClass());
  }

  @Test
  void anIntentIsOpenUntilItCompletesOrFails() {
    assertThat(EnumSet.allOf(IntentState.class).stream().filter(IntentState::isOpen))
        .containsExactlyInAnyOrder(IntentState.PENDING, IntentState.DOOR_OPENED);
  }
}
