package dev.locker.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.testing.ManualClock;
import dev.locker.sim.zvt.ZvtTerminalEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's console: a person's commands, good and bad. */
class ConsoleTest {
  @TempDir Path dir;
  private SimulatedLocker locker;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private Console console;

  @BeforeEach
  void start() throws Exception {
    LockerConfig config = ((ConfigLoader.Result.Loaded) SimulatedLocker.defaultProfile()).config();
    locker = SimulatedLocker.start(config, dir, Clock.systemUTC(), health -> {});
    console = new Console(locker, new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    locker.close();
  }

  /** Starts the locker again, empty, on a clock the test moves. */
  private ManualClock onManualClock() throws Exception {
    locker.close();
    ManualClock clock = new ManualClock(Instant.parse("2025-03-03T01:00:00Z"));
    LockerConfig config = ((ConfigLoader.Result.Loaded) SimulatedLocker.defaultProfile()).config();
    locker = SimulatedLocker.start(config, dir.resolve("manual-clock"), clock, health -> {});
    console = new Console(locker, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return clock;
  }

  /** A courier deposits a parcel of size S into A07 and closes it: the code from the message. */
  private String depositedInA07(String tracking) throws Exception {
    console.execute("deposit " + tracking + " +85291234567 S");
    assertThat(said()).contains("[locker] A07 (S) is open");
    awaitDoor("A07", true);
    console.execute("close A07");
    Matcher code = Pattern.compile("Pickup code: (\\d{8})").matcher(awaitSaid("[sms to ****4567]"));
    assertThat(code.find()).isTrue();
    return code.group(1);
  }

  private String said() {
    String text = bytes.toString(StandardCharsets.UTF_8);
    bytes.reset();
    return text;
  }

  @Test
  void aParcelGoesInAndComesOutThroughTheConsole() throws Exception {
    console.execute("deposit JD0001 +85291234567 S");
    assertThat(said()).contains("[locker] A07 (S) is open: seventh row from the bottom, leftmost");

    awaitDoor("A07", true);
    console.execute("close A07");
    String sms = awaitSaid("[sms to ****4567]");
    Matcher code = Pattern.compile("Pickup code: (\\d{8})").matcher(sms);
    assertThat(code.find()).isTrue();

    console.execute("pickup " + code.group(1));
    assertThat(said()).contains("[locker] A07 is open");
    awaitDoor("A07", true);
    console.execute("close A07");
    assertThat(awaitSaid("is free again")).contains("[locker] A07 is free again");
  }

  @Test
  void aRecipientScansTheCodeFromTheirMessageAndTheDoorOpens() throws Exception {
    console.execute("deposit JD0003 +85291234567 M");
    String opened = said();
    String compartment = opened.replaceAll("(?s).*\\[locker\\] (\\w+) \\(M\\) is open.*", "$1");
    awaitDoor(compartment, true);
    console.execute("close " + compartment);
    Matcher code = Pattern.compile("Pickup code: (\\d{8})").matcher(awaitSaid("[sms to ****4567]"));
    assertThat(code.find()).isTrue();

    console.execute("scan " + code.group(1));
    assertThat(said())
        .contains("[scanner] read a code of 8 characters")
        .contains("[locker] " + compartment + " is open")
        .doesNotContain(code.group(1));
  }

  @Test
  void aRecipientHoldsTheQrOnTheirPhoneToTheCameraAndTheDoorOpens() throws Exception {
    console.execute("deposit JD0004 +85291234567 L");
    String compartment = said().replaceAll("(?s).*\\[locker\\] (\\w+) \\(L\\) is open.*", "$1");
    awaitDoor(compartment, true);
    console.execute("close " + compartment);
    Matcher code = Pattern.compile("Pickup code: (\\d{8})").matcher(awaitSaid("[sms to ****4567]"));
    assertThat(code.find()).isTrue();

    console.execute("show " + code.group(1));
    assertThat(said())
        .contains("[camera] read a code of 8 characters")
        .contains("[locker] " + compartment + " is open");
  }

  @Test
  void aCardReachesTheLockerOnlyAsAKeyedHash() {
    console.execute("card 04A1B2C3");
    assertThat(said())
        .containsPattern("card read; only its keyed hash travels on: [0-9a-f]{12}…")
        .doesNotContainIgnoringCase("04A1B2C3");
    console.execute("card nonsense");
    assertThat(said()).contains("that is not a card UID");
  }

  @Test
  void aTestPaymentRunsOverTheTerminalsWireAndShowsOnlyTheMaskedCard() {
    console.execute("pay 12.50");
    assertThat(said())
        .containsPattern("\\[terminal\\] approved: \\*+\\d{4}, receipt \\d{4}, \\d+ receipt lines");
    locker
        .terminal()
        .orElseThrow()
        .nextPayment(dev.locker.sim.zvt.ZvtTerminalEmulator.Outcome.CUSTOMER_CANCEL);
    console.execute("pay 3");
    assertThat(said()).contains("[terminal] cancelled:").contains("nothing was charged");
    console.execute("pay 1,50");
    assertThat(said()).contains("usage: pay AMOUNT");
    console.execute("pay 0");
    assertThat(said()).contains("a payment needs an amount above 0");
  }

  @Test
  void aRecipientWhoOwesAStorageFeePaysItOnTheCardTerminalAndTheDoorOpens() throws Exception {
    ManualClock clock = onManualClock();
    String code = depositedInA07("SF1234567890");
    clock.advance(Duration.ofHours(30));

    console.execute("pickup " + code);
    assertThat(said())
        .contains(
            "[locker] HK$5.00 storage fee is due for SF1234567890;"
                + " 'paycard' pays it on the card terminal");
    assertThat(locker.cabinet().isDoorOpen(CompartmentId.of("A07"))).isFalse();

    locker.terminal().orElseThrow().nextPayment(ZvtTerminalEmulator.Outcome.DECLINE_ABORT);
    console.execute("paycard");
    assertThat(said())
        .contains("[terminal] declined:")
        .contains("nothing was charged; 'paycard' to try another card");

    locker.terminal().orElseThrow().nextPayment(ZvtTerminalEmulator.Outcome.CUSTOMER_CANCEL);
    console.execute("paycard");
    assertThat(said()).contains("[terminal] cancelled:").contains("nothing was charged");

    console.execute("paycard");
    assertThat(said())
        .contains("[terminal] ")
        .contains(
            "[locker] paid HK$5.00; A07 is open: seventh row from the bottom, leftmost;"
                + " 'close A07' after taking the parcel");
    awaitDoor("A07", true);
    console.execute("close A07");
    assertThat(awaitSaid("is free again")).contains("[locker] A07 is free again");

    console.execute("paycard");
    assertThat(said()).contains("nothing to pay: enter a pickup code first");
  }

  @Test
  void aScannedCodeAsksForTheFeeAndAJammedDoorReversesThePayment() throws Exception {
    ManualClock clock = onManualClock();
    String code = depositedInA07("SF1234567891");
    clock.advance(Duration.ofHours(30));
    locker.cabinet().apply(new Cabinet.LockFault.Jam(CompartmentId.of("A07")));

    console.execute("scan " + code);
    assertThat(said())
        .contains("[scanner] read a code of 8 characters")
        .contains("[locker] HK$5.00 storage fee is due for SF1234567891");

    console.execute("paycard");
    assertThat(said())
        .contains(
            "[locker] A07 did not open and is marked faulty; the payment was reversed, nothing was"
                + " charged; your code stays valid");
    assertThat(locker.terminal().orElseThrow().journal())
        .filteredOn(t -> t.kind() == ZvtTerminalEmulator.Transaction.Kind.PAYMENT)
        .singleElement()
        .matches(ZvtTerminalEmulator.Transaction::reversed);
    console.execute("help");
    assertThat(said()).contains("paycard");
  }

  @Test
  void aTechnicianTakesACompartmentOutOfServiceAndBack() {
    console.execute("service a07 off hinge bent");
    assertThat(said()).contains("[locker] A07 is out of service");
    console.execute("status");
    assertThat(said()).containsPattern("A07 .*out of service");
    console.execute("service A07 on hinge fixed");
    assertThat(said()).contains("[locker] A07 is back in service");
    console.execute("service A07 on again");
    assertThat(said()).contains("A07 already is in service");
    console.execute("service Z99 off gone");
    assertThat(said()).contains("no compartment Z99");
    console.execute("service A07 sideways because");
    assertThat(said()).contains("usage: service COMPARTMENT off|on REASON");
  }

  @Test
  void badInputGetsASpecificAnswerAndChangesNothing() {
    console.execute("deposit JD0002 91234567");
    assertThat(said()).contains("recipientPhone: enter the number with its country code");
    console.execute("deposit JD0002 +85291234567 XXL");
    assertThat(said()).contains("size must be S, M, L or XL");
    console.execute("deposit");
    assertThat(said()).contains("usage: deposit TRACKING PHONE");
    console.execute("pickup 12ab");
    assertThat(said()).contains("a pickup code has digits only");
    console.execute("pickup 1234");
    assertThat(said()).contains("a pickup code has 8 digits");
    console.execute("close Z99");
    assertThat(said()).contains("no compartment Z99");
    console.execute("close ../etc");
    assertThat(said()).contains("no compartment ../etc");
    console.execute("scan");
    assertThat(said()).contains("usage: scan TEXT");
    console.execute("scan 1234\u0007");
    assertThat(said()).contains("nothing usable was read");
    console.execute("card");
    assertThat(said()).contains("usage: card UID");
    console.execute("launch rockets");
    assertThat(said()).contains("unknown command 'launch'");

    console.execute("status");
    assertThat(said()).doesNotContain("LOADING").doesNotContain("OCCUPIED");
  }

  @Test
  void aForcedDoorRaisesTheAlarm() throws Exception {
    console.execute("force C01");
    assertThat(awaitSaid("ALARM")).contains("door C01 opened with no reason recorded");
  }

  private void awaitDoor(String id, boolean open) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (locker.cabinet().isDoorOpen(dev.locker.core.domain.CompartmentId.of(id)) != open) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(id + " never " + (open ? "opened" : "closed"));
      }
      Thread.sleep(10);
    }
  }

  private String awaitSaid(String text) throws InterruptedException {
    StringBuilder all = new StringBuilder();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!all.toString().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never said " + text + "; said: " + all);
      }
      Thread.sleep(20);
      all.append(said());
    }
    return all.toString();
  }
}
