package dev.locker.hal.input;

import dev.locker.core.application.port.CardReader;
import dev.locker.hal.cardreader.CardUidReader;
import java.util.Objects;
import java.util.function.Function;

/**
 * locker-core's {@link CardReader} on a serial UID reader. The UID is hashed here, at the edge,
 * with the keyed hash the composition root provides, so the raw UID never travels further.
 */
public final class SerialCardReader implements CardReader, AutoCloseable {
  private final CardUidReader reader;
  private final Function<byte[], String> uidHash;

  public SerialCardReader(CardUidReader reader, Function<byte[], String> uidHash) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.uidHash = Objects.requireNonNull(uidHash, "uidHash");
  }

  @Override
  public void start(Listener listener) {
    reader.start(uid -> listener.cardPresented(uidHash.apply(uid)));
  }

  @Override
  public void stop() {
    reader.close();
  }

  @Override
  public void close() {
    stop();
  }
}
