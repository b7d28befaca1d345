package dev.locker.hal.zvt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ZVT serial frames as annotated bytes (STYLE.md §10). Every good frame is a vector of
 * device-protocols.md §4.2 or §8 (zvtcrc.py computes them): encoding the APDU gives the wire bytes,
 * and the framer decodes the wire bytes to the APDU. Malformed frames stand beside the good ones.
 */
class ZvtFrameTest {
  private static final Duration T1 = Duration.ofMillis(200);

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /**
   * Encodes {@code apdu} to exactly {@code wire}, and decodes {@code wire} back to {@code apdu}.
   */
  private static void bothWays(Apdu apdu, byte[] wire) {
    assertThat(ZvtFrame.encode(apdu.encode())).as("encode %s", apdu).isEqualTo(wire);
    List<ZvtFramer.Decoded> decoded = new ZvtFramer(T1).feed(wire, 0);
    assertThat(decoded).containsExactly(new ZvtFramer.Decoded.Frame(apdu.encode()));
    assertThat(Apdu.parse(apdu.encode())).isEqualTo(new Apdu.Parse.Parsed(apdu));
  }

  // ---------------------------------------------------------------- CRC

  @Test
  void theCrcIsTheKermitRegisterOverTheApduAndEtx() {
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(ZvtCrc.update(0, check, 0, check.length)).isEqualTo(0x2189); // zvtcrc.py check
    assertThat(ZvtCrc.of(bytes(0x80, 0x00, 0x00))).isEqualTo(0x1FF5); // sent F5 1F
  }

  // ---------------------------------------------------------------- §4.2, first table

  @Test
  void positiveCompletion() {
    bothWays(
        Apdu.of(0x80, 0x00),
        bytes(
            0x10, 0x02, // DLE STX
            0x80, 0x00, // CLASS INSTR: positive completion
            0x00, // LEN
            0x10, 0x03, // DLE ETX
            0xF5, 0x1F)); // CRC low, high
  }

  @Test
  void pleaseWait() {
    bothWays(
        Apdu.of(0x84, 0x9C),
        bytes(
            0x10, 0x02, // DLE STX
            0x84, 0x9C, // negative completion "please wait"
            0x00, // LEN
            0x10, 0x03, // DLE ETX
            0xC3, 0x41)); // CRC
  }

