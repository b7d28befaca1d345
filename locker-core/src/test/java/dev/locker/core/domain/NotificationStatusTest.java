package dev.locker.core.domain;

import static dev.locker.core.domain.NotificationStatus.DELIVERED;
import static dev.locker.core.domain.NotificationStatus.FAILED;
import static dev.locker.core.domain.NotificationStatus.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The notification machine drawn in {@link NotificationStatus}, one test per edge. */
class NotificationStatusTest {
  /** The diagram, written out again so the code cannot vouch for itself. */
  static final TransitionTable<NotificationStatus, NotificationStatus.Receipt> TABLE =
      new TransitionTable<>(
              "notification",
              NotificationStatus.class,
              NotificationStatus.Receipt.class,
              NotificationStatus::on,
              NotificationStatus::next)
          .row(REQUESTED, NotificationStatus.Receipt.DELIVERED, DELIVERED)
          .row(REQUESTED, NotificationStatus.Receipt.FAILED, FAILED)
          .row(FAILED, NotificationStatus.Receipt.DELIVERED, DELIVERED)
          .row(FAILED, NotificationStatus.Receipt.FAILED, FAILED)
          .row(DELIVERED, NotificationStatus.Receipt.DELIVERED, DELIVERED);

  @Test
  void Requested_Delivered_Delivered() {
    TABLE.assertTransition(REQUESTED, NotificationStatus.Receipt.DELIVERED, DELIVERED);
  }

  @Test
  void Requested_Failed_Failed() {
    TABLE.assertTransition(REQUESTED, NotificationStatus.Receipt.FAILED, FAILED);
  }

  /** A late receipt: the message did reach the recipient after all. */
  @Test
  void Failed_Delivered_Delivered() {
    TABLE.assertTransition(FAILED, NotificationStatus.Receipt.DELIVERED, DELIVERED);
  }

  /** The same receipt again changes nothing. */
  @Test
  void Failed_Failed_Failed() {
    TABLE.assertTransition(FAILED, NotificationStatus.Receipt.FAILED, FAILED);
  }

  /** The same receipt again changes nothing. */
  @Test
  void Delivered_Delivered_Delivered() {
    TABLE.assertTransition(DELIVERED, NotificationStatus.Receipt.DELIVERED, DELIVERED);
  }

  static Stream<Arguments> illegalPairs() {
    return TABLE.illegalPairs();
  }

  /** Only one: a delivered message cannot be undelivered. */
  @ParameterizedTest(name = "{0} on {1} is refused")
  @MethodSource("illegalPairs")
  void illegalPairsAreRefused(NotificationStatus from, NotificationStatus.Receipt receipt) {
    TABLE.assertRefused(from, receipt);
  }

  @Test
  void theMachineHasFiveEdgesAndRefusesOnlyDeliveredThenFailed() {
    assertThat(TABLE.size()).isEqualTo(5);
    assertThat(TABLE.legalPairsInCode()).isEqualTo(5);
    assertThat(illegalPairs())
        .singleElement()
        .extracting(Arguments::get)
        .isEqualTo(new Object[] {DELIVERED, NotificationStatus.Receipt.FAILED});
  }

  @Test
  void everyTransitionHasItsOwnTest() {
    TABLE.assertEveryRowHasItsTest(getClass());
  }

  @Test
  void receiptsAreReadFromTheContractsWordsOnly() {
    assertThat(NotificationStatus.Receipt.fromWire("delivered"))
        .contains(NotificationStatus.Receipt.DELIVERED);
    assertThat(NotificationStatus.Receipt.fromWire("failed"))
        .contains(NotificationStatus.Receipt.FAILED);
    assertThat(NotificationStatus.Receipt.fromWire("DELIVERED")).isEmpty();
    assertThat(NotificationStatus.Receipt.fromWire("requested")).isEmpty();
  }
}
