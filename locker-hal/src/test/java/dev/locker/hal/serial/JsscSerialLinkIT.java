package dev.locker.hal.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jssc on both ends of a socat pty pair: bytes flow both ways, timeouts and errors are clear. */
class JsscSerialLinkIT {
  @TempDir Path dir;

  @Test
  void bytesWrittenAtOneEndArriveAtTheOtherBothWays() throws Exception {
    try (SocatPtyPair pty = SocatPtyPair.start(dir);
        JsscSerialLink host =
            JsscSerialLink.open(pty.hostPath(), JsscSerialLink.LineSettings.eightN1(19200));
        JsscSerialLink device =
            JsscSerialLink.open(pty.devicePath(), JsscSerialLink.LineSettings.eightN1(19200))) {
      byte[] query = {0x02, 0x00, 0x30, 0x03, 0x35};
      host.write(query);
      assertThat(readExactly(device, 5)).isEqualTo(query);

      byte[] reply = {0x02, 0x00, 0x35, (byte) 0xFF, (byte) 0xFF, 0x00, 0x00, 0x03, 0x38};
      device.write(reply);
      assertThat(readExactly(host, 9)).isEqualTo(reply);
    }
  }

  @Test
  void aReadWithNothingToReadTimesOutEmpty() throws Exception {
    try (SocatPtyPair pty = SocatPtyPair.start(dir);
        JsscSerialLink host =
            JsscSerialLink.open(pty.hostPath(), JsscSerialLink.LineSettings.eightN1(19200))) {
      assertThat(host.read(16, Duration.ofMillis(50))).isEmpty();
    }
  }

  @Test
  void openingAPortThatDoesNotExistNamesThePort() {
    assertThatThrownBy(
            () ->
                JsscSerialLink.open(
                    dir.resolve("no-such-tty").toString(),
                    JsscSerialLink.LineSettings.eightN1(19200)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no-such-tty");
  }

  @Test
  void aClosedLinkRefusesToRead() throws Exception {
    try (SocatPtyPair pty = SocatPtyPair.start(dir)) {
      JsscSerialLink host =
          JsscSerialLink.open(pty.hostPath(), JsscSerialLink.LineSettings.eightN1(19200));
      host.close();
      assertThatThrownBy(() -> host.read(1, Duration.ofMillis(10)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("closed");
    }
  }

  static byte[] readExactly(SerialLink link, int n) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (out.size() < n && System.nanoTime() < deadline) {
      out.writeBytes(link.read(n - out.size(), Duration.ofMillis(100)));
    }
    return out.toByteArray();
  }
}
