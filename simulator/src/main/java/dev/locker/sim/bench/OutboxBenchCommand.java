package dev.locker.sim.bench;

import dev.locker.core.application.port.LockerStore;
import dev.locker.sim.cloud.SimulatedBroker;
import dev.locker.ui.boot.CommandLine;
import dev.locker.ui.boot.FirmwareMain;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * {@code java -jar simulator.jar bench-outbox [--broker tcp://HOST:PORT] [--events N] [--window
 * W]}: runs {@link OutboxDrainBench} against the given broker, or against the simulator's own
 * embedded Moquette broker (and says so), and prints its figures in a few plain lines.
 *
 * <p>Exit codes: 0 measured, 1 a round failed (stalled, or the link dropped), 2 bad command line, 3
 * the broker cannot be reached or started.
 */
public final class OutboxBenchCommand {
  /** The command word. */
  public static final String NAME = "bench-outbox";

  /** The options the command takes, each with a value. */
  public static final Set<String> OPTIONS = Set.of("broker", "events", "window");

  /** Exit code of a round that could not be measured. */
  public static final int FAILED = 1;

  /** Most events per round: a million takes minutes already. */
  public static final int MAX_EVENTS = 1_000_000;

  /** The publisher's default window (what a locker runs with, {@code CloudParts.WINDOW}). */
  public static final int DEFAULT_WINDOW = 32;

  /** The link's own bound on unconfirmed publishes ({@code PahoCloudLink.Settings}). */
  public static final int MAX_WINDOW = 32_767;

  private static final Pattern BROKER =
      Pattern.compile("tcp://([^/\\s:]+|\\[[0-9a-fA-F:]+]):(\\d{1,5})");
  private static final long VERSION_WAIT_MILLIS = 2_000;
  private static final int REACH_TIMEOUT_MILLIS = 5_000;

  private OutboxBenchCommand() {}

  /** What the command line asks for. */
  public record Options(int events, int window, Optional<String> broker) {}

  /** The outcome of reading the command line. */
  public sealed interface Parsed {
    record Ok(Options options) implements Parsed {}

    record Invalid(String message) implements Parsed {}
  }

  public static String usage() {
    return "usage: java -jar simulator.jar "
        + NAME
        + " [--broker tcp://HOST:PORT] [--events N] [--window W]";
  }

  /** Reads the options of {@code line}, whose command is {@link #NAME}. */
  public static Parsed parse(CommandLine line) {
    if (!line.arguments().isEmpty()) {
      return new Parsed.Invalid(NAME + " takes no argument, was given " + line.arguments().get(0));
    }
    List<String> foreign =
        line.options().keySet().stream().filter(o -> !OPTIONS.contains(o)).sorted().toList();
    if (!foreign.isEmpty()) {
      return new Parsed.Invalid(
          NAME + " takes no --" + foreign.get(0) + " (its options: --broker, --events, --window)");
    }
    Optional<Integer> events =
        number(line.option("events"), OutboxDrainBench.Settings.DEFAULT_EVENTS, 1, MAX_EVENTS);
    if (events.isEmpty()) {
      return new Parsed.Invalid(
          "--events must be a whole number from 1 to "
              + MAX_EVENTS
              + ", was "
              + line.option("events").orElse(""));
    }
    Optional<Integer> window = number(line.option("window"), DEFAULT_WINDOW, 1, MAX_WINDOW);
    if (window.isEmpty()) {
      return new Parsed.Invalid(
          "--window must be a whole number from 1 to "
              + MAX_WINDOW
              + ", was "
              + line.option("window").orElse(""));
    }
    Optional<String> broker = line.option("broker");
    if (broker.isPresent() && address(broker.get()).isEmpty()) {
      return new Parsed.Invalid(
          "--broker must be tcp://host:port with a port from 1 to 65535, was " + broker.get());
    }
    return new Parsed.Ok(new Options(events.get(), window.get(), broker));
  }

