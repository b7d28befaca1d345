package dev.locker.core.domain;

import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PIN as the locker keeps it: an Argon2id hash in the PHC string format, {@code
 * $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}, salt and hash in unpadded
 * standard Base64 (the format of the reference implementation's {@code argon2_encode_string}).
 *
 * <p>{@link #parse} is strict: exactly that layout and parameter order, version 19 (1.3), decimal
 * numbers without leading zeros, canonical Base64, a salt of 16 to 64 bytes and a hash of 32 to 64
 * bytes. It refuses costs below OWASP's Password Storage Cheat Sheet minimum for Argon2id ({@code
 * m=19456, t=2, p=1}) as {@link Parsed.Weak}, and costs this board could not afford on every PIN
 * entry (more than {@link #MAX_MEMORY_KIB} KiB, {@link #MAX_ITERATIONS} iterations or {@link
 * #MAX_LANES} lanes) as {@link Parsed.Invalid}, so that a roster mistake cannot lock the locker
 * loop up. Immutable; {@link #toString} shows the costs only.
 */
public final class PinHash {
  /** OWASP Password Storage Cheat Sheet, Argon2id minimum: 19 MiB, 2 iterations, 1 lane. */
  public static final long MIN_MEMORY_KIB = 19_456;

  public static final long MIN_ITERATIONS = 2;
  public static final int MIN_LANES = 1;

  /** 1 GiB: a Pi-class board with 2 GB of memory still verifies a PIN. */
  public static final long MAX_MEMORY_KIB = 1L << 20;

  public static final long MAX_ITERATIONS = 32;
  public static final int MAX_LANES = 16;

  /** RFC 9106 §3.1 recommends a 16-byte salt and a 32-byte tag (our minimums). */
  static final int MIN_SALT_BYTES = 16;

  static final int MIN_HASH_BYTES = 32;
  static final int MAX_BYTES = 64;

  /** Longer than any hash with the bounds above. */
  private static final int MAX_LENGTH = 256;

  private static final String NUMBER = "(0|[1-9][0-9]{0,9})";
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v="
              + NUMBER
              + "\\$m="
              + NUMBER
              + ",t="
              + NUMBER
              + ",p="
              + NUMBER
              + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  private final String phc;
  private final long memoryKib;
  private final long iterations;
  private final int lanes;
  private final byte[] salt;
  private final byte[] hash;

  private PinHash(
      String phc, long memoryKib, long iterations, int lanes, byte[] salt, byte[] hash) {
    this.phc = phc;
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.lanes = lanes;
    this.salt = salt;
    this.hash = hash;
  }

  /** What {@link #parse} made of a text. */
  public sealed interface Parsed {
    /** A well-formed hash with acceptable costs. */
    record Valid(PinHash pinHash) implements Parsed {}

    /** Well-formed, but cheaper to brute-force than OWASP's minimum. */
    record Weak(String why) implements Parsed {}

    /** Not an Argon2id PHC string this locker accepts. */
    record Invalid(String why) implements Parsed {}
  }

  /** Parses {@code text}; never throws. {@code why} never repeats the salt or hash. */
  public static Parsed parse(String text) {
    if (text == null || text.length() > MAX_LENGTH) {
      return new Parsed.Invalid("not an Argon2id PHC string of at most " + MAX_LENGTH + " chars");
    }
    Matcher m = PHC.matcher(text);
    if (!m.matches()) {
      return new Parsed.Invalid(
          "not of the form $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>");
    }
    long version = Long.parseLong(m.group(1));
    long memory = Long.parseLong(m.group(2));
    long iterations = Long.parseLong(m.group(3));
    long lanes = Long.parseLong(m.group(4));
    if (version != 19) {
      return new Parsed.Invalid("Argon2 version " + version + ", only 19 (1.3) is accepted");
    }
    byte[] salt = base64(m.group(5));
    byte[] hash = base64(m.group(6));
    if (salt == null || hash == null) {
      return new Parsed.Invalid("salt and hash must be canonical unpadded Base64");
    }
    if (salt.length < MIN_SALT_BYTES || salt.length > MAX_BYTES) {
      return new Parsed.Invalid(
          "a salt of "
              + salt.length
              + " bytes, "
              + MIN_SALT_BYTES
              + " to "
              + MAX_BYTES
              + " wanted");
    }
    if (hash.length < MIN_HASH_BYTES || hash.length > MAX_BYTES) {
      return new Parsed.Invalid(
          "a hash of "
              + hash.length
              + " bytes, "
              + MIN_HASH_BYTES
              + " to "
              + MAX_BYTES
              + " wanted");
    }
    if (memory < MIN_MEMORY_KIB || iterations < MIN_ITERATIONS || lanes < MIN_LANES) {
      return new Parsed.Weak(
          "m="
              + memory
              + ",t="
              + iterations
              + ",p="
              + lanes
              + " is below m="
              + MIN_MEMORY_KIB
              + ",t="
              + MIN_ITERATIONS
              + ",p="
              + MIN_LANES);
    }
    if (memory > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || lanes > MAX_LANES) {
      return new Parsed.Invalid(
          "m="
              + memory
              + ",t="
              + iterations
              + ",p="
              + lanes
              + " costs more than this locker can verify (at most m="
              + MAX_MEMORY_KIB
              + ",t="
              + MAX_ITERATIONS
              + ",p="
              + MAX_LANES
              + ")");
    }
    if (memory < 8 * lanes) {
      return new Parsed.Invalid("Argon2 needs m >= 8 * p (RFC 9106 §3.1)");
    }
    return new Parsed.Valid(new PinHash(text, memory, iterations, (int) lanes, salt, hash));
  }

  /** Unpadded standard Base64, canonical (unused trailing bits zero); null when it is not. */
  private static byte[] base64(String text) {
    if (text.length() % 4 == 1) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return Base64.getEncoder().withoutPadding().encodeToString(bytes).equals(text) ? bytes : null;
  }

  /** The PHC string, as stored. */
  public String phc() {
    return phc;
  }

  public long memoryKib() {
    return memoryKib;
  }

  public long iterations() {
    return iterations;
  }

  public int lanes() {
    return lanes;
  }

  public byte[] salt() {
    return salt.clone();
  }

  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PinHash other && other.phc.equals(phc);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phc);
  }

  /** The costs only. */
  @Override
  public String toString() {
    return "PinHash[argon2id m=" + memoryKib + ",t=" + iterations + ",p=" + lanes + "]";
  }
}
