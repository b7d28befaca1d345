package dev.locker.hal.zvt;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ZVT bitmap fields (device-protocols.md §4.3): a one-byte tag followed by a value whose length the
 * tag fixes, or by an LLVAR/LLLVAR length written as {@code Fx} nibbles ({@code F0 F8} = 8, {@code
 * F0 F1 F4} = 14). Tag 06 is a TLV container with a BER length, kept opaque. A tag whose length is
 * not known stops decoding with a clear reason: nothing after it can be trusted.
 */
public final class Bmp {
  /** LLVAR: two {@code Fx} length bytes. */
  private static final int LL = -2;

  /** LLLVAR: three {@code Fx} length bytes. */
  private static final int LLL = -3;

  /** TLV container: BER length. */
  private static final int TLV = -1;

  public static final int TIMEOUT = 0x01;
  public static final int MAX_STATUS_INFOS = 0x02;
  public static final int SERVICE_BYTE = 0x03;
  public static final int AMOUNT = 0x04;
  public static final int TLV_CONTAINER = 0x06;
  public static final int TRACE = 0x0B;
  public static final int TIME = 0x0C;
  public static final int DATE = 0x0D;
  public static final int EXPIRY = 0x0E;
  public static final int CARD_SEQUENCE = 0x17;
  public static final int PAYMENT_TYPE = 0x19;
  public static final int PAN = 0x22;
  public static final int RESULT_CODE = 0x27;
  public static final int TERMINAL_ID = 0x29;
  public static final int VU_NUMBER = 0x2A;
  public static final int ORIGINAL_TRACE = 0x37;
  public static final int AUTH_CODE = 0x3B;
  public static final int ADDITIONAL_TEXT = 0x3C;
  public static final int CURRENCY = 0x49;
  public static final int RECEIPT_NO = 0x87;
  public static final int TURNOVER_NO = 0x88;
  public static final int CARD_TYPE = 0x8A;
  public static final int CARD_NAME = 0x8B;

  /** Value lengths by tag (ZVT spec BMP table; §4.3 lists the ones a status information uses). */
  private static final Map<Integer, Integer> LENGTHS =
      Map.ofEntries(
          Map.entry(TIMEOUT, 1),
          Map.entry(MAX_STATUS_INFOS, 1),
          Map.entry(SERVICE_BYTE, 1),
          Map.entry(AMOUNT, 6),
          Map.entry(0x05, 1), // pump number
          Map.entry(TLV_CONTAINER, TLV),
          Map.entry(TRACE, 3),
          Map.entry(TIME, 3),
          Map.entry(DATE, 2),
          Map.entry(EXPIRY, 2),
          Map.entry(CARD_SEQUENCE, 2),
          Map.entry(PAYMENT_TYPE, 1),
          Map.entry(PAN, LL),
          Map.entry(0x23, LL), // track 2
          Map.entry(0x24, LLL), // track 3
          Map.entry(RESULT_CODE, 1),
          Map.entry(TERMINAL_ID, 4),
          Map.entry(VU_NUMBER, 15),
          Map.entry(0x2D, LL), // track 1
          Map.entry(0x2E, LLL), // synchronous chip data
          Map.entry(ORIGINAL_TRACE, 3),
          Map.entry(0x3A, 2), // CVV
          Map.entry(AUTH_CODE, 8),
          Map.entry(ADDITIONAL_TEXT, LLL),
          Map.entry(0x3D, 3), // password
          Map.entry(CURRENCY, 2),
          Map.entry(0x60, LLL), // individual totals
          Map.entry(RECEIPT_NO, 2),
          Map.entry(TURNOVER_NO, 3),
          Map.entry(CARD_TYPE, 1),
          Map.entry(CARD_NAME, LL),
          Map.entry(0x8C, 1), // card type id
          Map.entry(0x92, LLL), // additional text for receipts
          Map.entry(0x9A, LLL), // Geldkarte payment record
          Map.entry(0xA0, 1), // result code of the authorisation system
          Map.entry(0xA7, LL), // chip data
          Map.entry(0xAA, 3), // extended date
          Map.entry(0xAF, LLL), // EF_ID
          Map.entry(0xBA, 5)); // AID parameter

  private Bmp() {}

  /** One field: its tag and its value without any length prefix. */
  public record Field(int tag, byte[] value) {
    public Field {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Field f && f.tag == tag && Arrays.equals(f.value, value);
    }

    @Override
    public int hashCode() {
      return tag * 31 + Arrays.hashCode(value);
    }

    /** Tag and length only: values may be card data. */
    @Override
    public String toString() {
      return String.format("Field[%02X, %d bytes]", tag, value.length);
    }
  }

  /** How a data block parses as fields. */
  public sealed interface Parse {
    record Fields(List<Field> fields) implements Parse {
      public Fields {
        fields = List.copyOf(fields);
      }

      public Optional<Field> first(int tag) {
        return fields.stream().filter(f -> f.tag() == tag).findFirst();
      }
    }

