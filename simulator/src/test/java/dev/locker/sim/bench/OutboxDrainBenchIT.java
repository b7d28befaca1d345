package dev.locker.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.testing.mqtt.MosquittoBroker;
import dev.locker.ui.boot.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench-outbox --events 500} runs to the end against the embedded broker and against a real
 * Mosquitto, and its figures are plausible. Nothing here asserts a speed: the machine is shared.
 */
class OutboxDrainBenchIT {
  private static final Pattern RATE =
      Pattern.compile(
          "outbox drain to (.+), 500 events, window (\\d+): (\\d+) events/s \\(runs: (\\d+), (\\d+),"
              + " (\\d+) events/s; median of 3, after 5 warm-up rounds, 2500 events\\)");
  private static final Pattern WIRE =
      Pattern.compile(
          "wire: ([\\d.]+) bytes/event up, ([\\d.]+) down; envelope ([\\d.]+) bytes, so MQTT adds"
              + " ([\\d.]+) up; session set-up \\(CONNECT, SUBSCRIBE, online status\\) (\\d+) up,"
              + " (\\d+) down per connection, not counted");

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run bench(String... args) {
    CommandLine.Parsed parsed =
        CommandLine.parse(
            args, Set.of(OutboxBenchCommand.NAME), OutboxBenchCommand.OPTIONS, Set.of());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OutboxBenchCommand.run(
            ((CommandLine.Parsed.Ok) parsed).line(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Checks the rate and wire lines; returns the broker's label from the first. */
  private static String assertPlausible(Run run, int window) {
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    Matcher rate = RATE.matcher(run.out());
    assertThat(rate.find()).as(run.out()).isTrue();
    assertThat(Integer.parseInt(rate.group(2))).isEqualTo(window);
    for (int group = 3; group <= 6; group++) {
      assertThat(Long.parseLong(rate.group(group))).as(rate.group()).isPositive();
    }
    Matcher wire = WIRE.matcher(run.out());
    assertThat(wire.find()).as(run.out()).isTrue();
    double up = Double.parseDouble(wire.group(1));
    double down = Double.parseDouble(wire.group(2));
    double envelope = Double.parseDouble(wire.group(3));
    // A PUBLISH is the envelope plus a header, the topic and a packet id; its PUBACK is 4 bytes.
    assertThat(envelope).as(wire.group()).isBetween(150.0, 400.0);
    assertThat(up).as(wire.group()).isGreaterThan(envelope + 25).isLessThan(envelope + 50);
    assertThat(down).as(wire.group()).isBetween(4.0, 6.0);
    assertThat(Long.parseLong(wire.group(5))).as(wire.group()).isPositive();
    assertThat(Long.parseLong(wire.group(6))).as(wire.group()).isPositive();
    assertThat(run.out()).contains("store: 500 events committed offline in 10 transactions");
    assertThat(run.out()).containsPattern("machine: \\d+ processors, Java ");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("ERROR");
    return rate.group(1);
  }

  @Test
  void withoutABrokerItDrainsToTheEmbeddedOneAndSaysSo() {
    Run run = bench("bench-outbox", "--events", "500");

    String broker = assertPlausible(run, 32);
    assertThat(broker).matches("tcp://127\\.0\\.0\\.1:\\d+ \\(embedded Moquette\\)");
    assertThat(run.out()).startsWith("no --broker given: draining to the simulator's embedded");
  }

  @Test
  void withABrokerItDrainsToThatOneAndNamesIt() throws Exception {
    MosquittoBroker.requireMosquitto();
    try (MosquittoBroker mosquitto = MosquittoBroker.start(dir.resolve("mosquitto"))) {
      Run run =
          bench("bench-outbox", "--broker", mosquitto.uri(), "--events", "500", "--window", "8");

      String broker = assertPlausible(run, 8);
      assertThat(broker).startsWith(mosquitto.uri() + " (mosquitto version ");
      assertThat(run.out()).doesNotContain("embedded");
    }
  }

  @Test
  void aBrokerThatIsNotThereEndsTheBenchWithExitThreeAndTheReason() throws Exception {
    int port;
    try (java.net.ServerSocket gone =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = gone.getLocalPort();
    }

    Run run = bench("bench-outbox", "--broker", "tcp://127.0.0.1:" + port, "--events", "10");

    assertThat(run.code()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("cannot reach the broker at tcp://127.0.0.1:" + port + ": ");
  }
}
