package dev.locker.hal.zvt;

import java.util.Map;

/**
 * English texts for ZVT result codes (BMP 27, {@code 06 1E}, {@code 84 xx}) and intermediate status
 * codes ({@code 04 FF}), after device-protocols.md §4.3 and the ZVT spec's tables.
 */
public final class ZvtCodes {
  public static final int OK = 0x00;
  public static final int PROCESSING_ERROR = 0x66;
  public static final int ABORTED = 0x6C;
  public static final int FUNCTION_NOT_POSSIBLE = 0x83;
  public static final int PLEASE_WAIT = 0x9C;
  public static final int ALREADY_REVERSED = 0xB4;
  public static final int REVERSAL_NOT_POSSIBLE = 0xB5;
  public static final int SYSTEM_ERROR = 0xFF;

  public static final int IS_SENDING_AUTO_REVERSAL = 0x05;
  public static final int IS_INSERT_CARD = 0x0A;
  public static final int IS_PLEASE_WAIT = 0x0E;
  public static final int IS_APPROVED_TAKE_GOODS = 0x1C;
  public static final int IS_DECLINED = 0x1D;

  private static final Map<Integer, String> RESULTS =
      Map.ofEntries(
          Map.entry(0x00, "no error"),
          Map.entry(0x64, "card not readable"),
          Map.entry(0x65, "card data not present"),
          Map.entry(0x66, "processing error"),
          Map.entry(0x6A, "turnover file full"),
          Map.entry(0x6B, "function deactivated"),
          Map.entry(0x6C, "abort via timeout or abort key"),
          Map.entry(0x6E, "card in blocked list"),
          Map.entry(0x6F, "wrong currency"),
          Map.entry(0x71, "credit not sufficient"),
          Map.entry(0x72, "chip error"),
          Map.entry(0x73, "card data incorrect"),
          Map.entry(0x78, "card expired"),
          Map.entry(0x79, "card not yet valid"),
          Map.entry(0x7A, "card unknown"),
          Map.entry(0x83, "function not possible"),
          Map.entry(0x89, "wrong PIN"),
          Map.entry(0x9A, "ZVT protocol error"),
          Map.entry(0x9C, "please wait"),
          Map.entry(0xA0, "receiver not ready"),
          Map.entry(0xB4, "already reversed"),
          Map.entry(0xB5, "reversal not possible"),
          Map.entry(0xC2, "diagnosis required"),
          Map.entry(0xFF, "system error"));

  private static final Map<Integer, String> INTERMEDIATE =
      Map.ofEntries(
          Map.entry(0x00, "waiting for amount confirmation"),
          Map.entry(0x01, "please watch the PIN pad"),
          Map.entry(0x02, "please watch the PIN pad"),
          Map.entry(0x03, "not accepted"),
          Map.entry(0x04, "waiting for the host"),
          Map.entry(0x05, "sending auto-reversal"),
          Map.entry(0x06, "sending post-bookings"),
          Map.entry(0x07, "card not admitted"),
          Map.entry(0x08, "card unknown"),
          Map.entry(0x09, "card expired"),
          Map.entry(0x0A, "insert card"),
          Map.entry(0x0B, "please remove card"),
          Map.entry(0x0C, "card not readable"),
          Map.entry(0x0D, "processing error"),
          Map.entry(0x0E, "please wait"),
          Map.entry(0x10, "invalid card"),
          Map.entry(0x12, "system malfunction"),
          Map.entry(0x13, "payment not possible"),
          Map.entry(0x14, "credit not sufficient"),
          Map.entry(0x15, "incorrect PIN"),
          Map.entry(0x17, "please wait"),
          Map.entry(0x18, "PIN try limit exceeded"),
          Map.entry(0x1C, "approved, please take goods"),
          Map.entry(0x1D, "declined"));

  private ZvtCodes() {}

  /** The text of a result code; 01–63 are the authorisation host's own decline codes. */
  public static String resultText(int code) {
    String known = RESULTS.get(code);
    if (known != null) {
      return known;
    }
    if (code >= 0x01 && code <= 0x63) {
      return String.format("declined by the authorisation host (code %02X)", code);
    }
    return String.format("result code %02X", code);
  }

  /** The text of an intermediate status code. */
  public static String intermediateText(int code) {
    return INTERMEDIATE.getOrDefault(code, String.format("intermediate status %02X", code));
  }
}
