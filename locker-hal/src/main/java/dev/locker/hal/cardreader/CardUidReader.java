package dev.locker.hal.cardreader;

import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.hal.lines.LineDecoder;
import dev.locker.hal.lines.SerialLineReader;
import dev.locker.hal.serial.SerialLink;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A card reader that reports each card's UID as a line of hex digits (ISO 14443 UIDs of 4, 7 or 10
 * bytes, for example {@code 04A1B2C3}). Lines that are not such a UID are dropped and counted in
 * the reader's health. The UID leaves this class only as bytes for the adapter to hash.
 */
public final class CardUidReader implements AutoCloseable {
  private static final Pattern UID =
      Pattern.compile("([0-9A-Fa-f]{8}|[0-9A-Fa-f]{14}|[0-9A-Fa-f]{20})");

  private final SerialLineReader reader;

  public CardUidReader(SerialLink link, DeviceHealthListener health) {
    this.reader =
        new SerialLineReader(
            link,
            new LineDecoder.Settings("", false, 64),
            "cardreader",
            health,
            decoded ->
                parseUid(((LineDecoder.Decoded.Line) decoded).text()).isPresent()
                    ? decoded
                    : new LineDecoder.Decoded.Rejected("not a card UID (4, 7 or 10 bytes in hex)"));
  }

  /** The UID bytes of a line, or empty when the line is not a UID. */
  public static Optional<byte[]> parseUid(String line) {
    String text = line.strip();
    return UID.matcher(text).matches()
        ? Optional.of(HexFormat.of().parseHex(text))
        : Optional.empty();
  }

  /** Starts reading; {@code cards} gets the UID bytes of each card presented. */
  public void start(Consumer<byte[]> cards) {
    reader.start(
        decoded -> {
          if (decoded instanceof LineDecoder.Decoded.Line line) {
            parseUid(line.text()).ifPresent(cards);
          }
        });
  }

  @Override
  public void close() {
    reader.close();
  }
}
