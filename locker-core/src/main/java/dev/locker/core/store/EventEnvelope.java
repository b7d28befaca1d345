package dev.locker.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the event envelope of contracts/mqtt.md: {@code
 * {"v":1,"lockerId":…,"seq":…,"eventId":…,"type":…,"at":…,"data":{…}}}. Event ids are UUIDv7 (time
 * ordered), so they sort in emission order like {@code seq}.
 */
final class EventEnvelope {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private EventEnvelope() {}

  static String json(
      String lockerId,
      long seq,
      String eventId,
      String type,
      Instant at,
      Map<String, Object> data) {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("v", 1);
    envelope.put("lockerId", lockerId);
    envelope.put("seq", seq);
    envelope.put("eventId", eventId);
    envelope.put("type", type);
    envelope.put("at", at.truncatedTo(ChronoUnit.SECONDS).toString());
    envelope.put("data", data);
    try {
      return JSON.writeValueAsString(envelope);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event data of " + type + " is not JSON-serialisable", e);
    }
  }

  /**
   * Event ids of one store: UUIDv7 (RFC 9562 §5.7) with 48 bits of Unix milliseconds, version 7, a
   * 12-bit counter in rand_a (§6.2 method 1) and 62 random bits. The counter starts at a random
   * value below 0x800 each millisecond and rises by one per id, so a store's ids of one millisecond
   * sort in emission order; a clock that steps back keeps counting on from the last millisecond
   * used, so a store's ids never go backwards.
   */
  static final class Ids {
    private long lastMillis = -1;
    private int counter;

    synchronized String next(Instant at) {
      long millis = at.toEpochMilli();
      if (millis > lastMillis) {
        lastMillis = millis;
        counter = RANDOM.nextInt(0x800);
      } else if (++counter > 0xFFF) {
        lastMillis++;
        counter = RANDOM.nextInt(0x800);
      }
      long high = (lastMillis << 16) | 0x7000L | counter;
      long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(high, low).toString();
    }
  }
}
