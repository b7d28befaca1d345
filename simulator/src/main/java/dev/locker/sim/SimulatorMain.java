package dev.locker.sim;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.LockerConfig;
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
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Entry point of simulator.jar.
 *
 * <pre>
 *   java -jar simulator.jar [run] [--config FILE] [--data DIR]   a simulated locker, until stopped
 *   java -jar simulator.jar demo [--config FILE] [--data DIR]    one deposit and one pickup, exit 0
 *   java -jar simulator.jar verify-audit DATABASE                check an audit chain offline
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
            args, Set.of("run", "demo", "verify-audit"), Set.of("config", "data"), Set.of("help"));
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
    try (SimulatedLocker locker =
        SimulatedLocker.start(config, dataDir, Clock.systemUTC(), health -> {})) {
      if (demo) {
        return new Demo(locker, out).run();
      }
      return console(locker, dataDir, out);
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

  private static int console(SimulatedLocker locker, Path dataDir, PrintStream out) {
    LockerConfig config = locker.config();
    out.println(
        "Simulated locker "
            + config.locker().id()
            + " \""
            + config.locker().name()
            + "\": "
            + config.compartments().size()
            + " compartments on emulated Kerong boards; data in "
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

  static String usage() {
    return """
        usage: java -jar simulator.jar [run] [--config FILE] [--data DIR]
               java -jar simulator.jar demo [--config FILE] [--data DIR]
               java -jar simulator.jar verify-audit DATABASE""";
  }
}
