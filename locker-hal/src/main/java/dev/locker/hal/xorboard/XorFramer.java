package dev.locker.hal.xorboard;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reassembles "8A/80" frames from a byte stream that may split, merge or garble them.
 *
 * <p>The frames carry no length and both shapes may start with 0x80, so the bytes alone cannot say
 * whether a 0x80 begins a 5-byte or a 7-byte frame: {@code 80 01 01 11 91 33 33} is a valid
 * BoardFrame (locks 1, 5, 8, 9, 13 and 17 closed) whose first five bytes are also a valid "lock 1
 * closed" reply. The reader therefore says which shape it awaits ({@link Expecting}); a half-duplex
 * master always knows, having just sent the request. Frames of the other shape are then garbage.
 *
 * <p>Bytes that cannot start a frame of the awaited shape are rejected up to the next possible
 * head; a candidate with a wrong XOR or an undefined field is rejected by dropping its head byte
 * alone, so that the search resynchronises on the next head (which may sit inside the rejected
 * bytes). Every yielded frame is a run of bytes that stood on the wire, and every input byte ends
 * up in exactly one yielded frame, one rejection, or the pending tail. Not thread-safe: one reader
 * feeds it.
 */
public final class XorFramer {
  /** Which frame shape the reader awaits. */
  public enum Expecting {
    /** 5-byte frames: requests (what a board reads), unlock and single-lock query replies. */
    LOCK_FRAMES(XorFrame.LOCK_FRAME_LENGTH),
    /** 7-byte frames: the reply to a query of all locks. */
    BOARD_FRAMES(XorFrame.BOARD_FRAME_LENGTH);

    final int length;

    Expecting(int length) {
      this.length = length;
    }

    boolean isHead(int b) {
      return b == XorFrame.QUERY || (this == LOCK_FRAMES && b == XorFrame.UNLOCK);
    }
  }

  /** What the framer found in the stream. */
  public sealed interface Decoded {
    record Frame(XorFrame frame) implements Decoded {}

    /** Bytes that were dropped, and why. */
    record Rejected(String reason, byte[] bytes) implements Decoded {}
  }

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private Expecting expecting;

  public XorFramer(Expecting expecting) {
    this.expecting = Objects.requireNonNull(expecting, "expecting");
  }

  /** Awaits frames of another shape from now on; bytes held back so far are dropped. */
  public void expect(Expecting shape) {
    expecting = Objects.requireNonNull(shape, "shape");
    pending.reset();
  }

  public Expecting expecting() {
    return expecting;
  }

  /** Adds received bytes and returns every frame and rejection they complete, in order. */
  public List<Decoded> feed(byte[] bytes) {
    pending.write(bytes, 0, bytes.length);
    byte[] buf = pending.toByteArray();
    List<Decoded> out = new ArrayList<>();
    int n = expecting.length;
    int pos = 0;
    while (pos < buf.length) {
      if (!expecting.isHead(buf[pos] & 0xFF)) {
        int start = pos;
        while (pos < buf.length && !expecting.isHead(buf[pos] & 0xFF)) {
          pos++;
        }
        out.add(rejected("garbage before a head byte", buf, start, pos));
        continue;
      }
      if (buf.length - pos < n) {
        break;
      }
      XorFrame.Parsed parsed =
          expecting == Expecting.LOCK_FRAMES
              ? XorFrame.parseLockFrame(buf, pos)
              : XorFrame.parseBoardFrame(buf, pos);
      if (parsed instanceof XorFrame.Parsed.Good good) {
        out.add(new Decoded.Frame(good.frame()));
        pos += n;
      } else {
        out.add(rejected(((XorFrame.Parsed.Bad) parsed).reason(), buf, pos, pos + 1));
        pos++;
      }
    }
    pending.reset();
    pending.write(buf, pos, buf.length - pos);
    return out;
  }

  /** Bytes held back as the start of an incomplete frame. */
  public int pendingBytes() {
    return pending.size();
  }

  public void reset() {
    pending.reset();
  }

  private static Decoded.Rejected rejected(String reason, byte[] buf, int from, int to) {
    byte[] dropped = new byte[to - from];
    System.arraycopy(buf, from, dropped, 0, dropped.length);
    return new Decoded.Rejected(reason + " (" + XorFrame.hex(dropped) + ")", dropped);
  }
}
