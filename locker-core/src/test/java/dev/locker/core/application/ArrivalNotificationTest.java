package dev.locker.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.locker.core.domain.Notification;
import dev.locker.core.domain.NotificationStatus;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.Size;
import dev.locker.core.testing.TestLocker;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arrival notice a deposit sends is remembered as REQUESTED, under the id its event carries, so
 * that the cloud's delivery receipt ({@code notification.status}) finds it.
 */
class ArrivalNotificationTest {
  @TempDir Path dir;
  private TestLocker locker;

  @AfterEach
  void tearDown() {
    locker.close();
  }

  @Test
  void aDepositRemembersItsArrivalNoticeAsRequested() {
    locker = TestLocker.sqlite(dir);

    locker.depositAndClose("JD0001", Size.S);

    JsonNode event =
        locker.events().stream()
            .filter(e -> e.get("type").asText().equals("notification.requested"))
            .findFirst()
            .orElseThrow();
    String id = event.get("data").get("notificationId").asText();
    ParcelId parcel = new ParcelId(event.get("data").get("parcelId").asText());
    Optional<Notification> remembered = locker.store().read(r -> r.notification(id));
    assertThat(remembered)
        .contains(
            Notification.requested(
                id,
                parcel,
                Notification.Kind.ARRIVAL,
                Notification.Channel.SMS,
                locker.clock.instant()));
    assertThat(remembered.orElseThrow().status()).isEqualTo(NotificationStatus.REQUESTED);
    List<Notification> ofParcel = locker.store().read(r -> r.notifications(parcel));
    assertThat(ofParcel).hasSize(1);
    Optional<Parcel> deposited = locker.store().read(r -> r.parcel(parcel));
    assertThat(deposited).get().extracting(Parcel::tracking).hasToString("JD0001");
  }
}
