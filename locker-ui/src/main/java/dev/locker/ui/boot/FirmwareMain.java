package dev.locker.ui.boot;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.ConfigProblem;
import dev.locker.core.config.LockerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The firmware's entry point on a locker: {@code java -jar locker.jar --config FILE --data DIR}
 * runs the locker until it is stopped (SIGTERM from systemd); {@code verify-audit DB} checks a
 * database file's audit chain offline.
 *
 * <p>Exit codes: 0 stopped normally, 1 audit chain broken, 2 bad command line or configuration (the
 * problems are listed, never a stack trace), 3 the locker could not start (the reason is printed: a
 * serial port that will not open, a database that refuses weak settings).
 */
public final class FirmwareMain {
  private static final Logger log = LoggerFactory.getLogger(FirmwareMain.class);

  public static final int OK = 0;
  public static final int BROKEN = 1;
  public static final int USAGE = 2;
  public static final int CANNOT_START = 3;

  private FirmwareMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine.Parsed parsed =
        CommandLine.parse(args, Set.of("run", "verify-audit"), Set.of("config", "data"), Set.of());
    if (parsed instanceof CommandLine.Parsed.Invalid invalid) {
      err.println(invalid.message());
      err.println(usage());
      return USAGE;
    }
    CommandLine line = ((CommandLine.Parsed.Ok) parsed).line();
    if (line.command().orElse("run").equals("verify-audit")) {
      if (line.arguments().size() != 1) {
        err.println("verify-audit needs one database file");
        return USAGE;
      }
      return AuditCheck.run(Path.of(line.arguments().get(0)), out, err);
    }
    Path configFile = Path.of(line.option("config").orElse("/etc/locker/locker.yaml"));
    Path dataDir = Path.of(line.option("data").orElse("/var/lib/locker"));
    if (!(loadConfig(configFile, err) instanceof ConfigLoader.Result.Loaded loaded)) {
      return USAGE;
    }
    LockerConfig config = loaded.config();
    HealthRelay health =
        new HealthRelay(h -> log.info("device {} is {}: {}", h.device(), h.state(), h.detail()));
    try (LockerAssembly locker =
        LockerAssembly.start(
            LockerParts.from(config, dataDir, Clock.systemUTC(), new BoardDevices(), health))) {
      out.println(
          "locker "
              + config.locker().id()
              + " running with "
              + config.compartments().size()
              + " compartments; data in "
              + dataDir
              + "; start-up reconciliation: "
              + locker.startReport());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shutdown"));
      stopped.await();
      return OK;
    } catch (IOException | UncheckedIOException | LockerStore.StoreFailure e) {
      err.println("the locker cannot start: " + e.getMessage());
      return CANNOT_START;
    } catch (IllegalStateException e) {
      err.println("the locker cannot start: " + e.getMessage());
      return CANNOT_START;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OK;
    }
  }

  /** Loads a profile, printing every problem (and nothing else) when it is invalid. */
  public static ConfigLoader.Result loadConfig(Path file, PrintStream err) {
    ConfigLoader.Result result = ConfigLoader.load(file);
    if (result instanceof ConfigLoader.Result.Invalid invalid) {
      List<ConfigProblem> problems = invalid.problems();
      err.println(
          "configuration "
              + file
              + " has "
              + problems.size()
              + (problems.size() == 1 ? " problem:" : " problems:"));
      problems.forEach(p -> err.println("  " + p));
    }
    return result;
  }

  static String usage() {
    return """
        usage: java -jar locker.jar [run] [--config FILE] [--data DIR]
               java -jar locker.jar verify-audit DATABASE""";
  }
}
