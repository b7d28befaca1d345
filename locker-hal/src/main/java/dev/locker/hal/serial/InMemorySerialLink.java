package dev.locker.hal.serial;

import java.io.IOException;
import java.time.Duration;

/**
 * Two connected link ends in one JVM, like a null-modem cable: what one end writes, the other
 * reads. For fast tests and for the simulator's default run.
 */
public final class InMemorySerialLink implements SerialLink {
  private final String name;
  private final ByteQueue inbound = new ByteQueue();
  private InMemorySerialLink peer;

  private InMemorySerialLink(String name) {
    this.name = name;
  }

  /** A connected pair: {@code [host end, device end]}. */
  public static InMemorySerialLink[] pair(String name) {
    InMemorySerialLink host = new InMemorySerialLink("memory:" + name + "/host");
    InMemorySerialLink device = new InMemorySerialLink("memory:" + name + "/device");
    host.peer = device;
    device.peer = host;
    return new InMemorySerialLink[] {host, device};
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    if (inbound.isClosed() || peer.inbound.isClosed()) {
      throw new IOException(name + " is closed");
    }
    peer.inbound.put(bytes, 0, bytes.length);
  }

  @Override
  public byte[] read(int max, Duration timeout) throws IOException {
    return inbound.take(max, timeout, name);
  }

  @Override
  public void discardInput() {
    inbound.clear();
  }

  @Override
  public void close() {
    inbound.close();
  }
}
