package dev.locker.core.domain;

import static dev.locker.core.domain.DoorPhase.CLOSED;
import static dev.locker.core.domain.DoorPhase.Event.AUTHORISE;
import static dev.locker.core.domain.DoorPhase.Event.RELEASE_LAPSED;
import static dev.locker.core.domain.DoorPhase.Event.SENSOR_CLOSED;
import static dev.locker.core.domain.DoorPhase.Event.SENSOR_OPEN;
import static dev.locker.core.domain.DoorPhase.FORCED;
import static dev.locker.core.domain.DoorPhase.OPEN;
import static dev.locker.core.domain.DoorPhase.RELEASED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The door machine drawn in {@link DoorPhase}, one test per transition. */
class DoorPhaseTest {
  /** The diagram of {@link DoorPhase}, written out again so the code cannot vouch for itself. */
  static final TransitionTable<DoorPhase, DoorPhase.Event> TABLE =
      new TransitionTable<>(
              "door", DoorPhase.class, DoorPhase.Event.class, DoorPhase::on, DoorPhase::next)
          .row(CLOSED, AUTHORISE, RELEASED)
          .row(CLOSED, SENSOR_OPEN, FORCED)
          .row(RELEASED, SENSOR_OPEN, OPEN)
          .row(RELEASED, RELEASE_LAPSED, CLOSED)
          .row(OPEN, SENSOR_CLOSED, CLOSED)
          .row(FORCED, SENSOR_CLOSED, CLOSED);

  @Test
  void Closed_Authorise_Released() {
    TABLE.assertTransition(CLOSED, AUTHORISE, RELEASED);
  }

  @Test
  void Closed_SensorOpen_Forced() {
    TABLE.assertTransition(CLOSED, SENSOR_OPEN, FORCED);
  }

  @Test
  void Released_SensorOpen_Open() {
    TABLE.assertTransition(RELEASED, SENSOR_OPEN, OPEN);
  }

  @Test
  void Released_ReleaseLapsed_Closed() {
    TABLE.assertTransition(RELEASED, RELEASE_LAPSED, CLOSED);
  }

  @Test
  void Open_SensorClosed_Closed() {
    TABLE.assertTransition(OPEN, SENSOR_CLOSED, CLOSED);
  }

  @Test
  void Forced_SensorClosed_Closed() {
    TABLE.assertTransition(FORCED, SENSOR_CLOSED, CLOSED);
  }

  static Stream<Arguments> illegalPairs() {
    return TABLE.illegalPairs();
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void illegalPairsAreRefused(DoorPhase from, DoorPhase.Event event) {
    TABLE.assertRefused(from, event);
  }

  @Test
  void theMachineHasSixTransitions() {
    assertThat(TABLE.size()).isEqualTo(6);
    assertThat(TABLE.legalPairsInCode()).isEqualTo(6);
    assertThat(illegalPairs()).hasSize(4 * 4 - 6);
  }

  @Test
  void everyTransitionHasItsOwnTest() {
    TABLE.assertEveryRowHasItsTest(getClass());
  }

  @Test
  void aDoorIsOpenWhenTheSensorSaysSoWhateverTheReason() {
    assertThat(EnumSet.allOf(DoorPhase.class).stream().filter(DoorPhase::isOpen))
        .containsExactlyInAnyOrder(OPEN, FORCED);
  }
}
