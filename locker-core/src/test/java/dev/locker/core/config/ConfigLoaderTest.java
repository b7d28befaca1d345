package dev.locker.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.config.LockerConfig.BoardChannel;
import dev.locker.core.config.LockerConfig.CompartmentSpec;
import dev.locker.core.config.LockerConfig.GpioHardware;
import dev.locker.core.config.LockerConfig.KerongHardware;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Size;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  private static final Path PROFILES = Path.of("..", "config");

  static final String MINIMAL =
      """
      locker: {id: LCK-T-1, name: Test, address: 1 Test Road}
      hardware:
        driver: kerong-cu16
        kerong:
          port: /dev/ttyUSB0
          boards: [{address: 0}]
      compartments:
        - {id: A01, size: S, position: {column: 1, row: 1}, lock: {board: 0, channel: 1}}
      """;

  private static LockerConfig loaded(ConfigLoader.Result result) {
    assertThat(result).isInstanceOf(ConfigLoader.Result.Loaded.class);
    return ((ConfigLoader.Result.Loaded) result).config();
  }

  private static List<String> problems(String yaml) {
    ConfigLoader.Result result = ConfigLoader.parse(yaml, "test.yaml");
    assertThat(result).isInstanceOf(ConfigLoader.Result.Invalid.class);
    return ((ConfigLoader.Result.Invalid) result)
        .problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void theSimulatorProfileIsTwoKerongBoardsAndAtLeast24MixedCompartments() {
    LockerConfig config = loaded(ConfigLoader.load(PROFILES.resolve("simulator.yaml")));
    KerongHardware kerong = (KerongHardware) config.hardware();
    assertThat(kerong.boards()).hasSize(2);
    assertThat(config.compartments()).hasSizeGreaterThanOrEqualTo(24);
    assertThat(config.compartments())
        .extracting(CompartmentSpec::size)
        .contains(Size.S, Size.M, Size.L, Size.XL);
    assertThat(config.locker().id()).isEqualTo("LCK-SIM-0001");
    assertThat(config.cloud()).hasValueSatisfying(c -> assertThat(c.insecurePlaintext()).isTrue());
  }

  @Test
  void theRealBoardProfileLoads() {
    LockerConfig config = loaded(ConfigLoader.load(PROFILES.resolve("kerong-rs485.yaml")));
    assertThat(((KerongHardware) config.hardware()).port()).isEqualTo("/dev/ttyUSB0");
    assertThat(config.compartments()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(config.locker().defaultLanguage()).isEqualTo(Language.ZH_HANT);
  }

  @Test
  void theGpioProfileLoads() {
    LockerConfig config = loaded(ConfigLoader.load(PROFILES.resolve("pi-gpio.yaml")));
    GpioHardware gpio = (GpioHardware) config.hardware();
    assertThat(gpio.provider()).isEqualTo("gpiod");
    assertThat(gpio.doorClosedIsLow()).isTrue();
    assertThat(config.compartments()).hasSize(8);
  }

  @Test
  void missingKeysTakeTheirDefaults() {
    LockerConfig config = loaded(ConfigLoader.parse(MINIMAL, "minimal.yaml"));
    assertThat(config.pickup())
        .isEqualTo(
            new LockerConfig.Pickup(
                8, 5, Duration.ofSeconds(60), Duration.ofHours(1), 20, Duration.ofHours(72)));
    assertThat(config.doors())
        .isEqualTo(new LockerConfig.Doors(Duration.ofSeconds(10), 2, Duration.ofSeconds(60)));
    KerongHardware kerong = (KerongHardware) config.hardware();
    assertThat(kerong.baud()).isEqualTo(19200);
    assertThat(kerong.pollInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(kerong.boards().get(0).hookPolarity())
        .isEqualTo(LockerConfig.HookPolarity.LATCHED_IS_1);
    assertThat(config.locker().defaultLanguage()).isEqualTo(Language.EN);
    assertThat(config.cloud()).isEmpty();
    assertThat(config.compartments().get(0).lock()).isEqualTo(new BoardChannel(0, 1));
  }

  @Test
  void everyMistakeIsReportedAtOnceWithItsPathAndReason() {
    String yaml =
        """
        locker: {id: x, name: Test, address: 1 Test Road, timeZone: Mars/Olympus, defaultLanguage: fr}
        lockr: {}
        pickup: {codeLength: 12, lockout: soon, maxFailuresPerHour: eight}
        hardware:
          driver: kerong-cu16
          kerong:
            port: /dev/ttyUSB0
            baud: 12345
            boards: [{address: 0}, {address: 0}]
        cloud: {brokerUrl: tcp://127.0.0.1:1883}
        compartments:
          - {id: A01, size: S, position: {column: 1, row: 1}, lock: {board: 0, channel: 1}}
          - {id: A01, size: M, position: {column: 1, row: 2}, lock: {board: 0, channel: 2}}
          - {id: A03, size: S, position: {column: 1, row: 3}, lock: {board: 0, channel: 1}}
          - {id: A04, size: XXL, position: {column: 1, row: 3}, lock: {board: 5, channel: 17}}
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "locker.id: must be 3 to 40 letters, digits or dashes, was \"x\"",
            "locker.timeZone: must be a time zone such as Asia/Hong_Kong, was \"Mars/Olympus\"",
            "locker.defaultLanguage: must be one of zh-Hans, zh-Hant, en, was \"fr\"",
            "pickup.codeLength: must be between 6 and 10, was 12",
            "pickup.lockout: must be a duration such as PT60S, 500ms, 60s, 5m, 72h or 30d, was"
                + " \"soon\"",
            "pickup.maxFailuresPerHour: must be a whole number, was \"eight\"",
            "hardware.kerong.baud: must be one of 9600, 19200, 38400, 57600, 115200, was 12345",
            "hardware.kerong.boards[1].address: duplicate board address 0 (also at"
                + " hardware.kerong.boards[0])",
            "cloud.brokerUrl: plain tcp requires cloud.insecurePlaintext: true",
            "compartments[3].size: must be one of S, M, L, XL, was \"XXL\"",
            "compartments[3].lock.channel: must be between 1 and 16, was 17",
            "lockr: unknown key (did you mean locker?)",
            "compartments[1].id: duplicate compartment id A01 (also compartments[0])",
            "compartments[2].lock: board 0 channel 1 is already used by compartments[0] (A01)",
            "compartments[3].position: column 1 row 3 is already taken by compartments[2] (A03)",
            "compartments[3].lock.board: board 5 is not in hardware.kerong.boards ([0])");
  }

  @Test
  void aLockOnABoardThatIsNotDeclaredIsAnError() {
    String yaml = MINIMAL.replace("lock: {board: 0, channel: 1}", "lock: {board: 3, channel: 1}");
    assertThat(problems(yaml))
        .containsExactly(
            "compartments[0].lock.board: board 3 is not in hardware.kerong.boards ([0])");
  }

  @Test
  void aGpioLockOnAKerongLockerIsAnError() {
    String yaml =
        MINIMAL.replace("lock: {board: 0, channel: 1}", "lock: {relayPin: 5, doorPin: 6}");
    assertThat(problems(yaml))
        .contains(
            "compartments[0].lock.relayPin: a kerong-cu16 locker's lock is {board, channel}, not"
                + " {relayPin, doorPin}");
  }

  @Test
  void aGpioPinUsedTwiceIsAnError() {
    String yaml =
        """
        locker: {id: LCK-T-1, name: Test, address: 1 Test Road}
        hardware: {driver: gpio, gpio: {provider: mock}}
        compartments:
          - {id: A01, size: S, position: {column: 1, row: 1}, lock: {relayPin: 5, doorPin: 6}}
          - {id: A02, size: S, position: {column: 1, row: 2}, lock: {relayPin: 6, doorPin: 7}}
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "compartments[1].lock.relayPin: GPIO 6 is already used by compartments[0].lock.doorPin");
  }

  @Test
  void requiredSectionsAndKeysAreNamed() {
    assertThat(problems("pickup: {codeLength: 8}\n"))
        .containsExactly(
            "locker: is required", "hardware: is required", "compartments: is required (a list)");
    assertThat(problems("locker: {}\nhardware: {}\ncompartments: []\n"))
        .containsExactly(
            "locker.id: is required",
            "locker.name: is required",
            "locker.address: is required",
            "hardware.driver: is required",
            "compartments: must not be empty");
  }

  @Test
  void anSslBrokerNeedsItsCertificateFiles() {
    String yaml = MINIMAL + "cloud: {brokerUrl: 'ssl://broker:8883'}\n";
    assertThat(problems(yaml))
        .containsExactly(
            "cloud.caFile: is required with an ssl:// broker",
            "cloud.certFile: is required with an ssl:// broker",
            "cloud.keyFile: is required with an ssl:// broker");
  }

  @Test
  void aKeyWrittenTwiceIsAnErrorNotASilentOverride() {
    String yaml = MINIMAL + "pickup:\n  codeLength: 8\n  codeLength: 6\n";
    List<String> problems = problems(yaml);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0))
        .startsWith("test.yaml: is not valid YAML at line")
        .contains("Duplicate field 'codeLength'");
  }

  @Test
  void brokenYamlIsReportedWithItsLine() {
    List<String> problems = problems("locker: {id: LCK-1\nhardware: [\n");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("test.yaml: is not valid YAML at line");
  }

  @Test
  void anEmptyFileAndAMissingFileAreProblemsNotExceptions(@TempDir Path dir) throws Exception {
    assertThat(problems("")).containsExactly("test.yaml: is empty");
    assertThat(problems("- just\n- a list\n"))
        .containsExactly("test.yaml: must be a mapping of sections (locker, hardware, …)");
    ConfigLoader.Result missing = ConfigLoader.load(dir.resolve("nope.yaml"));
    assertThat(((ConfigLoader.Result.Invalid) missing).problems().get(0).reason())
        .isEqualTo("no such file");
  }

  @Test
  void friendlyAndIsoDurationsAreBothAccepted() {
    String yaml = MINIMAL + "doors: {openTimeout: PT15S, leftOpenAlarm: 2m}\n";
    LockerConfig config = loaded(ConfigLoader.parse(yaml, "t"));
    assertThat(config.doors().openTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.doors().leftOpenAlarm()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aTariffSetsTheStorageFeeWithPricesPerSize() {
    LockerConfig config =
        loaded(
            ConfigLoader.parse(
                MINIMAL
                    + "tariff: {freePeriod: 12h, period: 12h, pricePerPeriod: 50, cap: 300,"
                    + " currency: CNY, sizes: {XL: 80}}\n",
                "t"));

    assertThat(config.tariff())
        .contains(
            new dev.locker.core.domain.Tariff(
                Duration.ofHours(12),
                Duration.ofHours(12),
                50,
                300,
                "CNY",
                java.util.Map.of(dev.locker.core.domain.Size.XL, 80L)));
    assertThat(loaded(ConfigLoader.parse(MINIMAL, "t")).tariff()).as("no tariff: free").isEmpty();
  }

  @Test
  void aBadTariffIsListedKeyByKey() {
    assertThat(
            problems(
                MINIMAL
                    + "tariff: {period: 0s, pricePerPeriod: -5, cap: 10, currency: yuan,"
                    + " sizes: {XXL: 5}}\n"))
        .containsExactlyInAnyOrder(
            "tariff.period: must be between 1m and 30d, was 0s",
            "tariff.pricePerPeriod: must be between 0 and 1000000, was -5",
            "tariff.currency: must be an ISO 4217 code such as EUR, HKD or CNY, was \"yuan\"",
            "tariff.sizes.XXL: unknown key");
    assertThat(problems(MINIMAL + "tariff: {pricePerPeriod: 500, cap: 100, currency: HKD}\n"))
        .containsExactly("tariff.cap: must be at least pricePerPeriod (500), was 100");
  }

  @Test
  void aDurationTooLargeToHoldIsAProblemNotACrash() {
    for (String huge : new String[] {"99999999999999999999h", "999999999999999d"}) {
      assertThat(problems(MINIMAL + "doors: {openTimeout: " + huge + "}\n"))
          .as(huge)
          .containsExactly(
              "doors.openTimeout: must be a duration such as PT60S, 500ms, 60s, 5m, 72h or 30d,"
                  + " was \""
                  + huge
                  + "\"");
    }
  }

  @Test
  void theCabinetIsDescribedInWords() {
    LockerConfig config = loaded(ConfigLoader.load(PROFILES.resolve("simulator.yaml")));
    CabinetLayout layout = new CabinetLayout(config.compartments());
    assertThat(layout.describe(CompartmentId.of("B01"))).hasValue("bottom row, second from left");
    assertThat(layout.describe(CompartmentId.of("A08"))).hasValue("top row, leftmost");
    assertThat(layout.describe(CompartmentId.of("C03")))
        .hasValue("third row from the bottom, rightmost");
    assertThat(layout.describe(CompartmentId.of("Z99"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15})
  void randomlyDamagedProfilesNeverThrowAndAlwaysSayWhere(long seed) throws Exception {
    String original = java.nio.file.Files.readString(PROFILES.resolve("simulator.yaml"));
    List<String> lines = original.lines().toList();
    Random random = new Random(seed);
    String[] garbage = {"", "-1", "XXL", "[", "{a: b}", "~", "99999999999", "'", "true", "::"};
    for (int round = 0; round < 100; round++) {
      List<String> damaged = new java.util.ArrayList<>(lines);
      int line = random.nextInt(damaged.size());
      switch (random.nextInt(3)) {
        case 0 -> damaged.remove(line);
        case 1 ->
            damaged.set(
                line,
                damaged
                    .get(line)
                    .replaceAll(":\\s*[^,}]+", ": " + garbage[random.nextInt(garbage.length)]));
        default -> damaged.add(line, damaged.get(line));
      }
      ConfigLoader.Result result = ConfigLoader.parse(String.join("\n", damaged), "damaged.yaml");
      if (result instanceof ConfigLoader.Result.Invalid invalid) {
        assertThat(invalid.problems()).isNotEmpty();
        assertThat(invalid.problems()).allSatisfy(p -> assertThat(p.path()).isNotBlank());
      }
    }
  }
}
