package dev.locker.hal.kerong;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One KR-CU16 frame (device-protocols.md §1.1): {@code STX ADDR CMD [DATA…] ETX SUM}, where SUM is
 * the low byte of the additive sum of every byte before it, STX to ETX inclusive, and {@code ADDR =
 * (board << 4) | lockIndex}, lock index 0..15 for locks 1..16.
 */
public record KerongFrame(int address, int command, byte[] data) {
  public static final int STX = 0x02;
  public static final int ETX = 0x03;

  /** Host → board: status of one board (reply 0x35). */
  public static final int GET_STATUS = 0x30;

  /** Host → board: unlock one lock. No reply by default; some firmware answers 0x35. */
  public static final int UNLOCK = 0x31;

  /** Host → bus: status of all boards. */
  public static final int GET_ALL_STATUS = 0x32;

  /** Host → board: unlock all locks of a board. */
  public static final int UNLOCK_ALL = 0x33;

  /** Board → host: one board's hook and IR bits. */
  public static final int STATUS_REPLY = 0x35;

  /** Board → host: all-boards status. */
  public static final int ALL_STATUS_REPLY = 0x36;

  /** Host → board: set unlock (energise) time, two bytes little-endian. */
  public static final int SET_UNLOCK_TIME = 0x37;

  /** Board → host: unlock time. */
  public static final int UNLOCK_TIME_REPLY = 0x38;

  public KerongFrame {
    if (address < 0 || address > 0xFF || command < 0 || command > 0xFF) {
      throw new IllegalArgumentException("address and command are single bytes");
    }
    data = data.clone();
  }

  /** The whole frame length for a command, or empty for a command this codec does not know. */
  public static Optional<Integer> lengthOf(int command) {
    return switch (command) {
      case GET_STATUS, UNLOCK, GET_ALL_STATUS, UNLOCK_ALL -> Optional.of(5);
      case SET_UNLOCK_TIME, UNLOCK_TIME_REPLY -> Optional.of(7);
      case STATUS_REPLY, ALL_STATUS_REPLY -> Optional.of(9);
      default -> Optional.empty();
    };
  }

  public static KerongFrame statusQuery(int board) {
    return new KerongFrame(board << 4, GET_STATUS, new byte[0]);
  }

  /** Unlock lock {@code channel} (1..16) of {@code board} (0..15). */
  public static KerongFrame unlock(int board, int channel) {
    if (channel < 1 || channel > 16) {
      throw new IllegalArgumentException("channel must be 1..16, was " + channel);
    }
    return new KerongFrame((board << 4) | (channel - 1), UNLOCK, new byte[0]);
  }

  /** A 0x35 reply with raw hook bits and IR bits (bit n = lock n+1). */
  public static KerongFrame statusReply(int board, int hookBits, int irBits) {
    return new KerongFrame(
        board << 4,
        STATUS_REPLY,
        new byte[] {
          (byte) hookBits, (byte) (hookBits >>> 8), (byte) irBits, (byte) (irBits >>> 8)
        });
  }

  public int board() {
    return address >>> 4;
  }

  /** The lock channel 1..16 the address names (meaningful for unlock). */
  public int channel() {
    return (address & 0x0F) + 1;
  }

  public byte[] encode() {
    byte[] frame = new byte[data.length + 5];
    frame[0] = STX;
    frame[1] = (byte) address;
    frame[2] = (byte) command;
    System.arraycopy(data, 0, frame, 3, data.length);
    frame[frame.length - 2] = ETX;
    frame[frame.length - 1] = checksum(frame, frame.length - 1);
    return frame;
  }

  /** Low byte of the sum of the first {@code count} bytes. */
  public static byte checksum(byte[] bytes, int count) {
    int sum = 0;
    for (int i = 0; i < count; i++) {
      sum += bytes[i] & 0xFF;
    }
    return (byte) sum;
  }

  /** For a 0x35 reply: the 16 hook bits as sent, bit n = lock n+1. */
  public int hookBits() {
    return (data[0] & 0xFF) | (data[1] & 0xFF) << 8;
  }

  /** For a 0x35 reply: the 16 IR (item present) bits, bit n = lock n+1. */
  public int irBits() {
    return (data[2] & 0xFF) | (data[3] & 0xFF) << 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KerongFrame f
        && f.address == address
        && f.command == command
        && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * address + command) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "KerongFrame[" + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(encode()) + "]";
  }
}
