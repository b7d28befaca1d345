package dev.locker.hal.zvt;

/**
 * The ZVT serial checksum (device-protocols.md §4.2): CRC-16 with the reflected polynomial 0x8408,
 * initial value 0, no final XOR (the CRC-16/KERMIT register), computed over the un-stuffed APDU
 * followed by the ETX byte 0x03, and sent low byte first.
 */
public final class ZvtCrc {
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
      }
      TABLE[i] = crc;
    }
  }

  private ZvtCrc() {}

  /** The CRC register after {@code bytes[from, to)}, starting from {@code crc}. */
  public static int update(int crc, byte[] bytes, int from, int to) {
    int c = crc;
    for (int i = from; i < to; i++) {
      c = (c >>> 8) ^ TABLE[(c ^ bytes[i]) & 0xFF];
    }
    return c;
  }

  /** The checksum of a frame carrying {@code apdu}: over the APDU and the ETX byte. */
  public static int of(byte[] apdu) {
    int crc = update(0, apdu, 0, apdu.length);
    return update(crc, new byte[] {ZvtFrame.ETX}, 0, 1);
  }
}
