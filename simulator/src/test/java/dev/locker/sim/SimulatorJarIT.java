package dev.locker.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** simulator.jar as a person runs it: {@code java -jar simulator.jar …}. */
class SimulatorJarIT {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run jar(String... args) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("simulator.jar", "target/simulator.jar"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("simulator.jar " + String.join(" ", args) + " did not finish");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theDemoDepositsAndPicksUpAParcelAndExitsZero() throws Exception {
    Run run = jar("demo");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("[courier]  signs in as courier-7")
        .contains("[unlock frame on the wire: 02 ")
        .contains("Pickup code: ")
        .contains("is free again")
        .contains("no gap), audit log intact")
        .endsWith("Demo complete.\n");
    assertThat(run.out()).doesNotContain("91234567").doesNotContain("9123 4567");
    assertThat(run.err()).doesNotContain("Exception");
  }

  @Test
  void theXorBoardProfileRunsTheSameDemoOnTheSecondBoardFamily() throws Exception {
    Path profile = Path.of(System.getProperty("project.root", ".."), "config", "xor-rs485.yaml");

    Run run = jar("demo", "--config", profile.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("2 emulated 8A/80 XOR lock boards (RS-485, 9600 8N1)")
        .contains("8A 01 ")
        .contains("Pickup code: ")
        .endsWith("Demo complete.\n");
    assertThat(run.err()).doesNotContain("ERROR");
  }

  @Test
  void theGpioProfileRunsTheSameDemoOnRelaysAndReedSwitches() throws Exception {
    Path profile = Path.of(System.getProperty("project.root", ".."), "config", "pi-gpio.yaml");

    Run run = jar("demo", "--config", profile.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("solenoid locks on relays and reed switches (mock GPIO)")
        .contains("[relay on GPIO ")
        .contains("Pickup code: ")
        .endsWith("Demo complete.\n");
    assertThat(run.err()).doesNotContain("ERROR");
  }

  @Test
  void theDemoKeepsItsStateWhereItIsToldTo() throws Exception {
    Path data = dir.resolve("data");

    assertThat(jar("demo", "--data", data.toString()).exit()).isZero();

    assertThat(data.resolve("locker.db")).exists();
    Run verify = jar("verify-audit", data.resolve("locker.db").toString());
    assertThat(verify.exit()).isZero();
    assertThat(verify.out()).startsWith("audit log intact: ");
  }

  @Test
  void aBrokenConfigurationIsListedWithoutAStackTrace() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(
        config,
        """
        locker: {id: x, name: Test, address: here}
        hardware: {driver: kerong-cu16, kerong: {port: sim, boards: [{address: 0}]}}
        compartments:
          - {id: A01, size: XXL, position: {column: 1, row: 1}, lock: {board: 0, channel: 1}}
        """);

    Run run = jar("demo", "--config", config.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("has 2 problems:")
        .contains("  locker.id: must be 3 to 40 letters, digits or dashes, was \"x\"")
        .contains("  compartments[0].size: must be one of S, M, L, XL, was \"XXL\"")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void unknownOptionsAndCommandsAreRefusedWithUsage() throws Exception {
    Run option = jar("demo", "--colour", "red");
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.err()).contains("unknown option --colour").contains("usage:");

    Run command = jar("dmeo");
    assertThat(command.exit()).isEqualTo(2);
    assertThat(command.err()).contains("unknown command dmeo");

    Run misplaced = jar("demo", "--broker", "tcp://127.0.0.1:1883");
    assertThat(misplaced.exit()).isEqualTo(2);
    assertThat(misplaced.err()).contains("--broker and --port belong to run");
  }

  @Test
  void verifyAuditOfAMissingFileSaysSo() throws Exception {
    Run run = jar("verify-audit", dir.resolve("nothing.db").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("no database file at");
  }

  @Test
  void theRunModeServesTheControlApiAndStopsOnQuit() throws Exception {
    Path jar = Path.of(System.getProperty("simulator.jar", "target/simulator.jar"));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--port",
                "0",
                "--data",
                dir.resolve("run").toString())
            .redirectErrorStream(true)
            .start();
    try {
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      String url = null;
      while (url == null && (line = out.readLine()) != null) {
        if (line.startsWith("Control API on ")) {
          url = line.substring("Control API on ".length()).strip();
        }
      }
      assertThat(url).as("the announced API address").isNotNull();
      java.net.http.HttpResponse<String> state =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(state.statusCode()).isEqualTo(200);
      assertThat(state.body()).contains("\"lockerId\":\"LCK-SIM-0001\"");

      p.getOutputStream().write("quit\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on quit").isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aBadPortIsRefusedAndABusyOneSaysWhatToDo() throws Exception {
    Run bad = jar("--port", "http", "--data", dir.resolve("a").toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--port must be a port number from 0 to 65535, was http");

    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Run busy =
          jar(
              "--port",
              String.valueOf(taken.getLocalPort()),
              "--data",
              dir.resolve("b").toString());
      assertThat(busy.exit()).isEqualTo(3);
      assertThat(busy.err())
          .contains("the control API cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("choose another with --port or --bind");
    }
  }
}
