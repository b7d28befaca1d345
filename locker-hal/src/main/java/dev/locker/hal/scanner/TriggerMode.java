package dev.locker.hal.scanner;

/**
 * How the scanner is told to scan (device-protocols.md §3.1): not at all (continuous or
 * presentation mode), Honeywell serial trigger commands, or Zebra SSI START/STOP_DECODE.
 */
public enum TriggerMode {
  NONE,
  HONEYWELL,
  ZEBRA_SSI;

  /** Honeywell: activate {@code SYN T CR}. */
  static final byte[] HONEYWELL_ON = {0x16, 0x54, 0x0D};

  /** Honeywell: deactivate {@code SYN U CR}. */
  static final byte[] HONEYWELL_OFF = {0x16, 0x55, 0x0D};

  /** Zebra SSI opcodes. */
  static final int SSI_START_DECODE = 0xE4;

  static final int SSI_STOP_DECODE = 0xE5;

  /** The bytes that switch scanning on or off; empty for {@link #NONE}. */
  public byte[] command(boolean on) {
    return switch (this) {
      case NONE -> new byte[0];
      case HONEYWELL -> (on ? HONEYWELL_ON : HONEYWELL_OFF).clone();
      case ZEBRA_SSI -> ssi(on ? SSI_START_DECODE : SSI_STOP_DECODE);
    };
  }

  /**
   * A host-to-decoder SSI packet without data: {@code LEN OPCODE SRC STATUS CKSUM_hi CKSUM_lo}, LEN
   * = 4 (excludes the checksum), SRC 0x04 (host), checksum the 16-bit two's complement of the byte
   * sum.
   */
  static byte[] ssi(int opcode) {
    int[] body = {0x04, opcode, 0x04, 0x00};
    int sum = 0;
    for (int b : body) {
      sum += b;
    }
    int check = (-sum) & 0xFFFF;
    return new byte[] {
      (byte) body[0],
      (byte) body[1],
      (byte) body[2],
      (byte) body[3],
      (byte) (check >>> 8),
      (byte) check
    };
  }
}
