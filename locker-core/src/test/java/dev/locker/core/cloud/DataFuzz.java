package dev.locker.core.cloud;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random changes to a valid command's data, as a buggy or hostile cloud might send them: keys
 * dropped or added, values of the wrong JSON type, texts with a character changed, numbers at the
 * edges. Values are what Jackson makes of JSON (String, Integer, Long, BigInteger, Double, Boolean,
 * List, Map, and null inside nested objects; {@link Command} refuses null at the top).
 */
final class DataFuzz {
  private static final String CHARS =
      "abcdefABCDEF0123456789$=,+/._-: \t\n\u0000\u00e9\u4e2d\ud83d\ude00\u2028";

  private DataFuzz() {}

  /** {@code valid} with 0 to 3 changes, anywhere in its nesting. */
  static Map<String, Object> mutate(Map<String, Object> valid, Random random) {
    Map<String, Object> data = deepCopy(valid);
    int changes = random.nextInt(4);
    for (int i = 0; i < changes; i++) {
      change(data, random, true);
    }
    return data;
  }

  @SuppressWarnings("unchecked") // the fuzz builds its own maps of String to JSON values
  private static void change(Map<String, Object> data, Random random, boolean top) {
    List<String> keys = new ArrayList<>(data.keySet());
    String key = keys.isEmpty() ? null : keys.get(random.nextInt(keys.size()));
    if (key != null && data.get(key) instanceof Map<?, ?> nested && random.nextInt(3) > 0) {
      change((Map<String, Object>) nested, random, false);
      return;
    }
    switch (random.nextInt(5)) {
      case 0 -> {
        if (key != null) {
          data.remove(key);
        }
      }
      case 1 -> data.put(randomKey(random), value(random, top, 0));
      case 2 -> {
        if (key != null) {
          data.put(key, value(random, top, 0));
        }
      }
      default -> {
        if (key != null && data.get(key) instanceof String text) {
          data.put(key, edit(text, random));
        } else if (key != null && data.get(key) instanceof Integer n) {
          data.put(key, n + random.nextInt(5) - 2);
        } else if (key != null) {
          data.put(key, value(random, top, 0));
        }
      }
    }
  }

  private static String randomKey(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> "";
      case 1 -> "13800138000";
      default -> text(random, 1 + random.nextInt(12));
    };
  }

  static Object value(Random random, boolean top, int depth) {
    return switch (random.nextInt(top || depth > 2 ? 11 : 12)) {
      case 0 -> text(random, random.nextInt(80));
      case 1 -> random.nextInt();
      case 2 -> random.nextInt(3) - 1;
      case 3 -> random.nextLong();
      case 4 -> new BigInteger(80, random);
      case 5 -> random.nextDouble() * 1000;
      case 6 -> random.nextBoolean();
      case 7 -> List.of(text(random, 3), random.nextInt());
      case 8 -> {
        Map<String, Object> nested = new LinkedHashMap<>();
        if (depth <= 2) {
          nested.put(text(random, 4), value(random, false, depth + 1));
        }
        yield nested;
      }
      case 9 -> Integer.MAX_VALUE;
      case 10 -> "";
      default -> null;
    };
  }

  static String text(Random random, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(CHARS.charAt(random.nextInt(CHARS.length())));
    }
    return out.toString();
  }

  private static String edit(String text, Random random) {
    StringBuilder out = new StringBuilder(text);
    int at = text.isEmpty() ? 0 : random.nextInt(text.length());
    switch (random.nextInt(4)) {
      case 0 -> {
        if (!text.isEmpty()) {
          out.deleteCharAt(at);
        }
      }
      case 1 -> out.insert(at, CHARS.charAt(random.nextInt(CHARS.length())));
      case 2 -> {
        if (!text.isEmpty()) {
          out.setCharAt(at, CHARS.charAt(random.nextInt(CHARS.length())));
        }
      }
      default -> out.append(text(random, 1 + random.nextInt(70)));
    }
    return out.toString();
  }

  @SuppressWarnings("unchecked") // copies maps of String to JSON values
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      copy.put(
          e.getKey(),
          e.getValue() instanceof Map<?, ?> nested
              ? deepCopy((Map<String, Object>) nested)
              : e.getValue());
    }
    return copy;
  }
}
