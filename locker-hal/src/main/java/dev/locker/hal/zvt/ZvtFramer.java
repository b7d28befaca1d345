package dev.locker.hal.zvt;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Reassembles ZVT serial frames and link handshake bytes from a byte stream that may split, merge,
 * drop or garble them (device-protocols.md §4.2). Never throws on any input.
 *
 * <ul>
 *   <li>Outside a frame, 0x06 is an {@link Decoded.Ack}, 0x15 a {@link Decoded.Nak}, {@code DLE
 *       STX} starts a frame and anything else is {@link Decoded.Garbage}.
 *   <li>Inside a frame, {@code DLE DLE} is one data byte 0x10, {@code DLE ETX} is followed by the
 *       two CRC bytes; {@code DLE STX} abandons the frame so far and starts a new one (resync), any
 *       other byte after a DLE is a lone DLE: the frame so far is garbage and the byte is looked at
 *       again outside a frame.
 *   <li>More than {@code t1} between two bytes of one frame abandons it (ZVT T1, 200 ms).
 *   <li>A frame longer than the largest APDU (3 + 2 + 65,535 bytes) is garbage.
 * </ul>
 *
 * <p>Not thread-safe: one reader feeds it.
 */
public final class ZvtFramer {
  /** The longest APDU: class, instruction, 0xFF, two length bytes, 65,535 data bytes. */
  static final int MAX_APDU = 5 + 0xFFFF;

  private enum State {
    HUNT,
    HUNT_DLE,
    DATA,
    DATA_DLE,
    CRC_LO,
    CRC_HI
  }

  /** What the framer found in the stream. */
  public sealed interface Decoded {
    /** A well-formed frame with a good CRC. */
    record Frame(byte[] apdu) implements Decoded {
      @Override
      public boolean equals(Object o) {
        return o instanceof Frame f && java.util.Arrays.equals(apdu, f.apdu);
      }

      @Override
      public int hashCode() {
        return java.util.Arrays.hashCode(apdu);
      }

      @Override
      public String toString() {
        return "Frame[" + hex(apdu) + "]";
      }
    }

    /** A complete frame whose CRC does not match: the receiver answers NAK. */
    record BadCrc(int received, int expected, int apduLength) implements Decoded {}

    /** Bytes that are no frame and no handshake byte, and why. */
    record Garbage(String reason, int length) implements Decoded {}

    /** The link acknowledgement 0x06. */
    record Ack() implements Decoded {}

    /** The link negative acknowledgement 0x15. */
    record Nak() implements Decoded {}
  }

  private final long t1Nanos;
  private final ByteArrayOutputStream apdu = new ByteArrayOutputStream();
  private State state = State.HUNT;
  private int garbage;
  private int crcLo;
  private long lastByteNanos;

  /**
   * @param t1 the longest gap between two bytes of one frame (ZVT T1)
   */
  public ZvtFramer(Duration t1) {
    this.t1Nanos = Objects.requireNonNull(t1, "t1").toNanos();
  }

  /**
   * Adds bytes received at {@code nowNanos} ({@link System#nanoTime()} or a test's clock) and
   * returns everything they complete, in order. An empty {@code bytes} only checks T1, so a reader
   * that times out can learn that a frame was cut short.
   */
  public List<Decoded> feed(byte[] bytes, long nowNanos) {
    List<Decoded> out = new ArrayList<>();
    if (inFrame() && nowNanos - lastByteNanos > t1Nanos) {
      out.add(
          new Decoded.Garbage(
              "frame interrupted: more than T1 between bytes", apdu.size() + 2 + garbage));
      apdu.reset();
      garbage = 0;
      state = State.HUNT;
    }
    for (byte b : bytes) {
      step(b & 0xFF, out);
    }
    if (bytes.length > 0) {
      lastByteNanos = nowNanos;
    }
    flushGarbage(out);
    return out;
  }

  /** Whether a frame has started and not yet ended. */
  public boolean inFrame() {
    return state != State.HUNT && state != State.HUNT_DLE;
  }

  /** Forgets any partial frame. */
  public void reset() {
    apdu.reset();
    garbage = 0;
    state = State.HUNT;
  }

  private void step(int b, List<Decoded> out) {
    switch (state) {
      case HUNT -> {
        if (b == (ZvtFrame.ACK & 0xFF)) {
          flushGarbage(out);
          out.add(new Decoded.Ack());
        } else if (b == (ZvtFrame.NAK & 0xFF)) {
          flushGarbage(out);
          out.add(new Decoded.Nak());
        } else if (b == ZvtFrame.DLE) {
          state = State.HUNT_DLE;
        } else {
          garbage++;
        }
      }
      case HUNT_DLE -> {
        if (b == ZvtFrame.STX) {
          flushGarbage(out);
          apdu.reset();
          state = State.DATA;
        } else {
          garbage++;
          state = State.HUNT;
          step(b, out);
        }
      }
      case DATA -> {
        if (b == ZvtFrame.DLE) {
          state = State.DATA_DLE;
        } else {
          append(b, out);
        }
      }
      case DATA_DLE -> {
        if (b == ZvtFrame.DLE) {
          state = State.DATA;
          append(b, out);
        } else if (b == ZvtFrame.ETX) {
          state = State.CRC_LO;
        } else if (b == ZvtFrame.STX) {
          out.add(new Decoded.Garbage("DLE STX inside a frame: resynchronised", apdu.size() + 2));
          apdu.reset();
          state = State.DATA;
        } else {
          out.add(new Decoded.Garbage("lone DLE inside a frame", apdu.size() + 3));
          apdu.reset();
          state = State.HUNT;
          step(b, out);
        }
      }
      case CRC_LO -> {
        crcLo = b;
        state = State.CRC_HI;
      }
      case CRC_HI -> {
        byte[] body = apdu.toByteArray();
        apdu.reset();
        state = State.HUNT;
        int received = crcLo | b << 8;
        int expected = ZvtCrc.of(body);
        if (received == expected) {
          out.add(new Decoded.Frame(body));
        } else {
          out.add(new Decoded.BadCrc(received, expected, body.length));
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void append(int b, List<Decoded> out) {
    apdu.write(b);
    if (apdu.size() > MAX_APDU) {
      out.add(new Decoded.Garbage("frame longer than the largest APDU", apdu.size() + 2));
      apdu.reset();
      state = State.HUNT;
    }
  }

  private void flushGarbage(List<Decoded> out) {
    if (garbage > 0) {
      out.add(new Decoded.Garbage("bytes outside a frame", garbage));
      garbage = 0;
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
  }
}
