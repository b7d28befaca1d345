package dev.locker.hal.zvt;

import static dev.locker.hal.zvt.ZvtFrameTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.serial.InMemorySerialLink;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver against a scripted fake terminal on an in-memory link: the exact bytes it writes, and
 * how it reads a script that no emulator plan produces.
 */
class ZvtTerminalTest {
  private final InMemorySerialLink[] pair = InMemorySerialLink.pair("zvt");
  private final List<DeviceHealth> health = new CopyOnWriteArrayList<>();
  private final ZvtTerminal driver =
      new ZvtTerminal(
          pair[0],
          new ZvtTerminal.Settings(
              "000000",
              978,
              0x8A,
              Duration.ofMillis(200),
              Duration.ofMillis(100),
              Duration.ofMillis(500),
              Duration.ofMillis(1000),
              2,
              Duration.ofSeconds(2),
              Duration.ofMillis(50)),
          health::add);

  @AfterEach
  void close() {
    pair[0].close();
    pair[1].close();
  }

  /** Reads what the driver wrote within {@code wait}. */
  private byte[] written(Duration wait) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long end = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < end) {
      out.writeBytes(pair[1].read(256, Duration.ofMillis(10)));
    }
    return out.toByteArray();
  }

  @Test
  void aSilentTerminalGetsTheRegistrationThreeTimesAndIsOffline() throws Exception {
    ZvtTerminal.RegistrationResult result = driver.register();

    byte[] registration =
        bytes(
            0x10, 0x02, // DLE STX
            0x06, 0x00, // registration
            0x06, // LEN
            0x00, 0x00, 0x00, // password 000000
            0x8A, // config: receipts to the ECR as text, intermediate status, ECR prints
            0x09, 0x78, // currency EUR
            0x10, 0x03, // DLE ETX
            0x22, 0x94); // CRC (zvtcrc.py)
    assertThat(written(Duration.ofMillis(50)))
        .isEqualTo(Bmp.concat(registration, registration, registration));
    assertThat(result).isInstanceOf(ZvtTerminal.RegistrationResult.NoTerminal.class);
    assertThat(health)
        .singleElement()
        .extracting(DeviceHealth::state)
        .isEqualTo(HealthState.OFFLINE);
  }

  @Test
  void aDeclineByStatusInformationThenCompletionIsADecline() throws Exception {
    CompletableFuture<AuthorizationResult> result =
        CompletableFuture.supplyAsync(
            () ->
                driver.authorize(
                    1250, approved -> CompletableFuture.completedFuture(GoodsDecision.ISSUED)));
    FakeTerminal pt = new FakeTerminal();
    assertThat(pt.receive())
        .isEqualTo(Apdu.of(0x06, 0x01, Bmp.concat(Bmp.amount(1250), Bmp.currency(978))));
    pt.send(Apdu.of(0x80, 0x00));
    pt.send(Apdu.of(0x04, 0x0F, 0x27, 0x6C)); // §8: decline without abort
    assertThat(pt.receive()).isEqualTo(Apdu.of(0x80, 0x00));
    pt.send(Apdu.of(0x06, 0x0F));
    assertThat(pt.receive()).isEqualTo(Apdu.of(0x80, 0x00));

    assertThat(result.get())
        .isEqualTo(new AuthorizationResult.Aborted(0x6C, "abort via timeout or abort key"));
  }

  /** The terminal's side of the script: frames with link ACKs both ways. */
  private final class FakeTerminal {
    private final ZvtFramer framer = new ZvtFramer(Duration.ofMillis(200));

    Apdu receive() throws Exception {
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < end) {
        for (ZvtFramer.Decoded d :
            framer.feed(pair[1].read(256, Duration.ofMillis(20)), System.nanoTime())) {
          if (d instanceof ZvtFramer.Decoded.Frame f) {
            pair[1].write(new byte[] {ZvtFrame.ACK});
            return ((Apdu.Parse.Parsed) Apdu.parse(f.apdu())).apdu();
          }
        }
      }
      throw new AssertionError("the driver sent nothing");
    }

    void send(Apdu apdu) throws Exception {
      pair[1].write(ZvtFrame.encode(apdu.encode()));
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < end) {
        for (ZvtFramer.Decoded d :
            framer.feed(pair[1].read(1, Duration.ofMillis(20)), System.nanoTime())) {
          if (d instanceof ZvtFramer.Decoded.Ack) {
            return;
          }
        }
      }
      throw new AssertionError("the driver did not ACK " + apdu);
    }
  }
}
