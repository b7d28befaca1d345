package dev.locker.core.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.testing.mqtt.TestPki;
import dev.locker.core.testing.mqtt.TestPki.Issued;
import dev.locker.core.testing.mqtt.TestPki.KeyFormat;
import dev.locker.core.testing.mqtt.TestPki.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cloud link's PEM files: what loads, and a specific refusal naming the file otherwise. */
class TlsFilesTest {
  private static final Instant NOW = Instant.now();
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path folder;
  private TestPki pki;
  private Issued locker;

  @BeforeEach
  void makePki() throws Exception {
    pki = TestPki.create(folder, "fleet");
    locker = pki.client("LCK-0001");
  }

  @ParameterizedTest(name = "{0} key as {1}")
  @CsvSource({"EC_P256, PKCS8", "EC_P256, TRADITIONAL", "RSA_2048, PKCS8", "RSA_2048, TRADITIONAL"})
  void pinnedCaClientCertificateAndKey_load(KeyType type, KeyFormat format) throws Exception {
    Issued client = pki.client("LCK-0001", type, format, hoursAgo(1), NOW.plus(Duration.ofDays(1)));

    TlsFiles.Result result = files(pki.caCertificate(), client).load(CLOCK);

    assertThat(result)
        .isInstanceOfSatisfying(
            TlsFiles.Result.Ready.class,
            ready -> {
              assertThat(ready.clientCertificate().getSubjectX500Principal().getName())
                  .isEqualTo("CN=LCK-0001");
              assertThat(ready.socketFactory()).isNotNull();
            });
  }

