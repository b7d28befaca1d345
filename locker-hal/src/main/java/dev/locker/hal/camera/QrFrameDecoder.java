package dev.locker.hal.camera;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.InvertedLuminanceSource;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds and decodes one QR code in a camera frame with zxing (device-protocols.md §3.2): {@link
 * QRCodeReader} on a {@link HybridBinarizer}, hints {@code TRY_HARDER} (as configured), {@code
 * POSSIBLE_FORMATS={QR_CODE}} and {@code CHARACTER_SET=UTF-8}, so that a code without an ECI
 * header, as phones and {@code qrencode} write them, reads as UTF-8.
 *
 * <p>When a frame gives no code, it is tried again at half size, each pixel the mean of a 2x2
 * block: that averages away the sensor noise and single-pixel specks that break zxing's
 * finder-pattern cross-checks, at a quarter of the first pass's cost. On 1280x720 frames with a
 * code at 12 pixels per module, single-pass reads of 30 seeded frames fell to 5 of 30 at Gaussian
 * noise of 30 grey levels and 10 of 30 with 3000 salt-and-pepper pixels; with the retry all 30
 * read, for about 1 ms more on an empty frame.
 *
 * <p>Never throws for image content: no code is {@link Result.NoCode}, a code that was found but
 * could not be read is {@link Result.Unreadable}, and a zxing failure on an odd image is an {@code
 * Unreadable} too. Thread-safe: every call uses its own reader.
 */
public final class QrFrameDecoder {
  /** Used when zxing reports no identifier: QR model 2, no ECI, no FNC1 (ISO/IEC 18004 §6.4.10). */
  static final String QR_SYMBOLOGY = "]Q1";

  /** The smallest QR symbol, version 1, is 21 modules across: no use retrying below that. */
  private static final int MIN_SIDE = 21;

  private final Settings settings;
  private final Map<DecodeHintType, Object> hints;

  /**
   * @param tryHarder search the whole frame more thoroughly (zxing {@code TRY_HARDER}); needed for
   *     small or tilted codes in a camera frame, at a few milliseconds per 1280x720 frame
   * @param retryAtHalfScale when nothing is read, try again on the frame at half size (see above)
   * @param alsoInverted when nothing is read, try again with light modules on dark (a code shown
   *     inverted); doubles the cost of an empty frame
   * @param maxPixels larger frames are refused as {@link Result.Unreadable} before decoding, so
   *     that a misconfigured camera cannot stall the scan thread
   */
  public record Settings(
      boolean tryHarder, boolean retryAtHalfScale, boolean alsoInverted, long maxPixels) {
    public Settings {
      if (maxPixels < 1) {
        throw new IllegalArgumentException("maxPixels must be >= 1");
      }
    }

    /** TRY_HARDER, the half-scale retry, no inverted codes, frames up to 4096x4096. */
    public static Settings defaults() {
      return new Settings(true, true, false, 4096L * 4096L);
    }
  }

  /** What a frame held. */
  public sealed interface Result {
    /**
     * A code was read: its text and the AIM symbology identifier zxing reported: {@code "]Q1"} for
     * a plain QR code, {@code "]Q2"} when it declares its character set with an ECI header (as
     * zxing's own writer does for non-Latin-1 text), 3 to 6 for the GS1/FNC1 variants. {@link
     * #toString()} leaves the text out: a pickup code is a credential.
     */
    record Decoded(String text, String symbology) implements Result {
      public Decoded {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(symbology, "symbology");
      }

      @Override
      public String toString() {
        return "Decoded[symbology=" + symbology + ", length=" + text.length() + "]";
      }
    }

    /** No code in the frame. The usual result while nobody holds a code up. */
    record NoCode() implements Result {}

