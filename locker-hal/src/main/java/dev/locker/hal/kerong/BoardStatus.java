package dev.locker.hal.kerong;

/**
 * One board's lock states as read by a 0x35 reply, polarity already applied.
 *
 * @param latchedBits bit n set: lock n+1 is latched (locked, door shut)
 * @param itemBits bit n set: the IR sensor of lock n+1 sees an item
 */
public record BoardStatus(int board, int latchedBits, int itemBits) {
  public boolean latched(int channel) {
    return (latchedBits >>> (channel - 1) & 1) == 1;
  }

  public boolean itemPresent(int channel) {
    return (itemBits >>> (channel - 1) & 1) == 1;
  }
}
