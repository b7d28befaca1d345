package dev.locker.hal.zvt;

import java.io.ByteArrayOutputStream;

/**
 * The ZVT serial frame (device-protocols.md §4.2):
 *
 * <pre>
 * DLE STX | APDU with every 0x10 doubled | DLE ETX | CRC_lo CRC_hi
 * 10  02                                 10  03
 * </pre>
 *
 * <p>Link handshake bytes travel outside frames: the receiver answers every frame with {@link #ACK}
 * (good CRC) or {@link #NAK} (bad CRC), and the sender repeats on NAK or silence.
 */
public final class ZvtFrame {
  public static final byte DLE = 0x10;
  public static final byte STX = 0x02;
  public static final byte ETX = 0x03;
  public static final byte ACK = 0x06;
  public static final byte NAK = 0x15;

  private ZvtFrame() {}

  /** The wire bytes of a frame carrying {@code apdu}. */
  public static byte[] encode(byte[] apdu) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(apdu.length + 8);
    out.write(DLE);
    out.write(STX);
    for (byte b : apdu) {
      out.write(b);
      if (b == DLE) {
        out.write(DLE);
      }
    }
    out.write(DLE);
    out.write(ETX);
    int crc = ZvtCrc.of(apdu);
    out.write(crc & 0xFF);
    out.write(crc >>> 8);
    return out.toByteArray();
  }
}
