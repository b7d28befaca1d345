package dev.locker.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.ParcelId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the cloud would carry to recipients, read from the locker's outbox: the text of a parcel's
 * arrival message and the pickup code in it. Until the cloud link exists, this is how the simulator
 * "delivers" a message.
 */
final class Messages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CODE = Pattern.compile("Pickup code: (\\d+)");

  private Messages() {}

  /** The arrival message of {@code parcel}: {@code [to, text]}. */
  static Optional<String[]> arrival(LockerStore store, ParcelId parcel) {
    for (LockerStore.OutboxEvent event : store.read(r -> r.outbox(100_000))) {
      if (!event.type().equals("notification.requested")) {
        continue;
      }
      JsonNode data = parse(event.envelope()).get("data");
      if (data.get("parcelId").asText().equals(parcel.value())) {
        return Optional.of(new String[] {data.get("to").asText(), data.get("text").asText()});
      }
    }
    return Optional.empty();
  }

  static Optional<String> code(String text) {
    Matcher m = CODE.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Every outbox event's seq, in order. */
  static List<Long> seqs(LockerStore store) {
    return store.read(r -> r.outbox(100_000)).stream().map(LockerStore.OutboxEvent::seq).toList();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an outbox envelope is not JSON", e);
    }
  }
}
