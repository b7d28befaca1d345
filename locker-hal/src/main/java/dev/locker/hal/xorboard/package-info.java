/**
 * The generic "8A/80" XOR lock board (device-protocols.md §1.2): up to 24 locks per board on an
 * RS-485 bus at 9600 8N1, fixed 5- and 7-byte frames closed by the XOR of their bytes. The device
 * layer only: the frame codec, a resynchronising framer and the half-duplex bus master with
 * per-board health. It knows nothing of compartments; {@code dev.locker.hal.locks.XorBoardLocks}
 * maps them onto boards and locks.
 */
package dev.locker.hal.xorboard;
