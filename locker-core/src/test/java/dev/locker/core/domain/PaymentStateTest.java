package dev.locker.core.domain;

import static dev.locker.core.domain.PaymentState.APPROVED;
import static dev.locker.core.domain.PaymentState.CHARGING;
import static dev.locker.core.domain.PaymentState.DECLINED;
import static dev.locker.core.domain.PaymentState.Event.APPROVE;
import static dev.locker.core.domain.PaymentState.Event.COMPLETE;
import static dev.locker.core.domain.PaymentState.Event.DECLINE;
import static dev.locker.core.domain.PaymentState.Event.LOSE;
import static dev.locker.core.domain.PaymentState.Event.RELEASE;
import static dev.locker.core.domain.PaymentState.Event.REVERSE;
import static dev.locker.core.domain.PaymentState.Event.WITHHOLD;
import static dev.locker.core.domain.PaymentState.PAID;
import static dev.locker.core.domain.PaymentState.RELEASED;
import static dev.locker.core.domain.PaymentState.RELEASED_UNCONFIRMED;
import static dev.locker.core.domain.PaymentState.RELEASED_UNPAID;
import static dev.locker.core.domain.PaymentState.REVERSED;
import static dev.locker.core.domain.PaymentState.REVERSING;
import static dev.locker.core.domain.PaymentState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The payment machine drawn in {@link PaymentState}, one test per transition. */
class PaymentStateTest {
  /** The diagram of {@link PaymentState}, written out again so the code cannot vouch for itself. */
  static final TransitionTable<PaymentState, PaymentState.Event> TABLE =
      new TransitionTable<>(
              "payment",
              PaymentState.class,
              PaymentState.Event.class,
              PaymentState::on,
              PaymentState::next)
          .row(CHARGING, APPROVE, APPROVED)
          .row(CHARGING, DECLINE, DECLINED)
          .row(CHARGING, LOSE, UNKNOWN)
          .row(UNKNOWN, APPROVE, APPROVED)
          .row(UNKNOWN, DECLINE, DECLINED)
          .row(UNKNOWN, REVERSE, REVERSED)
          .row(APPROVED, RELEASE, RELEASED)
          .row(APPROVED, WITHHOLD, REVERSING)
          .row(APPROVED, REVERSE, REVERSED)
          .row(RELEASED, COMPLETE, PAID)
          .row(RELEASED, LOSE, RELEASED_UNCONFIRMED)
          .row(RELEASED, REVERSE, RELEASED_UNPAID)
          .row(RELEASED_UNCONFIRMED, COMPLETE, PAID)
          .row(RELEASED_UNCONFIRMED, REVERSE, RELEASED_UNPAID)
          .row(REVERSING, REVERSE, REVERSED);

  /** The terminal approved: the approval is recorded and the door may open. */
  @Test
  void Charging_Approve_Approved() {
    TABLE.assertTransition(CHARGING, APPROVE, APPROVED);
  }

  /** Declined, cancelled or no terminal: final, nothing was charged. */
  @Test
  void Charging_Decline_Declined() {
    TABLE.assertTransition(CHARGING, DECLINE, DECLINED);
  }

  /** The link broke after the terminal took the charge: the payment may stand. */
  @Test
  void Charging_Lose_Unknown() {
    TABLE.assertTransition(CHARGING, LOSE, UNKNOWN);
  }

  /** Recovery found it approved. */
  @Test
  void Unknown_Approve_Approved() {
    TABLE.assertTransition(UNKNOWN, APPROVE, APPROVED);
  }

  /** Recovery found nothing, or found it declined. */
  @Test
  void Unknown_Decline_Declined() {
    TABLE.assertTransition(UNKNOWN, DECLINE, DECLINED);
  }

  /** Recovery found the terminal had reversed it. */
  @Test
  void Unknown_Reverse_Reversed() {
    TABLE.assertTransition(UNKNOWN, REVERSE, REVERSED);
  }

  /** The door sensor confirmed the parcel is out. */
  @Test
  void Approved_Release_Released() {
    TABLE.assertTransition(APPROVED, RELEASE, RELEASED);
  }

  /** The door did not open: a reversal is owed. */
  @Test
  void Approved_Withhold_Reversing() {
    TABLE.assertTransition(APPROVED, WITHHOLD, REVERSING);
  }

  /** The terminal reversed on its own. */
  @Test
  void Approved_Reverse_Reversed() {
    TABLE.assertTransition(APPROVED, REVERSE, REVERSED);
  }

