package dev.locker.hal.zvt;

import dev.locker.hal.serial.SerialLink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The ECR end of the ZVT link layer (device-protocols.md §4.2): every frame sent waits for the
 * terminal's ACK and is repeated on NAK or silence; every frame received is answered ACK (good CRC)
 * or NAK (bad CRC). Frames that arrive while an ACK is awaited are acknowledged and queued, so
 * nothing the terminal says is lost when both ends talk at once. Counts the trouble it meets for
 * the driver's health. Not thread-safe: the driver's operation lock guards it.
 */
final class ZvtLink {
  private final SerialLink link;
  private final Duration ackTimeout;
  private final int retries;
  private final ZvtFramer framer;
  private final Deque<Apdu> queued = new ArrayDeque<>();

  int naks;
  int resends;
  int badFrames;
  int garbage;

  ZvtLink(SerialLink link, Duration t1, Duration ackTimeout, int retries) {
    this.link = link;
    this.ackTimeout = ackTimeout;
    this.retries = retries;
    this.framer = new ZvtFramer(t1);
  }

  String name() {
    return link.name();
  }

  /** Forgets stale input and the trouble counted so far, before a new operation. */
  void startOperation() {
    link.discardInput();
    framer.reset();
    queued.clear();
    naks = 0;
    resends = 0;
    badFrames = 0;
    garbage = 0;
  }

  boolean troubled() {
    return naks > 0 || resends > 0 || badFrames > 0 || garbage > 0;
  }

  String trouble() {
    return String.format(
        "%d NAK(s), %d resend(s), %d bad CRC(s), %d garbled byte run(s)",
        naks, resends, badFrames, garbage);
  }

  /**
   * Sends {@code apdu} and waits for the link ACK, trying 1 + retries times; false when no try was
   * acknowledged.
   */
  boolean send(Apdu apdu) throws IOException {
    byte[] wire = ZvtFrame.encode(apdu.encode());
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        resends++;
      }
      link.write(wire);
      long deadline = System.nanoTime() + ackTimeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        Handshake h = pump(Duration.ofNanos(left), true);
        if (h == Handshake.ACK) {
          return true;
        }
        if (h == Handshake.NAK) {
          naks++;
          break;
        }
      }
    }
    return false;
  }

  /** The next APDU the terminal sends within {@code timeout}; empty when none came. */
  Optional<Apdu> receive(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (queued.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      pump(Duration.ofNanos(left), false);
    }
    return Optional.of(queued.removeFirst());
  }

  private enum Handshake {
    NONE,
    ACK,
    NAK
  }

  /** Reads once; answers and queues frames; returns the first handshake byte if one is awaited. */
  private Handshake pump(Duration wait, boolean awaitingAck) throws IOException {
    byte[] chunk = link.read(512, wait);
    Handshake seen = Handshake.NONE;
    for (ZvtFramer.Decoded d : framer.feed(chunk, System.nanoTime())) {
      if (d instanceof ZvtFramer.Decoded.Frame f) {
        link.write(new byte[] {ZvtFrame.ACK});
        Apdu.Parse parse = Apdu.parse(f.apdu());
        if (parse instanceof Apdu.Parse.Parsed p) {
          queued.addLast(p.apdu());
        } else {
          garbage++;
        }
      } else if (d instanceof ZvtFramer.Decoded.BadCrc) {
        badFrames++;
        link.write(new byte[] {ZvtFrame.NAK});
      } else if (d instanceof ZvtFramer.Decoded.Garbage) {
        garbage++;
      } else if (seen == Handshake.NONE && awaitingAck) {
        seen = d instanceof ZvtFramer.Decoded.Ack ? Handshake.ACK : Handshake.NAK;
      }
    }
    return seen;
  }
}
