package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link DoorPhase}, edge by edge as drawn in its Javadoc, and every pair it must refuse. */
class DoorStateMachineTest {

  @Test
  void Closed_Authorise_Released() {
    assertThat(DoorPhase.CLOSED.on(DoorPhase.Event.AUTHORISE)).hasValue(DoorPhase.RELEASED);
    assertThat(DoorPhase.CLOSED.next(DoorPhase.Event.AUTHORISE)).isEqualTo(DoorPhase.RELEASED);
  }

  @Test
  void Closed_SensorOpen_Forced() {
    assertThat(DoorPhase.CLOSED.on(DoorPhase.Event.SENSOR_OPEN)).hasValue(DoorPhase.FORCED);
    assertThat(DoorPhase.CLOSED.next(DoorPhase.Event.SENSOR_OPEN)).isEqualTo(DoorPhase.FORCED);
  }

  @Test
  void Released_SensorOpen_Open() {
    assertThat(DoorPhase.RELEASED.on(DoorPhase.Event.SENSOR_OPEN)).hasValue(DoorPhase.OPEN);
    assertThat(DoorPhase.RELEASED.next(DoorPhase.Event.SENSOR_OPEN)).isEqualTo(DoorPhase.OPEN);
  }

  @Test
  void Released_ReleaseLapsed_Closed() {
    assertThat(DoorPhase.RELEASED.on(DoorPhase.Event.RELEASE_LAPSED)).hasValue(DoorPhase.CLOSED);
    assertThat(DoorPhase.RELEASED.next(DoorPhase.Event.RELEASE_LAPSED)).isEqualTo(DoorPhase.CLOSED);
  }

  @Test
  void Open_SensorClosed_Closed() {
    assertThat(DoorPhase.OPEN.on(DoorPhase.Event.SENSOR_CLOSED)).hasValue(DoorPhase.CLOSED);
    assertThat(DoorPhase.OPEN.next(DoorPhase.Event.SENSOR_CLOSED)).isEqualTo(DoorPhase.CLOSED);
  }

  @Test
  void Forced_SensorClosed_Closed() {
    assertThat(DoorPhase.FORCED.on(DoorPhase.Event.SENSOR_CLOSED)).hasValue(DoorPhase.CLOSED);
    assertThat(DoorPhase.FORCED.next(DoorPhase.Event.SENSOR_CLOSED)).isEqualTo(DoorPhase.CLOSED);
  }

  static Stream<Arguments> illegalPairs() {
    return StateMachineTables.illegal(
        DoorPhase.class, DoorPhase.Event.class, StateMachineTables.DOOR);
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void everyOtherPairIsRefused(DoorPhase state, DoorPhase.Event event) {
    StateMachineTables.assertRefused("door", state, event, DoorPhase::on, DoorPhase::next);
  }

  @Test
  void theCodeHasExactlyTheDrawnTransitions() {
    assertThat(StateMachineTables.legalCount(DoorPhase.class, DoorPhase.Event.class, DoorPhase::on))
        .isEqualTo(StateMachineTables.DOOR.size());
  }
}
