package dev.locker.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class run in a child JVM with this test's classpath. Its standard output is read line
 * by line on a named thread, so the test sees each line as soon as the child printed it; its
 * standard error goes to a file. {@link #kill()} is SIGKILL on Linux ({@code destroyForcibly}): the
 * child gets no chance to flush, close or commit anything.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();
  private final Thread reader;

  private ChildJvm(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (all) {
                    all.add(line);
                  }
                  lines.add(line);
                }
              } catch (IOException e) {
                // The child died mid-line: what was read is all there is.
              }
            },
            "child-jvm-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  public static ChildJvm start(
      Class<?> mainClass, Path stderr, List<String> jvmArgs, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(jvmArgs);
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    return new ChildJvm(builder.start());
  }

  /** The next line the child printed, waiting up to {@code seconds}; null when none came. */
  public String nextLine(long seconds) throws InterruptedException {
    return lines.poll(seconds, TimeUnit.SECONDS);
  }

  /** Every line read so far (after {@link #kill()}: everything the child printed). */
  public List<String> lines() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, then waits for the child to be gone and its output to be read to the end. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(10));
  }

  public int exitCode() {
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
