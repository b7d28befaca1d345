package dev.locker.hal.zvt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Receipt lines from the terminal's print commands (device-protocols.md §4.3): a print line {@code
 * 06 D1} is an attribute byte and the text; a text block {@code 06 D3} is a TLV container {@code
 * 06} whose list {@code 25} holds one text line {@code 07} per printed line.
 */
public final class ReceiptText {
  private ReceiptText() {}

  /** The lines an {@code 06 D1} or {@code 06 D3} carries, or empty when it is malformed. */
  public static Optional<List<String>> lines(Apdu apdu) {
    byte[] data = apdu.data();
    if (apdu.is(0x06, 0xD1)) {
      if (data.length < 1) {
        return Optional.empty();
      }
      byte[] text = new byte[data.length - 1];
      System.arraycopy(data, 1, text, 0, text.length);
      return Optional.of(List.of(StatusInformation.text(text)));
    }
    if (apdu.is(0x06, 0xD3)) {
      if (data.length < 2 || data[0] != Bmp.TLV_CONTAINER) {
        return Optional.empty();
      }
      int[] ber = Bmp.berLength(data, 1);
      if (ber == null || 1 + ber[1] + ber[0] > data.length) {
        return Optional.empty();
      }
      List<String> lines = new ArrayList<>();
      int start = 1 + ber[1];
      return collect(data, start, start + ber[0], 0, lines) ? Optional.of(lines) : Optional.empty();
    }
    return Optional.empty();
  }

  /** Walks TLV objects in {@code [from, to)}, collecting tag-07 texts; false when malformed. */
  private static boolean collect(byte[] d, int from, int to, int depth, List<String> lines) {
    int pos = from;
    while (pos < to) {
      if (depth > 8) {
        return false;
      }
      int first = d[pos] & 0xFF;
      int tag = first;
      pos++;
      if ((first & 0x1F) == 0x1F) {
        do {
          if (pos >= to) {
            return false;
          }
          tag = tag << 8 | (d[pos] & 0xFF);
        } while ((d[pos++] & 0x80) != 0 && tag < 0xFFFFFF);
      }
      int[] ber = Bmp.berLength(d, pos);
      if (ber == null || pos + ber[1] + ber[0] > to) {
        return false;
      }
      int start = pos + ber[1];
      int end = start + ber[0];
      if ((first & 0x20) != 0) {
        if (!collect(d, start, end, depth + 1, lines)) {
          return false;
        }
      } else if (tag == 0x07) {
        byte[] text = new byte[end - start];
        System.arraycopy(d, start, text, 0, text.length);
        lines.add(StatusInformation.text(text));
      }
      pos = end;
    }
    return true;
  }

  /** The text block {@code 06 D3} carrying {@code lines} (for emulators and tests). */
  public static Apdu textBlock(List<String> lines) {
    java.io.ByteArrayOutputStream list = new java.io.ByteArrayOutputStream();
    for (String line : lines) {
      byte[] text = line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      list.write(0x07);
      writeBer(list, text.length);
      list.writeBytes(text);
    }
    java.io.ByteArrayOutputStream container = new java.io.ByteArrayOutputStream();
    container.write(0x25);
    writeBer(container, list.size());
    container.writeBytes(list.toByteArray());
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    data.write(0x06);
    writeBer(data, container.size());
    data.writeBytes(container.toByteArray());
    return new Apdu(0x06, 0xD3, data.toByteArray());
  }

  /** The print line {@code 06 D1} carrying {@code line} with attribute {@code attribute}. */
  public static Apdu printLine(int attribute, String line) {
    byte[] text = line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] data = new byte[text.length + 1];
    data[0] = (byte) attribute;
    System.arraycopy(text, 0, data, 1, text.length);
    return new Apdu(0x06, 0xD1, data);
  }

  private static void writeBer(java.io.ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
    } else if (length <= 0xFF) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >>> 8);
      out.write(length & 0xFF);
    }
  }
}
