package dev.locker.sim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.cloud.CloudSync;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.sim.Cabinet;
import dev.locker.sim.SimulatedLocker;
import dev.locker.sim.camera.CameraEmulator;
import dev.locker.sim.scanner.LineDeviceEmulator;
import dev.locker.sim.zvt.ZvtTerminalEmulator;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The simulator's control API (contracts/simulator-api.md) on one local port: the state of the
 * cabinet and its devices, and the hands of the people and the faults of the devices. Every request
 * acts on an emulated device at its end of the wire; nothing here touches the firmware's state.
 *
 * <p>Bodies are JSON; every error is {@code {"error": code, "message": text}} with a 4xx status
 * that says what was wrong with the request, and changes nothing. Requests run on Jetty's threads;
 * the emulators they call are thread-safe.
 */
public final class ControlApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TEXT = 4096;

  private final SimulatedLocker locker;
  private final Javalin server;

  private ControlApi(SimulatedLocker locker, Javalin server) {
    this.locker = locker;
    this.server = server;
  }

  /** Serves the API for {@code locker} on {@code bind}:{@code port} (0: any free port). */
  public static ControlApi start(SimulatedLocker locker, String bind, int port) {
    Objects.requireNonNull(locker, "locker");
    ControlApi[] api = new ControlApi[1];
    Javalin server =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.routes.get("/sim/api/state", ctx -> api[0].state(ctx));
              config.routes.post("/sim/api/scan", ctx -> api[0].scan(ctx));
              config.routes.post("/sim/api/card", ctx -> api[0].card(ctx));
              config.routes.post("/sim/api/door/{compartment}/{action}", ctx -> api[0].door(ctx));
              config.routes.post("/sim/api/fault", ctx -> api[0].fault(ctx));
              config.routes.post("/sim/api/terminal", ctx -> api[0].terminal(ctx));
              config.routes.post("/sim/api/camera", ctx -> api[0].camera(ctx));
              config.routes.exception(
                  Refused.class, (e, ctx) -> error(ctx, e.status, e.code, e.getMessage()));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) ->
                      error(ctx, 500, "internal", "the simulator failed: " + e.getMessage()));
              config.routes.error(
                  404,
                  "*",
                  ctx -> {
                    if (!Objects.toString(ctx.result(), "").startsWith("{")) {
                      error(
                          ctx,
                          404,
                          "not_found",
                          "no such endpoint: " + ctx.method() + " " + ctx.path());
                    }
                  });
            });
    api[0] = new ControlApi(locker, server);
    server.start(bind, port);
    return api[0];
  }

  /** The port the API listens on. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }

  // ---------------------------------------------------------------- endpoints

  private void state(Context ctx) throws JsonProcessingException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("lockerId", locker.config().locker().id());
    List<Map<String, Object>> compartments = new ArrayList<>();
    Cabinet cabinet = locker.cabinet();
    for (Compartment c : locker.assembly().locker().compartments()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("id", c.id().value());
      one.put("size", c.size().name());
      one.put("door", cabinet.isDoorOpen(c.id()) ? "open" : "closed");
      one.put("locked", cabinet.isLatched(c.id()));
      one.put("occupied", c.parcel().isPresent());
      one.put("inService", c.inService());
      c.fault().ifPresent(f -> one.put("fault", f));
      compartments.add(one);
    }
    out.put("compartments", compartments);
    List<Map<String, Object>> devices = new ArrayList<>();
    for (DeviceHealth h : locker.deviceHealth().values()) {
      devices.add(Map.of("name", h.device(), "state", h.state().name(), "detail", h.detail()));
    }
    out.put("devices", devices);
    Map<String, Object> cloud = new LinkedHashMap<>();
    Optional<CloudSync> sync = locker.assembly().cloud();
    cloud.put("connected", sync.map(c -> c.linkStatus().connected()).orElse(false));
    long depth = locker.assembly().store().read(LockerStore.Reader::outboxSize);
    cloud.put("outboxDepth", depth);
    cloud.put(
        "lastSeqAcked",
        sync.map(CloudSync::stats)
            .map(CloudSync.Stats::lastSeqConfirmed)
            .filter(seq -> seq > 0)
            .orElse(null));
    out.put("cloud", cloud);
    ok(ctx, out);
  }

  private void scan(Context ctx) throws IOException {
    String data = text(body(ctx), "data");
    send(device(locker.scanner(), "scanner"), data);
    ok(ctx, Map.of("scanned", data.length() + " characters"));
  }

  private void card(Context ctx) throws IOException {
    String uid = text(body(ctx), "uid");
    send(device(locker.cardReader(), "card reader"), uid);
    ok(ctx, Map.of("presented", true));
  }

  private void door(Context ctx) throws JsonProcessingException {
    CompartmentId id = compartment(ctx.pathParam("compartment"));
    String action = ctx.pathParam("action");
    Cabinet cabinet = locker.cabinet();
    switch (action) {
      case "open" -> {
        if (cabinet.isLatched(id)) {
          throw new Refused(
              409,
              "locked",
              id
                  + " is locked: a person cannot pull it open (an unlock releases it; a fault or"
                  + " force is something else)");
        }
        cabinet.forceOpen(id);
      }
      case "close" -> cabinet.closeDoor(id);
      default ->
          throw new Refused(404, "not_found", "a door can be opened or closed, not " + action);
    }
    ok(ctx, Map.of("compartment", id.value(), "door", cabinet.isDoorOpen(id) ? "open" : "closed"));
  }

  private void fault(Context ctx) throws JsonProcessingException {
    JsonNode body = body(ctx);
    String device = text(body, "device");
    String fault = text(body, "fault");
    switch (device) {
      case "lockboard" -> lockFault(fault);
      case "scanner" -> lineFault(device(locker.scanner(), "scanner"), fault);
      case "cardreader" -> lineFault(device(locker.cardReader(), "card reader"), fault);
      case "terminal" -> terminalFault(terminal(), fault);
      case "camera" -> cameraFault(camera(), fault);
      case "broker" ->
          throw new Refused(
              409, "no_device", "this simulated locker has no broker to put a fault on");
      default ->
          throw new Refused(
              400,
              "bad_request",
              "device must be lockboard, terminal, scanner, cardreader, camera or broker, was \""
                  + device
                  + "\"");
    }
    ok(ctx, Map.of("device", device, "fault", fault));
  }

  /**
   * What the camera sees: {@code {"data": text, "view": {size, rotation, noise, blur, contrast,
   * inView}}} holds a QR code of {@code text} in front of it (the view is optional), {@code
   * {"clear": true}} takes it away.
   */
  private void camera(Context ctx) throws JsonProcessingException {
    JsonNode body = body(ctx);
    CameraEmulator camera = camera();
    if (body.path("clear").asBoolean(false)) {
      camera.clear();
      ok(ctx, Map.of("camera", "sees nothing"));
      return;
    }
    String data = text(body, "data");
    CameraEmulator.View view = CameraEmulator.View.straight();
    JsonNode v = body.path("view");
    if (!v.isMissingNode() && !v.isNull()) {
      if (!v.isObject()) {
        throw new Refused(400, "bad_request", "\"view\" must be an object");
      }
      try {
        view =
            new CameraEmulator.View(
                (int) number(v, "size", view.size()),
                number(v, "rotation", view.rotation()),
                number(v, "noise", view.noise()),
                (int) number(v, "blur", view.blur()),
                number(v, "contrast", view.contrast()),
                number(v, "inView", view.inView()));
      } catch (IllegalArgumentException e) {
        throw new Refused(400, "bad_request", "view: " + e.getMessage());
      }
    }
    camera.show(data, view);
    ok(ctx, Map.of("camera", "sees a code of " + data.length() + " characters"));
  }

  private static double number(JsonNode object, String field, double fallback) {
    JsonNode n = object.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber()) {
      throw new Refused(400, "bad_request", "view." + field + " must be a number");
    }
    return n.asDouble();
  }

  private CameraEmulator camera() {
    return locker
        .camera()
        .orElseThrow(() -> new Refused(409, "no_device", "this simulated locker has no camera"));
  }

  private static void cameraFault(CameraEmulator camera, String fault) {
    switch (fault) {
      case "no-reply", "offline" -> camera.fault(CameraEmulator.Fault.LENS_FAILURE);
      case "garbage" -> camera.fault(CameraEmulator.Fault.COVERED);
      case "clear" -> camera.fault(CameraEmulator.Fault.NONE);
      default ->
          throw new Refused(
              400,
              "bad_request",
              "a camera fault is no-reply, offline, garbage (lens covered) or clear, was \""
                  + fault
                  + "\"");
    }
  }

  /** What the next card payment on the emulated terminal does. */
  private void terminal(Context ctx) throws JsonProcessingException {
    String outcome = text(body(ctx), "outcome");
    ZvtTerminalEmulator.Outcome plan =
        switch (outcome) {
          case "approve" -> ZvtTerminalEmulator.Outcome.APPROVE;
          case "decline" -> ZvtTerminalEmulator.Outcome.DECLINE_ABORT;
          case "timeout" -> ZvtTerminalEmulator.Outcome.TIMEOUT;
          case "cancel" -> ZvtTerminalEmulator.Outcome.CUSTOMER_CANCEL;
          default ->
              throw new Refused(
                  400,
                  "bad_request",
                  "outcome must be approve, decline, timeout or cancel, was \"" + outcome + "\"");
        };
    terminal().nextPayment(plan);
    ok(ctx, Map.of("nextPayment", outcome));
  }

  private ZvtTerminalEmulator terminal() {
    return locker
        .terminal()
        .orElseThrow(
            () -> new Refused(409, "no_device", "this simulated locker has no payment terminal"));
  }

  private static void terminalFault(ZvtTerminalEmulator terminal, String fault) {
    switch (fault) {
      case "no-reply", "offline" -> terminal.silent(true);
      case "garbage" -> terminal.badCrc(Integer.MAX_VALUE);
      case "clear" -> terminal.clearFaults();
      default ->
          throw new Refused(
              400,
              "bad_request",
              "a terminal fault is no-reply, offline, garbage or clear, was \"" + fault + "\"");
    }
  }

  private void lockFault(String fault) {
    String[] parts = fault.split(":", 2);
    Cabinet.LockFault plan =
        switch (parts[0]) {
          case "jam" -> new Cabinet.LockFault.Jam(compartment(argument(parts, fault)));
          case "stuck-sensor" ->
              new Cabinet.LockFault.StuckSensor(compartment(argument(parts, fault)));
          case "no-reply", "offline" -> new Cabinet.LockFault.NoReply();
          case "garbage" -> new Cabinet.LockFault.Garbage();
          case "clear" -> new Cabinet.LockFault.Clear();
          default ->
              throw new Refused(
                  400,
                  "bad_request",
                  "a lockboard fault is jam:COMPARTMENT, stuck-sensor:COMPARTMENT, no-reply,"
                      + " garbage, offline or clear, was \""
                      + fault
                      + "\"");
        };
    try {
      locker.cabinet().apply(plan);
    } catch (UnsupportedOperationException e) {
      throw new Refused(409, "not_applicable", e.getMessage());
    }
  }

  private static void lineFault(LineDeviceEmulator device, String fault) {
    switch (fault) {
      case "garbage" -> device.faultPlan(LineDeviceEmulator.Fault.GARBAGE_BEFORE);
      case "no-reply", "offline" -> device.unplugged(true);
      case "clear" -> {
        device.faultPlan(LineDeviceEmulator.Fault.NONE);
        device.unplugged(false);
      }
      default ->
          throw new Refused(
              400,
              "bad_request",
              "a scanner or card reader fault is garbage, no-reply, offline or clear, was \""
                  + fault
                  + "\"");
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String argument(String[] parts, String fault) {
    if (parts.length < 2 || parts[1].isBlank()) {
      throw new Refused(400, "bad_request", fault + " needs a compartment: " + fault + ":A07");
    }
    return parts[1];
  }

  private CompartmentId compartment(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    if (!CompartmentId.FORMAT.matcher(upper).matches()
        || !locker.cabinet().has(CompartmentId.of(upper))) {
      throw new Refused(404, "no_compartment", "no compartment " + text);
    }
    return CompartmentId.of(upper);
  }

  private static LineDeviceEmulator device(Optional<LineDeviceEmulator> device, String name) {
    return device.orElseThrow(
        () -> new Refused(409, "no_device", "this simulated locker has no " + name));
  }

  private static void send(LineDeviceEmulator device, String text) throws IOException {
    device.read(text);
  }

  private static JsonNode body(Context ctx) {
    String text = ctx.body();
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Refused(400, "bad_request", "the body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new Refused(400, "bad_request", "the body must be a JSON object");
    }
    return node;
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw new Refused(400, "bad_request", "\"" + field + "\" is required");
    }
    if (!v.isTextual()) {
      throw new Refused(400, "bad_request", "\"" + field + "\" must be text");
    }
    String s = v.asText();
    if (s.isEmpty() || s.length() > MAX_TEXT) {
      throw new Refused(
          400, "bad_request", "\"" + field + "\" must be 1 to " + MAX_TEXT + " characters");
    }
    return s;
  }

  private static void ok(Context ctx, Object body) throws JsonProcessingException {
    ctx.status(200).contentType("application/json").result(JSON.writeValueAsString(body));
  }

  private static void error(Context ctx, int status, String code, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      ctx.status(status).result(code);
    }
  }

  /** A request the API refuses, with its status and error code. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    Refused(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
