package dev.locker.hal.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;

/** A door's reed switch: reads whether the door is closed, from the level and the wiring. */
public final class DoorSwitch {
  private final DigitalInput input;
  private final boolean closedIsLow;

  DoorSwitch(DigitalInput input, boolean closedIsLow) {
    this.input = input;
    this.closedIsLow = closedIsLow;
  }

  /** True when the level says the door is closed. */
  public boolean isClosed() {
    return (input.state() == DigitalState.LOW) == closedIsLow;
  }

  public String id() {
    return input.id();
  }
}