  private static Optional<Integer> number(Optional<String> text, int absent, int min, int max) {
    if (text.isEmpty()) {
      return Optional.of(absent);
    }
    try {
      int n = Integer.parseInt(text.get());
      return n >= min && n <= max ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The host and port of a {@code tcp://host:port} URI, unresolved; empty if it is not one. */
  static Optional<InetSocketAddress> address(String uri) {
    Matcher m = BROKER.matcher(uri);
    if (!m.matches()) {
      return Optional.empty();
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65_535) {
      return Optional.empty();
    }
    String host = m.group(1).replace("[", "").replace("]", "");
    return Optional.of(InetSocketAddress.createUnresolved(host, port));
  }

  /**
   * Runs the benchmark {@code line} asks for and prints its figures on {@code out}; problems go to
   * {@code err}. Returns the exit code.
   */
  public static int run(CommandLine line, PrintStream out, PrintStream err) {
    Parsed parsed = parse(line);
    if (parsed instanceof Parsed.Invalid invalid) {
      err.println(invalid.message());
      err.println(usage());
      return FirmwareMain.USAGE;
    }
    Options options = ((Parsed.Ok) parsed).options();
    Path folder;
    try {
      folder = Files.createTempDirectory("outbox-bench-");
    } catch (IOException e) {
      err.println("cannot create a temporary folder: " + e.getMessage());
      return FirmwareMain.CANNOT_START;
    }
    try {
      return options.broker().isPresent()
          ? against(options, options.broker().get(), folder, out, err)
          : againstEmbedded(options, folder, out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("interrupted");
      return FAILED;
    } finally {
      deleteQuietly(folder);
    }
  }

  private static int againstEmbedded(Options options, Path folder, PrintStream out, PrintStream err)
      throws InterruptedException {
    SimulatedBroker broker;
    try {
      broker = SimulatedBroker.start(0, folder.resolve("broker"));
    } catch (IOException e) {
      err.println("the embedded MQTT broker cannot start: " + e.getMessage());
      return FirmwareMain.CANNOT_START;
    }
    try (broker) {
      out.println(
          "no --broker given: draining to the simulator's embedded Moquette broker, in this JVM"
              + " (it shares the CPU with the locker)");
      return measure(
          options,
          new InetSocketAddress("127.0.0.1", broker.port()),
          broker.uri() + " (embedded Moquette)",
          folder,
          out,
          err);
    }
  }

  private static int against(
      Options options, String uri, Path folder, PrintStream out, PrintStream err)
      throws InterruptedException {
    InetSocketAddress unresolved = address(uri).orElseThrow();
    InetSocketAddress broker =
        new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
    if (broker.isUnresolved()) {
      err.println("the broker's host " + unresolved.getHostString() + " is unknown");
      return FirmwareMain.CANNOT_START;
    }
    try (Socket probe = new Socket()) {
      probe.connect(broker, REACH_TIMEOUT_MILLIS);
    } catch (IOException e) {
      err.println("cannot reach the broker at " + uri + ": " + e.getMessage());
      return FirmwareMain.CANNOT_START;
    }
    String label = uri + " (" + brokerVersion(uri).orElse("broker version not published") + ")";
    return measure(options, broker, label, folder, out, err);
  }

  private static int measure(
      Options options,
      InetSocketAddress broker,
      String label,
      Path folder,
      PrintStream out,
      PrintStream err)
      throws InterruptedException {
    OutboxDrainBench.Settings settings =
        OutboxDrainBench.Settings.of(options.events(), options.window());
    OutboxDrainBench.Outcome outcome;
    try {
      outcome = new OutboxDrainBench(settings, broker, folder.resolve("rounds")).run();
    } catch (IOException | LockerStore.StoreFailure e) {
      err.println("the benchmark cannot start: " + e.getMessage());
      return FirmwareMain.CANNOT_START;
    }
    if (outcome instanceof OutboxDrainBench.Outcome.Failed failed) {
      err.println("outbox drain to " + label + ": " + failed.reason());
      return FAILED;
    }
    report((OutboxDrainBench.Outcome.Measured) outcome, settings, label, out);
    return 0;
  }

  /** The figures, in a few plain lines. */
  static void report(
      OutboxDrainBench.Outcome.Measured measured,
      OutboxDrainBench.Settings settings,
      String label,
      PrintStream out) {
    OutboxDrainBench.Round median = measured.median();
    String runs =
        measured.rounds().stream()
            .map(r -> format("%.0f", r.eventsPerSecond()))
            .collect(Collectors.joining(", "));
    int warmUpEvents = measured.warmUp().stream().mapToInt(OutboxDrainBench.Round::events).sum();
    String warmUp =
        measured.warmUp().isEmpty()
            ? "no warm-up"
            : "after " + measured.warmUp().size() + " warm-up rounds, " + warmUpEvents + " events";
    out.println(
        format(
            "outbox drain to %s, %d events, window %d: %.0f events/s (runs: %s events/s; median"
                + " of %d, %s)",
            label,
            settings.events(),
            settings.window(),
            median.eventsPerSecond(),
            runs,
            measured.rounds().size(),
            warmUp));
    OutboxDrainBench.Round first = measured.rounds().get(0);
    out.println(
        format(
            "wire: %.1f bytes/event up, %.1f down; envelope %.1f bytes, so MQTT adds %.1f up;"
                + " session set-up (CONNECT, SUBSCRIBE, online status) %d up, %d down per"
                + " connection, not counted",
            measured.upPerEvent(),
            measured.downPerEvent(),
            measured.envelopePerEvent(),
            measured.upPerEvent() - measured.envelopePerEvent(),
            first.setup().up(),
            first.setup().down()));
    out.println(
        format(
            "store: %d events committed offline in %d transactions of up to %d, %.0f events/s"
                + " (in the median run)",
            median.events(),
            median.transactions(),
            settings.eventsPerTransaction(),
            median.committedPerSecond()));
    out.println("machine: " + machine());
  }

  /** Processors, Java, OS and, where Linux says, the CPU model. */
  static String machine() {
    String java =
        format(
            "Java %s (%s, %s)",
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            System.getProperty("java.vendor"));
    String os =
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch");
    return Runtime.getRuntime().availableProcessors()
        + " processors, "
        + java
        + ", "
        + os
        + cpuModel().map(m -> ", CPU " + m).orElse("")
        + format(", max heap %d MiB", Runtime.getRuntime().maxMemory() >> 20);
  }

  private static Optional<String> cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(cpuinfo, StandardCharsets.UTF_8)) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /**
   * What the broker says it is on {@code $SYS/broker/version} (Mosquitto publishes it, retained),
   * asked over a connection of its own outside the measurement; empty when it says nothing within
   * two seconds.
   */
  private static Optional<String> brokerVersion(String uri) {
    String clientId =
        "bench-probe-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    AtomicReference<String> version = new AtomicReference<>();
    CountDownLatch heard = new CountDownLatch(1);
    MqttClient client;
    try {
      client = new MqttClient(uri, clientId, new MemoryPersistence());
    } catch (MqttException e) {
      return Optional.empty();
    }
    try {
      client.setCallback(
          new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
              version.compareAndSet(
                  null, new String(message.getPayload(), StandardCharsets.UTF_8).trim());
              heard.countDown();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
          });
      MqttConnectOptions connect = new MqttConnectOptions();
      connect.setCleanSession(true);
      connect.setConnectionTimeout(5);
      client.connect(connect);
      client.subscribe("$SYS/broker/version", 0);
      heard.await(VERSION_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      client.disconnect();
    } catch (MqttException e) {
      // The version is a label only.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        client.close(true);
      } catch (MqttException e) {
        // Nothing to release that matters.
      }
    }
    return Optional.ofNullable(version.get()).filter(v -> !v.isBlank());
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary folder is harmless.
    }
  }
}
