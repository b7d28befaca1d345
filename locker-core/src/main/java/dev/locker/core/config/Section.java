package dev.locker.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML mapping being read at a key path, collecting every problem instead of stopping at the
 * first. Each getter records the key as known; {@link #finish()} reports the keys nobody asked for.
 * A missing optional key gives its default; a wrong one gives the default too, with a problem
 * recorded, so that reading goes on and all problems are found in one pass.
 */
final class Section {

  private final JsonNode node;
  private final String path;
  private final List<ConfigProblem> problems;
  private final Set<String> known = new LinkedHashSet<>();
  private final boolean absent;

  Section(JsonNode node, String path, List<ConfigProblem> problems) {
    this(node, path, problems, false);
  }

  /**
   * {@code absent}: the section itself is missing (already reported), so its required keys are not
   * reported once more.
   */
  private Section(JsonNode node, String path, List<ConfigProblem> problems, boolean absent) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.absent = absent;
  }

  private void required(String key, String reason) {
    if (!absent) {
      problem(key, reason);
    }
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void problem(String key, String reason) {
    problems.add(new ConfigProblem(path(key), reason));
  }

  private Optional<JsonNode> value(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  Optional<String> optionalString(String key) {
    Optional<JsonNode> v = value(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!v.get().isTextual() && !v.get().isNumber()) {
      problem(key, "must be text, was " + describe(v.get()));
      return Optional.empty();
    }
    return Optional.of(v.get().asText());
  }

  String string(String key, String fallback) {
    return optionalString(key).orElse(fallback);
  }

  /** A required text value; {@code ""} (with a problem) when absent. */
  String requiredString(String key) {
    if (!has(key)) {
      known.add(key);
      required(key, "is required");
      return "";
    }
    return optionalString(key).orElse("");
  }

  int integer(String key, int fallback, int min, int max) {
    Optional<JsonNode> v = value(key);
    if (v.isEmpty()) {
      return fallback;
    }
    if (!v.get().canConvertToInt() || !v.get().isIntegralNumber()) {
      problem(key, "must be a whole number, was " + describe(v.get()));
      return fallback;
    }
    int n = v.get().intValue();
    if (n < min || n > max) {
      problem(key, "must be between " + min + " and " + max + ", was " + n);
      return fallback;
    }
    return n;
  }

  /** A required whole number. */
  int requiredInteger(String key, int min, int max) {
    if (!has(key)) {
      known.add(key);
      required(key, "is required");
      return min;
    }
    return integer(key, min, min, max);
  }

  boolean bool(String key, boolean fallback) {
    Optional<JsonNode> v = value(key);
    if (v.isEmpty()) {
      return fallback;
    }
    if (!v.get().isBoolean()) {
      problem(key, "must be true or false, was " + describe(v.get()));
      return fallback;
    }
    return v.get().booleanValue();
  }

  /**
   * A duration: ISO-8601 ({@code PT60S}) or a whole number with a unit ({@code 500ms}, {@code 60s},
   * {@code 5m}, {@code 72h}, {@code 30d}).
   */
  Duration duration(String key, Duration fallback, Duration min, Duration max) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return fallback;
    }
    Optional<Duration> parsed = parseDuration(text.get());
    if (parsed.isEmpty()) {
      problem(
          key,
          "must be a duration such as PT60S, 500ms, 60s, 5m, 72h or 30d, was \""
              + text.get()
              + "\"");
      return fallback;
    }
    Duration d = parsed.get();
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problem(
          key,
          "must be between " + friendly(min) + " and " + friendly(max) + ", was " + friendly(d));
      return fallback;
    }
    return d;
  }

  /** One of {@code choices} (keys as written in YAML). */
  <T> T choice(String key, T fallback, Map<String, T> choices) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return fallback;
    }
    T value = choices.get(text.get());
    if (value == null) {
      problem(
          key,
          "must be one of " + String.join(", ", choices.keySet()) + ", was \"" + text.get() + "\"");
      return fallback;
    }
    return value;
  }

  /** A nested mapping; absent or not a mapping gives an empty section (and a problem if wrong). */
  Optional<Section> section(String key) {
    Optional<JsonNode> v = value(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!v.get().isObject()) {
      problem(key, "must be a mapping of keys to values, was " + describe(v.get()));
      return Optional.empty();
    }
    return Optional.of(new Section(v.get(), path(key), problems));
  }

  Section requiredSection(String key) {
    Optional<Section> s = section(key);
    if (s.isEmpty()) {
      if (!has(key)) {
        required(key, "is required");
      }
      return new Section(
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
          path(key),
          problems,
          true);
    }
    return s.get();
  }

  /** A list of mappings, each read by {@code reader} at {@code key[i]}. */
  <T> List<T> list(String key, Function<Section, T> reader, boolean required) {
    Optional<JsonNode> v = value(key);
    List<T> out = new ArrayList<>();
    if (v.isEmpty()) {
      if (required) {
        required(key, "is required (a list)");
      }
      return out;
    }
    if (!v.get().isArray()) {
      problem(key, "must be a list, was " + describe(v.get()));
      return out;
    }
    if (v.get().isEmpty() && required) {
      problem(key, "must not be empty");
    }
    for (int i = 0; i < v.get().size(); i++) {
      JsonNode item = v.get().get(i);
      String itemPath = path(key) + "[" + i + "]";
      if (!item.isObject()) {
        problems.add(new ConfigProblem(itemPath, "must be a mapping, was " + describe(item)));
        continue;
      }
      Section section = new Section(item, itemPath, problems);
      out.add(reader.apply(section));
      section.finish();
    }
    return out;
  }

  /** A required, non-empty list of texts, none of them blank. */
  List<String> requiredStringList(String key) {
    Optional<JsonNode> v = value(key);
    List<String> out = new ArrayList<>();
    if (v.isEmpty()) {
      required(key, "is required (a list of words, for example [rpicam-still, -o, -])");
      return out;
    }
    if (!v.get().isArray() || v.get().isEmpty()) {
      problem(key, "must be a non-empty list of words, was " + describeList(v.get()));
      return out;
    }
    for (int i = 0; i < v.get().size(); i++) {
      JsonNode item = v.get().get(i);
      if (!(item.isTextual() || item.isNumber()) || item.asText().isBlank()) {
        problems.add(
            new ConfigProblem(path(key) + "[" + i + "]", "must be a word, was " + describe(item)));
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }

  /** A required, non-empty list of whole numbers between {@code min} and {@code max}. */
  List<Integer> requiredIntegerList(String key, int min, int max) {
    Optional<JsonNode> v = value(key);
    List<Integer> out = new ArrayList<>();
    if (v.isEmpty()) {
      required(key, "is required (a list of whole numbers)");
      return out;
    }
    if (!v.get().isArray() || v.get().isEmpty()) {
      problem(key, "must be a non-empty list of whole numbers, was " + describeList(v.get()));
      return out;
    }
    for (int i = 0; i < v.get().size(); i++) {
      JsonNode item = v.get().get(i);
      String at = path(key) + "[" + i + "]";
      if (!item.isIntegralNumber() || !item.canConvertToInt()) {
        problems.add(new ConfigProblem(at, "must be a whole number, was " + describe(item)));
      } else if (item.intValue() < min || item.intValue() > max) {
        problems.add(
            new ConfigProblem(
                at, "must be between " + min + " and " + max + ", was " + item.intValue()));
      } else {
        out.add(item.intValue());
      }
    }
    return out;
  }

  /** Reports every key of this mapping that no getter asked for. */
  void finish() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        String hint =
            known.stream()
                .filter(k -> distance(k, name) <= 2)
                .findFirst()
                .map(k -> " (did you mean " + k + "?)")
                .orElse("");
        problems.add(new ConfigProblem(path(name), "unknown key" + hint));
      }
    }
  }

  static Optional<Duration> parseDuration(String text) {
    return Durations.parse(text);
  }

  static String friendly(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  private static String describeList(JsonNode v) {
    return v.isArray() ? "an empty list" : describe(v);
  }

  static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "\"" + v.asText() + "\"";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    return v.toString();
  }

  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
      }
    }
    return d[a.length()][b.length()];
  }
}
