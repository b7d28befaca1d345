package dev.locker.core.config;

/** One thing wrong with a configuration file: where ({@code compartments[3].size}) and why. */
public record ConfigProblem(String path, String reason) {
  @Override
  public String toString() {
    return path + ": " + reason;
  }
}
