package dev.locker.core.cloud;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cloud's Ed25519 public keys that commands may be signed with, by key id ({@code kid}).
 * Several keys at once let the operator rotate: sign with the new key once every locker has it,
 * then remove the old one. Immutable.
 */
public final class CommandKeys {
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): a raw key follows it. */
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  private final Map<String, PublicKey> keys;

  private CommandKeys(Map<String, PublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  /** No keys: every command is refused as {@code bad_signature}. */
  public static CommandKeys none() {
    return new CommandKeys(Map.of());
  }

  /**
   * Keys from base64 text: a raw 32-byte Ed25519 key or its X.509 SubjectPublicKeyInfo.
   *
   * @throws IllegalArgumentException naming the key id whose key is not an Ed25519 public key
   */
  public static CommandKeys of(Map<String, String> base64ByKid) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    base64ByKid.forEach((kid, text) -> keys.put(kid, parse(kid, text)));
    return new CommandKeys(keys);
  }

  /** Keys already decoded (tests, provisioning). */
  public static CommandKeys ofKeys(Map<String, PublicKey> keys) {
    keys.forEach(
        (kid, key) -> {
          if (!key.getAlgorithm().equals("Ed25519") && !key.getAlgorithm().equals("EdDSA")) {
            throw new IllegalArgumentException("key " + kid + " is not an Ed25519 key");
          }
        });
    return new CommandKeys(keys);
  }

  /** Parses one key; the message of a failure names the key id, never the key bytes. */
  public static PublicKey parse(String kid, String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key " + kid + " is not base64");
    }
    byte[] spki = bytes;
    if (bytes.length == 32) {
      spki = new byte[ED25519_SPKI_PREFIX.length + 32];
      System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
      System.arraycopy(bytes, 0, spki, ED25519_SPKI_PREFIX.length, 32);
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "key " + kid + " is not an Ed25519 public key (32 bytes, or its X.509 encoding)");
    }
  }

  public Optional<PublicKey> key(String kid) {
    return Optional.ofNullable(keys.get(kid));
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }
}
