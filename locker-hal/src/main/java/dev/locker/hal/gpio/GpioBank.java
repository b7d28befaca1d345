package dev.locker.hal.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import java.time.Duration;
import java.util.Objects;

/**
 * The board's GPIO header through pi4j 2.8.0 (device-protocols.md §2): relays and door switches by
 * BCM number. One bank owns one pi4j context; {@link #close()} shuts it down, which puts every
 * relay in its declared safe state (off).
 *
 * <p>Providers: {@code gpiod} on the device (libgpiod; works on a Pi 5, needs no root), {@code
 * mock} in tests and the simulator (pi4j's mock plugin must be on the classpath).
 */
public final class GpioBank implements AutoCloseable {
  private final Context pi4j;
  private final String inputProvider;
  private final String outputProvider;
  private final String provider;

  private GpioBank(Context pi4j, String provider) {
    this.pi4j = pi4j;
    this.provider = provider;
    this.inputProvider = provider + "-digital-input";
    this.outputProvider = provider + "-digital-output";
  }

  /** A bank on {@code provider} ({@code gpiod} or {@code mock}). */
  public static GpioBank open(String provider) {
    Objects.requireNonNull(provider, "provider");
    Context context =
        provider.equals("mock")
            ? Pi4J.newContextBuilder().autoDetectMockPlugins().autoDetectPlatforms().build()
            : Pi4J.newContextBuilder().autoDetect().build();
    if (!context.providers().exists(provider + "-digital-output")) {
      context.shutdown();
      throw new IllegalStateException(
          "the pi4j provider '"
              + provider
              + "' is not available (is its plugin on the classpath?)");
    }
    return new GpioBank(context, provider);
  }

  /**
   * A relay on {@code bcm}. {@code activeHigh}: the relay module energises on a high level. Initial
   * and shutdown state: off.
   */
  public Relay relay(String id, int bcm, boolean activeHigh) {
    DigitalState off = activeHigh ? DigitalState.LOW : DigitalState.HIGH;
    DigitalOutput output =
        opened(
            id,
            bcm,
            () ->
                pi4j.create(
                    DigitalOutput.newConfigBuilder(pi4j)
                        .id(id)
                        .address(bcm)
                        .initial(off)
                        .shutdown(off)
                        .provider(outputProvider)
                        .build()));
    return new Relay(output, activeHigh);
  }

  /**
   * A door switch on {@code bcm}: a reed switch to GND with the pull-up on reads low when the door
   * is closed ({@code closedIsLow}); the other wiring uses the pull-down.
   */
  public DoorSwitch doorSwitch(String id, int bcm, boolean closedIsLow, Duration debounce) {
    DigitalInput input =
        opened(
            id,
            bcm,
            () ->
                pi4j.create(
                    DigitalInput.newConfigBuilder(pi4j)
                        .id(id)
                        .address(bcm)
                        .pull(closedIsLow ? PullResistance.PULL_UP : PullResistance.PULL_DOWN)
                        .debounce(debounce.toNanos() / 1000)
                        .provider(inputProvider)
                        .build()));
    return new DoorSwitch(input, closedIsLow);
  }

  /** Creates a pi4j line, turning whatever pi4j throws into a message naming the pin. */
  private <T> T opened(String id, int bcm, java.util.function.Supplier<T> create) {
    try {
      return create.get();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "GPIO "
              + bcm
              + " ("
              + id
              + ") cannot be opened with provider "
              + provider
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The pi4j context, for the simulator's physical model and for tests (mock provider). */
  public Context pi4j() {
    return pi4j;
  }

  /** Shuts pi4j down: every relay goes to its shutdown state, off. */
  @Override
  public void close() {
    pi4j.shutdown();
  }
}
