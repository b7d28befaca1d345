package dev.locker.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cloud section: which keys may sign commands, and how many remote opens are allowed. */
class CloudConfigTest {

  private static String freshPublicKey() throws Exception {
    byte[] spki =
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    return Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, 12, 44));
  }

  private static String withCloud(String cloud) {
    return ConfigLoaderTest.MINIMAL + "cloud:\n" + cloud.indent(2);
  }

  private static ConfigLoader.Result parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml");
  }

  private static List<String> problems(String yaml) {
    ConfigLoader.Result result = parse(yaml);
    assertThat(result).isInstanceOf(ConfigLoader.Result.Invalid.class);
    return ((ConfigLoader.Result.Invalid) result)
        .problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void commandKeysAndTheRemoteOpenLimitAreRead() throws Exception {
    String current = freshPublicKey();
    String next = freshPublicKey();
    ConfigLoader.Result result =
        parse(
            withCloud(
                "brokerUrl: tcp://127.0.0.1:1883\n"
                    + "insecurePlaintext: true\n"
                    + "commandKeys:\n"
                    + "  - {kid: cloud-2026-1, publicKey: \""
                    + current
                    + "\"}\n"
                    + "  - {kid: cloud-2027-1, publicKey: \""
                    + next
                    + "\"}\n"
                    + "remoteOpenLimit: {count: 5, per: 15m}\n"));
    LockerConfig.Cloud cloud = ((ConfigLoader.Result.Loaded) result).config().cloud().orElseThrow();

    assertThat(cloud.commandKeys()).containsOnlyKeys("cloud-2026-1", "cloud-2027-1");
    assertThat(cloud.remoteOpens()).isEqualTo(5);
    assertThat(cloud.remoteOpenWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(cloud.commandMaxLifetime()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void withoutKeysOrLimitsTheDefaultsAreNoKeysAndThreeOpensInTenMinutes() {
    LockerConfig.Cloud cloud =
        ((ConfigLoader.Result.Loaded)
                parse(withCloud("brokerUrl: tcp://127.0.0.1:1883\ninsecurePlaintext: true\n")))
            .config()
            .cloud()
            .orElseThrow();
    assertThat(cloud.commandKeys()).isEmpty();
    assertThat(cloud.remoteOpens()).isEqualTo(3);
    assertThat(cloud.remoteOpenWindow()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void badKeysAndLimitsAreEachReportedWithTheirPath() throws Exception {
    String key = freshPublicKey();
    assertThat(
            problems(
                withCloud(
                    "brokerUrl: tcp://127.0.0.1:1883\n"
                        + "insecurePlaintext: true\n"
                        + "commandKeys:\n"
                        + "  - {kid: a, publicKey: \""
                        + key
                        + "\"}\n"
                        + "  - {kid: a, publicKey: \""
                        + key
                        + "\"}\n"
                        + "  - {kid: b, publicKey: \"AAAA\"}\n"
                        + "  - {kid: c}\n"
                        + "remoteOpenLimit: {count: 0, per: 1s}\n")))
        .containsExactlyInAnyOrder(
            "cloud.commandKeys[1].kid: duplicate key id a",
            "cloud.commandKeys[2].publicKey: key b is not an Ed25519 public key (32 bytes, or its"
                + " X.509 encoding)",
            "cloud.commandKeys[3].publicKey: is required",
            "cloud.remoteOpenLimit.count: must be between 1 and 100, was 0",
            "cloud.remoteOpenLimit.per: must be between 10s and 1d, was 1s");
  }
}
