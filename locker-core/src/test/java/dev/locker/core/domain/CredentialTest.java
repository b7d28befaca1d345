package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may sign in: the rules a credential keeps, and a text that never shows its hashes. */
class CredentialTest {
  private static final String CARD =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String PIN =
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
          + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void itsTextNamesTheFactorsButNeverTheHashes() {
    Credential technician =
        new Credential(
            Credential.Role.TECHNICIAN, "tech-3", Optional.of(CARD), Optional.of(PIN), AT);

    assertThat(technician.toString())
        .isEqualTo("Credential[technician tech-3, card=yes, pin=yes, updated " + AT + "]")
        .doesNotContain(CARD, "argon2id");
  }

  @Test
  void aTechnicianHasCardAndPinAndACourierAtLeastOne() {
    assertThatThrownBy(
            () ->
                new Credential(
                    Credential.Role.TECHNICIAN, "tech-3", Optional.of(CARD), Optional.empty(), AT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Credential(
                    Credential.Role.COURIER, "c-1", Optional.empty(), Optional.empty(), AT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            new Credential(Credential.Role.COURIER, "c-1", Optional.empty(), Optional.of(PIN), AT)
                .pinHash())
        .contains(PIN);
  }

  @Test
  void idsAndCardHashesHaveTheContractsShape() {
    assertThat(Credential.isId("courier.7_A-b")).isTrue();
    assertThat(Credential.isId("x".repeat(40))).isTrue();
    assertThat(Credential.isId("x".repeat(41))).isFalse();
    assertThat(Credential.isId("")).isFalse();
    assertThat(Credential.isId("a b")).isFalse();
    assertThat(Credential.isCardHash(CARD)).isTrue();
    assertThat(Credential.isCardHash(CARD.toUpperCase())).isFalse();
    assertThatThrownBy(
            () ->
                new Credential(
                    Credential.Role.COURIER, "c-1", Optional.of("abc"), Optional.empty(), AT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rolesAreReadFromTheContractsWords() {
    assertThat(Credential.Role.fromWire("courier")).contains(Credential.Role.COURIER);
    assertThat(Credential.Role.fromWire("technician")).contains(Credential.Role.TECHNICIAN);
    assertThat(Credential.Role.fromWire("COURIER")).isEmpty();
  }
}
