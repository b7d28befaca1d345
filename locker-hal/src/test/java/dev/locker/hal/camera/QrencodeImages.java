package dev.locker.hal.camera;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * QR code images from an independent generator, Debian's {@code qrencode} (libqrencode), so the
 * decoder is not only tested against zxing's own writer; and the transforms a camera adds:
 * rotation, scale, noise, a larger frame, JPEG compression. Every transform returns a new 8-bit
 * grey image.
 *
 * <p>Without qrencode the tests cannot run: under CI ({@code CI=true}) that fails the test,
 * elsewhere it is skipped with a message saying what to install.
 */
public final class QrencodeImages {
  private static final AtomicInteger files = new AtomicInteger();

  private QrencodeImages() {}

  /** Whether {@code qrencode} is on the PATH. */
  public static boolean qrencodeAvailable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "qrencode"))) {
        return true;
      }
    }
    return false;
  }

  /** Fails under CI, skips elsewhere, when qrencode is missing. */
  public static void requireQrencode() {
    if (qrencodeAvailable()) {
      return;
    }
    String message =
        "qrencode is needed for the camera decoder tests: install it (apt-get install qrencode)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }

  /** {@code qrencode -s 6 -m 4 -l M}: 6 pixels per module, the standard quiet zone, ECC level M. */
  public static BufferedImage encode(Path dir, String text)
      throws IOException, InterruptedException {
    return encode(dir, text, 6, 4, 'M');
  }

  /**
   * Runs {@code qrencode -o FILE -s moduleSize -m margin -l level} with {@code text} as UTF-8 on
   * its standard input (an argument would depend on the JVM's locale) and reads the PNG back.
   */
  public static BufferedImage encode(Path dir, String text, int moduleSize, int margin, char level)
      throws IOException, InterruptedException {
    requireQrencode();
    Path png = dir.resolve("qr-" + files.incrementAndGet() + ".png");
    Process process =
        new ProcessBuilder(
                "qrencode",
                "-o",
                png.toString(),
                "-s",
                Integer.toString(moduleSize),
                "-m",
                Integer.toString(margin),
                "-l",
                Character.toString(level))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("qrencode.log").toFile())
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("qrencode did not finish within 30 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "qrencode exited with "
              + process.exitValue()
              + ": "
              + Files.readString(dir.resolve("qrencode.log")));
    }
    BufferedImage image = ImageIO.read(png.toFile());
    if (image == null) {
      throw new IOException("qrencode wrote something ImageIO cannot read: " + png);
    }
    return grey(image);
  }

  /** The image as 8-bit grey. */
  public static BufferedImage grey(BufferedImage image) {
    BufferedImage out =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * Rotated clockwise by {@code degrees} about its centre, bilinearly, on a white canvas large
   * enough for every corner. Multiples of 90 are exact.
   */
  public static BufferedImage rotate(BufferedImage image, double degrees) {
    double rad = Math.toRadians(degrees);
    double sin = Math.abs(Math.sin(rad));
    double cos = Math.abs(Math.cos(rad));
    int w = (int) Math.ceil(image.getWidth() * cos + image.getHeight() * sin);
    int h = (int) Math.ceil(image.getWidth() * sin + image.getHeight() * cos);
    if (degrees % 90 == 0) {
      w = (degrees / 90) % 2 == 0 ? image.getWidth() : image.getHeight();
      h = (degrees / 90) % 2 == 0 ? image.getHeight() : image.getWidth();
    }
    AffineTransform at = new AffineTransform();
    at.translate(w / 2.0, h / 2.0);
    if (degrees % 90 == 0) {
      at.quadrantRotate((int) (degrees / 90));
    } else {
      at.rotate(rad);
    }
    at.translate(-image.getWidth() / 2.0, -image.getHeight() / 2.0);
    return draw(image, w, h, 255, at);
  }

  /** Scaled by {@code factor}, bilinearly (area-averaged when shrinking, as a sensor would). */
  public static BufferedImage scale(BufferedImage image, double factor) {
    int w = Math.max(1, (int) Math.round(image.getWidth() * factor));
    int h = Math.max(1, (int) Math.round(image.getHeight() * factor));
    if (factor < 1) {
      BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = out.createGraphics();
      try {
        g.drawImage(image.getScaledInstance(w, h, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
      } finally {
        g.dispose();
      }
      return out;
    }
    return draw(image, w, h, 255, AffineTransform.getScaleInstance(factor, factor));
  }

  /** Placed with its top-left corner at (x, y) in a {@code width} x {@code height} grey frame. */
  public static BufferedImage placeIn(
      BufferedImage image, int width, int height, int x, int y, int background) {
    return draw(image, width, height, background, AffineTransform.getTranslateInstance(x, y));
  }

  /** {@code pixels} pixels, chosen by {@code seed}, set to black or white at random. */
  public static BufferedImage saltAndPepper(BufferedImage image, int pixels, long seed) {
    BufferedImage out = grey(image);
    byte[] data = data(out);
    Random random = new Random(seed);
    for (int i = 0; i < pixels; i++) {
      data[random.nextInt(data.length)] = (byte) (random.nextBoolean() ? 0 : 255);
    }
    return out;
  }

  /** Gaussian noise of standard deviation {@code sigma} grey levels on every pixel. */
  public static BufferedImage gaussianNoise(BufferedImage image, double sigma, long seed) {
    BufferedImage out = grey(image);
    byte[] data = data(out);
    Random random = new Random(seed);
    for (int i = 0; i < data.length; i++) {
      int v = (data[i] & 0xFF) + (int) Math.round(random.nextGaussian() * sigma);
      data[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return out;
  }

  /** Encoded as a JPEG of {@code quality} (0..1) and read back, artefacts and all. */
  public static BufferedImage jpeg(BufferedImage image, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return grey(ImageIO.read(new ByteArrayInputStream(bytes.toByteArray())));
  }

  /** The image as PNG bytes. */
  public static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }

  private static BufferedImage draw(
      BufferedImage image, int width, int height, int background, AffineTransform at) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(new Color(background, background, background));
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, at, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] data(BufferedImage grey) {
    return ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
  }
}
