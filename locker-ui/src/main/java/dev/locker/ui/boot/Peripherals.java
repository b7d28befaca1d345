package dev.locker.ui.boot;

import dev.locker.core.application.port.CardReader;
import dev.locker.core.application.port.CodeScanner;
import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.hal.payment.ZvtPaymentTerminal;
import dev.locker.hal.zvt.ZvtTerminal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peripherals a locker has besides its locks: code scanners (the serial scanner, the camera),
 * the card reader and the payment terminal. Each device is started once and its reads are handed to
 * every subscriber, so that the kiosk screens and the simulator can listen side by side.
 *
 * <p>Threads: subscribers are called on the device's own reader thread and must post the work to
 * where it belongs (the locker loop, a screen's session) rather than do it there. A subscriber that
 * throws is logged and does not stop the others or the device.
 */
public final class Peripherals implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Peripherals.class);

  private final List<CodeScanner> scanners;
  private final Optional<CardReader> cardReader;
  private final Optional<ZvtPaymentTerminal> paymentTerminal;
  private final List<CodeScanner.Listener> scanSubscribers = new CopyOnWriteArrayList<>();
  private final List<CardReader.Listener> cardSubscribers = new CopyOnWriteArrayList<>();
  private boolean started;

  /** Stopping a device closes its link. */
  public Peripherals(
      List<CodeScanner> scanners,
      Optional<CardReader> cardReader,
      Optional<ZvtPaymentTerminal> paymentTerminal) {
    this.scanners = List.copyOf(scanners);
    this.cardReader = cardReader;
    this.paymentTerminal = paymentTerminal;
  }

  /** A locker with no peripherals. */
  public static Peripherals none() {
    return new Peripherals(List.of(), Optional.empty(), Optional.empty());
  }

  public boolean hasScanner() {
    return !scanners.isEmpty();
  }

  public boolean hasCardReader() {
    return cardReader.isPresent();
  }

  /**
   * The payment terminal, when the locker has one. Its operations block for up to minutes (a
   * customer at the terminal): call them from a thread of their own, never the locker loop.
   */
  public Optional<PaymentTerminal> paymentTerminal() {
    return paymentTerminal.map(PaymentTerminal.class::cast);
  }

  /**
   * The ZVT terminal under {@link #paymentTerminal()}, for what the port does not cover: a
   * technician's test payment, health. Blocks as the port does.
   */
  public Optional<ZvtTerminal> zvtTerminal() {
    return paymentTerminal.map(ZvtPaymentTerminal::terminal);
  }

  /** Every later read of any scanner goes to {@code listener} too. */
  public void onScan(CodeScanner.Listener listener) {
    scanSubscribers.add(listener);
  }

  /** Every later card goes to {@code listener} too. */
  public void onCard(CardReader.Listener listener) {
    cardSubscribers.add(listener);
  }

  /** Starts every device. Idempotent. */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    for (CodeScanner scanner : scanners) {
      scanner.start(this::scanned);
    }
    cardReader.ifPresent(reader -> reader.start(this::cardPresented));
    zvtTerminal()
        .ifPresent(
            terminal -> {
              Thread registration =
                  new Thread(() -> register(terminal), "payment-terminal-registration");
              registration.setDaemon(true);
              registration.start();
            });
  }

  /** Registers the locker as the terminal's ECR (06 00); the outcome shows in its health. */
  private static void register(ZvtTerminal terminal) {
    ZvtTerminal.RegistrationResult result = terminal.register();
    log.info("payment terminal registration: {}", result.getClass().getSimpleName());
  }

  /** Asks every scanner to scan now, or to stop (a screen that expects a code shows or hides). */
  public void trigger(boolean on) {
    scanners.forEach(s -> s.trigger(on));
  }

  private void scanned(String text, String symbology) {
    for (CodeScanner.Listener l : scanSubscribers) {
      try {
        l.scanned(text, symbology);
      } catch (RuntimeException e) {
        log.warn("a scan subscriber failed: {}", e.toString());
      }
    }
  }

  private void cardPresented(String uidHash) {
    for (CardReader.Listener l : cardSubscribers) {
      try {
        l.cardPresented(uidHash);
      } catch (RuntimeException e) {
        log.warn("a card subscriber failed: {}", e.toString());
      }
    }
  }

  /** Stops every device and closes its link. */
  @Override
  public synchronized void close() {
    scanners.forEach(CodeScanner::stop);
    cardReader.ifPresent(CardReader::stop);
    zvtTerminal().ifPresent(ZvtTerminal::close);
  }
}
