package dev.locker.hal.scanner;

import java.io.ByteArrayOutputStream;

/**
 * Takes the Zebra SSI replies out of a scanner's byte stream, so that a scanner with the SSI
 * handshake on can answer the trigger commands and still send its reads as text lines.
 *
 * <p>A decoder answers each host command with {@code CMD_ACK} ({@code 04 D0 00 00 CK CK}) or {@code
 * CMD_NAK} ({@code 05 D1 00 00 CAUSE CK CK}): length, opcode, source 00 (decoder), status, [cause],
 * and a 16-bit checksum, the two's complement of the byte sum (see {@link TriggerMode#ssi}). Such a
 * packet can only stand where a line starts: its length byte is a control character no text line
 * begins with. A packet with a wrong checksum is passed on untouched, so the line decoder rejects
 * it and the scanner's health counts it.
 *
 * <p>Not thread-safe: one reader thread feeds it.
 */
public final class SsiReplyFilter {
  private static final int ACK = 0xD0;
  private static final int NAK = 0xD1;

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean atLineStart = true;
  private long acks;
  private long naks;

  /** The bytes of {@code chunk} (after any held back before it) that are not SSI replies. */
  public byte[] feed(byte[] chunk) {
    pending.writeBytes(chunk);
    byte[] in = pending.toByteArray();
    pending.reset();
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    int i = 0;
    while (i < in.length) {
      int b = in[i] & 0xFF;
      if (atLineStart && (b == 0x04 || b == 0x05)) {
        int total = b + 2;
        if (in.length - i < Math.min(total, 2)
            || (in.length - i >= 2 && isReplyOpcode(in[i + 1]) && in.length - i < total)) {
          pending.write(in, i, in.length - i);
          break;
        }
        if (isReplyOpcode(in[i + 1]) && checksumOk(in, i, b)) {
          if ((in[i + 1] & 0xFF) == ACK) {
            acks++;
          } else {
            naks++;
          }
          i += total;
          continue;
        }
      }
      out.write(b);
      atLineStart = b == '\r' || b == '\n';
      i++;
    }
    return out.toByteArray();
  }

  private static boolean isReplyOpcode(byte opcode) {
    int op = opcode & 0xFF;
    return op == ACK || op == NAK;
  }

  private static boolean checksumOk(byte[] in, int at, int length) {
    int sum = 0;
    for (int k = 0; k < length; k++) {
      sum += in[at + k] & 0xFF;
    }
    int check = ((in[at + length] & 0xFF) << 8) | (in[at + length + 1] & 0xFF);
    return ((sum + check) & 0xFFFF) == 0;
  }

  /** CMD_ACK packets taken out since start. */
  public long acks() {
    return acks;
  }

  /** CMD_NAK packets taken out since start. */
  public long naks() {
    return naks;
  }
}
