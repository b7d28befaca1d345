package dev.locker.hal.xorboard;

import java.util.HexFormat;

/**
 * One frame of the "8A/80" XOR lock board (device-protocols.md §1.2). Two shapes, each closed by
 * the XOR of every byte before it:
 *
 * <pre>
 * LockFrame  (5 bytes)  HEAD BOARD LOCK CODE XOR
 *   8A BB LL 11   host → board: unlock lock LL (LL 00: unlock all, which this driver never sends)
 *   8A BB LL SS   board → host: unlock reply, SS 00 = opened, 11 = still closed
 *   80 BB LL 33   host → board: query lock LL (LL 00: query all, answered by a BoardFrame)
 *   80 BB LL SS   board → host: query reply, SS 00 = open, 11 = closed
 * BoardFrame (7 bytes)  80 BOARD G3 G2 G1 33 XOR
 *   board → host: every lock's state, G1 = locks 1..8 (bit 0 = lock 1), G2 = 9..16, G3 = 17..24;
 *   bit set = closed
 * </pre>
 *
 * <p>The same bytes mean different things by direction: {@code 8A 01 01 11 9B} is both "unlock lock
 * 1" and "lock 1 is still closed". This type is the structure; who sent it says what it means.
 */
public sealed interface XorFrame {
  /** HEAD of an unlock and of its reply. */
  int UNLOCK = 0x8A;

  /** HEAD of a query and of its replies. */
  int QUERY = 0x80;

  /** CODE of an unlock request; as a reply code it means "still closed". */
  int UNLOCK_CODE = 0x11;

  /** CODE of a query request, and the fixed byte before the XOR of a BoardFrame. */
  int QUERY_CODE = 0x33;

  /** Reply CODE: the lock reads open (for an unlock reply: it opened). */
  int OPEN = 0x00;

  /** Reply CODE: the lock reads closed (for an unlock reply: it did not open). */
  int CLOSED = 0x11;

  /** LOCK byte meaning "every lock of the board". */
  int ALL_LOCKS = 0x00;

  /** Locks per board (device-protocols.md §1.2: the 24-channel type). */
  int LOCKS = 24;

  int LOCK_FRAME_LENGTH = 5;
  int BOARD_FRAME_LENGTH = 7;

  /** The board address byte. */
  int board();

  /** The frame as it goes on the wire, XOR included. */
  byte[] encode();

  /**
   * A 5-byte frame naming one lock of a board, or all of them ({@link #ALL_LOCKS}).
   *
   * @param head {@link #UNLOCK} or {@link #QUERY}
   * @param lock 0..24
   * @param code {@link #UNLOCK_CODE} / {@link #QUERY_CODE} in a request, {@link #OPEN} / {@link
   *     #CLOSED} in a reply; an unlock frame never carries {@link #QUERY_CODE}
   */
  record LockFrame(int head, int board, int lock, int code) implements XorFrame {
    public LockFrame {
      if (head != UNLOCK && head != QUERY) {
        throw new IllegalArgumentException(String.format("unknown head 0x%02X", head));
      }
      if (board < 0 || board > 0xFF) {
        throw new IllegalArgumentException("board must be a byte, was " + board);
      }
      if (lock < 0 || lock > LOCKS) {
        throw new IllegalArgumentException("lock must be 0..24, was " + lock);
      }
      if (code != OPEN && code != CLOSED && !(code == QUERY_CODE && head == QUERY)) {
        throw new IllegalArgumentException(
            String.format("code 0x%02X is not defined after head 0x%02X", code, head));
      }
    }

    /** For a reply: whether it reports the lock closed. */
    public boolean reportsClosed() {
      return code == CLOSED;
    }

    /** Whether this is a reply code (00 or 11) rather than a query (33). */
    public boolean isStateCode() {
      return code == OPEN || code == CLOSED;
    }

    @Override
    public byte[] encode() {
      byte[] frame = {(byte) head, (byte) board, (byte) lock, (byte) code, 0};
      frame[4] = xor(frame, 4);
      return frame;
    }

    @Override
    public String toString() {
      return "LockFrame[" + hex(encode()) + "]";
    }
  }

  /**
   * The 7-byte answer to a query of all locks.
   *
   * @param closedBits bit n set: lock n+1 reads closed (24 bits)
   */
  record BoardFrame(int board, int closedBits) implements XorFrame {
    public BoardFrame {
      if (board < 0 || board > 0xFF) {
        throw new IllegalArgumentException("board must be a byte, was " + board);
      }
      if ((closedBits & ~0xFFFFFF) != 0) {
        throw new IllegalArgumentException("closedBits has 24 bits, was " + closedBits);
      }
    }

    /** Whether lock {@code lock} (1..24) reads closed. */
    public boolean closed(int lock) {
      requireLock(lock);
      return (closedBits >>> (lock - 1) & 1) == 1;
    }

    @Override
    public byte[] encode() {
      byte[] frame = {
        (byte) QUERY,
        (byte) board,
        (byte) (closedBits >>> 16), // G3: locks 17..24
        (byte) (closedBits >>> 8), // G2: locks 9..16
        (byte) closedBits, // G1: locks 1..8
        (byte) QUERY_CODE,
        0
      };
      frame[6] = xor(frame, 6);
      return frame;
    }

