package dev.locker.sim;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.LockerConfig;
import dev.locker.sim.api.ControlApi;
import dev.locker.sim.bench.OutboxBenchCommand;
import dev.locker.sim.cloud.SimulatedBroker;
import dev.locker.ui.boot.AuditCheck;
import dev.locker.ui.boot.CommandLine;
import dev.locker.ui.boot.FirmwareMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Entry point of simulator.jar.
 *
 * <pre>
 *   java -jar simulator.jar [run] [--config FILE] [--data DIR] [--port N] [--bind ADDR]
 *                           [--broker tcp://HOST:PORT]           a simulated locker, until stopped,
 *                                                                its control API on ADDR:N, its
 *                                                                cloud link to its own MQTT broker
 *                                                                (or to --broker)
 *   java -jar simulator.jar demo [--config FILE] [--data DIR]    one deposit and one pickup, exit 0
 *   java -jar simulator.jar verify-audit DATABASE                check an audit chain offline
 *   java -jar simulator.jar bench-outbox [--broker tcp://HOST:PORT] [--events N] [--window W]
 *                                                                outbox drain rate and bytes per
 *                                                                event (OutboxBenchCommand)
 * </pre>
 *
 * Exit codes: 0 done, 1 the demo failed or the audit chain is broken, 2 bad command line or
 * configuration, 3 the locker could not start.
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0 || (args.length > 0 && !args[0].equals("run"))) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine.Parsed parsed =
        CommandLine.parse(
            args,
            Set.of("run", "demo", "verify-audit", OutboxBenchCommand.NAME),
            Set.of("config", "data", "port", "bind", "broker", "events", "window"),
            Set.of("help"));
    if (parsed instanceof CommandLine.Parsed.Invalid invalid) {
      err.println(invalid.message());
      err.println(usage());
      return FirmwareMain.USAGE;
    }
    CommandLine line = ((CommandLine.Parsed.Ok) parsed).line();
    if (line.flag("help")) {
      out.println(usage());
      return 0;
    }
    String command = line.command().orElse("run");
    if (command.equals(OutboxBenchCommand.NAME)) {
      return OutboxBenchCommand.run(line, out, err);
    }
    if (line.option("events").isPresent() || line.option("window").isPresent()) {
      err.println("--events and --window are options of " + OutboxBenchCommand.NAME);
      err.println(usage());
      return FirmwareMain.USAGE;
    }
    if (command.equals("verify-audit")) {
      if (line.arguments().size() != 1) {
        err.println("verify-audit needs one database file");
        return FirmwareMain.USAGE;
      }
      return AuditCheck.run(Path.of(line.arguments().get(0)), out, err);
    }
    if (!line.arguments().isEmpty()) {
      err.println("unexpected argument " + line.arguments().get(0));
      err.println(usage());
      return FirmwareMain.USAGE;
    }
    ConfigLoader.Result result =
        line.option("config")
            .map(file -> FirmwareMain.loadConfig(Path.of(file), err))
            .orElseGet(SimulatedLocker::defaultProfile);
    if (!(result instanceof ConfigLoader.Result.Loaded loaded)) {
      if (line.option("config").isEmpty()) {
        ((ConfigLoader.Result.Invalid) result).problems().forEach(p -> err.println("  " + p));
      }
      return FirmwareMain.USAGE;
    }
    LockerConfig config = loaded.config();
    boolean demo = command.equals("demo");
    int port;
    try {
      port = Integer.parseInt(line.option("port").orElse(String.valueOf(DEFAULT_PORT)));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      err.println(
          "--port must be a port number from 0 to 65535, was " + line.option("port").orElse(""));
      return FirmwareMain.USAGE;
    }
    String bind = line.option("bind").orElse("127.0.0.1");
    Path dataDir;
    boolean temporary = demo && line.option("data").isEmpty();
    try {
      dataDir =
          line.option("data")
              .map(Path::of)
              .orElseGet(
                  () ->
                      temporary
                          ? temporaryFolder()
                          : Path.of(System.getProperty("user.home"), ".locker-sim"));
    } catch (UncheckedIOException e) {
      err.println("cannot create a data folder: " + e.getMessage());
      return FirmwareMain.CANNOT_START;
    }
    Optional<String> brokerOption = line.option("broker");
    if (demo && (brokerOption.isPresent() || line.option("port").isPresent())) {
      err.println("demo runs offline and serves no control API: --broker and --port belong to run");
      return FirmwareMain.USAGE;
    }
    if (brokerOption.isPresent() && !brokerOption.get().matches("tcp://[^/\\s]+:\\d{1,5}")) {
      err.println("--broker must be tcp://host:port, was " + brokerOption.get());
      return FirmwareMain.USAGE;
    }
    SimulatedBroker embedded = null;
    if (brokerOption.isEmpty() && !demo && config.cloud().isPresent()) {
      try {
        embedded = SimulatedBroker.start(0, dataDir.resolve("broker"));
      } catch (IOException e) {
        err.println("the simulated MQTT broker cannot start: " + e.getMessage());
        return FirmwareMain.CANNOT_START;
      }
    }
    Optional<String> broker =
        brokerOption.isPresent() ? brokerOption : Optional.ofNullable(uriOf(embedded));
    try (SimulatedBroker ownBroker = embedded;
        SimulatedLocker locker =
            SimulatedLocker.start(config, dataDir, Clock.systemUTC(), health -> {}, broker)) {
      if (ownBroker != null) {
        out.println("MQTT broker on " + ownBroker.uri());
      }
      if (demo) {
        return new Demo(locker, out).run();
      }
      try (ControlApi api = startApi(locker, bind, port, err)) {
        if (api == null) {
          return FirmwareMain.CANNOT_START;
        }
        out.println("Control API on http://" + bind + ":" + api.port() + "/sim/api/state");
        return console(locker, dataDir, out);
      }
    } catch (IOException | UncheckedIOException | LockerStore.StoreFailure e) {
      err.println("the simulated locker cannot start: " + e.getMessage());
      return FirmwareMain.CANNOT_START;
    } catch (IllegalStateException e) {
      err.println("the simulated locker cannot start: " + e.getMessage());
      return FirmwareMain.CANNOT_START;
    } finally {
      if (temporary) {
        deleteQuietly(dataDir);
      }
    }
  }

  private static String uriOf(SimulatedBroker broker) {
    return broker == null ? null : broker.uri();
  }

  /** The control API, or null (with the reason on {@code err}) when it cannot listen. */
  private static ControlApi startApi(
      SimulatedLocker locker, String bind, int port, PrintStream err) {
    try {
      return ControlApi.start(locker, bind, port);
    } catch (RuntimeException e) {
      err.println(
          "the control API cannot listen on "
              + bind
              + ":"
              + port
              + " ("
              + rootMessage(e)
              + "); choose another with --port or --bind");
      return null;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static int console(SimulatedLocker locker, Path dataDir, PrintStream out) {
    LockerConfig config = locker.config();
    out.println(
        "Simulated locker "
            + config.locker().id()
            + " \""
            + config.locker().name()
            + "\": "
            + config.compartments().size()
            + " compartments on "
            + locker.cabinet().description()
            + "; data in "
            + dataDir);
    out.println("Type 'help' for commands; Ctrl-C stops the locker.");
    Console console = new Console(locker, out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shutdown"));
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String input;
      while ((input = in.readLine()) != null) {
        if (!console.execute(input)) {
          return 0;
        }
      }
      // No console (stdin closed): keep serving until stopped.
      stopped.await();
    } catch (IOException e) {
      out.println("console closed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("locker-demo-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder is harmless.
    }
  }

  /** The control API's port unless {@code --port} says otherwise (contracts/simulator-api.md). */
  static final int DEFAULT_PORT = 8080;

  static String usage() {
    return """
        usage: java -jar simulator.jar [run] [--config FILE] [--data DIR] [--port N] [--bind ADDR]
                                             [--broker tcp://HOST:PORT]
               java -jar simulator.jar demo [--config FILE] [--data DIR]
               java -jar simulator.jar verify-audit DATABASE
               java -jar simulator.jar bench-outbox [--broker tcp://HOST:PORT] [--events N] [--window W]""";
  }
}
