package dev.locker.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.config.LockerConfig.BoardChannel;
import dev.locker.core.config.LockerConfig.Devices;
import dev.locker.core.config.LockerConfig.ScannerTrigger;
import dev.locker.core.config.LockerConfig.XorBoardHardware;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The second lock-board family and the peripherals: scanner, card reader, camera, terminal. */
class DevicesConfigTest {

  private static final String XOR_LOCKER =
      """
      locker: {id: LCK-T-2, name: Test, address: 1 Test Road}
      hardware:
        driver: xor-board
        xorBoard:
          port: /dev/ttyUSB0
          boards: [1, 2]
      compartments:
        - {id: A01, size: S, position: {column: 1, row: 1}, lock: {board: 1, channel: 1}}
        - {id: A02, size: S, position: {column: 1, row: 2}, lock: {board: 2, channel: 24}}
      """;

  private static LockerConfig loaded(String yaml) {
    ConfigLoader.Result result = ConfigLoader.parse(yaml, "test.yaml");
    assertThat(result).isInstanceOf(ConfigLoader.Result.Loaded.class);
    return ((ConfigLoader.Result.Loaded) result).config();
  }

  private static List<String> problems(String yaml) {
    ConfigLoader.Result result = ConfigLoader.parse(yaml, "test.yaml");
    assertThat(result).isInstanceOf(ConfigLoader.Result.Invalid.class);
    return ((ConfigLoader.Result.Invalid) result)
        .problems().stream().map(ConfigProblem::toString).toList();
  }

  private static String withDevices(String devices) {
    return ConfigLoaderTest.MINIMAL + "devices:\n" + devices.indent(2);
  }