  /** The terminal completed: paid, final. */
  @Test
  void Released_Complete_Paid() {
    TABLE.assertTransition(RELEASED, COMPLETE, PAID);
  }

  /** The link broke after the release: recovery asks the terminal. */
  @Test
  void Released_Lose_ReleasedUnconfirmed() {
    TABLE.assertTransition(RELEASED, LOSE, RELEASED_UNCONFIRMED);
  }

  /** The parcel is out but the payment was reversed: final, an alarm. */
  @Test
  void Released_Reverse_ReleasedUnpaid() {
    TABLE.assertTransition(RELEASED, REVERSE, RELEASED_UNPAID);
  }

  /** Recovery found it completed. */
  @Test
  void ReleasedUnconfirmed_Complete_Paid() {
    TABLE.assertTransition(RELEASED_UNCONFIRMED, COMPLETE, PAID);
  }

  /** Recovery found it reversed: the parcel is out unpaid, an alarm. */
  @Test
  void ReleasedUnconfirmed_Reverse_ReleasedUnpaid() {
    TABLE.assertTransition(RELEASED_UNCONFIRMED, REVERSE, RELEASED_UNPAID);
  }

  /** The reversal is confirmed: final. */
  @Test
  void Reversing_Reverse_Reversed() {
    TABLE.assertTransition(REVERSING, REVERSE, REVERSED);
  }

  static Stream<Arguments> illegalPairs() {
    return TABLE.illegalPairs();
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void illegalPairsAreRefused(PaymentState from, PaymentState.Event event) {
    TABLE.assertRefused(from, event);
  }

  @Test
  void theMachineHasFifteenTransitions() {
    assertThat(TABLE.size()).isEqualTo(15);
    assertThat(TABLE.legalPairsInCode()).isEqualTo(15);
    assertThat(illegalPairs()).hasSize(10 * 7 - 15);
  }

  @Test
  void everyTransitionHasItsOwnTest() {
    TABLE.assertEveryRowHasItsTest(getClass());
  }

  @Test
  void theFinalStatesAreExactlyThoseWithoutAWayOut() {
    assertThat(EnumSet.allOf(PaymentState.class).stream().filter(PaymentState::isFinal))
        .containsExactlyInAnyOrder(DECLINED, PAID, REVERSED, RELEASED_UNPAID);
    for (PaymentState state : PaymentState.values()) {
      boolean hasWayOut =
          EnumSet.allOf(PaymentState.Event.class).stream().anyMatch(e -> state.on(e).isPresent());
      assertThat(state.isFinal()).as("%s is final", state).isEqualTo(!hasWayOut);
    }
  }

  @Test
  void startUpResolvesEveryPaymentThatIsNotFinal() {
    assertThat(EnumSet.allOf(PaymentState.class).stream().filter(PaymentState::needsRecovery))
        .containsExactlyInAnyOrder(
            CHARGING, UNKNOWN, APPROVED, RELEASED, RELEASED_UNCONFIRMED, REVERSING);
    for (PaymentState state : PaymentState.values()) {
      assertThat(state.needsRecovery())
          .as("%s needs recovery", state)
          .isNotEqualTo(state.isFinal());
    }
  }

  /**
   * The money invariant (reliability-security.md §2.3 rule 3), on the table: the parcel is released
   * only from APPROVED, and every path out of APPROVED ends released or reversed.
   */
  @Test
  void noParcelIsReleasedWithoutApprovalAndEveryApprovalEndsReleasedOrReversed() {
    Set<PaymentState> released = EnumSet.of(RELEASED, RELEASED_UNCONFIRMED, PAID, RELEASED_UNPAID);
    for (PaymentState from : PaymentState.values()) {
      for (PaymentState.Event event : PaymentState.Event.values()) {
        from.on(event)
            .filter(released::contains)
            .filter(to -> !released.contains(from))
            .ifPresent(
                to -> assertThat(from).as("%s reached on %s", to, event).isEqualTo(APPROVED));
      }
    }
    Set<PaymentState> reachable = EnumSet.of(APPROVED);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (PaymentState from : Set.copyOf(reachable)) {
        for (PaymentState.Event event : PaymentState.Event.values()) {
          grew |= from.on(event).map(reachable::add).orElse(false);
        }
      }
    }
    assertThat(reachable.stream().filter(PaymentState::isFinal))
        .containsExactlyInAnyOrder(PAID, RELEASED_UNPAID, REVERSED);
  }
}