    /** Something that looked like a code, but it could not be read, and why. */
    record Unreadable(String reason) implements Result {
      public Unreadable {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  public QrFrameDecoder(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Map<DecodeHintType, Object> h = new EnumMap<>(DecodeHintType.class);
    h.put(DecodeHintType.POSSIBLE_FORMATS, EnumSet.of(BarcodeFormat.QR_CODE));
    h.put(DecodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
    if (settings.tryHarder()) {
      h.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
    }
    this.hints = Map.copyOf(h);
  }

  /** Decodes the first QR code found in {@code frame}. */
  public Result decode(BufferedImage frame) {
    Objects.requireNonNull(frame, "frame");
    long pixels = (long) frame.getWidth() * frame.getHeight();
    if (pixels > settings.maxPixels()) {
      return new Result.Unreadable(
          "frame of "
              + frame.getWidth()
              + "x"
              + frame.getHeight()
              + " pixels is larger than the "
              + settings.maxPixels()
              + " allowed");
    }
    LuminanceSource source;
    try {
      source = new BufferedImageLuminanceSource(frame);
    } catch (RuntimeException e) {
      return new Result.Unreadable("frame cannot be read as an image: " + e.getClass().getName());
    }
    List<LuminanceSource> passes = new ArrayList<>(4);
    passes.add(source);
    if (settings.retryAtHalfScale()
        && source.getWidth() / 2 >= MIN_SIDE
        && source.getHeight() / 2 >= MIN_SIDE) {
      passes.add(halfScale(source));
    }
    if (settings.alsoInverted()) {
      for (int i = 0, n = passes.size(); i < n; i++) {
        passes.add(new InvertedLuminanceSource(passes.get(i)));
      }
    }
    Result outcome = new Result.NoCode();
    for (LuminanceSource pass : passes) {
      Result result = decode(pass);
      if (result instanceof Result.Decoded) {
        return result;
      }
      if (result instanceof Result.Unreadable && outcome instanceof Result.NoCode) {
        outcome = result;
      }
    }
    return outcome;
  }

  /** The source at half width and height, each pixel the mean of a 2x2 block. */
  private static LuminanceSource halfScale(LuminanceSource source) {
    byte[] full = source.getMatrix();
    int width = source.getWidth();
    int halfWidth = width / 2;
    int halfHeight = source.getHeight() / 2;
    byte[] half = new byte[halfWidth * halfHeight];
    for (int y = 0; y < halfHeight; y++) {
      int row = 2 * y * width;
      for (int x = 0; x < halfWidth; x++) {
        int i = row + 2 * x;
        int sum =
            (full[i] & 0xFF)
                + (full[i + 1] & 0xFF)
                + (full[i + width] & 0xFF)
                + (full[i + width + 1] & 0xFF);
        half[y * halfWidth + x] = (byte) (sum >> 2);
      }
    }
    return new PlanarYUVLuminanceSource(
        half, halfWidth, halfHeight, 0, 0, halfWidth, halfHeight, false);
  }

  private Result decode(LuminanceSource source) {
    try {
      com.google.zxing.Result read =
          new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
      Object aim =
          read.getResultMetadata() == null
              ? null
              : read.getResultMetadata().get(ResultMetadataType.SYMBOLOGY_IDENTIFIER);
      String text = read.getText();
      if (text == null) {
        return new Result.Unreadable("the decoder returned no text");
      }
      return new Result.Decoded(text, aim instanceof String s ? s : QR_SYMBOLOGY);
    } catch (NotFoundException e) {
      return new Result.NoCode();
    } catch (ChecksumException e) {
      return new Result.Unreadable("checksum error: the code is damaged, blurred or partly hidden");
    } catch (FormatException e) {
      return new Result.Unreadable("format error: the symbol is not a valid QR code");
    } catch (RuntimeException e) {
      // zxing has thrown IllegalArgumentException / ArrayIndexOutOfBounds on degenerate geometry.
      return new Result.Unreadable("decoder failed on this frame: " + e.getClass().getName());
    }
  }
}