  @Test
  void socketsOfTheFactory_offerOnlyTls13AndTls12() throws Exception {
    TlsFiles.Result.Ready ready = ready(files(pki.caCertificate(), locker));

    try (SSLSocket socket = (SSLSocket) ready.socketFactory().createSocket()) {
      assertThat(socket.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }
  }

  @Test
  void severalPinnedCas_inOneFile_load() throws Exception {
    TestPki next = TestPki.create(folder, "next");
    Path both = folder.resolve("both-cas.pem");
    Files.writeString(
        both,
        Files.readString(pki.caCertificate()) + Files.readString(next.caCertificate()),
        StandardCharsets.US_ASCII);

    assertThat(files(both, locker).load(CLOCK)).isInstanceOf(TlsFiles.Result.Ready.class);
  }

  @Test
  void missingCaFile_isRefusedNamingIt() {
    Path missing = folder.resolve("no-such-ca.pem");

    assertRefused(files(missing, locker), missing, "file not found");
  }

  @Test
  void caFileThatIsNotPem_isRefusedNamingIt() throws Exception {
    Path notPem = Files.writeString(folder.resolve("ca.txt"), "this is not a certificate\n");

    assertRefused(files(notPem, locker), notPem, "holds no PEM CA certificate");
  }

  @Test
  void caFileHoldingAKey_isRefused() throws Exception {
    assertRefused(
        files(locker.key(), locker),
        locker.key(),
        "expected only CERTIFICATE blocks in the CA certificate file, found a private key");
  }

  @Test
  void brokenBase64InACertificate_isRefusedNamingTheFile() throws Exception {
    Path broken =
        Files.writeString(
            folder.resolve("broken.pem"),
            "-----BEGIN CERTIFICATE-----\nMIIB!!!not*base64\n-----END CERTIFICATE-----\n");

    assertRefused(files(pki.caCertificate(), broken, locker.key()), broken, "not a readable PEM");
  }

  @Test
  void missingKeyFile_isRefusedNamingIt() {
    Path missing = folder.resolve("no-such.key");

    assertRefused(
        files(pki.caCertificate(), locker.certificate(), missing), missing, "file not found");
  }

  @Test
  void keyFileHoldingOnlyACertificate_isRefused() {
    assertRefused(
        files(pki.caCertificate(), locker.certificate(), locker.certificate()),
        locker.certificate(),
        "holds no PEM private key");
  }

  @Test
  void corruptKey_isRefusedWithoutQuotingIt() throws Exception {
    List<String> lines = Files.readAllLines(locker.key());
    String secretLine = lines.get(1);
    lines.set(1, secretLine.substring(0, 20) + "%%%" + secretLine.substring(23));
    Path corrupt = Files.write(folder.resolve("corrupt.key"), lines);

    TlsFiles.Result.Refused refused =
        refused(files(pki.caCertificate(), locker.certificate(), corrupt));

    assertThat(refused.file()).isEqualTo(corrupt);
    assertThat(refused.reason()).isEqualTo("is not a readable PEM private key");
  }

  @Test
  void encryptedKey_isRefused() throws Exception {
    Path encrypted = folder.resolve("encrypted.key");
    TestPki.writePem(encrypted, encryptedPkcs8());

    assertRefused(
        files(pki.caCertificate(), locker.certificate(), encrypted),
        encrypted,
        "holds an encrypted private key");
  }

  @Test
  void keyOfAnotherCertificate_isRefusedNamingTheKeyAndTheCertificate() throws Exception {
    Issued other = pki.client("LCK-0002");

    TlsFiles.Result.Refused refused =
        refused(files(pki.caCertificate(), locker.certificate(), other.key()));

    assertThat(refused.file()).isEqualTo(other.key());
    assertThat(refused.reason())
        .contains("private key does not belong to the client certificate 'CN=LCK-0001'")
        .contains(locker.certificate().toString());
  }

  @Test
  void rsaKeyForAnEcCertificate_isRefused() throws Exception {
    Issued rsa =
        pki.client(
            "LCK-0001", KeyType.RSA_2048, KeyFormat.PKCS8, hoursAgo(1), NOW.plusSeconds(3600));

    assertRefused(
        files(pki.caCertificate(), locker.certificate(), rsa.key()),
        rsa.key(),
        "does not belong to the client certificate");
  }

  @Test
  void expiredClientCertificate_isRefusedWithItsEnd() throws Exception {
    Instant end = hoursAgo(1);
    Issued expired = pki.client("LCK-0001", KeyType.EC_P256, KeyFormat.PKCS8, hoursAgo(48), end);

    assertRefused(
        files(pki.caCertificate(), expired),
        expired.certificate(),
        "client certificate 'CN=LCK-0001' expired at " + end.truncatedTo(ChronoUnit.SECONDS));
  }

  @Test
  void clientCertificateNotYetValid_isRefusedHintingAtTheClock() throws Exception {
    Issued future =
        pki.client(
            "LCK-0001",
            KeyType.EC_P256,
            KeyFormat.PKCS8,
            NOW.plus(Duration.ofDays(1)),
            NOW.plus(Duration.ofDays(2)));

    assertRefused(files(pki.caCertificate(), future), future.certificate(), "is the clock right?");
  }

  @Test
  void expiredCa_isRefusedNamingTheCaFile() {
    Clock muchLater = Clock.offset(CLOCK, Duration.ofDays(30));

    TlsFiles.Result.Refused refused = refused(files(pki.caCertificate(), locker), muchLater);

    assertThat(refused.file()).isEqualTo(pki.caCertificate());
    assertThat(refused.reason()).startsWith("CA certificate 'CN=fleet test CA' expired at");
  }

  @Test
  void noRefusal_quotesKeyMaterial() throws Exception {
    String keyBody = Files.readAllLines(locker.key()).get(1);
    Issued other = pki.client("LCK-0002");

    for (TlsFiles files :
        List.of(
            files(locker.key(), locker),
            files(pki.caCertificate(), locker.certificate(), other.key()),
            files(pki.caCertificate(), locker.key(), locker.key()))) {
      assertThat(refused(files).toString()).doesNotContain(keyBody.substring(0, 16));
    }
  }

  private static TlsFiles files(Path ca, Issued client) {
    return new TlsFiles(ca, client.certificate(), client.key());
  }

  private static TlsFiles files(Path ca, Path certificate, Path key) {
    return new TlsFiles(ca, certificate, key);
  }

  private static TlsFiles.Result.Ready ready(TlsFiles files) {
    TlsFiles.Result result = files.load(CLOCK);
    assertThat(result).isInstanceOf(TlsFiles.Result.Ready.class);
    return (TlsFiles.Result.Ready) result;
  }

  private static TlsFiles.Result.Refused refused(TlsFiles files) {
    return refused(files, CLOCK);
  }

  private static TlsFiles.Result.Refused refused(TlsFiles files, Clock clock) {
    TlsFiles.Result result = files.load(clock);
    assertThat(result).isInstanceOf(TlsFiles.Result.Refused.class);
    return (TlsFiles.Result.Refused) result;
  }

  private static void assertRefused(TlsFiles files, Path file, String reason) {
    TlsFiles.Result.Refused refused = refused(files);
    assertThat(refused.file()).as(refused.toString()).isEqualTo(file);
    assertThat(refused.reason()).contains(reason);
    assertThat(refused.toString()).startsWith(file.toString());
  }

  private static Instant hoursAgo(int hours) {
    return NOW.minus(Duration.ofHours(hours));
  }

  /** An {@code ENCRYPTED PRIVATE KEY} block: its content is never decrypted, so random will do. */
  private static PemObject encryptedPkcs8() throws IOException {
    byte[] ciphertext = new byte[64];
    new SecureRandom().nextBytes(ciphertext);
    EncryptedPrivateKeyInfo info =
        new EncryptedPrivateKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2), ciphertext);
    return new PemObject("ENCRYPTED PRIVATE KEY", info.getEncoded());
  }
}
