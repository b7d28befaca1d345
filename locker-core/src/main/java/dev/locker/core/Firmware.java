package dev.locker.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The firmware's version, as the build wrote it: shown in the service menu, sent to the cloud. */
public final class Firmware {
  private static final String VERSION = load();

  private Firmware() {}

  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Firmware.class.getResourceAsStream("firmware.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
