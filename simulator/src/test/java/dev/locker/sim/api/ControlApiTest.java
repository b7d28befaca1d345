package dev.locker.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.config.LockerConfig;
import dev.locker.hal.zvt.AuthorizationResult;
import dev.locker.hal.zvt.GoodsDecision;
import dev.locker.hal.zvt.ZvtTerminal;
import dev.locker.sim.SimulatedLocker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's control API over real HTTP on loopback: people's hands and device faults reach
 * the emulated devices, and from there the real drivers; every bad request gets a specific error.
 */
class ControlApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private SimulatedLocker locker;
  private ControlApi api;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> scans = new CopyOnWriteArrayList<>();
  private final List<String> cards = new CopyOnWriteArrayList<>();

  record Reply(int status, JsonNode body) {}

  @BeforeEach
  void start() throws Exception {
    LockerConfig config = ((ConfigLoader.Result.Loaded) SimulatedLocker.defaultProfile()).config();
    locker = SimulatedLocker.start(config, dir, Clock.systemUTC(), health -> {});
    locker.assembly().peripherals().onScan((text, symbology) -> scans.add(symbology + " " + text));
    locker.assembly().peripherals().onCard(cards::add);
    api = ControlApi.start(locker, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    api.close();
    locker.close();
  }

  private Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private Reply post(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  private Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }

  private JsonNode device(String name) throws Exception {
    for (JsonNode d : get("/sim/api/state").body().get("devices")) {
      if (d.get("name").asText().equals(name)) {
        return d;
      }
    }
    return JSON.nullNode();
  }

  @Test
  void theStateShowsEveryCompartmentClosedAndLockedAndEveryDeviceWithItsHealth() throws Exception {
    Reply state = get("/sim/api/state");

    assertThat(state.status()).isEqualTo(200);
    assertThat(state.body().get("lockerId").asText()).isEqualTo("LCK-SIM-0001");
    JsonNode a01 = state.body().get("compartments").get(0);
    assertThat(a01.get("id").asText()).isEqualTo("A01");
    assertThat(a01.get("door").asText()).isEqualTo("closed");
    assertThat(a01.get("locked").asBoolean()).isTrue();
    assertThat(a01.get("occupied").asBoolean()).isFalse();
    assertThat(a01.get("inService").asBoolean()).isTrue();
    await(() -> !device("lockboard-0").isNull(), "lock board health");
    assertThat(device("scanner").get("state").asText()).isEqualTo("ONLINE");
    assertThat(device("cardreader").get("state").asText()).isEqualTo("ONLINE");
    assertThat(state.body().get("cloud").get("connected").asBoolean()).isFalse();
  }

  @Test
  void aScanGoesDownTheScannersWireAndReachesTheFirmwareOnce() throws Exception {
    Reply reply = post("/sim/api/scan", "{\"data\":\"12345678\"}");

    assertThat(reply.status()).isEqualTo(200);
    await(() -> scans.size() == 1, "the scan");
    assertThat(scans).containsExactly("]Q1 12345678");
  }

  @Test
  void aCardReachesTheFirmwareOnlyAsAKeyedHash() throws Exception {
    assertThat(post("/sim/api/card", "{\"uid\":\"04A1B2C3\"}").status()).isEqualTo(200);

    await(() -> cards.size() == 1, "the card");
    assertThat(cards.get(0)).matches("[0-9a-f]{64}").doesNotContainIgnoringCase("04a1b2c3");
  }

  @Test
  void aLockedDoorCannotBePulledOpenAndAClosedOneClosesAgain() throws Exception {
    Reply pulled = post("/sim/api/door/A07/open", "");
    assertThat(pulled.status()).isEqualTo(409);
    assertThat(pulled.body().get("error").asText()).isEqualTo("locked");
    assertThat(pulled.body().get("message").asText()).startsWith("A07 is locked");

    Reply closed = post("/sim/api/door/a07/close", "");
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.body().get("door").asText()).isEqualTo("closed");
  }

  @Test
  void aSilentLockBoardShowsOfflineWithItsReasonAndComesBackWhenCleared() throws Exception {
    assertThat(post("/sim/api/fault", "{\"device\":\"lockboard\",\"fault\":\"no-reply\"}").status())
        .isEqualTo(200);
    await(() -> device("lockboard-0").path("state").asText().equals("OFFLINE"), "OFFLINE");
    assertThat(device("lockboard-0").get("detail").asText()).contains("no reply");

    post("/sim/api/fault", "{\"device\":\"lockboard\",\"fault\":\"clear\"}");
    await(() -> device("lockboard-0").path("state").asText().equals("ONLINE"), "ONLINE again");
  }

  @Test
  void aScannerSendingGarbageIsDegradedAndItsReadsStillArrive() throws Exception {
    post("/sim/api/fault", "{\"device\":\"scanner\",\"fault\":\"garbage\"}");
    post("/sim/api/scan", "{\"data\":\"87654321\"}");

    await(() -> scans.contains("]Q1 87654321"), "the read behind the garbage");
    await(() -> device("scanner").path("state").asText().equals("DEGRADED"), "DEGRADED");

    post("/sim/api/fault", "{\"device\":\"scanner\",\"fault\":\"offline\"}");
    post("/sim/api/scan", "{\"data\":\"11112222\"}");
    post("/sim/api/fault", "{\"device\":\"scanner\",\"fault\":\"clear\"}");
    post("/sim/api/scan", "{\"data\":\"33334444\"}");
    await(() -> scans.contains("]Q1 33334444"), "the read after the fault cleared");
    assertThat(scans).doesNotContain("]Q1 11112222");
  }

  @Test
  void theNextPaymentDoesWhatTheApiSaysOverTheRealZvtDriver() throws Exception {
    ZvtTerminal terminal = locker.assembly().peripherals().zvtTerminal().orElseThrow();
    await(() -> device("payment-terminal").path("state").asText().equals("ONLINE"), "registered");
    ZvtTerminal.AuthorizationListener issueAtOnce =
        approved -> CompletableFuture.completedFuture(GoodsDecision.ISSUED);

    assertThat(post("/sim/api/terminal", "{\"outcome\":\"decline\"}").status()).isEqualTo(200);
    assertThat(terminal.authorize(1250, issueAtOnce))
        .isInstanceOf(AuthorizationResult.Declined.class);

    assertThat(post("/sim/api/terminal", "{\"outcome\":\"cancel\"}").status()).isEqualTo(200);
    assertThat(terminal.authorize(1250, issueAtOnce))
        .isInstanceOf(AuthorizationResult.Aborted.class);

    assertThat(terminal.authorize(1250, issueAtOnce))
        .isInstanceOfSatisfying(
            AuthorizationResult.Approved.class,
            a -> assertThat(a.info().amountCents()).hasValue(1250));

    assertError(
        post("/sim/api/terminal", "{\"outcome\":\"steal\"}"),
        400,
        "outcome must be approve, decline, timeout or cancel");
    assertError(
        post("/sim/api/fault", "{\"device\":\"terminal\",\"fault\":\"melt\"}"),
        400,
        "a terminal fault is no-reply");
  }

  @Test
  void aCodeHeldTurnedToTheCameraIsReadOnceAndALensFailureShowsInHealth() throws Exception {
    Reply shown =
        post(
            "/sim/api/camera",
            "{\"data\":\"QR-PICKUP-4471\",\"view\":{\"rotation\":12,\"noise\":8}}");
    assertThat(shown.status()).isEqualTo(200);
    await(() -> scans.contains("]Q1 QR-PICKUP-4471"), "the camera's read");
    Thread.sleep(1500);
    assertThat(scans).containsOnlyOnce("]Q1 QR-PICKUP-4471");
    post("/sim/api/camera", "{\"clear\":true}");

    post("/sim/api/fault", "{\"device\":\"camera\",\"fault\":\"offline\"}");
    await(() -> device("camera").path("state").asText().equals("OFFLINE"), "camera OFFLINE");
    post("/sim/api/fault", "{\"device\":\"camera\",\"fault\":\"clear\"}");
    await(() -> device("camera").path("state").asText().equals("ONLINE"), "camera ONLINE");

    assertError(
        post("/sim/api/camera", "{\"data\":\"x\",\"view\":{\"size\":3}}"),
        400,
        "view: size must be >= 21");
    assertError(
        post("/sim/api/camera", "{\"data\":\"x\",\"view\":{\"noise\":\"loud\"}}"),
        400,
        "view.noise must be a number");
    assertError(post("/sim/api/camera", "{\"view\":{}}"), 400, "\"data\" is required");
  }

  @Test
  void everyBadRequestGetsASpecificErrorAndChangesNothing() throws Exception {
    assertError(post("/sim/api/scan", "not json"), 400, "the body is not JSON");
    assertError(post("/sim/api/scan", "[1,2]"), 400, "the body must be a JSON object");
    assertError(post("/sim/api/scan", "{}"), 400, "\"data\" is required");
    assertError(post("/sim/api/scan", "{\"data\":42}"), 400, "\"data\" must be text");
    assertError(post("/sim/api/scan", "{\"data\":\"\"}"), 400, "\"data\" must be 1 to 4096");
    assertError(post("/sim/api/card", "{\"uid\":null}"), 400, "\"uid\" is required");
    assertError(post("/sim/api/door/Z99/open", ""), 404, "no compartment Z99");
    assertError(post("/sim/api/door/A01/kick", ""), 404, "opened or closed, not kick");
    assertError(
        post("/sim/api/fault", "{\"device\":\"toaster\",\"fault\":\"clear\"}"),
        400,
        "device must be lockboard");
    assertError(
        post("/sim/api/fault", "{\"device\":\"lockboard\",\"fault\":\"melt\"}"),
        400,
        "a lockboard fault is jam:COMPARTMENT");
    assertError(
        post("/sim/api/fault", "{\"device\":\"lockboard\",\"fault\":\"jam:\"}"),
        400,
        "jam: needs a compartment");
    assertError(
        post("/sim/api/fault", "{\"device\":\"lockboard\",\"fault\":\"jam:Q42\"}"),
        404,
        "no compartment Q42");
    assertError(
        post("/sim/api/fault", "{\"device\":\"broker\",\"fault\":\"no-reply\"}"),
        409,
        "has no broker");
    assertError(get("/sim/api/nothing"), 404, "no such endpoint: GET /sim/api/nothing");
    assertError(get("/sim/api/scan"), 404, "no such endpoint: GET /sim/api/scan");

    assertThat(scans).isEmpty();
    assertThat(get("/sim/api/state").body().get("compartments").get(0).get("locked").asBoolean())
        .isTrue();
  }

  private static void assertError(Reply reply, int status, String message) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
    assertThat(reply.body().get("error").asText()).isNotBlank();
    assertThat(reply.body().get("message").asText()).contains(message);
  }

  private static void await(Check condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean holds() throws Exception;
  }
}
