package dev.locker.sim.camera;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.locker.hal.camera.FrameSource;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The camera in front of the locker: each {@link #grab()} returns a 1280x720 grey frame of what it
 * "sees". That is either the empty scene (a lit wall with a locker door's edge, with sensor noise),
 * or the scene with a QR code held up, rendered with zxing's {@link QRCodeWriter} (error correction
 * M, UTF-8, quiet zone 4) and placed by a {@link View}: size, rotation, noise, blur, contrast, and
 * how much of it is inside the frame. A {@link Fault} makes the camera misbehave: a failed lens
 * gives no frame at all; a covered lens gives black frames.
 *
 * <p>What is shown, and the fault, can be changed at any time from any thread ({@link #show},
 * {@link #clear}, {@link #fault}); a grab sees the state at its start. Randomness (the scene and
 * the per-frame noise) comes from one seed, so the same calls give the same frames.
 */
public final class CameraEmulator implements FrameSource {
  public static final int WIDTH = 1280;
  public static final int HEIGHT = 720;

  /** Sensor noise of the empty scene, in grey levels. */
  private static final double SCENE_NOISE = 4;

  private static final int NOISE_TABLE = 1 << 13;

  private final Random random;
  private final byte[] scene;
  private final double[] gaussian = new double[NOISE_TABLE];
  private final AtomicLong grabs = new AtomicLong();
  private byte[] clean;
  private int[] noise;
  private Fault fault = Fault.NONE;

  /**
   * How a code is held in front of the lens.
   *
   * @param size pixels across the code, quiet zone included (the frame is 720 high)
   * @param rotation degrees, clockwise
   * @param noise standard deviation of the sensor noise over the whole frame, in grey levels
   * @param blur radius of a box blur in pixels (0: sharp; a shaking hand or a code too close)
   * @param contrast 1: black on white; less: grey on grey (glare on a phone screen, a dim screen)
   * @param inView the part of the code's width inside the frame (1: all of it; the rest is cut off
   *     at the right edge)
   */
  public record View(
      int size, double rotation, double noise, int blur, double contrast, double inView) {
    public View {
      if (size < 21) {
        throw new IllegalArgumentException("size must be >= 21 pixels (one per module)");
      }
      if (noise < 0 || blur < 0) {
        throw new IllegalArgumentException("noise and blur must not be negative");
      }
      if (!(contrast > 0 && contrast <= 1)) {
        throw new IllegalArgumentException("contrast must be in (0, 1]");
      }
      if (!(inView > 0 && inView <= 1)) {
        throw new IllegalArgumentException("inView must be in (0, 1]");
      }
    }

    /** A phone held square to the lens, 360 pixels across, a little sensor noise. */
    public static View straight() {
      return new View(360, 0, SCENE_NOISE, 0, 1, 1);
    }

    public View withSize(int pixels) {
      return new View(pixels, rotation, noise, blur, contrast, inView);
    }

    public View rotatedBy(double degrees) {
      return new View(size, degrees, noise, blur, contrast, inView);
    }

    public View withNoise(double sigma) {
      return new View(size, rotation, sigma, blur, contrast, inView);
    }

    public View blurredBy(int radius) {
      return new View(size, rotation, noise, radius, contrast, inView);
    }

    public View withContrast(double level) {
      return new View(size, rotation, noise, blur, level, inView);
    }

    public View partlyInView(double part) {
      return new View(size, rotation, noise, blur, contrast, part);
    }
  }

  /** How the camera misbehaves. */
  public enum Fault {
    /** Works. */
    NONE,
    /** The camera gives no frame: every grab fails. */
    LENS_FAILURE,
    /** Something covers the lens: every frame is black. */
    COVERED
  }

  public CameraEmulator(long seed) {
    this.random = new Random(seed);
    for (int i = 0; i < NOISE_TABLE; i++) {
      gaussian[i] = random.nextGaussian();
    }
    this.scene = pixels(paintScene());
    clear();
  }

  /** From now on the camera sees a QR code of {@code text}, held as {@code view} says. */
  public void show(String text, View view) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(view, "view");
    BufferedImage frame = image(scene.clone());
    Graphics2D g = frame.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      BufferedImage code = symbol(text, view);
      double scale = (double) view.size() / code.getWidth();
      double left = view.inView() < 1 ? WIDTH - view.inView() * view.size() : 0;
      double centreX = view.inView() < 1 ? left + view.size() / 2.0 : WIDTH / 2.0;
      AffineTransform at = new AffineTransform();
      at.translate(centreX, HEIGHT / 2.0);
      at.rotate(Math.toRadians(view.rotation()));
      at.scale(scale, scale);
      at.translate(-code.getWidth() / 2.0, -code.getHeight() / 2.0);
      g.drawImage(code, at, null);
    } finally {
      g.dispose();
    }
    byte[] composed = pixels(frame);
    boxBlur(composed, view.blur());
    synchronized (this) {
      clean = composed;
      noise = noiseTable(view.noise());
    }
  }

  /** The camera sees a code of {@code text} held {@link View#straight()}. */
  public void show(String text) {
    show(text, View.straight());
  }

  /** The camera sees the empty scene. */
  public synchronized void clear() {
    clean = scene.clone();
    noise = noiseTable(SCENE_NOISE);
  }

  /** Sets how the camera misbehaves; {@link Fault#NONE} repairs it. */
  public synchronized void fault(Fault fault) {
    this.fault = Objects.requireNonNull(fault, "fault");
  }

  /** Grabs so far, failed ones included. */
  public long grabs() {
    return grabs.get();
  }

  @Override
  public String name() {
    return "camera-emulator";
  }

  @Override
  public Grab grab() {
    grabs.incrementAndGet();
    byte[] base;
    int[] table;
    int seed;
    synchronized (this) {
      if (fault == Fault.LENS_FAILURE) {
        return new Grab.Failed("camera-emulator: lens failure, the camera gives no frame");
      }
      base = fault == Fault.COVERED ? new byte[WIDTH * HEIGHT] : clean;
      table = noise;
      seed = random.nextInt() | 1;
    }
    byte[] out = new byte[base.length];
    int x = seed;
    for (int i = 0; i < base.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      int v = (base[i] & 0xFF) + table[x & (NOISE_TABLE - 1)];
      out[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return new Grab.Frame(image(out));
  }

  private int[] noiseTable(double sigma) {
    int[] table = new int[NOISE_TABLE];
    for (int i = 0; i < NOISE_TABLE; i++) {
      table[i] = (int) Math.round(sigma * gaussian[i]);
    }
    return table;
  }

  /** A wall lit from the upper left, with the dark edge of a locker door and a label on it. */
  private BufferedImage paintScene() {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = pixels(img);
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        data[y * WIDTH + x] = (byte) (150 - (x + y) * 40 / (WIDTH + HEIGHT));
      }
    }
    Graphics2D g = img.createGraphics();
    try {
      int door = 80 + random.nextInt(60);
      g.setColor(new Color(60, 60, 60));
      g.fillRect(0, 0, door, HEIGHT);
      g.setColor(new Color(200, 200, 200));
      g.fillRect(door + 40 + random.nextInt(80), 60 + random.nextInt(80), 140, 70);
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * The code at a whole number of pixels per module close to the wanted size, in the view's grey
   * levels; the caller scales the rest of the way with the rotation, bilinearly, as a lens would.
   */
  private static BufferedImage symbol(String text, View view) {
    BitMatrix matrix;
    try {
      matrix =
          new QRCodeWriter()
              .encode(
                  text,
                  BarcodeFormat.QR_CODE,
                  0,
                  0,
                  Map.of(
                      EncodeHintType.ERROR_CORRECTION,
                      ErrorCorrectionLevel.M,
                      EncodeHintType.CHARACTER_SET,
                      StandardCharsets.UTF_8.name(),
                      EncodeHintType.MARGIN,
                      4));
    } catch (WriterException e) {
      throw new IllegalArgumentException("text does not fit in a QR code", e);
    }
    int modules = matrix.getWidth();
    int perModule = Math.max(1, Math.round((float) view.size() / modules));
    int side = modules * perModule;
    int dark = (int) Math.round(128 - 120 * view.contrast());
    int light = (int) Math.round(128 + 120 * view.contrast());
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = pixels(img);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        data[y * side + x] = (byte) (matrix.get(x / perModule, y / perModule) ? dark : light);
      }
    }
    return img;
  }

  /** Blurs in place with a box of side {@code 2 * radius + 1}, rows then columns. */
  private static void boxBlur(byte[] data, int radius) {
    if (radius == 0) {
      return;
    }
    byte[] tmp = new byte[data.length];
    blurLines(data, tmp, radius, WIDTH, HEIGHT, 1, WIDTH);
    blurLines(tmp, data, radius, HEIGHT, WIDTH, WIDTH, 1);
  }

  /** One pass of a running-sum box blur along {@code lines} lines of {@code length} pixels. */
  private static void blurLines(
      byte[] from, byte[] to, int radius, int length, int lines, int step, int lineStep) {
    for (int line = 0; line < lines; line++) {
      int base = line * lineStep;
      int sum = 0;
      int count = 0;
      for (int i = 0; i < Math.min(radius, length); i++) {
        sum += from[base + i * step] & 0xFF;
        count++;
      }
      for (int i = 0; i < length; i++) {
        int add = i + radius;
        if (add < length) {
          sum += from[base + add * step] & 0xFF;
          count++;
        }
        int drop = i - radius - 1;
        if (drop >= 0) {
          sum -= from[base + drop * step] & 0xFF;
          count--;
        }
        to[base + i * step] = (byte) (sum / count);
      }
    }
  }

  private static BufferedImage image(byte[] data) {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
    System.arraycopy(data, 0, pixels(img), 0, data.length);
    return img;
  }

  private static byte[] pixels(BufferedImage img) {
    return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
  }
}
