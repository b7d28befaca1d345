package dev.locker.hal.input;

import dev.locker.core.application.port.CodeScanner;
import dev.locker.hal.scanner.LineScanner;
import java.util.Objects;

/** locker-core's {@link CodeScanner} on a serial line-mode scanner. */
public final class SerialCodeScanner implements CodeScanner, AutoCloseable {
  private final LineScanner scanner;

  public SerialCodeScanner(LineScanner scanner) {
    this.scanner = Objects.requireNonNull(scanner, "scanner");
  }

  @Override
  public void start(Listener listener) {
    scanner.start(listener::scanned);
  }

  @Override
  public void trigger(boolean on) {
    scanner.trigger(on);
  }

  @Override
  public void stop() {
    scanner.close();
  }

  @Override
  public void close() {
    stop();
  }
}
