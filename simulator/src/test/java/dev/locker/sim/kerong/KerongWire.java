package dev.locker.sim.kerong;

import dev.locker.hal.serial.InMemorySerialLink;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SerialLink;
import dev.locker.hal.serial.SocatPtyPair;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The wire between the driver and the emulated boards, one per transport (STYLE.md §8): an
 * in-memory pair, or jssc on both ends of a socat pty pair.
 */
enum KerongWire {
  IN_MEMORY,
  SOCAT_PTY;

  /** Both ends of a wire and whatever keeps it alive. */
  record Ends(SerialLink host, SerialLink device, Runnable keeper) implements AutoCloseable {
    @Override
    public void close() {
      host.close();
      device.close();
      keeper.run();
    }
  }

  Ends open(Path folder) throws IOException, InterruptedException {
    if (this == IN_MEMORY) {
      InMemorySerialLink[] pair = InMemorySerialLink.pair("rs485");
      return new Ends(pair[0], pair[1], () -> {});
    }
    SocatPtyPair pty = SocatPtyPair.start(folder);
    JsscSerialLink host =
        JsscSerialLink.open(pty.hostPath(), JsscSerialLink.LineSettings.eightN1(19200));
    JsscSerialLink device =
        JsscSerialLink.open(pty.devicePath(), JsscSerialLink.LineSettings.eightN1(19200));
    return new Ends(host, device, pty::close);
  }
}
