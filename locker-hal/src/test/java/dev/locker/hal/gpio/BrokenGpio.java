package dev.locker.hal.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import java.lang.reflect.Proxy;

/**
 * GPIO lines that fail as a broken line does on the device (a gpiod request refused, a line taken
 * by another process): every read or pulse throws. pi4j's mock provider never fails, so tests of
 * the failure paths use these.
 */
public final class BrokenGpio {
  private BrokenGpio() {}

  /** A door switch whose every read throws. */
  public static DoorSwitch doorSwitch(String id) {
    return new DoorSwitch(broken(DigitalInput.class, id), true);
  }

  /** A relay whose every pulse throws. */
  public static Relay relay(String id) {
    return new Relay(broken(DigitalOutput.class, id), true);
  }

  private static <T> T broken(Class<T> type, String id) {
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              if (method.getName().equals("id")) {
                return id;
              }
              throw new IllegalStateException("line " + id + " is busy (Device or resource busy)");
            });
    return type.cast(proxy);
  }
}
