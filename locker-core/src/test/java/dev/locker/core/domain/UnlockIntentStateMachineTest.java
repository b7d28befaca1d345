package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link IntentState}, edge by edge as drawn in its Javadoc, and every pair it must refuse. */
class UnlockIntentStateMachineTest {

  @Test
  void Pending_DoorOpened_DoorOpened() {
    assertThat(IntentState.PENDING.on(IntentState.Event.DOOR_OPENED))
        .hasValue(IntentState.DOOR_OPENED);
    assertThat(IntentState.PENDING.next(IntentState.Event.DOOR_OPENED))
        .isEqualTo(IntentState.DOOR_OPENED);
  }

  @Test
  void Pending_Fail_Failed() {
    assertThat(IntentState.PENDING.on(IntentState.Event.FAIL)).hasValue(IntentState.FAILED);
    assertThat(IntentState.PENDING.next(IntentState.Event.FAIL)).isEqualTo(IntentState.FAILED);
  }

  @Test
  void DoorOpened_DoorClosed_Completed() {
    assertThat(IntentState.DOOR_OPENED.on(IntentState.Event.DOOR_CLOSED))
        .hasValue(IntentState.COMPLETED);
    assertThat(IntentState.DOOR_OPENED.next(IntentState.Event.DOOR_CLOSED))
        .isEqualTo(IntentState.COMPLETED);
  }

  static Stream<Arguments> illegalPairs() {
    return StateMachineTables.illegal(
        IntentState.class, IntentState.Event.class, StateMachineTables.INTENT);
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void everyOtherPairIsRefused(IntentState state, IntentState.Event event) {
    StateMachineTables.assertRefused(
        "unlock intent", state, event, IntentState::on, IntentState::next);
  }

  @Test
  void theCodeHasExactlyTheDrawnTransitions() {
    assertThat(
            StateMachineTables.legalCount(
                IntentState.class, IntentState.Event.class, IntentState::on))
        .isEqualTo(StateMachineTables.INTENT.size());
  }
}
