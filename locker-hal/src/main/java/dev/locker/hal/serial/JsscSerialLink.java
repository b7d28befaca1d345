package dev.locker.hal.serial;

import java.io.IOException;
import java.time.Duration;
import jssc.SerialPort;
import jssc.SerialPortEvent;
import jssc.SerialPortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial port through jssc (device-protocols.md §5): a UART on the board, or a pty in tests and
 * the simulator. Received bytes are read event-driven ({@code MASK_RXCHAR}, on jssc's "EventThread
 * &lt;port&gt;") into a queue that {@link #read} drains.
 *
 * <p>On a pty, {@code setParams} returns false although the line settings were applied: after
 * {@code tcsetattr} it asks for RTS/DTR, which a pty refuses (jssc.cpp, libraries.md §2d). That is
 * logged as a warning, not treated as a failure.
 */
public final class JsscSerialLink implements SerialLink {
  private static final Logger log = LoggerFactory.getLogger(JsscSerialLink.class);

  private final SerialPort port;
  private final ByteQueue inbound = new ByteQueue();

  /** Line settings: baud rate, data bits, stop bits (1 or 2) and parity. */
  public record LineSettings(int baud, int dataBits, int stopBits, Parity parity) {
    /** 8N1, the Kerong board's framing (device-protocols.md §1.1). */
    public static LineSettings eightN1(int baud) {
      return new LineSettings(baud, 8, 1, Parity.NONE);
    }
  }

  /** Parity of a serial line. */
  public enum Parity {
    NONE(SerialPort.PARITY_NONE),
    EVEN(SerialPort.PARITY_EVEN),
    ODD(SerialPort.PARITY_ODD);

    final int jssc;

    Parity(int jssc) {
      this.jssc = jssc;
    }
  }

  private JsscSerialLink(SerialPort port) {
    this.port = port;
  }

  /** Opens {@code path} with {@code settings}; the message of a failure names the port and why. */
  public static JsscSerialLink open(String path, LineSettings settings) throws IOException {
    SerialPort port = new SerialPort(path);
    try {
      if (!port.openPort()) {
        throw new IOException("cannot open serial port " + path);
      }
    } catch (SerialPortException e) {
      throw new IOException("cannot open serial port " + path + ": " + e.getExceptionType(), e);
    }
    JsscSerialLink link = new JsscSerialLink(port);
    try {
      boolean applied =
          port.setParams(
              settings.baud(),
              settings.dataBits(),
              settings.stopBits() == 2 ? SerialPort.STOPBITS_2 : SerialPort.STOPBITS_1,
              settings.parity().jssc,
              false,
              false);
      if (!applied) {
        log.warn(
            "{}: setParams returned false (normal on a pty: RTS/DTR are not supported there)",
            path);
      }
      port.setFlowControlMode(SerialPort.FLOWCONTROL_NONE);
      port.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR);
      port.addEventListener(link::onEvent, SerialPort.MASK_RXCHAR);
    } catch (SerialPortException e) {
      link.close();
      throw new IOException("cannot set up serial port " + path + ": " + e.getExceptionType(), e);
    }
    return link;
  }

  private void onEvent(SerialPortEvent event) {
    if (!event.isRXCHAR() || event.getEventValue() <= 0) {
      return;
    }
    try {
      byte[] chunk = port.readBytes(event.getEventValue());
      if (chunk != null) {
        inbound.put(chunk, 0, chunk.length);
      }
    } catch (SerialPortException e) {
      log.warn("{}: read failed: {}", port.getPortName(), e.getExceptionType());
    }
  }

  @Override
  public String name() {
    return port.getPortName();
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    try {
      if (!port.writeBytes(bytes)) {
        throw new IOException("write to " + name() + " failed");
      }
    } catch (SerialPortException e) {
      throw new IOException("write to " + name() + " failed: " + e.getExceptionType(), e);
    }
  }

  @Override
  public byte[] read(int max, Duration timeout) throws IOException {
    return inbound.take(max, timeout, name());
  }

  @Override
  public void discardInput() {
    inbound.clear();
  }

  @Override
  public void close() {
    inbound.close();
    try {
      if (port.isOpened()) {
        port.removeEventListener();
        port.closePort();
      }
    } catch (SerialPortException e) {
      log.warn("{}: close failed: {}", port.getPortName(), e.getExceptionType());
    }
  }
}
