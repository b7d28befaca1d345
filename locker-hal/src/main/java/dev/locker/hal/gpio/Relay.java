package dev.locker.hal.gpio;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A lock relay: energised only for a timed pulse, never left on. Uses pi4j's four-argument {@code
 * pulseAsync}: in 2.8.0 the three-argument one ignores its state and always pulses high
 * (device-protocols.md §2, pitfall 1), which would invert an active-low relay module.
 */
public final class Relay {
  private final DigitalOutput output;
  private final DigitalState on;

  Relay(DigitalOutput output, boolean activeHigh) {
    this.output = output;
    this.on = activeHigh ? DigitalState.HIGH : DigitalState.LOW;
  }

  /**
   * Energises the relay for {@code length} and returns when the pulse has ended. Throws {@link
   * java.io.IOException} when the GPIO line cannot be driven.
   */
  public void pulse(Duration length) throws java.io.IOException {
    try {
      output
          .pulseAsync((int) length.toMillis(), TimeUnit.MILLISECONDS, on, null)
          .get(length.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new java.io.IOException("relay " + output.id() + " could not be pulsed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.IOException("interrupted while pulsing relay " + output.id(), e);
    }
  }

  /** Whether the relay is energised now. */
  public boolean isOn() {
    return output.state() == on;
  }

  public String id() {
    return output.id();
  }
}
