package dev.locker.core.cloud;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A command's {@code data} (or an object inside it) being read by a handler, collecting problems
 * instead of stopping at the first, so that a handler checks every field before it decides. A
 * problem names the key path and what was wanted, never the value (which may be a hash or a phone
 * number). JSON {@code null} counts as absent.
 */
final class CommandData {
  private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,39}");

  private final Map<String, Object> map;
  private final String path;
  private final List<String> problems;

  private CommandData(Map<String, Object> map, String path, List<String> problems) {
    this.map = map;
    this.path = path;
    this.problems = problems;
  }

  static CommandData of(Map<String, Object> data) {
    return new CommandData(data, "", new ArrayList<>());
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void problem(String key, String what) {
    problems.add(path(key) + " " + what);
  }

  /** A problem of this object as a whole (two fields that do not go together, say). */
  void problem(String what) {
    problems.add((path.isEmpty() ? "data" : path) + " " + what);
  }

  /** The problems found so far, in the order found. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  boolean ok() {
    return problems.isEmpty();
  }

  boolean has(String key) {
    return map.get(key) != null;
  }

  boolean isEmpty() {
    return map.values().stream().allMatch(v -> v == null);
  }

  /** Records every key outside {@code allowed} as unknown. */
  void onlyKeys(Set<String> allowed) {
    map.keySet().stream()
        .filter(k -> !allowed.contains(k))
        .sorted()
        .forEach(k -> problems.add(path(printable(k)) + " is not a known key"));
  }

  /** A text value; a problem when required and absent, or when it is not text. */
  Optional<String> text(String key, boolean required) {
    Object v = map.get(key);
    if (v == null) {
      if (required) {
        problem(key, "is required");
      }
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      problem(key, "must be text, was " + kind(v));
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** A whole number between {@code min} and {@code max}. */
  Optional<Long> wholeNumber(String key, boolean required, long min, long max) {
    Object v = map.get(key);
    if (v == null) {
      if (required) {
        problem(key, "is required");
      }
      return Optional.empty();
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
      problem(
          key,
          v instanceof BigInteger
              ? "must be between " + min + " and " + max
              : "must be a whole number, was " + kind(v));
      return Optional.empty();
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      problem(key, "must be between " + min + " and " + max + ", was " + n);
      return Optional.empty();
    }
    return Optional.of(n);
  }

  /** A nested object, read at {@code path.key}. */
  Optional<CommandData> object(String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?> nested)
        || !nested.keySet().stream().allMatch(k -> k instanceof String)) {
      problem(key, "must be an object, was " + kind(v));
      return Optional.empty();
    }
    @SuppressWarnings("unchecked") // every key was checked to be a String; values are any JSON
    Map<String, Object> typed = (Map<String, Object>) nested;
    return Optional.of(new CommandData(typed, path(key), problems));
  }

  /** What a JSON value is, in words, without the value itself. */
  static String kind(Object v) {
    if (v instanceof String) {
      return "text";
    }
    if (v instanceof Boolean) {
      return "true or false";
    }
    if (v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger) {
      return "a whole number";
    }
    if (v instanceof Number) {
      return "a number with a fraction";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    return "something else";
  }

  /**
   * A key as a detail may show it: a name of letters, digits and {@code . _ -} (at most 40), or
   * words saying it is not one (an arbitrary key could hold anything, a phone number included).
   */
  private static String printable(String key) {
    return KEY_NAME.matcher(key).matches() ? key : "(a key that is not a name)";
  }
}
