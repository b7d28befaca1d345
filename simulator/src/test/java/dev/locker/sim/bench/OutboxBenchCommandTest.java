package dev.locker.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.ui.boot.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code bench-outbox}'s command line: its defaults, and each bad option refused by name. */
class OutboxBenchCommandTest {

  /** The command line as SimulatorMain reads it: its own options and the benchmark's. */
  private static CommandLine line(String... args) {
    Set<String> options = new HashSet<>(Set.of("config", "data", "port", "bind"));
    options.addAll(OutboxBenchCommand.OPTIONS);
    CommandLine.Parsed parsed =
        CommandLine.parse(args, Set.of(OutboxBenchCommand.NAME), options, Set.of("help"));
    return ((CommandLine.Parsed.Ok) parsed).line();
  }

  private static String invalid(String... args) {
    OutboxBenchCommand.Parsed parsed = OutboxBenchCommand.parse(line(args));
    assertThat(parsed).isInstanceOf(OutboxBenchCommand.Parsed.Invalid.class);
    return ((OutboxBenchCommand.Parsed.Invalid) parsed).message();
  }

  @Test
  void withoutOptionsItDrainsTenThousandEventsWithTheLockersWindowToTheEmbeddedBroker() {
    OutboxBenchCommand.Parsed parsed = OutboxBenchCommand.parse(line("bench-outbox"));

    assertThat(parsed)
        .isEqualTo(
            new OutboxBenchCommand.Parsed.Ok(
                new OutboxBenchCommand.Options(10_000, 32, Optional.empty())));
  }

  @Test
  void everyOptionIsTaken() {
    OutboxBenchCommand.Parsed parsed =
        OutboxBenchCommand.parse(
            line(
                "bench-outbox",
                "--broker",
                "tcp://127.0.0.1:18830",
                "--events=500",
                "--window",
                "64"));

    assertThat(parsed)
        .isEqualTo(
            new OutboxBenchCommand.Parsed.Ok(
                new OutboxBenchCommand.Options(500, 64, Optional.of("tcp://127.0.0.1:18830"))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--events, 0, '--events must be a whole number from 1 to 1000000, was 0'",
    "--events, -5, '--events must be a whole number from 1 to 1000000, was -5'",
    "--events, 10k, '--events must be a whole number from 1 to 1000000, was 10k'",
    "--events, 1000001, '--events must be a whole number from 1 to 1000000, was 1000001'",
    "--window, 0, '--window must be a whole number from 1 to 32767, was 0'",
    "--window, 32768, '--window must be a whole number from 1 to 32767, was 32768'",
    "--window, '', '--window must be a whole number from 1 to 32767, was '",
    "--broker, 127.0.0.1:1883, '--broker must be tcp://host:port with a port from 1 to 65535,"
        + " was 127.0.0.1:1883'",
    "--broker, ssl://host:8883, '--broker must be tcp://host:port with a port from 1 to 65535,"
        + " was ssl://host:8883'",
    "--broker, tcp://host, '--broker must be tcp://host:port with a port from 1 to 65535,"
        + " was tcp://host'",
    "--broker, tcp://host:0, '--broker must be tcp://host:port with a port from 1 to 65535,"
        + " was tcp://host:0'",
    "--broker, tcp://host:70000, '--broker must be tcp://host:port with a port from 1 to 65535,"
        + " was tcp://host:70000'",
    "--broker, tcp://host:1883/x, '--broker must be tcp://host:port with a port from 1 to 65535,"
        + " was tcp://host:1883/x'",
  })
  void aBadValueIsRefusedWithWhatWasExpected(String option, String value, String message) {
    assertThat(invalid("bench-outbox", option, value)).isEqualTo(message);
  }

  @Test
  void anOptionOfTheSimulatedLockerIsRefused() {
    assertThat(invalid("bench-outbox", "--config", "x.yaml"))
        .isEqualTo("bench-outbox takes no --config (its options: --broker, --events, --window)");
  }

  @Test
  void anArgumentIsRefused() {
    assertThat(invalid("bench-outbox", "10000"))
        .isEqualTo("bench-outbox takes no argument, was given 10000");
  }

  @Test
  void anIpv6LiteralBrokerIsTaken() {
    assertThat(OutboxBenchCommand.address("tcp://[::1]:1883"))
        .hasValueSatisfying(
            a -> {
              assertThat(a.getHostString()).isEqualTo("::1");
              assertThat(a.getPort()).isEqualTo(1883);
            });
  }

  @Test
  void aBadCommandLineExitsTwoWithTheReasonAndTheUsageAndRunsNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        OutboxBenchCommand.run(
            line("bench-outbox", "--window", "none"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "--window must be a whole number from 1 to 32767, was none\n"
                + "usage: java -jar simulator.jar bench-outbox [--broker tcp://HOST:PORT]"
                + " [--events N] [--window W]\n");
  }
}
