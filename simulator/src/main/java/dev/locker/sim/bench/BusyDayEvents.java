package dev.locker.sim.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;

/**
 * The events of a busy locker, shaped as contracts/mqtt.md lists them: deposits ({@code
 * door.opened}, {@code door.closed}, {@code parcel.deposited} with a masked phone), pickups ({@code
 * door.opened}, {@code door.closed}, {@code parcel.picked_up}, some with a fee) and now and then a
 * {@code device.health}. Health aside, one event in three is a parcel event and two are door
 * events. Deposits take the compartments in turn and pickups take the oldest parcel, so no
 * compartment ever holds two parcels.
 *
 * <p>The same seed gives the same sequence, so every round of the benchmark sends the same bytes.
 * Not thread-safe.
 */
final class BusyDayEvents {
  /** One event's type and {@code data}, as {@code Transaction.emit} takes them. */
  record Event(String type, Map<String, Object> data) {}

  private static final int COMPARTMENTS = 48;
  private static final String[] SIZES = {"S", "M", "L", "XL"};
  private static final Duration PICKUP_PERIOD = Duration.ofHours(72);

  private final Random random;
  private final Instant day;
  private final Deque<Event> next = new ArrayDeque<>();
  private final Deque<Parcel> inLocker = new ArrayDeque<>();
  private int nextCompartment;

  private record Parcel(String parcelId, String tracking, String compartment) {}

  /**
   * @param seed the sequence's seed
   * @param day the time the deposits' pickup deadlines count from
   */
  BusyDayEvents(long seed, Instant day) {
    this.random = new Random(seed);
    this.day = Objects.requireNonNull(day, "day").truncatedTo(ChronoUnit.SECONDS);
  }

  Event next() {
    if (next.isEmpty()) {
      plan();
    }
    return next.removeFirst();
  }

  private void plan() {
    if (random.nextInt(25) == 0) {
      next.add(health());
    } else if (inLocker.size() >= COMPARTMENTS || (!inLocker.isEmpty() && random.nextBoolean())) {
      pickup(inLocker.removeFirst());
    } else {
      deposit();
    }
  }

  private void deposit() {
    String compartment = compartment();
    Parcel parcel = new Parcel(uuid(), tracking(), compartment);
    inLocker.addLast(parcel);
    next.add(door("door.opened", compartment, "deposit"));
    next.add(door("door.closed", compartment, "deposit"));
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("phoneMasked", "****" + digits(4));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("parcelId", parcel.parcelId());
    data.put("tracking", parcel.tracking());
    data.put("compartment", compartment);
    data.put("size", SIZES[random.nextInt(SIZES.length)]);
    data.put("courierId", "courier-" + (1 + random.nextInt(40)));
    data.put(
        "pickupDeadline", day.plus(PICKUP_PERIOD).plusSeconds(random.nextInt(36_000)).toString());
    data.put("recipient", recipient);
    next.add(new Event("parcel.deposited", data));
  }

  private void pickup(Parcel parcel) {
    next.add(door("door.opened", parcel.compartment(), "pickup"));
    next.add(door("door.closed", parcel.compartment(), "pickup"));
    Map<String, Object> fee = new LinkedHashMap<>();
    fee.put("amount", random.nextInt(5) == 0 ? 100 * (1 + random.nextInt(9)) : 0);
    fee.put("currency", "CNY");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("parcelId", parcel.parcelId());
    data.put("tracking", parcel.tracking());
    data.put("compartment", parcel.compartment());
    data.put("method", random.nextInt(3) == 0 ? "qr" : "code");
    data.put("fee", fee);
    next.add(new Event("parcel.picked_up", data));
  }

  private Event health() {
    boolean degraded = random.nextBoolean();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("device", "lockboard-" + (1 + random.nextInt(3)));
    data.put("state", degraded ? "degraded" : "online");
    data.put(
        "detail",
        degraded ? "answered after " + (1 + random.nextInt(3)) + " retries" : "answering");
    return new Event("device.health", data);
  }

  private Event door(String type, String compartment, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("compartment", compartment);
    data.put("reason", reason);
    return new Event(type, data);
  }

  /** The next compartment in turn, {@code A01} to {@code D12}. */
  private String compartment() {
    int n = nextCompartment;
    nextCompartment = (nextCompartment + 1) % COMPARTMENTS;
    return String.format("%c%02d", (char) ('A' + n / 12), 1 + n % 12);
  }

  private String tracking() {
    return "SF" + digits(13);
  }

  private String digits(int count) {
    StringBuilder s = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      s.append((char) ('0' + random.nextInt(10)));
    }
    return s.toString();
  }

  /** A random (version 4) UUID drawn from the seeded generator. */
  private String uuid() {
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
