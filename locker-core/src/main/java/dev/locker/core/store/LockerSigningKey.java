package dev.locker.core.store;

import dev.locker.core.application.port.PaymentSigner;
import dev.locker.core.domain.KeyedHash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The locker's Ed25519 signing key, derived from its secret ({@link LockerSecret}) under the label
 * {@code qr-pay-signing-key}: nothing more to store or lose, and a new secret means a new key. Its
 * id is {@code locker-} and the first 8 hex digits of the SHA-256 of the public key.
 */
public final class LockerSigningKey implements PaymentSigner {
  private final Ed25519PrivateKeyParameters privateKey;
  private final byte[] publicKey;
  private final String keyId;

  public LockerSigningKey(byte[] secret) {
    byte[] seed =
        HexFormat.of().parseHex(new KeyedHash(secret, "qr-pay-signing-key").hash(new byte[0]));
    this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
    Ed25519PublicKeyParameters pub = privateKey.generatePublicKey();
    this.publicKey = pub.getEncoded();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
      this.keyId = "locker-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public String publicKey() {
    return Base64.getEncoder().encodeToString(publicKey);
  }

  @Override
  public byte[] sign(byte[] data) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(data, 0, data.length);
    return signer.generateSignature();
  }

  /** Never the key. */
  @Override
  public String toString() {
    return "LockerSigningKey[" + keyId + "]";
  }
}
