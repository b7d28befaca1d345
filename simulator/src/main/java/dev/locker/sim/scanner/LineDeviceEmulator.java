package dev.locker.sim.scanner;

import dev.locker.hal.serial.SerialLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The far end of a serial scanner or card reader in "data + suffix" mode (device-protocols.md
 * §3.1): it "reads" a code by sending {@code prefix + AIM id + data + terminator}, split into
 * random chunks as a UART would deliver it. It records whatever the host sends (trigger commands)
 * and, with the SSI handshake on (a Zebra scanner's default), answers each SSI command packet with
 * CMD_ACK, which then stands in the same byte stream as the reads.
 *
 * <p>Fault plans: garbage bytes before a read, a read without its terminator (cut off), a control
 * character inside a read, and a read longer than any sane code.
 */
public final class LineDeviceEmulator implements AutoCloseable {
  /** How the device frames its reads. */
  public record Format(String prefix, String aim, String terminator) {
    public Format {
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(aim, "aim");
      Objects.requireNonNull(terminator, "terminator");
    }

    /** A plain device: no prefix, no AIM id, CR. */
    public static Format plain() {
      return new Format("", "", "\r");
    }
  }

  /** A fault to apply to the next read. */
  public enum Fault {
    NONE,
    GARBAGE_BEFORE,
    CUT_OFF,
    CONTROL_CHARACTER,
    OVERLONG
  }

  private final SerialLink link;
  private final Format format;
  private final Random random;
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final Thread listener;
  private volatile boolean running = true;
  private volatile boolean ssiHandshake;
  private volatile Fault plan = Fault.NONE;
  private volatile boolean unplugged;
  private final java.io.ByteArrayOutputStream commandBytes = new java.io.ByteArrayOutputStream();

  /** CMD_ACK: length 4, opcode D0, source 00 (decoder), status 00, checksum FF2C. */
  static final byte[] SSI_ACK = {0x04, (byte) 0xD0, 0x00, 0x00, (byte) 0xFF, 0x2C};

  public LineDeviceEmulator(SerialLink link, Format format, long seed, String threadName) {
    this.link = Objects.requireNonNull(link, "link");
    this.format = Objects.requireNonNull(format, "format");
    this.random = new Random(seed);
    this.listener = new Thread(this::listen, threadName);
    listener.setDaemon(true);
    listener.start();
  }

  /**
   * The device reads {@code data}: prefix, AIM id, data and terminator go down the wire, with the
   * fault plan applied; an unplugged device sends nothing.
   */
  public void read(String data) throws IOException {
    if (!unplugged) {
      read(data, plan);
    }
  }

  /** Every later {@link #read(String)} suffers {@code fault} ({@link Fault#NONE} clears it). */
  public void faultPlan(Fault fault) {
    plan = Objects.requireNonNull(fault, "fault");
  }

  /** The device is unplugged (its reads go nowhere) or plugged in again. */
  public void unplugged(boolean value) {
    unplugged = value;
  }

  /** The device reads {@code data}, with {@code fault} applied. */
  public synchronized void read(String data, Fault fault) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    if (fault == Fault.GARBAGE_BEFORE) {
      byte[] noise = new byte[1 + random.nextInt(12)];
      random.nextBytes(noise);
      line.writeBytes(noise);
      line.writeBytes(format.terminator().getBytes(StandardCharsets.US_ASCII));
    }
    String body = format.prefix() + format.aim() + data;
    if (fault == Fault.CONTROL_CHARACTER) {
      body = body.substring(0, body.length() / 2) + '\u0007' + body.substring(body.length() / 2);
    }
    if (fault == Fault.OVERLONG) {
      body = body + "X".repeat(4096);
    }
    line.writeBytes(body.getBytes(StandardCharsets.UTF_8));
    if (fault != Fault.CUT_OFF) {
      line.writeBytes(format.terminator().getBytes(StandardCharsets.US_ASCII));
    }
    sendInChunks(line.toByteArray());
  }

  /** Sends raw bytes, as a misbehaving device would. */
  public void sendRaw(byte[] bytes) throws IOException {
    link.write(bytes);
  }

  /** Whether each SSI command packet the host sends is answered with CMD_ACK. */
  public void ssiHandshake(boolean on) {
    ssiHandshake = on;
  }

  /** Everything the host sent, one entry per chunk received. */
  public List<byte[]> received() {
    return List.copyOf(received);
  }

  private void sendInChunks(byte[] bytes) throws IOException {
    int at = 0;
    while (at < bytes.length) {
      int n = Math.min(bytes.length - at, 1 + random.nextInt(16));
      byte[] chunk = new byte[n];
      System.arraycopy(bytes, at, chunk, 0, n);
      link.write(chunk);
      at += n;
    }
  }

  private void listen() {
    while (running) {
      try {
        byte[] chunk = link.read(64, Duration.ofMillis(200));
        if (chunk.length > 0) {
          received.add(chunk);
          if (ssiHandshake) {
            acknowledgeSsiPackets(chunk);
          }
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Answers every whole SSI host packet ({@code LEN OPCODE 04 STATUS … CK CK}) with CMD_ACK. */
  private void acknowledgeSsiPackets(byte[] chunk) throws IOException {
    commandBytes.writeBytes(chunk);
    byte[] all = commandBytes.toByteArray();
    int at = 0;
    while (at < all.length) {
      int length = all[at] & 0xFF;
      if (length < 4) {
        at++; // not the start of a packet: a real decoder ignores it too
      } else if (all.length - at >= length + 2) {
        at += length + 2;
        synchronized (this) {
          link.write(SSI_ACK);
        }
      } else {
        break;
      }
    }
    commandBytes.reset();
    commandBytes.write(all, at, all.length - at);
  }

  @Override
  public void close() {
    running = false;
    link.close();
    try {
      listener.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
