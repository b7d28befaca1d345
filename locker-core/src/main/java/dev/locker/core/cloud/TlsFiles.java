package dev.locker.core.cloud;

import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The locker's TLS material for the cloud link (contracts/mqtt.md "Connection"), as PEM files: the
 * pinned CA certificate(s) that alone are trusted to sign the broker's certificate (the JDK's
 * cacerts are not consulted), the locker's client certificate chain (its own certificate first),
 * and the client's unencrypted private key (PKCS#8 {@code PRIVATE KEY}, or traditional {@code EC
 * PRIVATE KEY} / {@code RSA PRIVATE KEY}).
 *
 * <p>{@link #load} reads them with bcpkix on the JDK's own providers (BouncyCastle is not
 * registered as a JCE provider) and refuses, naming the file, anything the TLS handshake would
 * later fail on in a less readable way: a missing or unreadable file, no PEM in it, an encrypted
 * key, a key that does not belong to the certificate, a certificate expired or not yet valid. No
 * message carries key material. The connections it makes speak TLSv1.3 or TLSv1.2, nothing older.
 *
 * @param caCertificates PEM file with one or more CA certificates to trust
 * @param clientCertificates PEM file with the locker's certificate, then any intermediates
 * @param clientKey PEM file with the private key of the locker's certificate
 */
public record TlsFiles(Path caCertificates, Path clientCertificates, Path clientKey) {

  /** The only protocols the link offers (reliability-security.md: TLS 1.2+). */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  public TlsFiles {
    Objects.requireNonNull(caCertificates, "caCertificates");
    Objects.requireNonNull(clientCertificates, "clientCertificates");
    Objects.requireNonNull(clientKey, "clientKey");
  }

  /** What {@link #load} made of the files. */
  public sealed interface Result {
    /** Usable: the socket factory for the link, and the certificate it presents. */
    record Ready(SSLSocketFactory socketFactory, X509Certificate clientCertificate)
        implements Result {}

    /** Not usable: {@code file} is the one at fault, {@code reason} says how. */
    record Refused(Path file, String reason) implements Result {
      @Override
      public String toString() {
        return file + ": " + reason;
      }
    }
  }

  /** Reads, checks and combines the three files; {@code clock} decides what "expired" means. */
  public Result load(Clock clock) {
    try {
      List<X509Certificate> trusted = certificates(caCertificates, "CA certificate", clock);
      List<X509Certificate> chain = certificates(clientCertificates, "client certificate", clock);
      PrivateKey key = privateKey(clientKey);
      ensureKeyMatches(key, chain.get(0));
      return new Result.Ready(socketFactory(trusted, chain, key), chain.get(0));
    } catch (Unusable e) {
      return new Result.Refused(e.file, e.getMessage());
    }
  }

