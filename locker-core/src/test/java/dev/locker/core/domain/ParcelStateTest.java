package dev.locker.core.domain;

import static dev.locker.core.domain.ParcelState.CANCELLED;
import static dev.locker.core.domain.ParcelState.DEPOSITED;
import static dev.locker.core.domain.ParcelState.EXPECTED;
import static dev.locker.core.domain.ParcelState.EXPIRED;
import static dev.locker.core.domain.ParcelState.Event.CANCEL;
import static dev.locker.core.domain.ParcelState.Event.DEPOSIT;
import static dev.locker.core.domain.ParcelState.Event.EXPIRE;
import static dev.locker.core.domain.ParcelState.Event.PICK_UP;
import static dev.locker.core.domain.ParcelState.Event.RETURN;
import static dev.locker.core.domain.ParcelState.PICKED_UP;
import static dev.locker.core.domain.ParcelState.RETURNED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parcel machine drawn in {@link ParcelState}, one test per transition. */
class ParcelStateTest {
  /** The diagram of {@link ParcelState}, written out again so the code cannot vouch for itself. */
  static final TransitionTable<ParcelState, ParcelState.Event> TABLE =
      new TransitionTable<>(
              "parcel",
              ParcelState.class,
              ParcelState.Event.class,
              ParcelState::on,
              ParcelState::next)
          .row(EXPECTED, DEPOSIT, DEPOSITED)
          .row(EXPECTED, CANCEL, CANCELLED)
          .row(DEPOSITED, PICK_UP, PICKED_UP)
          .row(DEPOSITED, EXPIRE, EXPIRED)
          .row(EXPIRED, RETURN, RETURNED);

  @Test
  void Expected_Deposit_Deposited() {
    TABLE.assertTransition(EXPECTED, DEPOSIT, DEPOSITED);
  }

  @Test
  void Expected_Cancel_Cancelled() {
    TABLE.assertTransition(EXPECTED, CANCEL, CANCELLED);
  }

  @Test
  void Deposited_PickUp_PickedUp() {
    TABLE.assertTransition(DEPOSITED, PICK_UP, PICKED_UP);
  }

  @Test
  void Deposited_Expire_Expired() {
    TABLE.assertTransition(DEPOSITED, EXPIRE, EXPIRED);
  }

  @Test
  void Expired_Return_Returned() {
    TABLE.assertTransition(EXPIRED, RETURN, RETURNED);
  }

  static Stream<Arguments> illegalPairs() {
    return TABLE.illegalPairs();
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void illegalPairsAreRefused(ParcelState from, ParcelState.Event event) {
    TABLE.assertRefused(from, event);
  }

  @Test
  void theMachineHasFiveTransitions() {
    assertThat(TABLE.size()).isEqualTo(5);
    assertThat(TABLE.legalPairsInCode()).isEqualTo(5);
    assertThat(illegalPairs()).hasSize(6 * 5 - 5);
  }

  @Test
  void everyTransitionHasItsOwnTest() {
    TABLE.assertEveryRowHasItsTest(getClass());
  }

  @Test
  void theFinalStatesAreExactlyThoseWithoutAWayOut() {
    assertThat(EnumSet.allOf(ParcelState.class).stream().filter(ParcelState::isFinal))
        .containsExactlyInAnyOrder(PICKED_UP, RETURNED, CANCELLED);
    for (ParcelState state : ParcelState.values()) {
      boolean hasWayOut =
          EnumSet.allOf(ParcelState.Event.class).stream().anyMatch(e -> state.on(e).isPresent());
      assertThat(state.isFinal()).as("%s is final", state).isEqualTo(!hasWayOut);
    }
  }
}
