package dev.locker.hal.zvt;

import static dev.locker.hal.zvt.ZvtFrameTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.MonthDay;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The status information {@code 04 0F} of device-protocols.md §4.3 (a real terminal's, 20.40 EUR),
 * decoded field by field, with the masked PAN the only card data kept; and malformed ones beside
 * it.
 */
class StatusInformationTest {

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The example's data, field by field. */
  static byte[] realExampleData() {
    return Bmp.concat(
        bytes(0x27, 0x00), // result code 00: approved
        bytes(0x04, 0x00, 0x00, 0x00, 0x00, 0x20, 0x40), // amount 20.40
        bytes(0x0B, 0x00, 0x04, 0x70), // trace 470
        bytes(0x0C, 0x22, 0x39, 0x53), // time 22:39:53
        bytes(0x0D, 0x10, 0x06), // date 10-06 (MMDD)
        bytes(0x0E, 0x25, 0x12), // card expiry 25/12: card data, not kept
        bytes(0x17, 0x00, 0x01), // card sequence number: not kept
        bytes(0x19, 0x70), // payment type
        bytes(0x22, 0xF0, 0xF8, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0x47, 0x71), // PAN, LLVAR 8
        bytes(0x29, 0x28, 0x00, 0x48, 0x69), // terminal id 28004869
        Bmp.field(0x2A, ascii("100461763      ")), // VU number, 15 ASCII
        Bmp.field(0x3B, ascii("611804\0\0")), // authorisation code, 8 bytes
        Bmp.concat(bytes(0x3C, 0xF0, 0xF1, 0xF4), ascii("GEN.NR.:611804")), // LLLVAR 14
        bytes(0x49, 0x09, 0x78), // currency EUR
        bytes(0x87, 0x04, 0x70), // receipt number 0470
        bytes(0x88, 0x00, 0x04, 0x70), // turnover number 470
        bytes(0x8A, 0x2E), // card type
        Bmp.concat(bytes(0x8B, 0xF1, 0xF7), ascii("Debit Mastercard\0"))); // LLVAR 17
  }

  static Apdu realExample() {
    return new Apdu(0x04, 0x0F, realExampleData());
  }

  @Test
  void theRealExampleIs119DataBytes() {
    assertThat(realExample().encode()).startsWith(bytes(0x04, 0x0F, 0x77));
  }

  @Test
  void theRealExampleDecodesToWhatALockerMayKeep() {
    StatusInformation info = decoded(realExample());

    assertThat(info)
        .isEqualTo(
            new StatusInformation(
                0x00,
                OptionalLong.of(2040),
                OptionalInt.of(978),
                OptionalInt.of(470),
                OptionalInt.empty(),
                OptionalInt.of(470),
                Optional.of(MonthDay.of(10, 6)),
                Optional.of(LocalTime.of(22, 39, 53)),
                Optional.of("************4771"),
                Optional.of("Debit Mastercard"),
                Optional.of("28004869"),
                Optional.of("611804")));
    assertThat(info.approved()).isTrue();
    assertThat(info.isReversal()).isFalse();
  }

  @Test
  void theMaskedPanIsTheOnlyCardDataKept() {
    String printed = decoded(realExample()).toString();
    assertThat(printed).contains("************4771");
    assertThat(printed).doesNotContain("2512").doesNotContain("25/12"); // expiry
    assertThat(printed).doesNotContain("GEN.NR"); // additional text
  }

  @Test
  void anUnmaskedPanIsMaskedDownToItsLastFourDigits() {
    byte[] data =
        Bmp.concat(
            bytes(0x27, 0x00),
            bytes(0x22, 0xF0, 0xF8, 0x54, 0x13, 0x33, 0x00, 0x89, 0x02, 0x47, 0x71)); // full PAN
    assertThat(decoded(new Apdu(0x04, 0x0F, data)).maskedPan()).contains("************4771");
  }

  @Test
  void anOddLengthPanDropsItsPaddingNibble() {
    byte[] data = Bmp.concat(bytes(0x27, 0x00), bytes(0x22, 0xF0, 0xF3, 0xEE, 0x12, 0x3F));
    assertThat(decoded(new Apdu(0x04, 0x0F, data)).maskedPan()).contains("**123");
  }

  @Test
  void aDeclineCarriesItsResultCode() {
    StatusInformation info = decoded(Apdu.of(0x04, 0x0F, 0x27, 0x6C));
    assertThat(info.approved()).isFalse();
    assertThat(info.resultCode()).isEqualTo(0x6C);
  }

  @Test
  void aReversalNamesTheOriginalTrace() {
    byte[] data = Bmp.concat(bytes(0x27, 0x00), bytes(0x37, 0x00, 0x04, 0x70));
    StatusInformation info = decoded(new Apdu(0x04, 0x0F, data));
    assertThat(info.isReversal()).isTrue();
    assertThat(info.originalTrace()).hasValue(470);
  }

  @Test
  void aTlvContainerIsSkippedOpaque() {
    byte[] data =
        Bmp.concat(
            bytes(0x06, 0x81, 0x03, 0x1F, 0x07, 0x00), // TLV container, BER length 81 03
            bytes(0x27, 0x00),
            bytes(0x87, 0x00, 0x12));
    assertThat(decoded(new Apdu(0x04, 0x0F, data)).receiptNo()).hasValue(12);
  }

  // ---------------------------------------------------------------- rejected

  @Test
  void withoutAResultCodeItIsRejected() {
    assertThat(StatusInformation.decode(new Apdu(0x04, 0x0F, Bmp.amount(2040))))
        .isEqualTo(new StatusInformation.Decoding.Rejected("no result code (BMP 27)"));
  }

  @Test
  void anUnknownTagIsRejectedByNameAndOffset() {
    assertThat(StatusInformation.decode(Apdu.of(0x04, 0x0F, 0x27, 0x00, 0x5F, 0x01)))
        .isEqualTo(new StatusInformation.Decoding.Rejected("unknown BMP tag 5F at offset 2"));
  }

  @Test
  void aCutShortFieldIsRejected() {
    assertThat(StatusInformation.decode(Apdu.of(0x04, 0x0F, 0x27, 0x00, 0x04, 0x00, 0x20)))
        .isEqualTo(
            new StatusInformation.Decoding.Rejected("BMP 04 needs 6 bytes, 2 left at offset 3"));
  }

  @Test
  void aBadLlvarLengthIsRejected() {
    assertThat(StatusInformation.decode(Apdu.of(0x04, 0x0F, 0x27, 0x00, 0x8B, 0xF1, 0x2A)))
        .isEqualTo(
            new StatusInformation.Decoding.Rejected("BMP 8B length byte 2A is not Fx with x ≤ 9"));
  }

  @Test
  void anAmountThatIsNotBcdIsRejected() {
    assertThat(
            StatusInformation.decode(
                Apdu.of(0x04, 0x0F, 0x27, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x2A, 0x40)))
        .isEqualTo(new StatusInformation.Decoding.Rejected("BMP 04 is not BCD"));
  }

  @Test
  void anImpossibleDateIsRejected() {
    assertThat(StatusInformation.decode(Apdu.of(0x04, 0x0F, 0x27, 0x00, 0x0D, 0x13, 0x01)))
        .isEqualTo(new StatusInformation.Decoding.Rejected("date (BMP 0D) is no day of the year"));
  }

  @Test
  void anotherApduIsNoStatusInformation() {
    assertThat(StatusInformation.decode(Apdu.of(0x06, 0x0F)))
        .isEqualTo(new StatusInformation.Decoding.Rejected("not a status information: 06 0F"));
  }

  // ---------------------------------------------------------------- receipts

  @Test
  void aTextBlockCarriesOneLinePerTextTag() {
    Apdu block = ReceiptText.textBlock(List.of("LOCKER 7", "20,40 EUR"));
    assertThat(block.encode())
        .isEqualTo(
            Bmp.concat(
                bytes(0x06, 0xD3, 0x19), // text block, LEN 25
                bytes(0x06, 0x17), // TLV container, 23 bytes
                bytes(0x25, 0x15), // list of text lines, 21 bytes
                bytes(0x07, 0x08), // text line, 8 bytes
                ascii("LOCKER 7"),
                bytes(0x07, 0x09), // text line, 9 bytes
                ascii("20,40 EUR")));
    assertThat(ReceiptText.lines(block)).contains(List.of("LOCKER 7", "20,40 EUR"));
  }

  @Test
  void aPrintLineIsAnAttributeAndText() {
    assertThat(ReceiptText.lines(ReceiptText.printLine(0x00, "Terminal-ID 28004869")))
        .contains(List.of("Terminal-ID 28004869"));
    assertThat(ReceiptText.lines(Apdu.of(0x06, 0xD3, 0x06, 0x05, 0x25, 0x03, 0x07, 0x09)))
        .isEmpty(); // a text line longer than its list
  }

  private static StatusInformation decoded(Apdu apdu) {
    StatusInformation.Decoding d = StatusInformation.decode(apdu);
    assertThat(d).isInstanceOf(StatusInformation.Decoding.Decoded.class);
    return ((StatusInformation.Decoding.Decoded) d).info();
  }
}
