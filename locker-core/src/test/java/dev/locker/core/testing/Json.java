package dev.locker.core.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON-shaped test data. */
public final class Json {
  private Json() {}

  /** A JSON object from alternating keys and values, in that order (values may be null). */
  public static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