  @Test
  void anXorBoardLockerHas24ChannelsPerBoardAndTheBoardDefaults() {
    LockerConfig config = loaded(XOR_LOCKER);
    XorBoardHardware xor = (XorBoardHardware) config.hardware();
    assertThat(xor.boards()).containsExactly(1, 2);
    assertThat(xor.baud()).isEqualTo(9600);
    assertThat(xor.replyTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(config.compartments().get(1).lock()).isEqualTo(new BoardChannel(2, 24));
    assertThat(config.devices()).isEqualTo(Devices.NONE);
  }

  @Test
  void theXorBoardProfileLoadsWithItsScannerAndCardReader() {
    ConfigLoader.Result result =
        ConfigLoader.load(java.nio.file.Path.of("..", "config", "xor-rs485.yaml"));
    assertThat(result).isInstanceOf(ConfigLoader.Result.Loaded.class);
    LockerConfig config = ((ConfigLoader.Result.Loaded) result).config();
    assertThat(((XorBoardHardware) config.hardware()).boards()).containsExactly(1, 2);
    assertThat(config.compartments()).hasSize(24);
    assertThat(config.devices().scanner())
        .hasValueSatisfying(s -> assertThat(s.trigger()).isEqualTo(ScannerTrigger.ZEBRA_SSI));
    assertThat(config.devices().cardReader()).isPresent();
  }

  @Test
  void anXorBoardLockRefusesChannelsAndBoardsOutsideItsRange() {
    assertThat(
            problems(
                XOR_LOCKER
                    .replace("channel: 24", "channel: 25")
                    .replace("lock: {board: 1,", "lock: {board: 3,")))
        .containsExactlyInAnyOrder(
            "compartments[1].lock.channel: must be between 1 and 24, was 25",
            "compartments[0].lock.board: board 3 is not in hardware.xorBoard.boards ([1, 2])");
  }

  @Test
  void xorBoardAddressesMustBeDistinctWholeNumbers() {
    assertThat(problems(XOR_LOCKER.replace("boards: [1, 2]", "boards: [1, 1, x, 100]")))
        .contains(
            "hardware.xorBoard.boards[1]: duplicate board address 1 (also at boards[0])",
            "hardware.xorBoard.boards[2]: must be a whole number, was \"x\"",
            "hardware.xorBoard.boards[3]: must be between 1 and 99, was 100");
  }

  @Test
  void aSectionOfAnotherDriverIsAnError() {
    assertThat(
            problems(
                XOR_LOCKER.replace(
                    "  xorBoard:",
                    "  kerong: {port: /dev/ttyS0, boards: [{address: 0}]}\n  xorBoard:")))
        .contains("hardware.kerong: does not go with driver xor-board");
  }

  @Test
  void everyPeripheralIsReadWithItsDefaults() {
    LockerConfig config =
        loaded(
            withDevices(
                """
                scanner: {port: /dev/ttyACM0, trigger: zebra-ssi, prefix: "#"}
                cardReader: {port: /dev/ttyUSB1, baud: 19200}
                camera: {command: [rpicam-still, -n, -t, 1, -e, png, -o, "-"]}
                paymentTerminal: {port: /dev/ttyUSB2, password: "123456", currency: HKD}
                """));
    Devices devices = config.devices();
    assertThat(devices.scanner())
        .hasValueSatisfying(
            s -> {
              assertThat(s.serial()).isEqualTo(new LockerConfig.SerialPort("/dev/ttyACM0", 9600));
              assertThat(s.trigger()).isEqualTo(ScannerTrigger.ZEBRA_SSI);
              assertThat(s.prefix()).isEqualTo("#");
              assertThat(s.stripAimId()).isTrue();
              assertThat(s.maxLength()).isEqualTo(512);
              assertThat(s.repeatWindow()).isEqualTo(Duration.ofSeconds(2));
            });
    assertThat(devices.cardReader())
        .hasValueSatisfying(c -> assertThat(c.serial().baud()).isEqualTo(19200));
    assertThat(devices.camera())
        .hasValueSatisfying(
            c -> {
              assertThat(c.command()).startsWith("rpicam-still", "-n").endsWith("-");
              assertThat(c.interval()).isEqualTo(Duration.ofMillis(500));
              assertThat(c.onlyWhenTriggered()).isTrue();
            });
    assertThat(devices.paymentTerminal())
        .hasValueSatisfying(
            t -> {
              assertThat(t.currency()).isEqualTo("HKD");
              assertThat(t.serial().baud()).isEqualTo(9600);
              assertThat(t.toString()).doesNotContain("123456");
            });
  }

  @Test
  void badPeripheralsAreAllReportedAtOnceWithTheirPaths() {
    assertThat(
            problems(
                withDevices(
                    """
                    scanner: {port: "", trigger: honeywel, maxLength: 2, prefix: "\\t"}
                    cardReader: {baud: 1234}
                    camera: {command: [], interval: 1ms}
                    paymentTerminal: {port: /dev/ttyUSB2, password: "12ab", currency: XYZ}
                    printer: {port: /dev/lp0}
                    """)))
        .containsExactlyInAnyOrder(
            "devices.scanner.port: must not be blank",
            "devices.scanner.trigger: must be one of none, honeywell, zebra-ssi, was \"honeywel\"",
            "devices.scanner.maxLength: must be between 8 and 4096, was 2",
            "devices.scanner.prefix: must be printable text (the scanner's programmed prefix)",
            "devices.cardReader.port: is required",
            "devices.cardReader.baud: must be one of 9600, 19200, 38400, 57600, 115200, was 1234",
            "devices.camera.command: must be a non-empty list of words, was an empty list",
            "devices.camera.interval: must be between 50ms and 10s, was 1ms",
            "devices.paymentTerminal.password: must be the terminal's 6-digit ECR password (digits"
                + " only)",
            "devices.paymentTerminal.currency: must be an ISO 4217 code such as EUR, HKD or CNY,"
                + " was \"XYZ\"",
            "devices.printer: unknown key");
  }

  @Test
  void theTerminalPasswordIsRequiredAndNeverEchoed() {
    List<String> missing = problems(withDevices("paymentTerminal: {port: /dev/ttyUSB2}"));
    assertThat(missing).containsExactly("devices.paymentTerminal.password: is required");
    List<String> wrong =
        problems(withDevices("paymentTerminal: {port: /dev/ttyUSB2, password: \"98765x\"}"));
    assertThat(String.join("\n", wrong)).doesNotContain("98765");
  }
}
