package dev.locker.ui.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device's entry point: what a technician sees when something is wrong. */
class FirmwareMainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return FirmwareMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aBrokenConfigurationIsListedAndExitsTwo() throws Exception {
    Path config = dir.resolve("locker.yaml");
    Files.writeString(config, "locker: {id: LCK-1, name: Test, address: here}\nhardwar: {}\n");

    assertThat(run("--config", config.toString(), "--data", dir.toString())).isEqualTo(2);
    assertThat(err())
        .contains("configuration " + config + " has 3 problems:")
        .contains("  hardware: is required")
        .contains("  compartments: is required (a list)")
        .contains("  hardwar: unknown key (did you mean hardware?)")
        .doesNotContain("Exception");
  }

  @Test
  void aSerialPortThatWillNotOpenIsNamedAndExitsThree() throws Exception {
    Path config = dir.resolve("locker.yaml");
    String profile = Files.readString(Path.of("..", "config", "kerong-rs485.yaml"));
    Files.writeString(config, profile.replace("/dev/ttyUSB0", dir.resolve("ttyNONE").toString()));

    assertThat(run("--config", config.toString(), "--data", dir.resolve("data").toString()))
        .isEqualTo(3);
    assertThat(err())
        .startsWith("the locker cannot start: cannot open serial port")
        .contains("ttyNONE");
  }

  @Test
  void aGpioProfileOnABoardWithoutGpioSaysWhyItCannotStart() {
    assertThat(
            run(
                "--config",
                Path.of("..", "config", "pi-gpio.yaml").toString(),
                "--data",
                dir.toString()))
        .isEqualTo(3);
    assertThat(err())
        .startsWith(
            "the locker cannot start: GPIO 5 (relay-A01) cannot be opened with provider gpiod");
  }

  @Test
  void badCommandLinesGetTheUsage() {
    assertThat(run("--config")).isEqualTo(2);
    assertThat(err()).contains("option --config needs a value").contains("usage:");
    assertThat(run("verify-audit")).isEqualTo(2);
    assertThat(run("verify-audit", dir.resolve("none.db").toString())).isEqualTo(2);
    assertThat(err()).contains("no database file at");
  }
}
