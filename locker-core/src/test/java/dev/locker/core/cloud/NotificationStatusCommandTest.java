package dev.locker.core.cloud;

import static dev.locker.core.cloud.HandlerFixture.assertWellFormed;
import static dev.locker.core.cloud.HandlerFixture.detail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.Notification;
import dev.locker.core.domain.NotificationStatus;
import dev.locker.core.domain.ParcelId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code notification.status}: delivery receipts for the notifications the locker requested. */
class NotificationStatusCommandTest {
  private static final CommandHandler HANDLER = new NotificationStatusCommand();
  private static final String PHONE = "+85291234567";

  @TempDir Path dir;
  private HandlerFixture locker;
  private ParcelId parcel;
  private Notification requested;

  @BeforeEach
  void givenARequestedArrivalNotice() {
    locker = HandlerFixture.sqlite(dir);
    parcel = locker.givenParcel("p-1");
    requested = locker.givenNotification("n-1", parcel);
    locker.clock.advance(Duration.ofMinutes(2));
  }

  @AfterEach
  void close() {
    locker.close();
  }

  private static Map<String, Object> receipt(String id, String status, String detail) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("notificationId", id);
    data.put("status", status);
    if (detail != null) {
      data.put("detail", detail);
    }
    return data;
  }

  private CommandOutcome send(Map<String, Object> data) {
    CommandOutcome outcome = locker.apply(HANDLER, "notification.status", data);
    assertWellFormed(outcome, "outcome");
    assertThat(detail(outcome)).doesNotContain(PHONE);
    return outcome;
  }

  private Notification stored() {
    return locker.store.read(r -> r.notification("n-1")).orElseThrow();
  }

  private void assertRejected(Map<String, Object> data, String reason, String detailPart) {
    HandlerFixture.State before = locker.state();

    CommandOutcome outcome = send(data);

    assertThat(outcome).isInstanceOf(CommandOutcome.Rejected.class);
    assertThat(((CommandOutcome.Rejected) outcome).reason()).isEqualTo(reason);
    assertThat(detail(outcome)).contains(detailPart);
    assertThat(locker.state()).as("nothing written").isEqualTo(before);
  }

  @Test
  void aDeliveredReceiptMarksARequestedNotificationDelivered() {
    Instant at = locker.clock.instant();

    CommandOutcome outcome = send(receipt("n-1", "delivered", null));

    assertThat(outcome)
        .isEqualTo(
            new CommandOutcome.Applied(
                "notification n-1 (arrival by sms): requested -> delivered"));
    assertThat(stored())
        .isEqualTo(
            new Notification(
                "n-1",
                parcel,
                Notification.Kind.ARRIVAL,
                Notification.Channel.SMS,
                NotificationStatus.DELIVERED,
                Optional.empty(),
                requested.requestedAt(),
                at));
  }

  @Test
  void aFailedReceiptKeepsItsDetailWithTheNotificationButNotInTheAuditDetail() {
    String gatewayWords = "gateway: " + PHONE + " unreachable";

    CommandOutcome outcome = send(receipt("n-1", "failed", gatewayWords));

    assertThat(outcome)
        .isEqualTo(
            new CommandOutcome.Applied("notification n-1 (arrival by sms): requested -> failed"));
    assertThat(stored().status()).isEqualTo(NotificationStatus.FAILED);
    assertThat(stored().detail()).contains(gatewayWords);
  }

  @Test
  void aLateDeliveredReceiptAfterAFailureWins() {
    send(receipt("n-1", "failed", "timeout"));
    locker.clock.advance(Duration.ofMinutes(10));

    CommandOutcome outcome = send(receipt("n-1", "delivered", "late receipt"));

    assertThat(outcome)
        .isEqualTo(
            new CommandOutcome.Applied("notification n-1 (arrival by sms): failed -> delivered"));
    assertThat(stored().status()).isEqualTo(NotificationStatus.DELIVERED);
    assertThat(stored().detail()).contains("late receipt");
    assertThat(stored().updatedAt()).isEqualTo(locker.clock.instant());
  }

  @ParameterizedTest(name = "{0} twice")
  @ValueSource(strings = {"delivered", "failed"})
  void theSameReceiptAgainIsAppliedAndChangesNothing(String status) {
    send(receipt("n-1", status, "first"));
    HandlerFixture.State before = locker.state();
    locker.clock.advance(Duration.ofMinutes(1));

    CommandOutcome again = send(receipt("n-1", status, "second"));

    assertThat(again)
        .isEqualTo(new CommandOutcome.Applied("notification n-1 was already " + status));
    assertThat(locker.state()).isEqualTo(before);
    assertThat(stored().detail()).as("the first receipt's detail stays").contains("first");
  }

  @Test
  void aFailedReceiptAfterDeliveryIsInvalidAndChangesNothing() {
    send(receipt("n-1", "delivered", null));

    assertRejected(
        receipt("n-1", "failed", "bounced"),
        "invalid",
        "notification n-1 is delivered and cannot become failed");
    assertThat(stored().status()).isEqualTo(NotificationStatus.DELIVERED);
  }

  @Test
  void aReceiptForANotificationNeverRequestedIsUnknownNotification() {
    assertRejected(
        receipt("n-404", "delivered", null),
        "unknown_notification",
        "no notification n-404 was requested here");
  }

  @Test
  void aDetailOfTwoHundredCharactersIsKeptAndOneMoreIsInvalid() {
    assertRejected(
        receipt("n-1", "failed", "x".repeat(201)), "invalid", "detail must be one line of at most");

    assertThat(send(receipt("n-1", "failed", "x".repeat(200))))
        .isInstanceOf(CommandOutcome.Applied.class);
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(strings = {"two\nlines", "carriage\rreturn", "nul\u0000", "sep\u2028arator"})
  void aDetailOfMoreThanOneLineIsInvalid(String detail) {
    assertRejected(receipt("n-1", "failed", detail), "invalid", "detail must be one line");
  }

  @Test
  void aStatusOutsideTheContractAndABadIdAreBothNamed() {
    assertRejected(
        receipt("n 1", "requested", null),
        "invalid",
        "notificationId must be 1 to 64 of A-Z a-z 0-9 . _ : -; status must be delivered or failed");
  }

  @Test
  void missingFieldsAndUnknownKeysAreInvalid() {
    assertRejected(Map.of("status", "delivered"), "invalid", "notificationId is required");
    assertRejected(Map.of("notificationId", "n-1"), "invalid", "status is required");
    Map<String, Object> withTo = receipt("n-1", "delivered", null);
    withTo.put("to", PHONE);
    assertRejected(withTo, "invalid", "to is not a known key");
  }

  @Test
  void tenThousandMutatedReceiptsAreEachAppliedOrRejectedWithAReason() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    try (HandlerFixture fast = HandlerFixture.inMemory()) {
      ParcelId p = fast.givenParcel("p-1");
      List<String> ids = List.of("n-1", "n-2", "n-3");
      for (String id : ids) {
        fast.givenNotification(id, p);
      }
      for (int i = 0; i < 10_000; i++) {
        Map<String, Object> valid =
            receipt(
                ids.get(random.nextInt(ids.size())),
                random.nextBoolean() ? "delivered" : "failed",
                random.nextBoolean() ? "gateway " + PHONE : null);
        Map<String, Object> data = DataFuzz.mutate(valid, random);
        String context = "seed " + seed + ", case " + i + ": " + data.keySet();
        HandlerFixture.State before = fast.state();

        CommandOutcome outcome = fast.apply(HANDLER, "notification.status", data);

        assertWellFormed(outcome, context);
        assertThat(detail(outcome)).as(context).doesNotContain(PHONE, "1380");
        if (outcome instanceof CommandOutcome.Rejected) {
          assertThat(fast.state()).as(context + " wrote nothing").isEqualTo(before);
        }
      }
    }
  }
}
