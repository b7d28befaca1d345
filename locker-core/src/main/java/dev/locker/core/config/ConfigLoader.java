package dev.locker.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.locker.core.config.LockerConfig.BoardChannel;
import dev.locker.core.config.LockerConfig.CompartmentSpec;
import dev.locker.core.config.LockerConfig.GpioHardware;
import dev.locker.core.config.LockerConfig.GpioPins;
import dev.locker.core.config.LockerConfig.Hardware;
import dev.locker.core.config.LockerConfig.KerongBoard;
import dev.locker.core.config.LockerConfig.KerongHardware;
import dev.locker.core.config.LockerConfig.LockAddress;
import dev.locker.core.config.LockerConfig.Position;
import dev.locker.core.config.LockerConfig.XorBoardHardware;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.Tariff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads a YAML profile into a {@link LockerConfig}, reporting every problem at once, each with its
 * key path and reason ({@code compartments[3].size: must be one of S, M, L, XL, was "XXL"}). Never
 * throws for bad input: an unreadable file, broken YAML, unknown keys, wrong types, impossible
 * values and contradictions all become {@link ConfigProblem}s.
 */
public final class ConfigLoader {
  private static final Pattern LOCKER_ID = Pattern.compile("[A-Za-z0-9-]{3,40}");

  /** Strict about duplicate keys: YAML would otherwise keep the last value without a word. */
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .build());

  private static final Map<String, Size> SIZES = new LinkedHashMap<>();
  private static final Map<String, Language> LANGUAGES = new LinkedHashMap<>();

  static {
    for (Size size : Size.values()) {
      SIZES.put(size.name(), size);
    }
    for (Language language : Language.values()) {
      LANGUAGES.put(language.tag(), language);
    }
  }

  private ConfigLoader() {}

  /** The outcome of loading. */
  public sealed interface Result {
    record Loaded(LockerConfig config) implements Result {}

    record Invalid(List<ConfigProblem> problems) implements Result {
      public Invalid {
        problems = List.copyOf(problems);
      }
    }
  }

  public static Result load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return invalid(file.toString(), "no such file");
    } catch (IOException | java.io.UncheckedIOException e) {
      return invalid(file.toString(), "cannot be read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  public static Result parse(String yaml, String sourceName) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return invalid(sourceName, "is not valid YAML" + where + ": " + e.getOriginalMessage());
    } catch (RuntimeException e) {
      // The parser boundary: whatever the YAML library throws on hostile input is a problem too.
      return invalid(sourceName, "cannot be parsed: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return invalid(sourceName, "is empty");
    }
    if (!root.isObject()) {
      return invalid(sourceName, "must be a mapping of sections (locker, hardware, …)");
    }
    List<ConfigProblem> problems = new ArrayList<>();
    Section top = new Section(root, "", problems);
    LockerConfig.Identity identity = identity(top.requiredSection("locker"));
    LockerConfig.Pickup pickup = pickup(top.section("pickup"), problems);
    LockerConfig.Doors doors = doors(top.section("doors"), problems);
    Optional<Hardware> hardware = hardware(top.requiredSection("hardware"));
    LockerConfig.Devices devices =
        top.section("devices").map(ConfigLoader::devices).orElse(LockerConfig.Devices.NONE);
    Optional<LockerConfig.Cloud> cloud = top.section("cloud").map(ConfigLoader::cloud);
    Optional<Tariff> tariff = top.section("tariff").flatMap(ConfigLoader::tariff);
    List<CompartmentSpec> compartments =
        top.list("compartments", s -> compartment(s, hardware), true);
    top.finish();
    crossCheck(compartments, hardware, problems);
    if (!problems.isEmpty() || hardware.isEmpty()) {
      if (problems.isEmpty()) {
        problems.add(new ConfigProblem("hardware", "is required"));
      }
      return new Result.Invalid(problems);
    }
    return new Result.Loaded(
        new LockerConfig(
            identity, pickup, doors, hardware.get(), devices, cloud, tariff, compartments));
  }

  private static Result invalid(String path, String reason) {
    return new Result.Invalid(List.of(new ConfigProblem(path, reason)));
  }

  private static LockerConfig.Identity identity(Section s) {
    String id = s.requiredString("id");
    if (!id.isEmpty() && !LOCKER_ID.matcher(id).matches()) {
      s.problem("id", "must be 3 to 40 letters, digits or dashes, was \"" + id + "\"");
    }
    String name = s.requiredString("name");
    if (name.isBlank() && s.has("name")) {
      s.problem("name", "must not be blank");
    } else if (name.length() > 60) {
      s.problem("name", "must be at most 60 characters, was " + name.length());
    }
    String address = s.requiredString("address");
    if (address.isBlank() && s.has("address")) {
      s.problem("address", "must not be blank");
    }
    String zone = s.string("timeZone", "UTC");
    ZoneId timeZone = ZoneId.of("UTC");
    try {
      timeZone = ZoneId.of(zone);
    } catch (DateTimeException e) {
      s.problem("timeZone", "must be a time zone such as Asia/Hong_Kong, was \"" + zone + "\"");
    }
    Language language = s.choice("defaultLanguage", Language.EN, LANGUAGES);
    s.finish();
    return new LockerConfig.Identity(id, name, address, timeZone, language);
  }

  private static LockerConfig.Pickup pickup(Optional<Section> section, List<ConfigProblem> p) {
    Section s = section.orElseGet(() -> empty("pickup", p));
    int codeLength = s.integer("codeLength", 8, 6, 10);
    int maxConsecutive = s.integer("maxConsecutiveFailures", 5, 1, 20);
    Duration lockout =
        s.duration("lockout", Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1));
    Duration maxLockout =
        s.duration("maxLockout", Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofHours(24));
    if (maxLockout.compareTo(lockout) < 0) {
      s.problem(
          "maxLockout",
          "must be at least pickup.lockout ("
              + Section.friendly(lockout)
              + "), was "
              + Section.friendly(maxLockout));
    }
    int perHour = s.integer("maxFailuresPerHour", 20, 1, 1000);
    Duration window =
        s.duration("pickupWindow", Duration.ofHours(72), Duration.ofHours(1), Duration.ofDays(30));
    s.finish();
    return new LockerConfig.Pickup(
        codeLength, maxConsecutive, lockout, maxLockout, perHour, window);
  }

  private static LockerConfig.Doors doors(Optional<Section> section, List<ConfigProblem> p) {
    Section s = section.orElseGet(() -> empty("doors", p));
    Duration openTimeout =
        s.duration(
            "openTimeout", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5));
    int attempts = s.integer("unlockAttempts", 2, 1, 5);
    Duration leftOpen =
        s.duration(
            "leftOpenAlarm", Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofHours(1));
    s.finish();
    return new LockerConfig.Doors(openTimeout, attempts, leftOpen);
  }

  /** Driver name → the section that describes it; exactly one goes with each driver. */
  private static final Map<String, String> DRIVER_SECTIONS =
      Map.of("kerong-cu16", "kerong", "xor-board", "xorBoard", "gpio", "gpio");

  private static Optional<Hardware> hardware(Section s) {
    Map<String, String> drivers = new LinkedHashMap<>();
    for (String d : List.of("kerong-cu16", "xor-board", "gpio")) {
      drivers.put(d, d);
    }
    String driver = "";
    if (!s.has("driver")) {
      s.requiredString("driver");
    } else {
      driver = s.choice("driver", "", drivers);
    }
    Optional<Hardware> result = Optional.empty();
    for (Map.Entry<String, String> e : drivers.entrySet()) {
      String section = DRIVER_SECTIONS.get(e.getKey());
      if (e.getKey().equals(driver)) {
        Section own = s.requiredSection(section);
        result =
            Optional.of(
                switch (driver) {
                  case "kerong-cu16" -> kerong(own);
                  case "xor-board" -> xorBoard(own);
                  default -> gpio(own);
                });
      } else {
        if (!driver.isEmpty() && s.has(section)) {
          s.problem(section, "does not go with driver " + driver);
        }
        s.section(section);
      }
    }
    s.finish();
    return result;
  }

  private static String port(Section s) {
    String port = s.requiredString("port");
    if (port.isBlank() && s.has("port")) {
      s.problem("port", "must not be blank");
    }
    return port;
  }

  private static int baud(Section s, int fallback) {
    int baud = s.integer("baud", fallback, 1, Integer.MAX_VALUE);
    if (!List.of(9600, 19200, 38400, 57600, 115200).contains(baud)) {
      s.problem("baud", "must be one of 9600, 19200, 38400, 57600, 115200, was " + baud);
    }
    return baud;
  }

  private static KerongHardware kerong(Section s) {
    String port = port(s);
    int baud = baud(s, 19200);
    Duration replyTimeout =
        s.duration(
            "replyTimeout", Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(10));
    int retries = s.integer("retries", 3, 0, 10);
    Duration drain =
        s.duration("unlockDrain", Duration.ofMillis(150), Duration.ZERO, Duration.ofSeconds(2));
    Duration poll =
        s.duration(
            "pollInterval", Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofSeconds(10));
    int debounce = s.integer("debounceReads", 2, 1, 10);
    Map<String, LockerConfig.HookPolarity> polarities = new LinkedHashMap<>();
    polarities.put("latched-is-1", LockerConfig.HookPolarity.LATCHED_IS_1);
    polarities.put("latched-is-0", LockerConfig.HookPolarity.LATCHED_IS_0);
    List<KerongBoard> boards =
        s.list(
            "boards",
            b ->
                new KerongBoard(
                    b.requiredInteger("address", 0, 15),
                    b.choice("hookPolarity", LockerConfig.HookPolarity.LATCHED_IS_1, polarities),
                    b.duration(
                        "unlockTime",
                        Duration.ofMillis(500),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(24))),
            true);
    Map<Integer, Integer> seen = new HashMap<>();
    for (int i = 0; i < boards.size(); i++) {
      Integer first = seen.putIfAbsent(boards.get(i).address(), i);
      if (first != null) {
        s.problem(
            "boards[" + i + "].address",
            "duplicate board address "
                + boards.get(i).address()
                + " (also at "
                + s.path("boards[" + first + "]")
                + ")");
      }
    }
    s.finish();
    return new KerongHardware(port, baud, replyTimeout, retries, drain, poll, debounce, boards);
  }

  private static GpioHardware gpio(Section s) {
    Map<String, String> providers = new LinkedHashMap<>();
    providers.put("gpiod", "gpiod");
    providers.put("mock", "mock");
    String provider = s.choice("provider", "gpiod", providers);
    Duration pulse =
        s.duration("pulse", Duration.ofMillis(500), Duration.ofMillis(50), Duration.ofSeconds(10));
    Duration debounce =
        s.duration("debounce", Duration.ofMillis(30), Duration.ZERO, Duration.ofSeconds(1));
    Duration poll =
        s.duration(
            "pollInterval", Duration.ofMillis(100), Duration.ofMillis(20), Duration.ofSeconds(5));
    boolean activeHigh = s.bool("relayActiveHigh", true);
    Map<String, Boolean> levels = new LinkedHashMap<>();
    levels.put("low", true);
    levels.put("high", false);
    boolean closedIsLow = s.choice("doorClosedLevel", true, levels);
    s.finish();
    return new GpioHardware(provider, pulse, debounce, poll, activeHigh, closedIsLow);
  }

  /** Addresses of 8A/80 boards: the board byte, 1..99 as set on the board's switches. */
  static final int XOR_MAX_BOARD = 99;

  private static XorBoardHardware xorBoard(Section s) {
    String port = port(s);
    int baud = baud(s, 9600);
    Duration replyTimeout =
        s.duration(
            "replyTimeout", Duration.ofMillis(750), Duration.ofMillis(50), Duration.ofSeconds(10));
    int retries = s.integer("retries", 2, 0, 10);
    Duration poll =
        s.duration(
            "pollInterval", Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofSeconds(10));
    int debounce = s.integer("debounceReads", 2, 1, 10);
    List<Integer> boards = s.requiredIntegerList("boards", 1, XOR_MAX_BOARD);
    for (int i = 0; i < boards.size(); i++) {
      int first = boards.indexOf(boards.get(i));
      if (first != i) {
        s.problem(
            "boards[" + i + "]",
            "duplicate board address " + boards.get(i) + " (also at boards[" + first + "])");
      }
    }
    s.finish();
    return new XorBoardHardware(port, baud, replyTimeout, retries, poll, debounce, boards);
  }

  private static LockerConfig.Devices devices(Section s) {
    Optional<LockerConfig.ScannerDevice> scanner = s.section("scanner").map(ConfigLoader::scanner);
    Optional<LockerConfig.CardReaderDevice> card =
        s.section("cardReader")
            .map(
                c -> {
                  LockerConfig.SerialPort serial =
                      new LockerConfig.SerialPort(port(c), baud(c, 9600));
                  c.finish();
                  return new LockerConfig.CardReaderDevice(serial);
                });
    Optional<LockerConfig.CameraDevice> camera = s.section("camera").map(ConfigLoader::camera);
    Optional<LockerConfig.PaymentTerminalDevice> terminal =
        s.section("paymentTerminal").map(ConfigLoader::paymentTerminal);
    s.finish();
    return new LockerConfig.Devices(scanner, card, camera, terminal);
  }

  private static LockerConfig.ScannerDevice scanner(Section s) {
    LockerConfig.SerialPort serial = new LockerConfig.SerialPort(port(s), baud(s, 9600));
    String prefix = s.string("prefix", "");
    if (prefix.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7F)) {
      s.problem("prefix", "must be printable text (the scanner's programmed prefix)");
    }
    boolean aim = s.bool("stripAimId", true);
    int maxLength = s.integer("maxLength", 512, 8, 4096);
    Map<String, LockerConfig.ScannerTrigger> triggers = new LinkedHashMap<>();
    triggers.put("none", LockerConfig.ScannerTrigger.NONE);
    triggers.put("honeywell", LockerConfig.ScannerTrigger.HONEYWELL);
    triggers.put("zebra-ssi", LockerConfig.ScannerTrigger.ZEBRA_SSI);
    LockerConfig.ScannerTrigger trigger =
        s.choice("trigger", LockerConfig.ScannerTrigger.NONE, triggers);
    Duration repeat =
        s.duration("repeatWindow", Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(1));
    s.finish();
    return new LockerConfig.ScannerDevice(serial, prefix, aim, maxLength, trigger, repeat);
  }

  private static LockerConfig.CameraDevice camera(Section s) {
    List<String> command = s.requiredStringList("command");
    Duration interval =
        s.duration(
            "interval", Duration.ofMillis(500), Duration.ofMillis(50), Duration.ofSeconds(10));
    Duration timeout =
        s.duration(
            "captureTimeout",
            Duration.ofSeconds(3),
            Duration.ofMillis(100),
            Duration.ofSeconds(30));
    boolean triggered = s.bool("onlyWhenTriggered", true);
    int maxLength = s.integer("maxLength", 512, 8, 4096);
    s.finish();
    return new LockerConfig.CameraDevice(command, interval, timeout, triggered, maxLength);
  }

  private static LockerConfig.PaymentTerminalDevice paymentTerminal(Section s) {
    Map<String, String> protocols = new LinkedHashMap<>();
    protocols.put("zvt", "zvt");
    s.choice("protocol", "zvt", protocols);
    LockerConfig.SerialPort serial = new LockerConfig.SerialPort(port(s), baud(s, 9600));
    String password = "";
    if (!s.has("password")) {
      s.requiredString("password");
    } else {
      password = s.requiredString("password");
      if (!password.matches("[0-9]{6}")) {
        // The value is not echoed: it is the terminal's ECR password.
        s.problem("password", "must be the terminal's 6-digit ECR password (digits only)");
      }
    }
    String currency = s.string("currency", "EUR");
    try {
      java.util.Currency c = java.util.Currency.getInstance(currency);
      if (c.getNumericCode() <= 0 || c.getDefaultFractionDigits() != 2) {
        s.problem("currency", "must be a currency with cents, was \"" + currency + "\"");
      }
    } catch (IllegalArgumentException e) {
      s.problem(
          "currency", "must be an ISO 4217 code such as EUR, HKD or CNY, was \"" + currency + "\"");
    }
    s.finish();
    return new LockerConfig.PaymentTerminalDevice(serial, password, currency);
  }

  /**
   * The storage fee: {@code freePeriod}, {@code period}, {@code pricePerPeriod} and {@code cap} in
   * minor units, {@code currency}, and optional {@code sizes: {XL: 200}} prices per size.
   */
  private static Optional<Tariff> tariff(Section s) {
    Duration free =
        s.duration("freePeriod", Duration.ofHours(12), Duration.ZERO, Duration.ofDays(30));
    Duration period =
        s.duration("period", Duration.ofHours(12), Duration.ofMinutes(1), Duration.ofDays(30));
    int price = s.integer("pricePerPeriod", 0, 0, 1_000_000);
    int cap = s.integer("cap", 0, 0, 100_000_000);
    String currency = s.requiredString("currency");
    boolean knownCurrency = true;
    if (!currency.isEmpty() && !isCurrency(currency)) {
      s.problem(
          "currency", "must be an ISO 4217 code such as EUR, HKD or CNY, was \"" + currency + "\"");
      knownCurrency = false;
    }
    Map<Size, Long> bySize = new java.util.EnumMap<>(Size.class);
    Optional<Section> sizes = s.section("sizes");
    if (sizes.isPresent()) {
      for (Size size : Size.values()) {
        if (sizes.get().has(size.name())) {
          bySize.put(size, (long) sizes.get().integer(size.name(), 0, 0, 1_000_000));
        }
      }
      sizes.get().finish();
    }
    if (cap < price) {
      s.problem("cap", "must be at least pricePerPeriod (" + price + "), was " + cap);
    }
    s.finish();
    if (currency.isEmpty() || !knownCurrency || cap < price) {
      return Optional.empty();
    }
    return Optional.of(new Tariff(free, period, price, cap, currency, bySize));
  }

  /** An ISO 4217 code the JDK knows. */
  private static boolean isCurrency(String code) {
    try {
      return Money.isCurrency(code) && java.util.Currency.getInstance(code) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static LockerConfig.Cloud cloud(Section s) {
    String url = s.requiredString("brokerUrl");
    boolean plaintext = s.bool("insecurePlaintext", false);
    Optional<Path> ca = s.optionalString("caFile").map(Path::of);
    Optional<Path> cert = s.optionalString("certFile").map(Path::of);
    Optional<Path> key = s.optionalString("keyFile").map(Path::of);
    if (url.startsWith("tcp://")) {
      if (!plaintext) {
        s.problem("brokerUrl", "plain tcp requires cloud.insecurePlaintext: true");
      }
    } else if (url.startsWith("ssl://")) {
      for (var file :
          List.of(
              Map.entry("caFile", ca), Map.entry("certFile", cert), Map.entry("keyFile", key))) {
        if (file.getValue().isEmpty()) {
          s.problem(file.getKey(), "is required with an ssl:// broker");
        }
      }
    } else if (!url.isEmpty()) {
      s.problem("brokerUrl", "must start with ssl:// or tcp://, was \"" + url + "\"");
    }
    Duration telemetry =
        s.duration(
            "telemetryInterval",
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofHours(1));
    Duration skew =
        s.duration("commandClockSkew", Duration.ofMinutes(2), Duration.ZERO, Duration.ofHours(1));
    Duration lifetime =
        s.duration(
            "commandMaxLifetime", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(7));
    Map<String, String> keys = new LinkedHashMap<>();
    List<String[]> entries =
        s.list(
            "commandKeys",
            k -> new String[] {k.requiredString("kid"), k.requiredString("publicKey")},
            false);
    for (int i = 0; i < entries.size(); i++) {
      String kid = entries.get(i)[0];
      String publicKey = entries.get(i)[1];
      if (kid.isEmpty() || publicKey.isEmpty()) {
        continue; // already reported as missing
      }
      if (keys.containsKey(kid)) {
        s.problem("commandKeys[" + i + "].kid", "duplicate key id " + kid);
        continue;
      }
      try {
        dev.locker.core.cloud.CommandKeys.parse(kid, publicKey);
        keys.put(kid, publicKey);
      } catch (IllegalArgumentException e) {
        s.problem("commandKeys[" + i + "].publicKey", e.getMessage());
      }
    }
    int opens = 3;
    Duration window = Duration.ofMinutes(10);
    Optional<Section> limit = s.section("remoteOpenLimit");
    if (limit.isPresent()) {
      opens = limit.get().integer("count", 3, 1, 100);
      window = limit.get().duration("per", window, Duration.ofSeconds(10), Duration.ofDays(1));
      limit.get().finish();
    }
    s.finish();
    return new LockerConfig.Cloud(
        url, plaintext, ca, cert, key, telemetry, skew, lifetime, keys, opens, window);
  }

  private static CompartmentSpec compartment(Section s, Optional<Hardware> hardware) {
    String idText = s.requiredString("id");
    CompartmentId id = CompartmentId.of("X");
    if (!idText.isEmpty()) {
      if (CompartmentId.FORMAT.matcher(idText).matches()) {
        id = CompartmentId.of(idText);
      } else {
        s.problem("id", "must be 1 to 8 letters or digits, was \"" + idText + "\"");
      }
    }
    Size size = Size.S;
    if (!s.has("size")) {
      s.requiredString("size");
    } else {
      size = s.choice("size", Size.S, SIZES);
    }
    Section pos = s.requiredSection("position");
    Position position =
        new Position(pos.requiredInteger("column", 1, 99), pos.requiredInteger("row", 1, 99));
    pos.finish();
    Section lock = s.requiredSection("lock");
    LockAddress address = lockAddress(lock, hardware);
    lock.finish();
    return new CompartmentSpec(id, size, position, address);
  }

  private static LockAddress lockAddress(Section s, Optional<Hardware> hardware) {
    boolean kerongShape = s.has("board") || s.has("channel");
    boolean gpioShape = s.has("relayPin") || s.has("doorPin");
    if (hardware.orElse(null) instanceof GpioHardware || (hardware.isEmpty() && gpioShape)) {
      if (kerongShape) {
        s.problem("board", "a gpio locker's lock is {relayPin, doorPin}, not {board, channel}");
        s.integer("board", 0, 0, 255);
        s.integer("channel", 1, 1, 16);
      }
      return new GpioPins(
          s.requiredInteger("relayPin", 0, 27), s.requiredInteger("doorPin", 0, 27));
    }
    boolean xor = hardware.orElse(null) instanceof XorBoardHardware;
    String family = xor ? "xor-board" : "kerong-cu16";
    if (gpioShape) {
      s.problem(
          "relayPin",
          "a " + family + " locker's lock is {board, channel}, not {relayPin, doorPin}");
      s.integer("relayPin", 0, 0, 255);
      s.integer("doorPin", 0, 0, 255);
    }
    return xor
        ? new BoardChannel(
            s.requiredInteger("board", 1, XOR_MAX_BOARD), s.requiredInteger("channel", 1, 24))
        : new BoardChannel(s.requiredInteger("board", 0, 15), s.requiredInteger("channel", 1, 16));
  }

  private static void crossCheck(
      List<CompartmentSpec> compartments,
      Optional<Hardware> hardware,
      List<ConfigProblem> problems) {
    Map<String, Integer> ids = new HashMap<>();
    Map<Position, Integer> positions = new HashMap<>();
    Map<LockAddress, Integer> locks = new HashMap<>();
    Map<Integer, String> pins = new HashMap<>();
    List<Integer> boards = List.of();
    if (hardware.orElse(null) instanceof KerongHardware k) {
      boards = k.boards().stream().map(KerongBoard::address).distinct().toList();
    } else if (hardware.orElse(null) instanceof XorBoardHardware x) {
      boards = x.boards();
    }
    String boardsKey =
        hardware.orElse(null) instanceof XorBoardHardware
            ? "hardware.xorBoard.boards"
            : "hardware.kerong.boards";
    for (int i = 0; i < compartments.size(); i++) {
      CompartmentSpec c = compartments.get(i);
      String at = "compartments[" + i + "]";
      Integer first = ids.putIfAbsent(c.id().value(), i);
      if (first != null && !c.id().value().equals("X")) {
        problems.add(
            new ConfigProblem(
                at + ".id",
                "duplicate compartment id " + c.id() + " (also compartments[" + first + "])"));
      }
      first = positions.putIfAbsent(c.position(), i);
      if (first != null) {
        problems.add(
            new ConfigProblem(
                at + ".position",
                "column "
                    + c.position().column()
                    + " row "
                    + c.position().row()
                    + " is already taken by compartments["
                    + first
                    + "] ("
                    + compartments.get(first).id()
                    + ")"));
      }
      first = locks.putIfAbsent(c.lock(), i);
      if (first != null) {
        problems.add(
            new ConfigProblem(
                at + ".lock",
                describe(c.lock())
                    + " is already used by compartments["
                    + first
                    + "] ("
                    + compartments.get(first).id()
                    + ")"));
      } else if (c.lock() instanceof GpioPins g) {
        for (var pin :
            List.of(Map.entry("relayPin", g.relayPin()), Map.entry("doorPin", g.doorPin()))) {
          String previous = pins.putIfAbsent(pin.getValue(), at + "." + "lock." + pin.getKey());
          if (previous != null) {
            problems.add(
                new ConfigProblem(
                    at + ".lock." + pin.getKey(),
                    "GPIO " + pin.getValue() + " is already used by " + previous));
          }
        }
      }
      if (c.lock() instanceof BoardChannel k && !boards.isEmpty() && !boards.contains(k.board())) {
        problems.add(
            new ConfigProblem(
                at + ".lock.board",
                "board " + k.board() + " is not in " + boardsKey + " (" + boards + ")"));
      }
    }
  }

  private static String describe(LockAddress lock) {
    if (lock instanceof BoardChannel k) {
      return "board " + k.board() + " channel " + k.channel();
    }
    GpioPins g = (GpioPins) lock;
    return "relay GPIO " + g.relayPin() + " / door GPIO " + g.doorPin();
  }

  private static Section empty(String path, List<ConfigProblem> problems) {
    return new Section(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), path, problems);
  }
}
