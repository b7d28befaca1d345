package dev.locker.hal.kerong;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reassembles KR-CU16 frames from a byte stream that may split, merge or garble them. Bytes before
 * an STX are garbage; a candidate frame with an unknown command, no ETX where the command's length
 * puts it, or a wrong checksum is rejected by dropping its STX alone, so that the search
 * resynchronises on the next 0x02 (which may sit inside the rejected bytes). Not thread-safe: one
 * reader feeds it.
 */
public final class KerongFramer {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  /** What the framer found in the stream. */
  public sealed interface Decoded {
    record Frame(KerongFrame frame) implements Decoded {}

    /** Bytes that were dropped, and why. */
    record Rejected(String reason, byte[] bytes) implements Decoded {}
  }

  /** Adds received bytes and returns every frame and rejection they complete, in order. */
  public List<Decoded> feed(byte[] bytes) {
    pending.write(bytes, 0, bytes.length);
    byte[] buf = pending.toByteArray();
    List<Decoded> out = new ArrayList<>();
    int pos = 0;
    while (pos < buf.length) {
      if ((buf[pos] & 0xFF) != KerongFrame.STX) {
        int start = pos;
        while (pos < buf.length && (buf[pos] & 0xFF) != KerongFrame.STX) {
          pos++;
        }
        out.add(rejected("garbage before STX", buf, start, pos));
        continue;
      }
      if (buf.length - pos < 3) {
        break;
      }
      int command = buf[pos + 2] & 0xFF;
      Optional<Integer> length = KerongFrame.lengthOf(command);
      if (length.isEmpty()) {
        out.add(rejected(String.format("unknown command 0x%02X", command), buf, pos, pos + 1));
        pos++;
        continue;
      }
      int n = length.get();
      if (buf.length - pos < n) {
        break;
      }
      if ((buf[pos + n - 2] & 0xFF) != KerongFrame.ETX) {
        out.add(rejected("no ETX at byte " + (n - 2), buf, pos, pos + 1));
        pos++;
        continue;
      }
      byte[] frame = new byte[n];
      System.arraycopy(buf, pos, frame, 0, n);
      byte expected = KerongFrame.checksum(frame, n - 1);
      if (frame[n - 1] != expected) {
        out.add(
            rejected(
                String.format("bad checksum 0x%02X, expected 0x%02X", frame[n - 1], expected),
                buf,
                pos,
                pos + 1));
        pos++;
        continue;
      }
      byte[] data = new byte[n - 5];
      System.arraycopy(frame, 3, data, 0, data.length);
      out.add(new Decoded.Frame(new KerongFrame(frame[1] & 0xFF, command, data)));
      pos += n;
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
    return new Decoded.Rejected(
        reason + " (" + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(dropped) + ")",
        dropped);
  }
}
