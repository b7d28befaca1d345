package dev.locker.hal.serial;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The wire between a driver and its device, one constant per transport, so that every
 * driver-against-emulator scenario runs over each (STYLE.md §8): an in-memory pair, or jssc on both
 * ends of a socat pty pair.
 */
public enum SerialWire {
  IN_MEMORY,
  SOCAT_PTY;

  /** Both ends of a wire and whatever keeps it alive. Closing closes all three. */
  public record Ends(SerialLink host, SerialLink device, Runnable keeper) implements AutoCloseable {
    @Override
    public void close() {
      host.close();
      device.close();
      keeper.run();
    }
  }

  /**
   * Opens a wire named {@code name}; a pty pair gets its links in a fresh sub-folder of {@code
   * folder} and {@code settings} on both ends.
   */
  public Ends open(Path folder, String name, JsscSerialLink.LineSettings settings)
      throws IOException, InterruptedException {
    if (this == IN_MEMORY) {
      InMemorySerialLink[] pair = InMemorySerialLink.pair(name);
      return new Ends(pair[0], pair[1], () -> {});
    }
    SocatPtyPair pty = SocatPtyPair.start(folder.resolve(name + "-" + System.nanoTime()));
    JsscSerialLink host = JsscSerialLink.open(pty.hostPath(), settings);
    JsscSerialLink device = JsscSerialLink.open(pty.devicePath(), settings);
    return new Ends(host, device, pty::close);
  }
}
