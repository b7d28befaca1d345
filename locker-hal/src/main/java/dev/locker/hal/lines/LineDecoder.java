package dev.locker.hal.lines;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reassembles the lines a serial scanner or card reader sends in "data + suffix" mode
 * (device-protocols.md §3.1): {@code [prefix][AIM id][data]} ended by CR, LF or CR LF, in whatever
 * chunks the UART delivers. A line is rejected, with a reason, when it is longer than the maximum
 * (the rest up to the next terminator is dropped with it), is not UTF-8, holds a control character,
 * or lacks the configured prefix. Never throws for any input. Not thread-safe: one reader feeds it.
 */
public final class LineDecoder {
  /** AIM symbology identifier: ']', a code letter, a modifier character (ISO/IEC 15424). */
  private static final Pattern AIM = Pattern.compile("^(\\][A-Za-z][0-9A-Za-z])");

  private final Settings settings;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean overlong;
  private boolean lastWasCr;

  /**
   * @param prefix text the scanner is configured to put before every read; stripped, and a line
   *     without it is rejected. Empty for none.
   * @param stripAim whether an AIM identifier after the prefix is taken off and reported
   * @param maxLength the longest line accepted, in bytes, without its terminator
   */
  public record Settings(String prefix, boolean stripAim, int maxLength) {
    public Settings {
      Objects.requireNonNull(prefix, "prefix");
      if (maxLength < 1) {
        throw new IllegalArgumentException("maxLength must be >= 1");
      }
    }
  }

  /** What a line turned out to be. */
  public sealed interface Decoded {
    /** A good line: its data, and the AIM identifier if one was stripped (else empty). */
    record Line(String text, String symbology) implements Decoded {}

    /** A line that was dropped, and why. */
    record Rejected(String reason) implements Decoded {}
  }

  public LineDecoder(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Adds received bytes; returns every line they complete, in order. */
  public List<Decoded> feed(byte[] bytes) {
    List<Decoded> out = new ArrayList<>();
    for (byte b : bytes) {
      boolean cr = b == '\r';
      boolean lf = b == '\n';
      if (lf && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = cr;
      if (cr || lf) {
        finish().ifPresent(out::add);
        continue;
      }
      if (line.size() >= settings.maxLength()) {
        overlong = true;
      } else {
        line.write(b);
      }
    }
    return out;
  }

  /** Bytes of an unfinished line held back. */
  public int pendingBytes() {
    return line.size();
  }

  private Optional<Decoded> finish() {
    byte[] raw = line.toByteArray();
    boolean tooLong = overlong;
    line.reset();
    overlong = false;
    if (tooLong) {
      return Optional.of(
          new Decoded.Rejected("line longer than " + settings.maxLength() + " bytes"));
    }
    if (raw.length == 0) {
      return Optional.empty();
    }
    String text;
    try {
      CharsetDecoder utf8 =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      text = utf8.decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      return Optional.of(new Decoded.Rejected("not valid UTF-8"));
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return Optional.of(
            new Decoded.Rejected(
                String.format("control character U+%04X at position %d", (int) c, i + 1)));
      }
    }
    if (!settings.prefix().isEmpty()) {
      if (!text.startsWith(settings.prefix())) {
        return Optional.of(new Decoded.Rejected("missing the configured prefix"));
      }
      text = text.substring(settings.prefix().length());
    }
    String symbology = "";
    if (settings.stripAim()) {
      Matcher m = AIM.matcher(text);
      if (m.find()) {
        symbology = m.group(1);
        text = text.substring(symbology.length());
      }
    }
    if (text.isEmpty()) {
      return Optional.of(new Decoded.Rejected("no data after prefix and identifier"));
    }
    return Optional.of(new Decoded.Line(text, symbology));
  }
}
