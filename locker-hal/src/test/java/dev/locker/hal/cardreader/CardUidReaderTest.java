package dev.locker.hal.cardreader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.serial.InMemorySerialLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Card-reader lines: only ISO 14443 UIDs pass; everything else is counted, never thrown. */
class CardUidReaderTest {

  @Test
  void uidsOfFourSevenAndTenBytesPassInEitherCase() {
    assertThat(CardUidReader.parseUid("04A1B2C3"))
        .hasValueSatisfying(b -> assertThat(b).containsExactly(0x04, 0xA1, 0xB2, 0xC3));
    assertThat(CardUidReader.parseUid("04a1b2c3d4e5f6"))
        .hasValueSatisfying(b -> assertThat(b).hasSize(7));
    assertThat(CardUidReader.parseUid("04A1B2C3D4E5F6071829"))
        .hasValueSatisfying(b -> assertThat(b).hasSize(10));
  }

  @Test
  void otherLinesAreNotUids() {
    for (String line :
        List.of("", "04A1B2C", "04A1B2C3D", "04A1B2G3", "0x04A1B2", "04 A1 B2 C3", "٠٤A1B2C3")) {
      assertThat(CardUidReader.parseUid(line)).as(line).isEmpty();
    }
  }

  /** The oracle: 8, 14 or 20 characters, each an ASCII hex digit. */
  private static boolean isUid(String text) {
    String t = text.strip();
    if (t.length() != 8 && t.length() != 14 && t.length() != 20) {
      return false;
    }
    return t.chars()
        .allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
  }

  @Test
  void randomAndMutatedLinesNeverThrowAndPassOnlyWhenTheyAreUids() {
    long seed = 0xCA2DL;
    Random random = new Random(seed);
    String alphabet = "0123456789ABCDEFabcdefGgXx :-\t\u00e9\u0660";
    for (int n = 0; n < 100_000; n++) {
      StringBuilder line = new StringBuilder();
      int length =
          random.nextBoolean() ? new int[] {8, 14, 20}[random.nextInt(3)] : random.nextInt(24);
      for (int i = 0; i < length; i++) {
        line.append(
            random.nextInt(10) < 8
                ? "0123456789ABCDEF".charAt(random.nextInt(16))
                : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = line.toString();
      assertThat(CardUidReader.parseUid(text).isPresent())
          .as("seed %d case %d: %s", seed, n, text)
          .isEqualTo(isUid(text));
    }
  }

  @Test
  void aReaderCountsEveryLineThatIsNotAUidInItsHealth() throws Exception {
    InMemorySerialLink[] wire = InMemorySerialLink.pair("card");
    List<DeviceHealth> health = new CopyOnWriteArrayList<>();
    List<String> cards = new CopyOnWriteArrayList<>();
    try (CardUidReader reader = new CardUidReader(wire[0], health::add)) {
      reader.start(uid -> cards.add(HexFormat.of().formatHex(uid)));
      wire[1].write("hello\r04A1B2C3\r".getBytes(StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (cards.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
    assertThat(cards).containsExactly("04a1b2c3");
    assertThat(health)
        .anySatisfy(
            h -> {
              assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
              assertThat(h.detail()).contains("not a card UID");
            });
  }
}