    record Malformed(String reason) implements Parse {}
  }

  /** Splits {@code data} into fields; never throws. */
  public static Parse decode(byte[] data) {
    List<Field> fields = new ArrayList<>();
    int pos = 0;
    while (pos < data.length) {
      int tag = data[pos] & 0xFF;
      Integer kind = LENGTHS.get(tag);
      if (kind == null) {
        return new Parse.Malformed(String.format("unknown BMP tag %02X at offset %d", tag, pos));
      }
      int start = pos + 1;
      int length;
      if (kind >= 0) {
        length = kind;
      } else if (kind == TLV) {
        int[] ber = berLength(data, start);
        if (ber == null) {
          return new Parse.Malformed(String.format("bad TLV length at offset %d", start));
        }
        length = ber[0];
        start += ber[1];
      } else {
        int digits = -kind;
        if (data.length - start < digits) {
          return new Parse.Malformed(String.format("BMP %02X length cut short", tag));
        }
        length = 0;
        for (int i = 0; i < digits; i++) {
          int b = data[start + i] & 0xFF;
          if ((b & 0xF0) != 0xF0 || (b & 0x0F) > 9) {
            return new Parse.Malformed(
                String.format("BMP %02X length byte %02X is not Fx with x ≤ 9", tag, b));
          }
          length = length * 10 + (b & 0x0F);
        }
        start += digits;
      }
      if (data.length - start < length) {
        return new Parse.Malformed(
            String.format(
                "BMP %02X needs %d bytes, %d left at offset %d",
                tag, length, data.length - start, start));
      }
      fields.add(new Field(tag, Arrays.copyOfRange(data, start, start + length)));
      pos = start + length;
    }
    return new Parse.Fields(fields);
  }

  /** {@code [length, bytes used]}, or null when the BER length is malformed or cut short. */
  static int[] berLength(byte[] data, int at) {
    if (at >= data.length) {
      return null;
    }
    int first = data[at] & 0xFF;
    if (first < 0x80) {
      return new int[] {first, 1};
    }
    int n = first & 0x7F;
    if (n < 1 || n > 2 || at + n >= data.length) {
      return null;
    }
    int length = 0;
    for (int i = 1; i <= n; i++) {
      length = length << 8 | (data[at + i] & 0xFF);
    }
    return new int[] {length, 1 + n};
  }

  // ---------------------------------------------------------------- encoding

  /** {@code value} as {@code 2 × bytes} BCD digits; the value must fit. */
  public static byte[] bcd(long value, int bytes) {
    if (value < 0 || String.valueOf(value).length() > bytes * 2) {
      throw new IllegalArgumentException(value + " does not fit " + bytes + " BCD bytes");
    }
    byte[] out = new byte[bytes];
    long v = value;
    for (int i = bytes - 1; i >= 0; i--) {
      out[i] = (byte) ((v % 10) | (v / 10 % 10) << 4);
      v /= 100;
    }
    return out;
  }

  /** The number in BCD {@code bytes}, or empty when a nibble is not a digit. */
  public static Optional<Long> fromBcd(byte[] bytes) {
    long v = 0;
    for (byte b : bytes) {
      int hi = (b >> 4) & 0x0F;
      int lo = b & 0x0F;
      if (hi > 9 || lo > 9) {
        return Optional.empty();
      }
      v = v * 100 + hi * 10 + lo;
    }
    return Optional.of(v);
  }

  /** A 6-digit password as 3 BCD bytes. */
  public static byte[] password(String sixDigits) {
    if (!sixDigits.matches("[0-9]{6}")) {
      throw new IllegalArgumentException("the ZVT password is six digits");
    }
    return bcd(Long.parseLong(sixDigits), 3);
  }

  /** Tag 04 and an amount in cents as 6 BCD bytes. */
  public static byte[] amount(long cents) {
    return field(AMOUNT, bcd(cents, 6));
  }

  /** Tag 49 and a numeric ISO 4217 currency code as 2 BCD bytes (978 → {@code 09 78}). */
  public static byte[] currency(int numericCode) {
    return field(CURRENCY, bcd(numericCode, 2));
  }

  /** A tag and a fixed-length value. */
  public static byte[] field(int tag, byte[] value) {
    byte[] out = new byte[value.length + 1];
    out[0] = (byte) tag;
    System.arraycopy(value, 0, out, 1, value.length);
    return out;
  }

  /** A tag, its {@code Fx} length in {@code digits} (2 = LLVAR, 3 = LLLVAR) and the value. */
  public static byte[] varField(int tag, int digits, byte[] value) {
    if (String.valueOf(value.length).length() > digits) {
      throw new IllegalArgumentException("value too long for " + digits + " length digits");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    String n = String.format("%0" + digits + "d", value.length);
    for (char c : n.toCharArray()) {
      out.write(0xF0 | (c - '0'));
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  /** Concatenates encoded fields. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
