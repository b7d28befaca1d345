package dev.locker.hal.kerong;

/**
 * How a board reports a latched lock in its hook bits. Sources disagree (device-protocols.md §1.1):
 * most boards send 1 for latched, some NCU16L units 0; set per board in the config, in the driver
 * and in the emulator alike.
 */
public enum HookPolarity {
  LATCHED_IS_ONE,
  LATCHED_IS_ZERO;

  /** Whether the raw hook bit means "latched". */
  public boolean latched(boolean bit) {
    return this == LATCHED_IS_ONE ? bit : !bit;
  }

  /** The raw bit that reports {@code latched}. */
  public boolean bitFor(boolean latched) {
    return this == LATCHED_IS_ONE ? latched : !latched;
  }
}
