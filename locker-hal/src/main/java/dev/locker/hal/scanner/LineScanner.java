package dev.locker.hal.scanner;

import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.hal.lines.LineDecoder;
import dev.locker.hal.lines.SerialLineReader;
import dev.locker.hal.serial.SerialLink;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A barcode/QR scanner in serial line mode. Reads are de-duplicated: the same text again within the
 * repeat window (a code held under the scanner is read several times a second) is dropped. Rejected
 * lines never reach the listener; they show in the scanner's health. Reads are not logged: a QR
 * from a recipient's message is a credential. A Zebra scanner's SSI replies to the trigger commands
 * are taken out of the stream ({@link SsiReplyFilter}), so the handshake may be on or off.
 */
public final class LineScanner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LineScanner.class);

  private final SerialLineReader reader;
  private final TriggerMode trigger;
  private final Clock clock;
  private final Duration repeatWindow;
  private String lastText = "";
  private Instant lastAt = Instant.EPOCH;

  /** Scanner settings: line format, trigger mode and the repeat window. */
  public record Settings(LineDecoder.Settings lines, TriggerMode trigger, Duration repeatWindow) {
    public Settings {
      Objects.requireNonNull(lines, "lines");
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(repeatWindow, "repeatWindow");
    }
  }

  public LineScanner(SerialLink link, Settings settings, Clock clock, DeviceHealthListener health) {
    UnaryOperator<byte[]> inbound =
        settings.trigger() == TriggerMode.ZEBRA_SSI
            ? new SsiReplyFilter()::feed
            : UnaryOperator.identity();
    this.reader =
        new SerialLineReader(
            link, settings.lines(), "scanner", health, UnaryOperator.identity(), inbound);
    this.trigger = settings.trigger();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.repeatWindow = settings.repeatWindow();
  }

  /** Starts reading; {@code listener} gets (text, AIM symbology or "") for each new read. */
  public void start(BiConsumer<String, String> listener) {
    reader.start(
        decoded -> {
          if (decoded instanceof LineDecoder.Decoded.Line line && isNew(line.text())) {
            listener.accept(line.text(), line.symbology());
          }
        });
  }

  private synchronized boolean isNew(String text) {
    Instant now = clock.instant();
    boolean repeat = text.equals(lastText) && now.isBefore(lastAt.plus(repeatWindow));
    lastText = text;
    lastAt = now;
    return !repeat;
  }

  /** Switches scanning on or off (a no-op in {@link TriggerMode#NONE}). */
  public void trigger(boolean on) {
    byte[] command = trigger.command(on);
    if (command.length == 0) {
      return;
    }
    try {
      reader.send(command);
    } catch (IOException e) {
      log.warn("scanner trigger failed: {}", e.getMessage());
    }
  }

  public long rejectedLines() {
    return reader.rejectedTotal();
  }

  @Override
  public void close() {
    reader.close();
  }
}
