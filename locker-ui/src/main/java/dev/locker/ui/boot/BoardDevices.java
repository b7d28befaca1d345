package dev.locker.ui.boot;

import dev.locker.core.config.LockerConfig;
import dev.locker.hal.gpio.GpioBank;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SerialLink;
import java.io.IOException;

/** The real devices of a locker board: serial ports through jssc, GPIO through pi4j. */
public final class BoardDevices implements LockerParts.Devices {
  @Override
  public SerialLink openSerial(SerialDevice device, LockerConfig.SerialPort port)
      throws IOException {
    return JsscSerialLink.open(port.port(), device.line(port.baud()));
  }

  @Override
  public GpioBank openGpio(LockerConfig.GpioHardware gpio) {
    return GpioBank.open(gpio.provider());
  }
}
