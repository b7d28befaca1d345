package dev.locker.core.application.port;

/**
 * The card reader: reports each card held to it as a keyed hash of its UID, so that no raw card
 * number reaches the domain, the database or a log. Implemented in locker-hal.
 */
public interface CardReader {

  void start(Listener listener);

  void stop();

  /** Receives cards; called on the reader's thread, must post to the locker loop. */
  @FunctionalInterface
  interface Listener {
    /** {@code uidHash}: lower-case hex of the keyed hash of the card's UID. */
    void cardPresented(String uidHash);
  }
}
