package dev.locker.core.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cloud's side of command signing, for tests: a fresh Ed25519 key pair per signer (nothing is
 * committed), and envelopes built exactly as contracts/mqtt.md shows them.
 */
public final class CloudSigner {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final String kid;
  private final KeyPair pair;

  public CloudSigner(String kid) {
    this.kid = kid;
    try {
      this.pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
    }
  }

  public PublicKey publicKey() {
    return pair.getPublic();
  }

  /** A body as the cloud writes it. */
  public static String body(
      String cmdId,
      String lockerId,
      String type,
      Instant issuedAt,
      Instant expiresAt,
      Map<String, Object> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("v", 1);
    body.put("cmdId", cmdId);
    body.put("lockerId", lockerId);
    body.put("type", type);
    body.put("issuedAt", issuedAt.toString());
    body.put("expiresAt", expiresAt.toString());
    body.put("data", data);
    return write(body);
  }

  /** The envelope {@code {"kid", "body", "sig"}} of {@code body}, signed by this signer. */
  public String envelope(String body) {
    return envelope(kid, body, sign(body));
  }

  public static String envelope(String kid, String body, String sig) {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("kid", kid);
    envelope.put("body", body);
    envelope.put("sig", sig);
    return write(envelope);
  }

  public String sign(String body) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      s.update(body.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
