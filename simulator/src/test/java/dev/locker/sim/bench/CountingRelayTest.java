package dev.locker.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the relay counts is what passed through it, each way, byte for byte. */
class CountingRelayTest {
  private static final long SEED = 4_2026L;

  private ServerSocket target;

  @AfterEach
  void closeTarget() throws IOException {
    if (target != null) {
      target.close();
    }
  }

  /** A target that serves each connection with {@code serve} on a thread of its own. */
  private InetSocketAddress target(Serve serve) throws IOException {
    target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (true) {
                Socket s;
                try {
                  s = target.accept();
                } catch (IOException e) {
                  return;
                }
                Thread t =
                    new Thread(
                        () -> {
                          try (s) {
                            serve.serve(s);
                          } catch (IOException e) {
                            // the test sees it as a short stream
                          }
                        },
                        "relay-test-target");
                t.setDaemon(true);
                t.start();
              }
            },
            "relay-test-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort());
  }

  @FunctionalInterface
  private interface Serve {
    void serve(Socket socket) throws IOException;
  }

  private static void echo(Socket socket) throws IOException {
    socket.getInputStream().transferTo(socket.getOutputStream());
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code data} in chunks of random sizes from another thread, then half-closes. */
  private static CompletableFuture<Void> writeInChunks(Socket socket, byte[] data, Random random) {
    int[] sizes = new int[data.length];
    int count = 0;
    for (int at = 0; at < data.length; count++) {
      sizes[count] = Math.min(1 + random.nextInt(3000), data.length - at);
      at += sizes[count];
    }
    int chunks = count;
    return CompletableFuture.runAsync(
        () -> {
          try {
            OutputStream out = socket.getOutputStream();
            int at = 0;
            for (int i = 0; i < chunks; i++) {
              out.write(data, at, sizes[i]);
              at += sizes[i];
            }
            socket.shutdownOutput();
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
  }

  @Test
  void everyByteEchoedThroughTheRelayIsCountedOnceEachWay() throws Exception {
    Random random = new Random(SEED);
    byte[] sent = randomBytes(random, 1_000_000 + random.nextInt(1000));
    try (CountingRelay relay = CountingRelay.start(target(CountingRelayTest::echo));
        Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      CompletableFuture<Void> writing = writeInChunks(client, sent, random);
      byte[] received = client.getInputStream().readAllBytes();
      writing.get(30, TimeUnit.SECONDS);

      assertThat(received).as("seed %d", SEED).isEqualTo(sent);
      assertThat(relay.counts()).isEqualTo(new CountingRelay.Counts(sent.length, sent.length));
    }
  }

  @Test
  void aRequestAndAnAnswerOfDifferentSizesAreCountedEachOnItsOwnSide() throws Exception {
    byte[] answer = randomBytes(new Random(SEED), 70_001);
    Serve readThenAnswer =
        socket -> {
          socket.getInputStream().readAllBytes();
          socket.getOutputStream().write(answer);
        };
    try (CountingRelay relay = CountingRelay.start(target(readThenAnswer));
        Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      client.getOutputStream().write(new byte[12_345]);
      client.shutdownOutput();
      byte[] received = client.getInputStream().readAllBytes();

      assertThat(received).isEqualTo(answer);
      assertThat(relay.counts()).isEqualTo(new CountingRelay.Counts(12_345, 70_001));
    }
  }

  @Test
  void connectionsOneAfterAnotherAddToTheSameCounts() throws Exception {
    Random random = new Random(SEED);
    long total = 0;
    try (CountingRelay relay = CountingRelay.start(target(CountingRelayTest::echo))) {
      for (int i = 0; i < 5; i++) {
        byte[] sent = randomBytes(random, 1 + random.nextInt(50_000));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
          CompletableFuture<Void> writing = writeInChunks(client, sent, random);
          assertThat(client.getInputStream().readAllBytes()).isEqualTo(sent);
          writing.get(30, TimeUnit.SECONDS);
        }
        total += sent.length;
        CountingRelay.Counts before = relay.counts();
        assertThat(before)
            .as("after connection %d, seed %d", i + 1, SEED)
            .isEqualTo(new CountingRelay.Counts(total, total));
      }
      assertThat(relay.connections()).isEqualTo(5);
    }
  }

  @Test
  void countsSinceAMarkAreTheDifference() {
    CountingRelay.Counts mark = new CountingRelay.Counts(210, 13);
    CountingRelay.Counts now = new CountingRelay.Counts(2_930, 8_013);

    assertThat(now.minus(mark)).isEqualTo(new CountingRelay.Counts(2_720, 8_000));
  }

  @Test
  void aClientOfARelayWhoseTargetIsDownSeesItsConnectionClosedAndNothingIsCounted()
      throws Exception {
    InetSocketAddress down;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      down = new InetSocketAddress(InetAddress.getLoopbackAddress(), gone.getLocalPort());
    }
    try (CountingRelay relay = CountingRelay.start(down);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      client.setSoTimeout(10_000);
      InputStream in = client.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        in.transferTo(got);
      } catch (IOException e) {
        // a reset is as good as an end of stream here
      }

      assertThat(got.size()).isZero();
      assertThat(relay.counts()).isEqualTo(new CountingRelay.Counts(0, 0));
    }
  }
}