  @Test
  void registrationPassword123456ConfigBaEuro() {
    bothWays(
        Apdu.of(0x06, 0x00, bytes(0x12, 0x34, 0x56, 0xBA, 0x09, 0x78)),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x00, // registration
            0x06, // LEN
            0x12, 0x34, 0x56, // password 123456, BCD
            0xBA, // config byte
            0x09, 0x78, // currency 978 EUR, no tag
            0x10, 0x03, // DLE ETX
            0x24, 0xC3)); // CRC
  }

  @Test
  void initialisation() {
    bothWays(
        Apdu.of(0x06, 0x93, bytes(0x12, 0x34, 0x56)),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x93, // initialisation
            0x03, // LEN
            0x12, 0x34, 0x56, // password
            0x10, 0x03, // DLE ETX
            0xCA, 0xA4)); // CRC
  }

  @Test
  void authorisation110EuroDoublesTheDle() {
    bothWays(
        Apdu.of(0x06, 0x01, Bmp.concat(Bmp.amount(11000), Bmp.currency(978))),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x01, // authorisation
            0x0A, // LEN
            0x04, 0x00, 0x00, 0x00, 0x01, 0x10, 0x10, 0x00, // amount 000000011000 (10 doubled)
            0x49, 0x09, 0x78, // currency EUR
            0x10, 0x03, // DLE ETX
            0xF2, 0xFF)); // CRC
  }

  @Test
  void diagnosisAndResetHaveNoData() {
    bothWays(Apdu.of(0x06, 0x70), bytes(0x10, 0x02, 0x06, 0x70, 0x00, 0x10, 0x03, 0xD9, 0xF9));
    bothWays(Apdu.of(0x06, 0x18), bytes(0x10, 0x02, 0x06, 0x18, 0x00, 0x10, 0x03, 0x56, 0x3A));
  }

  @Test
  void statusEnquiryPassword123456() {
    bothWays(
        Apdu.of(0x05, 0x01, Bmp.password("123456")),
        bytes(
            0x10, 0x02, // DLE STX
            0x05, 0x01, // status enquiry
            0x03, // LEN
            0x12, 0x34, 0x56, // password
            0x10, 0x03, // DLE ETX
            0xE0, 0x43)); // CRC
    bothWays(
        Apdu.of(0x05, 0x01, Bmp.password("000000")),
        bytes(0x10, 0x02, 0x05, 0x01, 0x03, 0x00, 0x00, 0x00, 0x10, 0x03, 0xDF, 0xDB));
  }

  // ---------------------------------------------------------------- §4.2, second table

  @Test
  void registrationPassword000000Config8eEuroServiceByte() {
    bothWays(
        Apdu.of(0x06, 0x00, bytes(0x00, 0x00, 0x00, 0x8E, 0x09, 0x78, 0x03, 0x00)),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x00, // registration
            0x08, // LEN
            0x00, 0x00, 0x00, // password 000000
            0x8E, // config byte
            0x09, 0x78, // currency EUR
            0x03, 0x00, // BMP 03 service byte 00
            0x10, 0x03, // DLE ETX
            0xE2, 0x61)); // CRC
  }

  @Test
  void authorization1250() {
    bothWays(
        Apdu.of(0x06, 0x01, Bmp.amount(1250)),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x01, // authorisation
            0x07, // LEN
            0x04, 0x00, 0x00, 0x00, 0x00, 0x12, 0x50, // amount 12.50
            0x10, 0x03, // DLE ETX
            0x2D, 0xF7)); // CRC
  }

  @Test
  void ecrAbort() {
    bothWays(
        Apdu.of(0x06, 0xB0, Bmp.password("000000")),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0xB0, // abort, ECR to PT
            0x03, // LEN
            0x00, 0x00, 0x00, // password
            0x10, 0x03, // DLE ETX
            0xE8, 0xB5)); // CRC
  }

  @Test
  void completionAndPtAbort() {
    bothWays(
        Apdu.of(0x06, 0x0F),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x0F, // completion
            0x00, // LEN
            0x10, 0x03, // DLE ETX
            0xC6, 0x33)); // CRC
    bothWays(
        Apdu.of(0x06, 0x1E, 0x6C),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x1E, // abort, PT to ECR
            0x01, // LEN
            0x6C, // result code: abort via timeout or abort key
            0x10, 0x03, // DLE ETX
            0xC9, 0xF2)); // CRC
  }

  @Test
  void reversalOfReceipt0042() {
    bothWays(
        Apdu.of(0x06, 0x30, Bmp.concat(Bmp.password("000000"), Bmp.field(0x87, Bmp.bcd(42, 2)))),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x30, // reversal
            0x06, // LEN
            0x00, 0x00, 0x00, // password
            0x87, 0x00, 0x42, // BMP 87 receipt number 0042
            0x10, 0x03, // DLE ETX
            0xCC, 0xC0)); // CRC
  }

  @Test
  void issueOfGoodsFailed() {
    bothWays(
        Apdu.of(0x84, 0x66),
        bytes(
            0x10, 0x02, // DLE STX
            0x84, 0x66, // negative completion: issue of goods not possible
            0x00, // LEN
            0x10, 0x03, // DLE ETX
            0x8D, 0xBE)); // CRC
  }

  @Test
  void intermediateStatusInsertCard() {
    bothWays(
        Apdu.of(0x04, 0xFF, 0x0A),
        bytes(
            0x10, 0x02, // DLE STX
            0x04, 0xFF, // intermediate status
            0x01, // LEN
            0x0A, // insert card
            0x10, 0x03, // DLE ETX
            0xF5, 0x7D)); // CRC
  }

  @Test
  void repeatReceiptAndEndOfDay() {
    bothWays(
        Apdu.of(0x06, 0x20, Bmp.password("000000")),
        bytes(0x10, 0x02, 0x06, 0x20, 0x03, 0x00, 0x00, 0x00, 0x10, 0x03, 0xFA, 0xF2));
    bothWays(
        Apdu.of(0x06, 0x50, Bmp.password("000000")),
        bytes(0x10, 0x02, 0x06, 0x50, 0x03, 0x00, 0x00, 0x00, 0x10, 0x03, 0xFB, 0x37));
  }

  @Test
  void dleStuffingOfAmount1010() {
    bothWays(
        Apdu.of(0x06, 0x01, Bmp.amount(1010)),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x01, // authorisation
            0x07, // LEN
            0x04, 0x00, 0x00, 0x00, 0x00, // amount, high digits
            0x10, 0x10, 0x10, 0x10, // 10 10 (10.10), each 0x10 doubled
            0x10, 0x03, // DLE ETX
            0xF3, 0x04)); // CRC over the un-stuffed APDU and ETX
  }

  // ---------------------------------------------------------------- §8

  @Test
  void authorisationWithAnEmptyTlvContainer() {
    bothWays(
        Apdu.of(
            0x06,
            0x01,
            Bmp.concat(Bmp.amount(11000), Bmp.currency(978), bytes(Bmp.TLV_CONTAINER, 0x00))),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x01, // authorisation
            0x0C, // LEN
            0x04, 0x00, 0x00, 0x00, 0x01, 0x10, 0x10, 0x00, // amount 110.00
            0x49, 0x09, 0x78, // currency EUR
            0x06, 0x00, // empty TLV container
            0x10, 0x03, // DLE ETX
            0x8B, 0x45)); // CRC
  }

  @Test
  void registrationAsACommonEcrSendsIt() {
    bothWays(
        Apdu.of(0x06, 0x00, bytes(0x00, 0x00, 0x00, 0xBA)),
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x00, // registration
            0x04, // LEN
            0x00, 0x00, 0x00, // password
            0xBA, // config byte, no currency
            0x10, 0x03, // DLE ETX
            0x98, 0xF8)); // CRC
  }

  // ---------------------------------------------------------------- extended length

  @Test
  void anApduOf300BytesHasAnExtendedLittleEndianLength() {
    byte[] data = new byte[300];
    data[299] = 0x10;
    Apdu apdu = new Apdu(0x06, 0xD3, data);
    byte[] encoded = apdu.encode();
    assertThat(encoded).startsWith(bytes(0x06, 0xD3, 0xFF, 0x2C, 0x01)); // FF, 300 = 0x012C LE
    assertThat(Apdu.parse(encoded)).isEqualTo(new Apdu.Parse.Parsed(apdu));
    byte[] wire = ZvtFrame.encode(encoded);
    assertThat(wire).hasSize(2 + 305 + 1 + 2 + 2); // one DLE doubled
    assertThat(new ZvtFramer(T1).feed(wire, 0))
        .containsExactly(new ZvtFramer.Decoded.Frame(encoded));
  }

  @Test
  void anApduWhoseLengthFieldDisagreesIsMalformed() {
    assertThat(Apdu.parse(bytes(0x06, 0x01, 0x07, 0x04, 0x00)))
        .isEqualTo(new Apdu.Parse.Malformed("length field says 7 data bytes, frame has 2"));
    assertThat(Apdu.parse(bytes(0x06, 0x01))).isInstanceOf(Apdu.Parse.Malformed.class);
    assertThat(Apdu.parse(bytes(0x06, 0xD3, 0xFF, 0x01)))
        .isEqualTo(new Apdu.Parse.Malformed("extended length cut short"));
  }

  // ---------------------------------------------------------------- handshake and malformed

  @Test
  void ackAndNakOutsideAFrameAreHandshakeBytes() {
    assertThat(new ZvtFramer(T1).feed(bytes(0x06, 0x15), 0))
        .containsExactly(new ZvtFramer.Decoded.Ack(), new ZvtFramer.Decoded.Nak());
  }

  @Test
  void aBadCrcIsReportedWithBothValues() {
    byte[] wire = bytes(0x10, 0x02, 0x80, 0x00, 0x00, 0x10, 0x03, 0xF5, 0x1E); // high byte off
    assertThat(new ZvtFramer(T1).feed(wire, 0))
        .containsExactly(new ZvtFramer.Decoded.BadCrc(0x1EF5, 0x1FF5, 3));
  }

  @Test
  void aMissingEtxIsALoneDleAndTheNextFrameIsStillFound() {
    byte[] wire =
        bytes(
            0x10, 0x02, 0x80, 0x00, 0x00, 0x10, 0x04, 0xF5, 0x1F, // DLE 04 where DLE ETX belongs
            0x10, 0x02, 0x84, 0x9C, 0x00, 0x10, 0x03, 0xC3, 0x41); // a good frame
    List<ZvtFramer.Decoded> out = new ZvtFramer(T1).feed(wire, 0);
    assertThat(out.get(0)).isEqualTo(new ZvtFramer.Decoded.Garbage("lone DLE inside a frame", 6));
    assertThat(out).contains(new ZvtFramer.Decoded.Frame(bytes(0x84, 0x9C, 0x00)));
    assertThat(out).noneMatch(d -> d instanceof ZvtFramer.Decoded.Frame f && f.apdu()[0] == 0x80);
  }

  @Test
  void aDleStxInsideAFrameResynchronisesOnTheNewFrame() {
    byte[] wire =
        bytes(
            0x10, 0x02, 0x06, 0x01, 0x07, // a frame cut short
            0x10, 0x02, 0x80, 0x00, 0x00, 0x10, 0x03, 0xF5, 0x1F); // a whole one
    List<ZvtFramer.Decoded> out = new ZvtFramer(T1).feed(wire, 0);
    assertThat(out)
        .containsExactly(
            new ZvtFramer.Decoded.Garbage("DLE STX inside a frame: resynchronised", 5),
            new ZvtFramer.Decoded.Frame(bytes(0x80, 0x00, 0x00)));
  }

  @Test
  void aTruncatedFrameIsDroppedWhenT1Passes() {
    ZvtFramer framer = new ZvtFramer(T1);
    assertThat(framer.feed(bytes(0x10, 0x02, 0x80, 0x00), 0)).isEmpty();
    assertThat(framer.inFrame()).isTrue();
    long later = T1.toNanos() + 1;
    assertThat(framer.feed(new byte[0], later))
        .containsExactly(
            new ZvtFramer.Decoded.Garbage("frame interrupted: more than T1 between bytes", 4));
    assertThat(framer.feed(bytes(0x10, 0x02, 0x80, 0x00, 0x00, 0x10, 0x03, 0xF5, 0x1F), later))
        .containsExactly(new ZvtFramer.Decoded.Frame(bytes(0x80, 0x00, 0x00)));
  }

  @Test
  void bytesWithinT1ContinueTheFrame() {
    ZvtFramer framer = new ZvtFramer(T1);
    byte[] wire = bytes(0x10, 0x02, 0x80, 0x00, 0x00, 0x10, 0x03, 0xF5, 0x1F);
    long now = 0;
    for (int i = 0; i < wire.length - 1; i++) {
      assertThat(framer.feed(new byte[] {wire[i]}, now)).isEmpty();
      now += T1.toNanos() / 2;
    }
    assertThat(framer.feed(new byte[] {wire[wire.length - 1]}, now))
        .containsExactly(new ZvtFramer.Decoded.Frame(bytes(0x80, 0x00, 0x00)));
  }

  @Test
  void noiseBeforeAFrameIsGarbageAndALoneDleOutsideIsToo() {
    byte[] wire = bytes(0xFF, 0x10, 0x41, 0x10, 0x02, 0x80, 0x00, 0x00, 0x10, 0x03, 0xF5, 0x1F);
    List<ZvtFramer.Decoded> out = new ZvtFramer(T1).feed(wire, 0);
    assertThat(out)
        .containsExactly(
            new ZvtFramer.Decoded.Garbage("bytes outside a frame", 3),
            new ZvtFramer.Decoded.Frame(bytes(0x80, 0x00, 0x00)));
  }

  @Test
  void twoMergedFramesAndAnAckAreAllDecoded() {
    byte[] wire =
        bytes(
            0x06, // ACK of our frame
            0x10, 0x02, 0x80, 0x00, 0x00, 0x10, 0x03, 0xF5, 0x1F, // 80 00 00
            0x10, 0x02, 0x04, 0xFF, 0x01, 0x0A, 0x10, 0x03, 0xF5, 0x7D); // 04 FF 0A
    assertThat(new ZvtFramer(T1).feed(wire, 0))
        .containsExactly(
            new ZvtFramer.Decoded.Ack(),
            new ZvtFramer.Decoded.Frame(bytes(0x80, 0x00, 0x00)),
            new ZvtFramer.Decoded.Frame(bytes(0x04, 0xFF, 0x01, 0x0A)));
  }
}
