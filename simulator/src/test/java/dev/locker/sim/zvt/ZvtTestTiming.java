package dev.locker.sim.zvt;

import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.zvt.ZvtTerminal;
import java.time.Duration;

/** The line, the emulator's options and the driver's shortened ZVT timeouts the ZVT ITs share. */
final class ZvtTestTiming {
  static final JsscSerialLink.LineSettings ZVT_LINE =
      new JsscSerialLink.LineSettings(9600, 8, 2, JsscSerialLink.Parity.NONE);

  private ZvtTestTiming() {}

  /** The emulator, with a customer who presents the card after {@code cardPhase}. */
  static ZvtTerminalEmulator.Options emulatorOptions(Duration cardPhase) {
    return new ZvtTerminalEmulator.Options(
        "000000",
        "28004869",
        Duration.ofMillis(400),
        Duration.ofMillis(800),
        cardPhase,
        Duration.ofMillis(30),
        50,
        ZvtTerminalEmulator.ReceiptStyle.TEXT_BLOCK,
        3);
  }

  /** The driver's ZVT timeouts, shortened; the goods decision may take {@code patience}. */
  static ZvtTerminal.Settings driverSettings(Duration patience) {
    return new ZvtTerminal.Settings(
        "000000",
        978,
        0x8A,
        Duration.ofMillis(200),
        // ACK within 400 ms: a loaded CI machine delays bytes on a pty by a few hundred ms, and a
        // resend would (rightly) report the terminal DEGRADED.
        Duration.ofMillis(400),
        Duration.ofMillis(1000),
        Duration.ofMillis(2500),
        3,
        patience,
        Duration.ofMillis(100));
  }
}
