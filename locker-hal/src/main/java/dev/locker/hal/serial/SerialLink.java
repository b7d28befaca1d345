package dev.locker.hal.serial;

import java.io.IOException;
import java.time.Duration;

/**
 * One end of a byte stream to a device: a UART (through jssc), a pty, or an in-memory pipe. Full
 * duplex, no framing: bytes arrive in whatever chunks the transport delivers, so every reader
 * reassembles frames itself.
 *
 * <p>Thread-safety: one thread writes and one thread reads at a time (a half-duplex master does
 * both from one thread); {@link #close()} may be called from any thread and wakes a blocked read.
 */
public interface SerialLink extends AutoCloseable {

  /** What this link is connected to, for health details and logs ({@code /dev/ttyUSB0}). */
  String name();

  /** Sends {@code bytes}; an {@link IOException} means the link itself is broken or closed. */
  void write(byte[] bytes) throws IOException;

  /**
   * Returns the bytes available now, up to {@code max}, waiting up to {@code timeout} for the first
   * one. An empty array means nothing arrived in time; an {@link IOException} means the link is
   * closed or broken.
   */
  byte[] read(int max, Duration timeout) throws IOException;

  /** Drops every byte received and not yet read. */
  void discardInput();

  @Override
  void close();
}
