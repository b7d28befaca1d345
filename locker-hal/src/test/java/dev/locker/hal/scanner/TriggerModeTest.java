package dev.locker.hal.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.hal.cardreader.CardUidReader;
import org.junit.jupiter.api.Test;

/** Trigger commands as bytes (device-protocols.md §3.1), and card UID lines. */
class TriggerModeTest {

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void honeywellActivateAndDeactivate() {
    assertThat(TriggerMode.HONEYWELL.command(true)).isEqualTo(bytes(0x16, 0x54, 0x0D)); // SYN T CR
    assertThat(TriggerMode.HONEYWELL.command(false)).isEqualTo(bytes(0x16, 0x55, 0x0D)); // SYN U CR
  }

  @Test
  void zebraSsiStartAndStopDecode() {
    assertThat(TriggerMode.ZEBRA_SSI.command(true))
        .isEqualTo(
            bytes(
                0x04, // LEN, without the checksum
                0xE4, // START_DECODE
                0x04, // SRC: host
                0x00, // STATUS
                0xFF, 0x14)); // two's complement of the byte sum
    assertThat(TriggerMode.ZEBRA_SSI.command(false))
        .isEqualTo(bytes(0x04, 0xE5, 0x04, 0x00, 0xFF, 0x13));
  }

  @Test
  void aContinuousScannerNeedsNoCommand() {
    assertThat(TriggerMode.NONE.command(true)).isEmpty();
  }

  @Test
  void cardUidsAreFourSevenOrTenBytesOfHex() {
    assertThat(CardUidReader.parseUid("04A1B2C3"))
        .hasValueSatisfying(b -> assertThat(b).hasSize(4));
    assertThat(CardUidReader.parseUid("04a1b2c3d4e5f6"))
        .hasValueSatisfying(b -> assertThat(b).hasSize(7));
    assertThat(CardUidReader.parseUid("04A1B2C3D4E5F60708A9"))
        .hasValueSatisfying(b -> assertThat(b).hasSize(10));
    assertThat(CardUidReader.parseUid("04A1B2")).isEmpty();
    assertThat(CardUidReader.parseUid("04A1B2C3X")).isEmpty();
    assertThat(CardUidReader.parseUid("1234567890")).isEmpty();
  }
}
