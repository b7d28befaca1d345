package dev.locker.hal.camera;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A camera seen as a series of still frames. {@link #grab()} blocks until it has one frame or knows
 * why it has none; it never throws for a device failure. Implementations say whether they may be
 * grabbed from several threads; {@link CameraScanner} grabs from one.
 */
public interface FrameSource {

  /** Takes one frame. Blocking, bounded by the implementation's own timeout. */
  Grab grab();

  /** What this source is, for health reports, for example {@code "rpicam-still"}. */
  String name();

  /** The outcome of one grab. */
  sealed interface Grab {
    /** A frame. The image belongs to the caller. */
    record Frame(BufferedImage image) implements Grab {
      public Frame {
        Objects.requireNonNull(image, "image");
      }
    }

    /** No frame, and why, in words a technician can act on. */
    record Failed(String reason) implements Grab {
      public Failed {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }
}
