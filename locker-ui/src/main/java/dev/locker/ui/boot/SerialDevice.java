package dev.locker.ui.boot;

import dev.locker.hal.serial.JsscSerialLink;

/** The serial devices a locker may have, each with its line framing. */
public enum SerialDevice {
  /** The RS-485 bus of the lock boards: 8N1 (device-protocols.md §1). */
  LOCK_BUS(1),
  /** A barcode/QR scanner in line mode: 8N1 (§3.1). */
  SCANNER(1),
  /** A card reader sending UIDs as lines: 8N1. */
  CARD_READER(1),
  /** A ZVT payment terminal: 8N2 (§4.2). */
  PAYMENT_TERMINAL(2);

  private final int stopBits;

  SerialDevice(int stopBits) {
    this.stopBits = stopBits;
  }

  /** The line settings of this device at {@code baud}. */
  public JsscSerialLink.LineSettings line(int baud) {
    return new JsscSerialLink.LineSettings(baud, 8, stopBits, JsscSerialLink.Parity.NONE);
  }
}
