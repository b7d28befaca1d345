package dev.locker.ui.boot;

import dev.locker.core.config.LockerConfig;
import dev.locker.hal.camera.CommandFrameSource;
import dev.locker.hal.camera.FrameSource;
import dev.locker.hal.gpio.GpioBank;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SerialLink;
import java.io.IOException;

/**
 * The real devices of a locker board: serial ports through jssc, GPIO through pi4j, the camera
 * through its capture command.
 */
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

  /** The profile's capture command, one frame per run. */
  @Override
  public FrameSource openCamera(LockerConfig.CameraDevice camera) {
    return new CommandFrameSource(
        new CommandFrameSource.Settings(
            camera.command(), camera.captureTimeout(), MAX_FRAME_BYTES));
  }

  /** A 1280x720 PNG is well under 2 MiB; a command printing more is not a camera. */
  static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
}
