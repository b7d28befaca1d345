package dev.locker.core.application.port;

/**
 * The barcode/QR scanner (or the camera): reports each code it read, once. Implemented in
 * locker-hal. The listener is called on the scanner's own thread and must post to the locker loop.
 */
public interface CodeScanner {

  /** Starts reading; each accepted read is reported. */
  void start(Listener listener);

  /** Asks the scanner to scan now (trigger mode) or to stop; a no-op for always-on scanners. */
  void trigger(boolean on);

  /** Stops reading. Idempotent. */
  void stop();

  /** Receives reads. */
  @FunctionalInterface
  interface Listener {
    /**
     * A code was read: its text as printable Unicode, and the AIM symbology identifier when the
     * scanner sent one (for example {@code "]Q1"} for QR, {@code "]C0"} for Code 128), else empty.
     */
    void scanned(String text, String symbology);
  }
}
