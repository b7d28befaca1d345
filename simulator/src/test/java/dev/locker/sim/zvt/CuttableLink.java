package dev.locker.sim.zvt;

import dev.locker.hal.serial.SerialLink;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The driver's end of a wire that a test can cut, as a pulled cable or a crashed ECR would: while
 * cut, nothing written leaves and everything arriving is swallowed. It can also cut itself right
 * after a given frame has been written, to stop the driver at an exact point of a transaction.
 */
final class CuttableLink implements SerialLink {
  private final SerialLink inner;
  private volatile boolean cut;
  private volatile byte[] cutAfter;

  CuttableLink(SerialLink inner) {
    this.inner = inner;
  }

  void cut() {
    cut = true;
  }

  void restore() {
    cut = false;
    cutAfter = null;
  }

  /** Cuts right after the next write of exactly {@code wire}. */
  void cutAfterWriting(byte[] wire) {
    cutAfter = wire.clone();
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    if (cut) {
      return;
    }
    inner.write(bytes);
    byte[] trigger = cutAfter;
    if (trigger != null && Arrays.equals(trigger, bytes)) {
      cutAfter = null;
      cut = true;
    }
  }

  @Override
  public byte[] read(int max, Duration timeout) throws IOException {
    byte[] bytes = inner.read(max, timeout);
    return cut ? new byte[0] : bytes;
  }

  @Override
  public void discardInput() {
    inner.discardInput();
  }

  @Override
  public void close() {
    inner.close();
  }
}