    @Override
    public String toString() {
      return "BoardFrame[" + hex(encode()) + "]";
    }
  }

  /** Host → board: unlock lock {@code lock} (1..24); never lock 0 ("all"). */
  static LockFrame unlock(int board, int lock) {
    requireLock(lock);
    return new LockFrame(UNLOCK, board, lock, UNLOCK_CODE);
  }

  /**
   * Host → board: unlock every lock of the board in turn. Exists for the emulator and tests; the
   * driver never sends it, because a mass opening is a security incident.
   */
  static LockFrame unlockAll(int board) {
    return new LockFrame(UNLOCK, board, ALL_LOCKS, UNLOCK_CODE);
  }

  /** Host → board: query lock {@code lock} (1..24). */
  static LockFrame queryLock(int board, int lock) {
    requireLock(lock);
    return new LockFrame(QUERY, board, lock, QUERY_CODE);
  }

  /** Host → board: query every lock; answered by a {@link BoardFrame}. */
  static LockFrame queryAll(int board) {
    return new LockFrame(QUERY, board, ALL_LOCKS, QUERY_CODE);
  }

  /** Board → host: the answer to an unlock. */
  static LockFrame unlockReply(int board, int lock, boolean opened) {
    return new LockFrame(UNLOCK, board, lock, opened ? OPEN : CLOSED);
  }

  /** Board → host: the answer to a query of one lock. */
  static LockFrame lockReply(int board, int lock, boolean closed) {
    requireLock(lock);
    return new LockFrame(QUERY, board, lock, closed ? CLOSED : OPEN);
  }

  /** Board → host: the answer to a query of all locks. */
  static BoardFrame boardReply(int board, int closedBits) {
    return new BoardFrame(board, closedBits);
  }

  /** The XOR of the first {@code count} bytes. */
  static byte xor(byte[] bytes, int count) {
    int x = 0;
    for (int i = 0; i < count; i++) {
      x ^= bytes[i];
    }
    return (byte) x;
  }

  /** The outcome of reading one frame at a given place in a buffer. */
  sealed interface Parsed {
    record Good(XorFrame frame) implements Parsed {}

    record Bad(String reason) implements Parsed {}
  }

  /** Reads the 5 bytes at {@code at} as a {@link LockFrame}; the caller ensures they are there. */
  static Parsed parseLockFrame(byte[] buf, int at) {
    int head = buf[at] & 0xFF;
    int board = buf[at + 1] & 0xFF;
    int lock = buf[at + 2] & 0xFF;
    int code = buf[at + 3] & 0xFF;
    byte expected = xorAt(buf, at, 4);
    if (buf[at + 4] != expected) {
      return new Parsed.Bad(
          String.format("bad XOR 0x%02X, expected 0x%02X", buf[at + 4] & 0xFF, expected & 0xFF));
    }
    if (head != UNLOCK && head != QUERY) {
      return new Parsed.Bad(String.format("unknown head 0x%02X", head));
    }
    if (lock > LOCKS) {
      return new Parsed.Bad(String.format("lock 0x%02X beyond 24", lock));
    }
    if (code != OPEN && code != CLOSED && !(code == QUERY_CODE && head == QUERY)) {
      return new Parsed.Bad(
          String.format("code 0x%02X is not defined after head 0x%02X", code, head));
    }
    return new Parsed.Good(new LockFrame(head, board, lock, code));
  }

  /** Reads the 7 bytes at {@code at} as a {@link BoardFrame}; the caller ensures they are there. */
  static Parsed parseBoardFrame(byte[] buf, int at) {
    int head = buf[at] & 0xFF;
    byte expected = xorAt(buf, at, 6);
    if (buf[at + 6] != expected) {
      return new Parsed.Bad(
          String.format("bad XOR 0x%02X, expected 0x%02X", buf[at + 6] & 0xFF, expected & 0xFF));
    }
    if (head != QUERY) {
      return new Parsed.Bad(String.format("head 0x%02X where a board frame has 0x80", head));
    }
    if ((buf[at + 5] & 0xFF) != QUERY_CODE) {
      return new Parsed.Bad(
          String.format("byte 5 is 0x%02X where a board frame has 0x33", buf[at + 5] & 0xFF));
    }
    int bits = (buf[at + 2] & 0xFF) << 16 | (buf[at + 3] & 0xFF) << 8 | (buf[at + 4] & 0xFF);
    return new Parsed.Good(new BoardFrame(buf[at + 1] & 0xFF, bits));
  }

  private static byte xorAt(byte[] buf, int at, int count) {
    int x = 0;
    for (int i = 0; i < count; i++) {
      x ^= buf[at + i];
    }
    return (byte) x;
  }

  private static void requireLock(int lock) {
    if (lock < 1 || lock > LOCKS) {
      throw new IllegalArgumentException("lock must be 1..24, was " + lock);
    }
  }

  /** Bytes as {@code 8A 01 01 11 9B}. */
  static String hex(byte[] bytes) {
    return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
  }
}
