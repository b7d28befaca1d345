package dev.locker.hal.zvt;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * One ZVT application message (device-protocols.md §4.3):
 *
 * <pre>
 * CLASS INSTR LEN DATA…    LEN &lt; 0xFF: one byte; LEN == 0xFF: the next two bytes, little-endian
 * </pre>
 *
 * Immutable: the data array is copied in and out.
 */
public final class Apdu {
  private final int cls;
  private final int instr;
  private final byte[] data;

  /** How raw bytes parse as an APDU. */
  public sealed interface Parse {
    record Parsed(Apdu apdu) implements Parse {}

    /** Not an APDU; the reason names the offending byte. */
    record Malformed(String reason) implements Parse {}
  }

  public Apdu(int cls, int instr, byte[] data) {
    if (cls < 0 || cls > 0xFF || instr < 0 || instr > 0xFF) {
      throw new IllegalArgumentException("class and instruction are bytes");
    }
    if (data.length > 0xFFFF) {
      throw new IllegalArgumentException("APDU data longer than 65,535 bytes");
    }
    this.cls = cls;
    this.instr = instr;
    this.data = data.clone();
  }

  public static Apdu of(int cls, int instr, byte[] data) {
    return new Apdu(cls, instr, data);
  }

  /** An APDU whose data bytes are given as ints ({@code Apdu.of(0x06, 0x1E, 0x6C)}). */
  public static Apdu of(int cls, int instr, int... data) {
    byte[] bytes = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      bytes[i] = (byte) data[i];
    }
    return new Apdu(cls, instr, bytes);
  }

  public int cls() {
    return cls;
  }

  public int instr() {
    return instr;
  }

  public byte[] data() {
    return data.clone();
  }

  public int length() {
    return data.length;
  }

  public boolean is(int cls, int instr) {
    return this.cls == cls && this.instr == instr;
  }

  /** The wire form: class, instruction, length (extended from 255 on), data. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 5);
    out.write(cls);
    out.write(instr);
    if (data.length < 0xFF) {
      out.write(data.length);
    } else {
      out.write(0xFF);
      out.write(data.length & 0xFF);
      out.write(data.length >>> 8);
    }
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** Parses {@code bytes} as exactly one APDU; never throws. */
  public static Parse parse(byte[] bytes) {
    if (bytes.length < 3) {
      return new Parse.Malformed("APDU shorter than 3 bytes (" + bytes.length + ")");
    }
    int length = bytes[2] & 0xFF;
    int start = 3;
    if (length == 0xFF) {
      if (bytes.length < 5) {
        return new Parse.Malformed("extended length cut short");
      }
      length = (bytes[3] & 0xFF) | (bytes[4] & 0xFF) << 8;
      start = 5;
    }
    if (bytes.length - start != length) {
      return new Parse.Malformed(
          "length field says " + length + " data bytes, frame has " + (bytes.length - start));
    }
    return new Parse.Parsed(
        new Apdu(bytes[0] & 0xFF, bytes[1] & 0xFF, Arrays.copyOfRange(bytes, start, bytes.length)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Apdu a && a.cls == cls && a.instr == instr && Arrays.equals(a.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cls, instr, Arrays.hashCode(data));
  }

  /** Class, instruction and length only: data may carry receipt text, so it is not printed. */
  @Override
  public String toString() {
    return String.format("Apdu[%02X %02X, %d data bytes]", cls, instr, data.length);
  }
}
