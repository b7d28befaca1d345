package dev.locker.core.application.port;

/**
 * The locker's signature on what it asks to be paid (a QR-pay code): Ed25519 under a key only this
 * locker holds; the cloud checks it with the public key the locker announces.
 */
public interface PaymentSigner {
  /** Names the key, so that the cloud picks the right public key. */
  String keyId();

  /** The public key, 32 bytes (RFC 8032), in base64. */
  String publicKey();

  /** The Ed25519 signature of {@code data}. */
  byte[] sign(byte[] data);
}
