package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A state machine's transition table as a test writes it out by hand (STYLE.md §2), independent of
 * the {@code on(Event)} switch it checks. A transition added to the code but not to this table
 * fails the illegal-pairs walk; one added to this table but without its {@code From_Event_To} test
 * fails {@link #assertEveryRowHasItsTest}.
 */
final class TransitionTable<S extends Enum<S>, E extends Enum<E>> {

  /** One legal transition. */
  record Row<S, E>(S from, E event, S to) {}

  private final String machine;
  private final Class<S> states;
  private final Class<E> events;
  private final BiFunction<S, E, Optional<S>> on;
  private final BiFunction<S, E, S> next;
  private final List<Row<S, E>> rows = new ArrayList<>();

  /**
   * {@code machine}: the name {@link IllegalTransition} messages use; {@code on} and {@code next}:
   * the machine's two entry points.
   */
  TransitionTable(
      String machine,
      Class<S> states,
      Class<E> events,
      BiFunction<S, E, Optional<S>> on,
      BiFunction<S, E, S> next) {
    this.machine = machine;
    this.states = states;
    this.events = events;
    this.on = on;
    this.next = next;
  }

  TransitionTable<S, E> row(S from, E event, S to) {
    if (rows.stream().anyMatch(r -> r.from() == from && r.event() == event)) {
      throw new IllegalArgumentException("two rows for " + from + " on " + event);
    }
    rows.add(new Row<>(from, event, to));
    return this;
  }

  int size() {
    return rows.size();
  }

  /** Checks one legal transition through both entry points; the row must be in the table. */
  void assertTransition(S from, E event, S to) {
    assertThat(rows)
        .as("the test's table of the %s machine", machine)
        .contains(new Row<>(from, event, to));
    assertThat(on.apply(from, event)).as("%s.on(%s)", from, event).contains(to);
    assertThat(next.apply(from, event)).as("%s.next(%s)", from, event).isEqualTo(to);
  }

  /** Checks that the code refuses a pair the table does not have. */
  void assertRefused(S from, E event) {
    assertThat(on.apply(from, event)).as("%s.on(%s)", from, event).isEmpty();
    assertThatThrownBy(() -> next.apply(from, event))
        .isInstanceOf(IllegalTransition.class)
        .hasMessageStartingWith(machine + ":")
        .hasMessageContaining(from.name())
        .hasMessageContaining(event.name());
  }

  /** Every (state, event) pair the table does not list. */
  Stream<Arguments> illegalPairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (S from : EnumSet.allOf(states)) {
      for (E event : EnumSet.allOf(events)) {
        if (rows.stream().noneMatch(r -> r.from() == from && r.event() == event)) {
          pairs.add(Arguments.of(from, event));
        }
      }
    }
    return pairs.stream();
  }

  /** How many (state, event) pairs the code under test accepts. */
  long legalPairsInCode() {
    long count = 0;
    for (S from : EnumSet.allOf(states)) {
      for (E event : EnumSet.allOf(events)) {
        if (on.apply(from, event).isPresent()) {
          count++;
        }
      }
    }
    return count;
  }

  /** Every row has a {@code @Test} method named {@code From_Event_To} in {@code testClass}. */
  void assertEveryRowHasItsTest(Class<?> testClass) {
    List<String> missing = new ArrayList<>();
    for (Row<S, E> row : rows) {
      String name = testName(row);
      Optional<Method> method =
          Stream.of(testClass.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findAny();
      if (method.isEmpty() || !method.get().isAnnotationPresent(Test.class)) {
        missing.add(name);
      }
    }
    assertThat(missing).as("transitions of the %s machine without their test", machine).isEmpty();
  }

  /** {@code (DOOR_OPENED, DOOR_CLOSED, COMPLETED)} → {@code DoorOpened_DoorClosed_Completed}. */
  static String testName(Row<?, ?> row) {
    return camel(row.from()) + "_" + camel(row.event()) + "_" + camel(row.to());
  }

  private static String camel(Object constant) {
    StringBuilder name = new StringBuilder();
    for (String word : ((Enum<?>) constant).name().split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }
}
