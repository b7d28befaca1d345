package dev.locker.ui.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line words: a command, {@code --name value} options and positional arguments. Parsing
 * reports an unknown option or a missing value as a message, never an exception.
 */
public record CommandLine(
    Optional<String> command, Map<String, String> options, List<String> arguments) {

  /** The outcome of parsing. */
  public sealed interface Parsed {
    record Ok(CommandLine line) implements Parsed {}

    record Invalid(String message) implements Parsed {}
  }

  /**
   * Parses {@code args}. {@code commands}: the words accepted in first position; {@code
   * valueOptions}: the options that take a value; {@code flags}: options without one.
   */
  public static Parsed parse(
      String[] args, Set<String> commands, Set<String> valueOptions, Set<String> flags) {
    Optional<String> command = Optional.empty();
    Map<String, String> options = new LinkedHashMap<>();
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--")) {
        String name = arg.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (flags.contains(name) && value == null) {
          options.put(name, "true");
        } else if (valueOptions.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.length) {
              return new Parsed.Invalid("option --" + name + " needs a value");
            }
            value = args[++i];
          }
          options.put(name, value);
        } else {
          return new Parsed.Invalid("unknown option --" + name);
        }
      } else if (command.isEmpty() && arguments.isEmpty() && commands.contains(arg)) {
        command = Optional.of(arg);
      } else if (command.isEmpty() && arguments.isEmpty() && !commands.isEmpty()) {
        return new Parsed.Invalid(
            "unknown command " + arg + " (commands: " + String.join(", ", commands) + ")");
      } else {
        arguments.add(arg);
      }
    }
    return new Parsed.Ok(new CommandLine(command, Map.copyOf(options), List.copyOf(arguments)));
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  public boolean flag(String name) {
    return options.containsKey(name);
  }
}
