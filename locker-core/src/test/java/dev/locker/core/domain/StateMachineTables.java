package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The legal transitions of each machine, written out here independently of the code, so that a
 * transition added to the code without a drawing and a test fails the illegal-pairs test.
 */
final class StateMachineTables {
  private StateMachineTables() {}

  static final Map<String, String> COMPARTMENT =
      Map.of(
          "FREE/RESERVE", "RESERVED",
          "RESERVED/DOOR_OPENED", "LOADING",
          "RESERVED/UNLOCK_FAILED", "FREE",
          "LOADING/DOOR_CLOSED", "OCCUPIED",
          "OCCUPIED/RELEASE", "RELEASING",
          "RELEASING/DOOR_OPENED", "EMPTYING",
          "RELEASING/UNLOCK_FAILED", "OCCUPIED",
          "EMPTYING/DOOR_CLOSED", "FREE");

  static final Map<String, String> DOOR =
      Map.of(
          "CLOSED/AUTHORISE", "RELEASED",
          "CLOSED/SENSOR_OPEN", "FORCED",
          "RELEASED/SENSOR_OPEN", "OPEN",
          "RELEASED/RELEASE_LAPSED", "CLOSED",
          "OPEN/SENSOR_CLOSED", "CLOSED",
          "FORCED/SENSOR_CLOSED", "CLOSED");

  static final Map<String, String> PARCEL =
      Map.of(
          "EXPECTED/DEPOSIT", "DEPOSITED",
          "EXPECTED/CANCEL", "CANCELLED",
          "DEPOSITED/PICK_UP", "PICKED_UP",
          "DEPOSITED/EXPIRE", "EXPIRED",
          "EXPIRED/RETURN", "RETURNED");

  static final Map<String, String> INTENT =
      Map.of(
          "PENDING/DOOR_OPENED", "DOOR_OPENED",
          "PENDING/FAIL", "FAILED",
          "DOOR_OPENED/DOOR_CLOSED", "COMPLETED");

  /** Every (state, event) pair the table does not list. */
  static <S extends Enum<S>, E extends Enum<E>> Stream<Arguments> illegal(
      Class<S> states, Class<E> events, Map<String, String> table) {
    List<Arguments> out = new ArrayList<>();
    for (S state : states.getEnumConstants()) {
      for (E event : events.getEnumConstants()) {
        if (!table.containsKey(state.name() + "/" + event.name())) {
          out.add(Arguments.of(state, event));
        }
      }
    }
    return out.stream();
  }

  /** Asserts that {@code on} refuses the pair and {@code next} throws naming machine and pair. */
  static <S extends Enum<S>, E extends Enum<E>> void assertRefused(
      String machine,
      S state,
      E event,
      BiFunction<S, E, Optional<S>> on,
      BiFunction<S, E, S> next) {
    assertThat(on.apply(state, event)).isEmpty();
    assertThatThrownBy(() -> next.apply(state, event))
        .isInstanceOf(IllegalTransition.class)
        .hasMessage(machine + ": no transition from " + state + " on " + event);
  }

  /** Counts the legal pairs the code has, to compare with the table's size. */
  static <S extends Enum<S>, E extends Enum<E>> int legalCount(
      Class<S> states, Class<E> events, BiFunction<S, E, Optional<S>> on) {
    int n = 0;
    for (S state : states.getEnumConstants()) {
      for (E event : events.getEnumConstants()) {
        if (on.apply(state, event).isPresent()) {
          n++;
        }
      }
    }
    return n;
  }
}
