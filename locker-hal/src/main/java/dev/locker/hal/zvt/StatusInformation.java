package dev.locker.hal.zvt;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.MonthDay;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the terminal reports about a transaction in a status information {@code 04 0F}
 * (device-protocols.md §4.3), reduced to what a locker may keep (reliability-security.md §2.2): the
 * result, amount, references, time, the card brand and the PAN masked down to its last four digits.
 * Expiry date, card sequence number, track data and any unmasked digit are never kept.
 *
 * @param resultCode BMP 27; 00 is approved
 * @param amountCents BMP 04
 * @param currency BMP 49, numeric ISO 4217 (978 EUR)
 * @param trace BMP 0B, the terminal's trace number
 * @param originalTrace BMP 37: present when this transaction reversed the one with that trace
 * @param receiptNo BMP 87, what a reversal {@code 06 30} names
 * @param date BMP 0D (the terminal sends no year)
 * @param time BMP 0C
 * @param maskedPan BMP 22 with every digit but the last four replaced by {@code *}
 * @param cardName BMP 8B, e.g. "Debit Mastercard"
 * @param terminalId BMP 29, eight digits
 * @param authCode BMP 3B, the authorisation code
 */
public record StatusInformation(
    int resultCode,
    OptionalLong amountCents,
    OptionalInt currency,
    OptionalInt trace,
    OptionalInt originalTrace,
    OptionalInt receiptNo,
    Optional<MonthDay> date,
    Optional<LocalTime> time,
    Optional<String> maskedPan,
    Optional<String> cardName,
    Optional<String> terminalId,
    Optional<String> authCode) {

  public StatusInformation {
    Objects.requireNonNull(amountCents);
    Objects.requireNonNull(currency);
    Objects.requireNonNull(trace);
    Objects.requireNonNull(originalTrace);
    Objects.requireNonNull(receiptNo);
    Objects.requireNonNull(date);
    Objects.requireNonNull(time);
    Objects.requireNonNull(maskedPan);
    Objects.requireNonNull(cardName);
    Objects.requireNonNull(terminalId);
    Objects.requireNonNull(authCode);
    maskedPan = maskedPan.map(StatusInformation::keepLastFour);
  }

  /** How a {@code 04 0F} decodes. */
  public sealed interface Decoding {
    record Decoded(StatusInformation info) implements Decoding {}

    /** Not a usable status information; never to be read as an approval. */
    record Rejected(String reason) implements Decoding {}
  }

  public boolean approved() {
    return resultCode == 0;
  }

  /** Whether this transaction is the reversal of an earlier one (it names the original trace). */
  public boolean isReversal() {
    return originalTrace.isPresent();
  }

  /** Decodes a status information APDU; never throws. BMP 27 (result code) is required. */
  public static Decoding decode(Apdu apdu) {
    if (!apdu.is(0x04, 0x0F)) {
      return new Decoding.Rejected(
          String.format("not a status information: %02X %02X", apdu.cls(), apdu.instr()));
    }
    Bmp.Parse parse = Bmp.decode(apdu.data());
    if (parse instanceof Bmp.Parse.Malformed m) {
      return new Decoding.Rejected(m.reason());
    }
    Bmp.Parse.Fields fields = (Bmp.Parse.Fields) parse;
    Optional<Bmp.Field> rc = fields.first(Bmp.RESULT_CODE);
    if (rc.isEmpty()) {
      return new Decoding.Rejected("no result code (BMP 27)");
    }
    try {
      return new Decoding.Decoded(
          new StatusInformation(
              rc.get().value()[0] & 0xFF,
              bcdLong(fields, Bmp.AMOUNT),
              bcdInt(fields, Bmp.CURRENCY),
              bcdInt(fields, Bmp.TRACE),
              bcdInt(fields, Bmp.ORIGINAL_TRACE),
              bcdInt(fields, Bmp.RECEIPT_NO),
              fields.first(Bmp.DATE).map(f -> monthDay(f.value())),
              fields.first(Bmp.TIME).map(f -> time(f.value())),
              fields.first(Bmp.PAN).map(f -> pan(f.value())),
              fields.first(Bmp.CARD_NAME).map(f -> text(f.value())),
              fields.first(Bmp.TERMINAL_ID).map(f -> digits(f.value())),
              fields.first(Bmp.AUTH_CODE).map(f -> text(f.value())).filter(s -> !s.isEmpty())));
    } catch (NotBcd e) {
      return new Decoding.Rejected(e.getMessage());
    }
  }

  /** Every digit except the last four becomes {@code *}. */
  static String keepLastFour(String pan) {
    StringBuilder out = new StringBuilder(pan.length());
    int digitsFromEnd = 0;
    for (int i = pan.length() - 1; i >= 0; i--) {
      char c = pan.charAt(i);
      if (Character.isDigit(c) && digitsFromEnd++ < 4) {
        out.append(c);
      } else {
        out.append('*');
      }
    }
    return out.reverse().toString();
  }

  private static final class NotBcd extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotBcd(String message) {
      super(message, null, false, false);
    }
  }

  private static OptionalLong bcdLong(Bmp.Parse.Fields fields, int tag) {
    Optional<Bmp.Field> f = fields.first(tag);
    if (f.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(
        Bmp.fromBcd(f.get().value())
            .orElseThrow(() -> new NotBcd(String.format("BMP %02X is not BCD", tag))));
  }

  private static OptionalInt bcdInt(Bmp.Parse.Fields fields, int tag) {
    OptionalLong v = bcdLong(fields, tag);
    return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
  }

  private static MonthDay monthDay(byte[] mmdd) {
    long v = Bmp.fromBcd(mmdd).orElseThrow(() -> new NotBcd("date (BMP 0D) is not BCD"));
    try {
      return MonthDay.of((int) (v / 100), (int) (v % 100));
    } catch (DateTimeException e) {
      throw new NotBcd("date (BMP 0D) is no day of the year");
    }
  }

  private static LocalTime time(byte[] hhmmss) {
    long v = Bmp.fromBcd(hhmmss).orElseThrow(() -> new NotBcd("time (BMP 0C) is not BCD"));
    try {
      return LocalTime.of((int) (v / 10000), (int) (v / 100 % 100), (int) (v % 100));
    } catch (DateTimeException e) {
      throw new NotBcd("time (BMP 0C) is no time of day");
    }
  }

  private static String digits(byte[] bcd) {
    return String.format(
        "%0" + bcd.length * 2 + "d",
        Bmp.fromBcd(bcd).orElseThrow(() -> new NotBcd("terminal id (BMP 29) is not BCD")));
  }

  /** PAN nibbles: digits, E for a masked digit, a trailing F as padding. */
  private static String pan(byte[] value) {
    StringBuilder out = new StringBuilder(value.length * 2);
    for (byte b : value) {
      for (int nibble : new int[] {(b >> 4) & 0x0F, b & 0x0F}) {
        if (nibble <= 9) {
          out.append((char) ('0' + nibble));
        } else if (nibble != 0x0F) {
          out.append('*');
        }
      }
    }
    return out.toString();
  }

  /** Printable Latin-1 text without trailing NULs or spaces. */
  static String text(byte[] value) {
    String s = new String(value, StandardCharsets.ISO_8859_1);
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      out.append(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return out.toString().strip();
  }
}