  private static List<X509Certificate> certificates(Path file, String what, Clock clock)
      throws Unusable {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader reader = open(file);
        PEMParser pem = new PEMParser(reader)) {
      Object object;
      while ((object = pem.readObject()) != null) {
        if (!(object instanceof X509CertificateHolder holder)) {
          throw new Unusable(
              file,
              "expected only CERTIFICATE blocks in the " + what + " file, found " + kind(object));
        }
        certificates.add(converter.getCertificate(holder));
      }
    } catch (IOException | CertificateException e) {
      throw new Unusable(file, "is not a readable PEM " + what + " file (" + brief(e) + ")");
    }
    if (certificates.isEmpty()) {
      throw new Unusable(file, "holds no PEM " + what + " (-----BEGIN CERTIFICATE-----)");
    }
    Date now = Date.from(clock.instant());
    for (X509Certificate certificate : certificates) {
      String subject = certificate.getSubjectX500Principal().getName();
      try {
        certificate.checkValidity(now);
      } catch (CertificateExpiredException e) {
        throw new Unusable(
            file, what + " '" + subject + "' expired at " + certificate.getNotAfter().toInstant());
      } catch (CertificateNotYetValidException e) {
        throw new Unusable(
            file,
            what
                + " '"
                + subject
                + "' is not valid before "
                + certificate.getNotBefore().toInstant()
                + " (is the clock right?)");
      }
    }
    return certificates;
  }

  private static PrivateKey privateKey(Path file) throws Unusable {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader reader = open(file);
        PEMParser pem = new PEMParser(reader)) {
      Object object;
      while ((object = pem.readObject()) != null) {
        if (object instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMEncryptedKeyPair
            || object instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new Unusable(
              file,
              "holds an encrypted private key; the link needs it unencrypted (protect the file"
                  + " by its permissions)");
        }
        // Anything else (EC PARAMETERS before a traditional EC key, say) is passed over.
      }
    } catch (IOException e) {
      // The parser's own message may quote the key's bytes: it is not repeated.
      throw new Unusable(file, "is not a readable PEM private key");
    }
    throw new Unusable(
        file, "holds no PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
  }

  /**
   * Signs a nonce with the key and verifies it with the certificate: works for every key type the
   * JDK knows, without comparing key internals.
   */
  private void ensureKeyMatches(PrivateKey key, X509Certificate certificate) throws Unusable {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default ->
              throw new Unusable(
                  clientKey,
                  "holds a " + key.getAlgorithm() + " key; the link takes EC, RSA or Ed25519");
        };
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(nonce);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(nonce);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // A key of one type against a certificate of another lands here.
      matches = false;
    }
    if (!matches) {
      throw new Unusable(
          clientKey,
          "private key does not belong to the client certificate '"
              + certificate.getSubjectX500Principal().getName()
              + "' in "
              + clientCertificates);
    }
  }

  private SSLSocketFactory socketFactory(
      List<X509Certificate> trusted, List<X509Certificate> chain, PrivateKey key) throws Unusable {
    try {
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      for (int i = 0; i < trusted.size(); i++) {
        trustStore.setCertificateEntry("ca-" + i, trusted.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(trustStore);

      // An in-memory store only: the password protects nothing and is never written anywhere.
      char[] password = "in-memory".toCharArray();
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("locker", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, password);

      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
      return new DecoratingSslSocketFactory(context.getSocketFactory(), TlsFiles::restrict);
    } catch (GeneralSecurityException | IOException e) {
      throw new Unusable(clientKey, "cannot build the TLS context (" + brief(e) + ")");
    }
  }

  private static Reader open(Path file) throws Unusable {
    try {
      return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new Unusable(file, "file not found");
    } catch (AccessDeniedException e) {
      throw new Unusable(file, "cannot be read (permission denied)");
    } catch (IOException e) {
      throw new Unusable(file, "cannot be read (" + brief(e) + ")");
    }
  }

  private static String kind(Object pemObject) {
    if (pemObject instanceof PEMKeyPair
        || pemObject instanceof PrivateKeyInfo
        || pemObject instanceof PEMEncryptedKeyPair
        || pemObject instanceof PKCS8EncryptedPrivateKeyInfo) {
      return "a private key";
    }
    return "a " + pemObject.getClass().getSimpleName();
  }

  private static String brief(Exception e) {
    return Optional.ofNullable(e.getMessage())
        .map(message -> e.getClass().getSimpleName() + ": " + message)
        .orElse(e.getClass().getSimpleName());
  }

  /** A failure found while loading, with the file it concerns. */
  private static final class Unusable extends Exception {
    private final transient Path file;

    Unusable(Path file, String reason) {
      super(reason, null, false, false);
      this.file = file;
    }
  }

  /**
   * Enables only {@link #PROTOCOLS} on a socket of the context (every form of createSocket goes
   * through it, also Paho's unconnected one).
   */
  private static Socket restrict(Socket socket) {
    if (socket instanceof SSLSocket ssl) {
      ssl.setEnabledProtocols(PROTOCOLS.toArray(String[]::new));
    }
    return socket;
  }
}
