package dev.locker.sim.payment;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.DepositRequest;
import dev.locker.core.application.DepositResult;
import dev.locker.core.application.PaymentResult;
import dev.locker.core.application.PickupResult;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Payment;
import dev.locker.core.domain.PaymentState;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.TrackingNumber;
import dev.locker.core.testing.ManualClock;
import dev.locker.sim.Cabinet;
import dev.locker.sim.SimulatedLocker;
import dev.locker.sim.zvt.ZvtTerminalEmulator;
import dev.locker.sim.zvt.ZvtTerminalEmulator.Outcome;
import dev.locker.sim.zvt.ZvtTerminalEmulator.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Paid pickups on the whole simulated locker (the default profile: 24 h free, then HK$5 per started
 * 12 h, an HKD terminal): the real use cases and SQLite store, the real Kerong and ZVT drivers and
 * the payment adapter, against the emulated lock boards and ZVT terminal. The money invariant of
 * reliability-security.md §2.3 is checked where the money is, in the terminal's own journal: a door
 * that opened is paid once, one that did not is reversed, and a payment that was not taken charged
 * nothing and opened nothing. The card number the terminal may send is kept nowhere.
 */
class PaidPickupIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CODE = Pattern.compile("Pickup code: (\\d+)");
  private static final Money FEE = new Money(500, "HKD");
  private static final int HKD = 344;

  /** A Mastercard test number (EMVCo): what a terminal that emits the PAN would send. */
  private static final String TEST_PAN = "5413330089604771";

  @TempDir Path dir;
  private final ManualClock clock = ManualClock.at("2025-03-03T01:00:00Z");
  private SimulatedLocker locker;
  private ZvtTerminalEmulator emulator;
  private PaymentTerminal terminal;
  private boolean closed;
  private final List<String> screen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    var config = ((ConfigLoader.Result.Loaded) SimulatedLocker.defaultProfile()).config();
    locker = SimulatedLocker.start(config, dir, clock, health -> {});
    emulator = locker.terminal().orElseThrow();
    terminal = locker.assembly().peripherals().paymentTerminal().orElseThrow();
  }

  @AfterEach
  void stop() {
    if (!closed) {
      locker.close();
    }
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void aParcelKeptThirtyHoursIsPaidByCardAndItsDoorOpens() throws Exception {
    PickupResult.PaymentRequired due = keptFor("SF1000000001", Duration.ofHours(30));
    assertThat(due.due().total()).contains(FEE);

    PaymentResult result = pay(due);

    assertThat(result).isInstanceOf(PaymentResult.Opened.class);
    PaymentResult.Opened opened = (PaymentResult.Opened) result;
    assertThat(opened.paid()).isEqualTo(FEE);
    assertThat(opened.compartment()).isEqualTo(due.compartment());
    assertThat(locker.cabinet().isDoorOpen(due.compartment())).isTrue();
    assertThat(payments(due))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.state()).isEqualTo(PaymentState.PAID);
              assertThat(p.amount()).isEqualTo(FEE);
              assertThat(p.receipt()).contains("0001");
            });
    assertThat(emulator.journal())
        .as("the terminal's journal: one payment of HK$5.00, completed")
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.kind()).isEqualTo(Transaction.Kind.PAYMENT);
              assertThat(t.amountCents()).isEqualTo(500);
              assertThat(t.currency()).isEqualTo(HKD);
              assertThat(t.reversed()).isFalse();
            });
    JsonNode approved = last("payment.approved").get("data");
    assertThat(approved.get("amount").asLong()).isEqualTo(500);
    assertThat(approved.get("currency").asText()).isEqualTo("HKD");
    JsonNode fee = last("parcel.picked_up").get("data").get("fee");
    assertThat(fee.get("amount").asLong()).isEqualTo(500);
    assertThat(fee.get("currency").asText()).isEqualTo("HKD");
    assertThat(parcel("SF1000000001").state()).isEqualTo(ParcelState.PICKED_UP);
    assertThat(screen).as("the terminal's texts reached the screen").isNotEmpty();

    locker.cabinet().closeDoor(due.compartment());
    await("the compartment is free again", () -> compartment(due.compartment()).isAllocatable());
  }

  /**
   * 200 paid pickups of one parcel behind a jammed lock. Each is a full round trip on the in-memory
   * wires: authorization, the card phase, the profile's two unlocks that read latched, the refused
   * goods and the terminal's auto-reversal. With the emulator's lifelike card phase (300 ms) that
   * took 126 s on the shared 2-core machine (0.63 s each); the customers here hold their card
   * ready.
   */
  @Test
  void twoHundredPaidPickupsBehindAJammedLockEndInTwoHundredReversalsAndNoParcelReleased()
      throws Exception {
    PickupResult.PaymentRequired due = keptFor("SF1000000002", Duration.ofHours(60));
    locker.cabinet().apply(new Cabinet.LockFault.Jam(due.compartment()));
    emulator.cardPresentedAfter(Duration.ZERO);
    int attempts = 200;

    long started = System.nanoTime();
    for (int i = 0; i < attempts; i++) {
      PaymentResult result = pay(due);
      assertThat(result).as("attempt %d", i).isInstanceOf(PaymentResult.DoorDidNotOpen.class);
      assertThat(((PaymentResult.DoorDidNotOpen) result).reversed()).as("attempt %d", i).isTrue();
    }
    System.out.printf(
        "PaidPickupIT: %d jammed paid pickups took %d ms%n",
        attempts, Duration.ofNanos(System.nanoTime() - started).toMillis());

    List<Transaction> journal = emulator.journal();
    assertThat(journal.stream().filter(t -> t.kind() == Transaction.Kind.PAYMENT))
        .hasSize(attempts)
        .allMatch(Transaction::reversed);
    assertThat(journal.stream().filter(t -> t.kind() == Transaction.Kind.REVERSAL))
        .hasSize(attempts);
    assertThat(payments(due)).hasSize(attempts).allMatch(p -> p.state() == PaymentState.REVERSED);
    assertThat(parcel("SF1000000002").state()).isEqualTo(ParcelState.DEPOSITED);
    Compartment jammed = compartment(due.compartment());
    assertThat(jammed.state()).isEqualTo(CompartmentState.OCCUPIED);
    assertThat(jammed.fault()).isPresent();
    assertThat(locker.cabinet().isDoorOpen(due.compartment())).isFalse();
    assertThat(eventTypes().stream().filter("payment.reversed"::equals)).hasSize(attempts);
    assertThat(eventTypes()).doesNotContain("parcel.picked_up", "payment.approved");
  }

  @Test
  void aDeclinedCancelledOrUnansweredPaymentChargesNothingAndOpensNothing() throws Exception {
    PickupResult.PaymentRequired due = keptFor("SF1000000003", Duration.ofHours(30));

    emulator.nextPayment(Outcome.DECLINE_ABORT);
    assertThat(pay(due)).as("declined by 06 1E").isInstanceOf(PaymentResult.Declined.class);
    emulator.nextPayment(Outcome.DECLINE_STATUS);
    assertThat(pay(due)).as("declined by 04 0F").isInstanceOf(PaymentResult.Declined.class);
    emulator.nextPayment(Outcome.CUSTOMER_CANCEL);
    assertThat(pay(due)).as("stop key").isInstanceOf(PaymentResult.Cancelled.class);
    assertThat(payCancellingOnTheScreen(due)).isInstanceOf(PaymentResult.Cancelled.class);
    emulator.silent(true);
    assertThat(pay(due)).as("silent").isInstanceOf(PaymentResult.TerminalUnavailable.class);
    emulator.silent(false);

    assertThat(emulator.journal()).as("nothing was charged").isEmpty();
    assertThat(payments(due)).hasSize(5).allMatch(p -> p.state() == PaymentState.DECLINED);
    assertThat(eventTypes().stream().filter("payment.failed"::equals)).hasSize(5);
    assertThat(eventTypes()).doesNotContain("payment.approved", "parcel.picked_up");
    assertThat(locker.cabinet().isDoorOpen(due.compartment())).isFalse();
    assertThat(locker.cabinet().isLatched(due.compartment())).isTrue();
    assertThat(compartment(due.compartment()).state()).isEqualTo(CompartmentState.OCCUPIED);
    assertThat(parcel("SF1000000003").state()).isEqualTo(ParcelState.DEPOSITED);

    assertThat(pay(due)).as("and then pays").isInstanceOf(PaymentResult.Opened.class);
    assertThat(emulator.journal()).singleElement().matches(t -> !t.reversed());
  }

  /**
   * A terminal that sends the full card number (misconfigured, or a substituted one): after a paid
   * and a reversed pickup, neither the number nor its first twelve digits are anywhere the locker
   * writes: the database and its WAL, the log (down to TRACE), the outbox. Its last four are kept,
   * masked.
   */
  @Test
  void aFullCardNumberFromTheTerminalIsKeptNowhere() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.TRACE);
    try {
      emulator.sendPan(TEST_PAN);
      PickupResult.PaymentRequired paid = keptFor("SF1000000004", Duration.ofHours(30));
      assertThat(pay(paid)).isInstanceOf(PaymentResult.Opened.class);
      PickupResult.PaymentRequired jammed = keptFor("SF1000000005", Duration.ofHours(30));
      locker.cabinet().apply(new Cabinet.LockFault.Jam(jammed.compartment()));
      assertThat(pay(jammed)).isInstanceOf(PaymentResult.DoorDidNotOpen.class);

      byte[] bcd = HexFormat.ofDelimiter(" ").parseHex(spaced(TEST_PAN));
      assertThat(emulator.sent())
          .as("the terminal sent the full card number in its status information")
          .anyMatch(a -> a.is(0x04, 0x0F) && indexOf(a.data(), bcd) >= 0);
      assertThat(payments(paid))
          .singleElement()
          .satisfies(p -> assertThat(p.maskedPan()).contains("************4771"));
      assertThat(payments(jammed))
          .singleElement()
          .satisfies(p -> assertThat(p.maskedPan()).contains("************4771"));
      List<String> outbox =
          locker.assembly().store().read(r -> r.outbox(100_000)).stream()
              .map(LockerStore.OutboxEvent::envelope)
              .toList();
      assertThat(outbox).anyMatch(e -> e.contains("************4771"));
      assertNoPan("the outbox", String.join("\n", outbox).getBytes(StandardCharsets.UTF_8));
      assertNoPan("the database files, running", databaseFiles());

      locker.close();
      closed = true;
      assertNoPan("the database files, closed", databaseFiles());
      assertThat(logs.list).as("log lines were captured").isNotEmpty();
      assertNoPan("the log", logText(logs.list).getBytes(StandardCharsets.UTF_8));
    } finally {
      root.detachAppender(logs);
      root.setLevel(before);
    }
  }

  // ---------------------------------------------------------------- the PAN canary

  /**
   * Fails if {@code bytes} hold the test PAN or its first twelve digits: as text (ASCII, UTF-16),
   * as hex with or without spaces, or as the BCD of BMP 22.
   */
  private static void assertNoPan(String where, byte[] bytes) {
    String first12 = TEST_PAN.substring(0, 12);
    List<byte[]> forms = new ArrayList<>();
    for (String digits : List.of(TEST_PAN, first12)) {
      forms.add(digits.getBytes(StandardCharsets.US_ASCII));
      forms.add(digits.getBytes(StandardCharsets.UTF_16LE));
      forms.add(digits.getBytes(StandardCharsets.UTF_16BE));
      forms.add(HexFormat.ofDelimiter(" ").parseHex(spaced(digits)));
      forms.add(spaced(digits).getBytes(StandardCharsets.US_ASCII));
      forms.add(spaced(digits).toUpperCase().getBytes(StandardCharsets.US_ASCII));
    }
    for (byte[] form : forms) {
      int at = indexOf(bytes, form);
      assertThat(at)
          .as(
              "%s holds the card number as %s at byte %d",
              where, HexFormat.ofDelimiter(" ").formatHex(form), at)
          .isEqualTo(-1);
    }
  }

  /** "541333" → "54 13 33". */
  private static String spaced(String digits) {
    return digits.replaceAll("(..)(?!$)", "$1 ");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** locker.db, -wal and -shm as they are on disk, one after the other. */
  private byte[] databaseFiles() throws IOException {
    List<byte[]> parts = new ArrayList<>();
    for (String name : List.of("locker.db", "locker.db-wal", "locker.db-shm")) {
      Path file = dir.resolve(name);
      if (Files.exists(file)) {
        parts.add(Files.readAllBytes(file));
      }
    }
    assertThat(parts).as("locker.db exists").isNotEmpty();
    int size = parts.stream().mapToInt(p -> p.length).sum();
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  /** Every captured event: logger, thread, message, arguments and the whole throwable chain. */
  private static String logText(List<ILoggingEvent> events) {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent e : events) {
      text.append(e.getLoggerName())
          .append(' ')
          .append(e.getThreadName())
          .append(' ')
          .append(e.getFormattedMessage())
          .append(' ')
          .append(e.getMDCPropertyMap());
      if (e.getArgumentArray() != null) {
        for (Object argument : e.getArgumentArray()) {
          text.append(' ').append(argument);
        }
      }
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
      }
      text.append('\n');
    }
    return text.toString();
  }

  // ---------------------------------------------------------------- steps

  /**
   * A courier deposits {@code tracking} (size S) and closes the door; {@code kept} passes; the
   * recipient enters the code from the arrival message: what it asks to be paid.
   */
  private PickupResult.PaymentRequired keptFor(String tracking, Duration kept) throws Exception {
    DepositResult deposit =
        locker
            .assembly()
            .locker()
            .deposit(new DepositRequest("courier", tracking, "+85291234567", Optional.of(Size.S)));
    assertThat(deposit).isInstanceOf(DepositResult.Opened.class);
    DepositResult.Opened opened = (DepositResult.Opened) deposit;
    await("the deposit door is open", () -> locker.cabinet().isDoorOpen(opened.compartment()));
    locker.cabinet().closeDoor(opened.compartment());
    String code = awaitCode(opened.parcel());
    clock.advance(kept);
    PickupResult pickup = locker.assembly().locker().pickup(code);
    assertThat(pickup).isInstanceOf(PickupResult.PaymentRequired.class);
    return (PickupResult.PaymentRequired) pickup;
  }

  private PaymentResult pay(PickupResult.PaymentRequired due) {
    return locker.assembly().locker().payByCard(due.parcel(), terminal, screen::add);
  }

  /** The recipient presses cancel on the screen as soon as the terminal asks for the card. */
  private PaymentResult payCancellingOnTheScreen(PickupResult.PaymentRequired due) {
    CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
    PaymentResult result =
        locker
            .assembly()
            .locker()
            .payByCard(
                due.parcel(),
                terminal,
                text -> {
                  if (!cancelled.isDone()) {
                    cancelled.complete(true);
                    CompletableFuture.runAsync(terminal::cancel);
                  }
                });
    assertThat(cancelled).as("the terminal asked for the card").isCompleted();
    return result;
  }

  private String awaitCode(ParcelId parcel) throws InterruptedException {
    String[] code = new String[1];
    await(
        "the arrival message of " + parcel,
        () -> {
          for (JsonNode e : events()) {
            JsonNode data = e.get("data");
            if (e.get("type").asText().equals("notification.requested")
                && data.get("parcelId").asText().equals(parcel.value())) {
              Matcher m = CODE.matcher(data.get("text").asText());
              if (m.find()) {
                code[0] = m.group(1);
                return true;
              }
            }
          }
          return false;
        });
    return code[0];
  }

  // ---------------------------------------------------------------- reading the locker

  private List<Payment> payments(PickupResult.PaymentRequired due) {
    return locker.assembly().store().read(r -> r.payments(due.parcel()));
  }

  private Compartment compartment(CompartmentId id) {
    return locker.assembly().store().read(r -> r.compartment(id)).orElseThrow();
  }

  private Parcel parcel(String tracking) {
    LockerStore store = locker.assembly().store();
    return store
        .read(r -> r.liveParcel(new TrackingNumber(tracking)))
        .or(
            () ->
                store.read(r -> r.parcels(ParcelState.PICKED_UP)).stream()
                    .filter(p -> p.tracking().value().equals(tracking))
                    .findFirst())
        .orElseThrow();
  }

  private List<JsonNode> events() {
    return locker.assembly().store().read(r -> r.outbox(100_000)).stream()
        .map(e -> parse(e.envelope()))
        .toList();
  }

  private List<String> eventTypes() {
    return events().stream().map(e -> e.get("type").asText()).toList();
  }

  private JsonNode last(String type) {
    List<JsonNode> all =
        events().stream().filter(e -> e.get("type").asText().equals(type)).toList();
    assertThat(all).as(type).isNotEmpty();
    return all.get(all.size() - 1);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never: " + what);
      }
      Thread.sleep(10);
    }
  }
}
