package dev.locker.core.testing.mqtt;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway certificate authority made at test run time with bcpkix (on the JDK's own providers,
 * BouncyCastle is not registered): a CA certificate, a server certificate for 127.0.0.1 and
 * localhost, and client certificates, each written as PEM files into the folder given to {@link
 * #create} (a {@code @TempDir}). Nothing it makes is meant to outlive the test.
 */
public final class TestPki {
  private static final Duration VALIDITY = Duration.ofDays(2);
  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xffffffL);

  /** How a private key is written. */
  public enum KeyFormat {
    /** {@code -----BEGIN PRIVATE KEY-----}. */
    PKCS8,
    /** {@code -----BEGIN EC PRIVATE KEY-----} or {@code -----BEGIN RSA PRIVATE KEY-----}. */
    TRADITIONAL
  }

  /** The key algorithm of an issued certificate. */
  public enum KeyType {
    EC_P256,
    RSA_2048
  }

  /** A certificate and its private key, as PEM files. */
  public record Issued(Path certificate, Path key, X509Certificate x509) {}

  private final Path folder;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final Path caFile;

  private TestPki(
      Path folder, String name, KeyPair caKeys, X509Certificate caCertificate, Path caFile) {
    this.folder = folder;
    this.name = name;
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
    this.caFile = caFile;
  }

  /** A new CA named {@code name}, its certificate written to {@code folder/name-ca.pem}. */
  public static TestPki create(Path folder, String name) throws IOException {
    try {
      Files.createDirectories(folder);
      KeyPair keys = keyPair(KeyType.EC_P256);
      X500Name subject = new X500Name("CN=" + name + " test CA");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              subject,
              keys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate = sign(builder, keys.getPrivate());
      Path file = folder.resolve(name + "-ca.pem");
      writePem(file, certificate);
      return new TestPki(folder, name, keys, certificate, file);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make test CA " + name, e);
    }
  }

  /** The CA certificate's PEM file. */
  public Path caCertificate() {
    return caFile;
  }

  public X509Certificate caX509() {
    return caCertificate;
  }

  /** A server certificate for 127.0.0.1 and localhost (EC P-256, traditional key PEM). */
  public Issued server() throws IOException {
    GeneralNames names =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost")
            });
    Instant now = Instant.now();
    return issue(
        "server",
        "localhost",
        KeyType.EC_P256,
        KeyFormat.TRADITIONAL,
        now.minus(Duration.ofHours(1)),
        now.plus(VALIDITY),
        KeyPurposeId.id_kp_serverAuth,
        names);
  }

  /** A client certificate for {@code commonName}, valid now (EC P-256, PKCS#8 key PEM). */
  public Issued client(String commonName) throws IOException {
    Instant now = Instant.now();
    return client(
        commonName,
        KeyType.EC_P256,
        KeyFormat.PKCS8,
        now.minus(Duration.ofHours(1)),
        now.plus(VALIDITY));
  }

  /** A client certificate for {@code commonName} with the given key and validity. */
  public Issued client(
      String commonName, KeyType type, KeyFormat format, Instant notBefore, Instant notAfter)
      throws IOException {
    return issue(
        "client-" + commonName + "-" + type + "-" + format + "-" + SERIALS.incrementAndGet(),
        commonName,
        type,
        format,
        notBefore,
        notAfter,
        KeyPurposeId.id_kp_clientAuth,
        null);
  }

  private Issued issue(
      String fileStem,
      String commonName,
      KeyType type,
      KeyFormat format,
      Instant notBefore,
      Instant notAfter,
      KeyPurposeId purpose,
      GeneralNames altNames)
      throws IOException {
    try {
      KeyPair keys = keyPair(type);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              caCertificate,
              serial(),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name("CN=" + commonName),
              keys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(caKeys.getPublic()));
      if (altNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames);
      }
      X509Certificate certificate = sign(builder, caKeys.getPrivate());
      Path certificateFile = folder.resolve(name + "-" + fileStem + ".pem");
      Path keyFile = folder.resolve(name + "-" + fileStem + ".key");
      writePem(certificateFile, certificate);
      writeKey(keyFile, keys.getPrivate(), format);
      return new Issued(certificateFile, keyFile, certificate);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot issue test certificate " + fileStem, e);
    }
  }

  private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
    return switch (type) {
      case EC_P256 -> {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        yield generator.generateKeyPair();
      }
      case RSA_2048 -> {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        yield generator.generateKeyPair();
      }
    };
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws OperatorCreationException, GeneralSecurityException {
    String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  /** Writes one object as PEM; also used by tests that build broken files. */
  public static void writePem(Path file, Object pemObject) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(pemObject);
    }
  }

  /**
   * The JDK encodes an EC key's curve only in the PKCS#8 wrapper; OpenSSL's traditional form (RFC
   * 5915) carries it, and the public key, inside: that is what a locker's key file holds.
   */
  private static ECPrivateKey traditionalEc(PrivateKey key) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    return new ECPrivateKey(
        256, inner.getKey(), null, info.getPrivateKeyAlgorithm().getParameters());
  }

  private static void writeKey(Path file, PrivateKey key, KeyFormat format) throws IOException {
    switch (format) {
      case TRADITIONAL -> {
        if (key.getAlgorithm().equals("EC")) {
          writePem(file, new PemObject("EC PRIVATE KEY", traditionalEc(key).getEncoded()));
        } else {
          writePem(file, key);
        }
      }
      case PKCS8 -> writePem(file, new JcaPKCS8Generator(key, null));
    }
  }
}
