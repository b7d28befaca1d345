package dev.locker.sim.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.cardreader.CardUidReader;
import dev.locker.hal.input.SerialCardReader;
import dev.locker.hal.input.SerialCodeScanner;
import dev.locker.hal.lines.LineDecoder;
import dev.locker.hal.scanner.LineScanner;
import dev.locker.hal.scanner.TriggerMode;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SerialLink;
import dev.locker.hal.serial.SerialWire;
import dev.locker.sim.scanner.LineDeviceEmulator.Fault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The scanner and card-reader drivers against their emulators, over every wire. */
class ScannerAndCardReaderIT {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private SerialLink[] wire(SerialWire wire) throws Exception {
    SerialWire.Ends ends = wire.open(dir, "scanner", JsscSerialLink.LineSettings.eightN1(9600));
    open.add(ends);
    return new SerialLink[] {ends.host(), ends.device()};
  }

  private LineDeviceEmulator scanner(SerialWire wire, TriggerMode trigger, LineScanner[] driver)
      throws Exception {
    SerialLink[] ends = wire(wire);
    LineDeviceEmulator device =
        new LineDeviceEmulator(
            ends[1], new LineDeviceEmulator.Format("", "]Q1", "\r\n"), 7, "scanner-emulator");
    LineScanner scanner =
        new LineScanner(
            ends[0],
            new LineScanner.Settings(
                new LineDecoder.Settings("", true, 512), trigger, Duration.ofSeconds(1)),
            Clock.systemUTC(),
            health::add);
    driver[0] = scanner;
    SerialCodeScanner port = new SerialCodeScanner(scanner);
    port.start((text, symbology) -> reads.add(symbology + " " + text));
    open.add(port);
    open.add(device);
    return device;
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aReadComesThroughOnceWithItsSymbology(SerialWire wire) throws Exception {
    LineScanner[] driver = new LineScanner[1];
    LineDeviceEmulator device = scanner(wire, TriggerMode.NONE, driver);

    device.read("PICKUP:LCK-SIM-0001:4711");
    device.read("PICKUP:LCK-SIM-0001:4711");
    device.read("JD0001");

    await(() -> reads.size() >= 2, "two reads");
    assertThat(reads).containsExactly("]Q1 PICKUP:LCK-SIM-0001:4711", "]Q1 JD0001");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void everyFaultIsDroppedCountedInHealthAndTheNextReadWorks(SerialWire wire) throws Exception {
    LineScanner[] driver = new LineScanner[1];
    LineDeviceEmulator device = scanner(wire, TriggerMode.NONE, driver);

    device.read("AAA111", Fault.CONTROL_CHARACTER);
    device.read("BBB222", Fault.OVERLONG);
    device.read("CCC333", Fault.CUT_OFF);
    device.read("DDD444");
    device.read("EEE555", Fault.GARBAGE_BEFORE);

    await(() -> reads.contains("]Q1 EEE555"), "the read after the garbage");
    assertThat(reads).doesNotContain("]Q1 AAA111", "]Q1 BBB222", "]Q1 DDD444");
    assertThat(driver[0].rejectedLines()).isGreaterThanOrEqualTo(3);
    assertThat(health)
        .anySatisfy(
            h -> {
              assertThat(h.device()).isEqualTo("scanner");
              assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
              assertThat(h.detail()).contains("unreadable");
            });
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void triggerCommandsReachTheScanner(SerialWire wire) throws Exception {
    LineScanner[] driver = new LineScanner[1];
    LineDeviceEmulator device = scanner(wire, TriggerMode.HONEYWELL, driver);

    driver[0].trigger(true);
    driver[0].trigger(false);

    await(() -> joined(device.received()).equals("16540D16550D"), "both commands");
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aZebraScannerWithTheSsiHandshakeOnAcksTriggersAndItsReadsStayClean(SerialWire wire)
      throws Exception {
    LineScanner[] driver = new LineScanner[1];
    LineDeviceEmulator device = scanner(wire, TriggerMode.ZEBRA_SSI, driver);
    device.ssiHandshake(true);

    driver[0].trigger(true);
    await(() -> joined(device.received()).equals("04E40400FF14"), "START_DECODE");
    device.read("12345678");
    driver[0].trigger(false);
    await(() -> joined(device.received()).endsWith("04E50400FF13"), "STOP_DECODE");
    device.read("87654321");

    await(() -> reads.size() == 2, "both reads");
    assertThat(reads).containsExactly("]Q1 12345678", "]Q1 87654321");
    assertThat(driver[0].rejectedLines()).isZero();
    assertThat(health).allSatisfy(h -> assertThat(h.state()).isEqualTo(HealthState.ONLINE));
  }

  @ParameterizedTest
  @EnumSource(SerialWire.class)
  void aCardIsReportedOnlyAsAKeyedHashAndBadLinesAreCounted(SerialWire wire) throws Exception {
    SerialLink[] ends = wire(wire);
    LineDeviceEmulator device =
        new LineDeviceEmulator(ends[1], LineDeviceEmulator.Format.plain(), 9, "card-emulator");
    List<String> cards = new CopyOnWriteArrayList<>();
    SerialCardReader reader =
        new SerialCardReader(
            new CardUidReader(ends[0], health::add),
            uid -> "hash-of-" + HexFormat.of().formatHex(uid).length() / 2 + "-bytes");
    reader.start(cards::add);
    open.add(reader);
    open.add(device);

    device.read("not-a-card");
    device.read("04A1B2C3");
    device.read("04A1B2C3D4E5F6");

    await(() -> cards.size() == 2, "two cards");
    assertThat(cards).containsExactly("hash-of-4-bytes", "hash-of-7-bytes");
    assertThat(health)
        .anyMatch(h -> h.state() == HealthState.DEGRADED && h.detail().contains("not a card UID"));
  }

  private static String joined(List<byte[]> chunks) {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(c -> sb.append(HexFormat.of().withUpperCase().formatHex(c)));
    return sb.toString();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
