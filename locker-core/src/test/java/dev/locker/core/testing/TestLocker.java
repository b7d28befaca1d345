package dev.locker.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.DepositRequest;
import dev.locker.core.application.DepositResult;
import dev.locker.core.application.Locker;
import dev.locker.core.application.LockerLoop;
import dev.locker.core.application.LockerPolicy;
import dev.locker.core.application.PickupResult;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.PickupCodeGenerator;
import dev.locker.core.domain.PickupCodeHasher;
import dev.locker.core.domain.Size;
import dev.locker.core.store.InMemoryLockerStore;
import dev.locker.core.store.SqliteLockerStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A locker assembled from the real use cases and store with fake locks and doors, for scenario
 * tests: "given a locker with a free S compartment, when a courier deposits, then …".
 *
 * <p>The cabinet: A01–A04 size S, B01–B03 M, C01–C02 L, D01 XL.
 */
public final class TestLocker implements AutoCloseable {
  public static final String LOCKER_ID = "LCK-TEST-01";
  private static final Pattern CODE = Pattern.compile("Pickup code: (\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  public final ManualClock clock;
  public final FakeDoors doors;
  public final FakeLocks locks;
  private LockerLoop loop;
  private final Function<ManualClock, LockerStore> storeFactory;
  private final byte[] secret;
  private final LockerPolicy policy;
  private LockerStore store;
  private Locker locker;

  public static Map<CompartmentId, Size> cabinet() {
    Map<CompartmentId, Size> cabinet = new LinkedHashMap<>();
    for (String id : List.of("A01", "A02", "A03", "A04")) {
      cabinet.put(CompartmentId.of(id), Size.S);
    }
    for (String id : List.of("B01", "B02", "B03")) {
      cabinet.put(CompartmentId.of(id), Size.M);
    }
    cabinet.put(CompartmentId.of("C01"), Size.L);
    cabinet.put(CompartmentId.of("C02"), Size.L);
    cabinet.put(CompartmentId.of("D01"), Size.XL);
    return cabinet;
  }

  public static LockerPolicy testPolicy() {
    return LockerPolicy.defaults(LOCKER_ID, "Test Tower").withOpenTimeout(Duration.ofMillis(200));
  }

  private TestLocker(Function<ManualClock, LockerStore> storeFactory, LockerPolicy policy) {
    this.clock = ManualClock.at("2026-11-22T10:00:00Z");
    this.doors = new FakeDoors(cabinet().keySet());
    this.locks = new FakeLocks(doors);
    this.storeFactory = storeFactory;
    this.policy = policy;
    this.secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    boot();
  }

  public static TestLocker inMemory() {
    return new TestLocker(clock -> new InMemoryLockerStore(clock, LOCKER_ID), testPolicy());
  }

  public static TestLocker inMemory(LockerPolicy policy) {
    return new TestLocker(clock -> new InMemoryLockerStore(clock, LOCKER_ID), policy);
  }

  public static TestLocker sqlite(Path folder) {
    return sqlite(folder, testPolicy());
  }

  public static TestLocker sqlite(Path folder, LockerPolicy policy) {
    Path file = folder.resolve("locker.db");
    return new TestLocker(clock -> SqliteLockerStore.open(file, clock, LOCKER_ID), policy);
  }

  private void boot() {
    store = storeFactory.apply(clock);
    locker = newLocker();
    locker.start(cabinet(), Duration.ofSeconds(1));
  }

  /**
   * Stops the locker as a power cut would (nothing flushed beyond what was committed) and boots.
   */
  public Locker.ReconcileReport restart() {
    locker.close();
    store.close();
    store = storeFactory.apply(clock);
    locker = newLocker();
    return locker.start(cabinet(), Duration.ofSeconds(1));
  }

  private Locker newLocker() {
    loop = new LockerLoop();
    return new Locker(
        policy,
        store,
        locks,
        doors,
        clock,
        new PickupCodeHasher(secret),
        new PickupCodeGenerator(new SecureRandom(), policy.codeLength()),
        loop,
        Locker.DoorWait.POLLING);
  }

  public Locker locker() {
    return locker;
  }

  /** The locker's loop (the single writer), for work that must run on it. */
  public LockerLoop loop() {
    return loop;
  }

  public LockerStore store() {
    return store;
  }

  public DepositResult deposit(String tracking, Size size) {
    return locker.deposit(
        new DepositRequest("courier-7", tracking, "+852 9123 4567", Optional.of(size)));
  }

  /** Deposits, closes the door and returns the pickup code from the recipient's message. */
  public String depositAndClose(String tracking, Size size) {
    DepositResult result = deposit(tracking, size);
    if (!(result instanceof DepositResult.Opened opened)) {
      throw new AssertionError("deposit did not open a door: " + result);
    }
    closeDoor(opened.compartment().value());
    return lastCode();
  }

  public PickupResult pickup(String code) {
    return locker.pickup(code);
  }

  public void openDoor(String id) {
    doors.open(CompartmentId.of(id));
    locker.awaitIdle();
  }

  public void closeDoor(String id) {
    doors.close(CompartmentId.of(id));
    locker.awaitIdle();
  }

  public Compartment compartment(String id) {
    return store.read(r -> r.compartment(CompartmentId.of(id))).orElseThrow();
  }

  /** Every event still in the outbox, in seq order. */
  public List<JsonNode> events() {
    return store.read(r -> r.outbox(100_000)).stream().map(e -> parse(e.envelope())).toList();
  }

  public List<String> eventTypes() {
    return events().stream().map(e -> e.get("type").asText()).toList();
  }

  /** The pickup code in the newest arrival message. */
  public String lastCode() {
    List<JsonNode> notices =
        events().stream()
            .filter(e -> e.get("type").asText().equals("notification.requested"))
            .toList();
    if (notices.isEmpty()) {
      throw new AssertionError("no arrival message was sent");
    }
    Matcher m = CODE.matcher(notices.get(notices.size() - 1).get("data").get("text").asText());
    if (!m.find()) {
      throw new AssertionError("the arrival message has no code");
    }
    return m.group(1);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    locker.close();
    store.close();
  }
}
