package dev.locker.core.application;

import dev.locker.core.application.port.PaymentSigner;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.PaymentId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the QR code on the screen says when a recipient pays by QR: the payment, the amount and the
 * locker, until when, signed by the locker (Ed25519, {@link PaymentSigner}), so that the cloud and
 * the payment provider can trust it without asking the locker.
 *
 * <pre>
 * LKPAY1.{base64url(payload)}.{base64url(signature of the payload bytes)}
 * payload: v=1;k={keyId};p={paymentId};l={lockerId};a={amount};c={currency};e={expiresAt}
 * </pre>
 */
public record QrPayCode(
    PaymentId payment, String lockerId, Money amount, Instant expiresAt, String keyId) {
  private static final String PREFIX = "LKPAY1.";
  private static final byte[] ED25519_X509_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  public QrPayCode {
    Objects.requireNonNull(payment, "payment");
    Objects.requireNonNull(lockerId, "lockerId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(keyId, "keyId");
  }

  private String payload() {
    return "v=1;k="
        + keyId
        + ";p="
        + payment.value()
        + ";l="
        + lockerId
        + ";a="
        + amount.amount()
        + ";c="
        + amount.currency()
        + ";e="
        + expiresAt;
  }

  /** The text the QR code carries, signed by {@code signer}. */
  public String text(PaymentSigner signer) {
    byte[] payload = payload().getBytes(StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return PREFIX + b64.encodeToString(payload) + "." + b64.encodeToString(signer.sign(payload));
  }

  /**
   * The code {@code text} carries, if it is one, signed by the key {@code publicKey} (base64 of 32
   * bytes) and not expired at {@code now}. What the cloud does with a scanned code; never throws.
   */
  public static Optional<QrPayCode> verify(String text, String publicKey, Instant now) {
    if (text == null || !text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = text.substring(PREFIX.length()).split("\\.", -1);
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
      byte[] signature = Base64.getUrlDecoder().decode(parts[1]);
      byte[] raw = Base64.getDecoder().decode(publicKey);
      byte[] x509 = new byte[ED25519_X509_PREFIX.length + raw.length];
      System.arraycopy(ED25519_X509_PREFIX, 0, x509, 0, ED25519_X509_PREFIX.length);
      System.arraycopy(raw, 0, x509, ED25519_X509_PREFIX.length, raw.length);
      PublicKey key =
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(payload);
      if (!verifier.verify(signature)) {
        return Optional.empty();
      }
      Map<String, String> fields = new HashMap<>();
      for (String field : new String(payload, StandardCharsets.UTF_8).split(";", -1)) {
        int eq = field.indexOf('=');
        if (eq <= 0 || fields.put(field.substring(0, eq), field.substring(eq + 1)) != null) {
          return Optional.empty();
        }
      }
      if (!"1".equals(fields.get("v"))) {
        return Optional.empty();
      }
      QrPayCode code =
          new QrPayCode(
              new PaymentId(fields.get("p")),
              Objects.requireNonNull(fields.get("l")),
              new Money(Long.parseLong(fields.get("a")), fields.get("c")),
              Instant.parse(fields.get("e")),
              Objects.requireNonNull(fields.get("k")));
      return now.isAfter(code.expiresAt()) ? Optional.empty() : Optional.of(code);
    } catch (GeneralSecurityException
        | IllegalArgumentException
        | NullPointerException
        | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
