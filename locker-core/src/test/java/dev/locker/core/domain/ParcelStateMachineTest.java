package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ParcelState}, edge by edge as drawn in its Javadoc, and every pair it must refuse. */
class ParcelStateMachineTest {

  @Test
  void Expected_Deposit_Deposited() {
    assertThat(ParcelState.EXPECTED.on(ParcelState.Event.DEPOSIT)).hasValue(ParcelState.DEPOSITED);
    assertThat(ParcelState.EXPECTED.next(ParcelState.Event.DEPOSIT))
        .isEqualTo(ParcelState.DEPOSITED);
  }

  @Test
  void Expected_Cancel_Cancelled() {
    assertThat(ParcelState.EXPECTED.on(ParcelState.Event.CANCEL)).hasValue(ParcelState.CANCELLED);
    assertThat(ParcelState.EXPECTED.next(ParcelState.Event.CANCEL))
        .isEqualTo(ParcelState.CANCELLED);
  }

  @Test
  void Deposited_PickUp_PickedUp() {
    assertThat(ParcelState.DEPOSITED.on(ParcelState.Event.PICK_UP)).hasValue(ParcelState.PICKED_UP);
    assertThat(ParcelState.DEPOSITED.next(ParcelState.Event.PICK_UP))
        .isEqualTo(ParcelState.PICKED_UP);
  }

  @Test
  void Deposited_Expire_Expired() {
    assertThat(ParcelState.DEPOSITED.on(ParcelState.Event.EXPIRE)).hasValue(ParcelState.EXPIRED);
    assertThat(ParcelState.DEPOSITED.next(ParcelState.Event.EXPIRE)).isEqualTo(ParcelState.EXPIRED);
  }

  @Test
  void Expired_Return_Returned() {
    assertThat(ParcelState.EXPIRED.on(ParcelState.Event.RETURN)).hasValue(ParcelState.RETURNED);
    assertThat(ParcelState.EXPIRED.next(ParcelState.Event.RETURN)).isEqualTo(ParcelState.RETURNED);
  }

  static Stream<Arguments> illegalPairs() {
    return StateMachineTables.illegal(
        ParcelState.class, ParcelState.Event.class, StateMachineTables.PARCEL);
  }

  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void everyOtherPairIsRefused(ParcelState state, ParcelState.Event event) {
    StateMachineTables.assertRefused("parcel", state, event, ParcelState::on, ParcelState::next);
  }

  @Test
  void theCodeHasExactlyTheDrawnTransitions() {
    assertThat(
            StateMachineTables.legalCount(
                ParcelState.class, ParcelState.Event.class, ParcelState::on))
        .isEqualTo(StateMachineTables.PARCEL.size());
  }
}
