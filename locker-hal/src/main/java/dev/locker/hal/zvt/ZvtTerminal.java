package dev.locker.hal.zvt;

import dev.locker.core.application.port.DeviceHealthListener;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.hal.serial.SerialLink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECR side of a ZVT payment terminal on a serial line (device-protocols.md §4.2–§4.4, §8).
 *
 * <p>Every operation blocks until it ends, is bounded by the timeouts in {@link Settings}, and runs
 * one at a time (the methods are synchronized); device trouble is a result value, never an
 * exception. {@link #abort()} is the exception to "one at a time": another thread calls it while
 * {@link #authorize} runs, and the authorizing thread sends the {@code 06 B0}.
 *
 * <p>Health of device {@value #DEVICE}, reported on change only: OFFLINE when an operation found no
 * terminal (no link ACK, no answer within T3); DEGRADED when one of the last {@value #WINDOW}
 * operations met NAKs, bad CRCs, resends or garbage; ONLINE otherwise.
 *
 * <p>Logs carry operation names, result types and result codes, never raw frames or card data.
 */
public final class ZvtTerminal implements AutoCloseable {
  public static final String DEVICE = "payment-terminal";
  static final int WINDOW = 20;

  private static final Logger log = LoggerFactory.getLogger(ZvtTerminal.class);
  private static final Duration POLL = Duration.ofMillis(20);

  private final SerialLink serial;
  private final Settings settings;
  private final DeviceHealthListener healthListener;
  private final ZvtLink link;
  private final Deque<Boolean> troubled = new ArrayDeque<>();
  private volatile DeviceHealth reported;
  private volatile Running running;

  /**
   * @param password the terminal's six-digit password (ZVT default 000000)
   * @param currency numeric ISO 4217 code: 978 EUR, 344 HKD, 156 CNY
   * @param registrationConfig config byte of {@code 06 00}: 0x80 receipts as print lines/text
   *     blocks, 0x08 intermediate status, 0x02 the ECR prints the payment receipt (so its text
   *     reaches the locker)
   * @param t1 longest gap between bytes of one frame (ZVT T1, 200 ms)
   * @param ackTimeout how long to wait for the link ACK of a frame before repeating it
   * @param t3 how long the terminal may take to accept a command with {@code 80 00 00} (5 s)
   * @param t4 how long the terminal may stay silent while it is master (180 s), restarted on every
   *     message it sends
   * @param linkRetries repeats of a frame after a NAK or a missing ACK (3)
   * @param goodsDecisionPatience how long the goods decision may stay open in all; then the goods
   *     are refused and the terminal reverses
   * @param goodsDecisionHold how long one status information is held for the decision before the
   *     driver answers {@code 84 9C 00} ("please wait", the terminal repeats it); well below the
   *     terminal's own answer timeout
   */
  public record Settings(
      String password,
      int currency,
      int registrationConfig,
      Duration t1,
      Duration ackTimeout,
      Duration t3,
      Duration t4,
      int linkRetries,
      Duration goodsDecisionPatience,
      Duration goodsDecisionHold) {
    public Settings {
      Bmp.password(password);
      if (currency < 0 || currency > 999) {
        throw new IllegalArgumentException("currency is a numeric ISO 4217 code");
      }
      if (registrationConfig < 0 || registrationConfig > 0xFF) {
        throw new IllegalArgumentException("the config byte is a byte");
      }
      for (Duration d : new Duration[] {t1, ackTimeout, t3, t4, goodsDecisionPatience}) {
        if (d == null || d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("timeouts must be positive");
        }
      }
      Objects.requireNonNull(goodsDecisionHold, "goodsDecisionHold");
      if (linkRetries < 0) {
        throw new IllegalArgumentException("linkRetries must be >= 0");
      }
    }

    /**
     * The ZVT timeouts (§4.2: T1 200 ms, T3 5 s, T4 180 s, 3 retries) for the terminal whose ECR
     * password and currency the profile gives. There is no default password: the acquirer sets it.
     */
    public static Settings standard(String password, int currency) {
      return new Settings(
          password,
          currency,
          0x8A,
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(180),
          3,
          Duration.ofSeconds(60),
          Duration.ofSeconds(2));
    }
  }

  /**
   * Follows one authorization. Called on the authorizing thread; must not block (the decision is a
   * future completed later, typically by the locker loop once the door sensor has spoken).
   */
  public interface AuthorizationListener {
    /** An intermediate status {@code 04 FF} with its English text, for the kiosk screen. */
    default void intermediateStatus(int code, String text) {}

    /** Receipt lines as the terminal printed them to the ECR. */
    default void receiptLines(List<String> lines) {}

    /**
     * The payment is approved: open the compartment and complete the future with {@link
     * GoodsDecision#ISSUED} once the door sensor confirmed the opening, {@link
     * GoodsDecision#REFUSED} otherwise. A future that fails or stays open beyond {@link
     * Settings#goodsDecisionPatience()} counts as REFUSED.
     */
    CompletableFuture<GoodsDecision> goodsDecision(StatusInformation approved);
  }

  /** The result of {@link #register()}. */
  public sealed interface RegistrationResult {
    record Registered(Optional<String> terminalId) implements RegistrationResult {}

    record Refused(int resultCode, String text) implements RegistrationResult {}

    record NoTerminal(String detail) implements RegistrationResult {}
  }

  /** The result of {@link #reverse(int)}. */
  public sealed interface ReversalResult {
    record Reversed(StatusInformation info, List<String> receipt) implements ReversalResult {
      public Reversed {
        receipt = List.copyOf(receipt);
      }
    }

    /** Result code B4: this receipt was reversed before. Nothing is owed. */
    record AlreadyReversed(String text) implements ReversalResult {}

    /** The terminal will not reverse (B5 reversal not possible, unknown receipt, …). */
    record Refused(int resultCode, String text) implements ReversalResult {}

    record NoTerminal(String detail) implements ReversalResult {}

    /** The link was lost or T4 expired during the reversal: repeat the receipt to learn more. */
    record OutcomeUnknown(String detail) implements ReversalResult {}
  }

  /** The result of {@link #repeatReceipt()}. */
  public sealed interface ReceiptResult {
    /** The last transaction (a reversal names its original in {@code originalTrace}). */
    record LastTransaction(StatusInformation info, List<String> receipt) implements ReceiptResult {
      public LastTransaction {
        receipt = List.copyOf(receipt);
      }
    }

    record Refused(int resultCode, String text) implements ReceiptResult {}

    record NoTerminal(String detail) implements ReceiptResult {}
  }

  /** The result of {@link #statusEnquiry()}. */
  public sealed interface StatusResult {
    /** The terminal answered; {@code statusByte} is BMP 19 of its completion (00 ready). */
    record Ready(int statusByte, Optional<String> terminalId) implements StatusResult {}

    record Refused(int resultCode, String text) implements StatusResult {}

    record NoTerminal(String detail) implements StatusResult {}
  }

  /** What {@link #abort()} did. */
  public enum AbortRequest {
    /** The authorizing thread will send {@code 06 B0}; the authorization's result says the rest. */
    REQUESTED,
    /** No authorization is running. */
    NOTHING_TO_ABORT,
    /** The payment is already approved or decided; only the goods decision can undo it. */
    TOO_LATE
  }

  public ZvtTerminal(SerialLink serial, Settings settings, DeviceHealthListener health) {
    this.serial = Objects.requireNonNull(serial, "serial");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.healthListener = Objects.requireNonNull(health, "health");
    this.link = new ZvtLink(serial, settings.t1(), settings.ackTimeout(), settings.linkRetries());
  }

  /** The numeric ISO 4217 code of every amount this terminal charges (978 EUR). */
  public int currency() {
    return settings.currency();
  }

  // ---------------------------------------------------------------- operations

  /** Registration {@code 06 00}: password, config byte, currency. */
  public synchronized RegistrationResult register() {
    byte[] cc = Bmp.bcd(settings.currency(), 2);
    Apdu command =
        new Apdu(
            0x06,
            0x00,
            Bmp.concat(
                Bmp.password(settings.password()),
                new byte[] {(byte) settings.registrationConfig()},
                cc));
    Exchange e = exchange("registration", command);
    RegistrationResult result =
        switch (e.end) {
          case COMPLETED -> new RegistrationResult.Registered(completionTerminalId(e.completion));
          case PT_ABORTED, REFUSED ->
              new RegistrationResult.Refused(e.resultCode, ZvtCodes.resultText(e.resultCode));
          case NO_TERMINAL, LOST -> new RegistrationResult.NoTerminal(e.detail);
        };
    finish("registration", e, result.getClass().getSimpleName());
    return result;
  }

  /**
   * Authorization {@code 06 01} of {@code amountCents} in the configured currency, with the goods
   * decision of {@link AuthorizationListener#goodsDecision}. Bounded by T3, T4 and the decision
   * patience.
   */
  public AuthorizationResult authorize(long amountCents, AuthorizationListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (amountCents <= 0) {
      throw new IllegalArgumentException("the amount must be positive");
    }
    synchronized (this) {
      Running r = new Running(new AuthorizationMachine());
      running = r;
      try {
        AuthorizationResult result = runAuthorization(amountCents, listener, r);
        boolean failed = result instanceof AuthorizationResult.NoTerminal;
        record(failed, failed ? ((AuthorizationResult.NoTerminal) result).detail() : "");
        log.info(
            "authorization of {} cents ended {}", amountCents, result.getClass().getSimpleName());
        return result;
      } finally {
        running = null;
      }
    }
  }

  /**
   * Asks a running {@link #authorize} to abort ({@code 06 B0}, the customer pressed cancel on the
   * kiosk). Does not block; the authorization's own result tells how it ended (usually Aborted 6C).
   */
  public AbortRequest abort() {
    Running r = running;
    if (r == null) {
      return AbortRequest.NOTHING_TO_ABORT;
    }
    AuthorizationState s = r.machine.state();
    if (s != AuthorizationState.AWAIT_COMMAND_ACK && s != AuthorizationState.PT_MASTER) {
      return s == AuthorizationState.ABORTING ? AbortRequest.REQUESTED : AbortRequest.TOO_LATE;
    }
    r.abort.set(true);
    return AbortRequest.REQUESTED;
  }

  /** Reversal {@code 06 30} of the transaction with receipt number {@code receiptNo}. */
  public synchronized ReversalResult reverse(int receiptNo) {
    Apdu command =
        new Apdu(
            0x06,
            0x30,
            Bmp.concat(
                Bmp.password(settings.password()),
                Bmp.field(Bmp.RECEIPT_NO, Bmp.bcd(receiptNo, 2))));
    Exchange e = exchange("reversal", command);
    ReversalResult result =
        switch (e.end) {
          case COMPLETED ->
              e.lastInfo.isPresent() && e.lastInfo.get().approved()
                  ? new ReversalResult.Reversed(e.lastInfo.get(), e.receipt)
                  : e.lastInfo.isPresent()
                      ? refusedReversal(e.lastInfo.get().resultCode())
                      : new ReversalResult.OutcomeUnknown(
                          "the terminal completed the reversal without a status information");
          case PT_ABORTED, REFUSED -> refusedReversal(e.resultCode);
          case NO_TERMINAL -> new ReversalResult.NoTerminal(e.detail);
          case LOST -> new ReversalResult.OutcomeUnknown(e.detail);
        };
    finish("reversal of receipt " + receiptNo, e, result.getClass().getSimpleName());
    return result;
  }

  /** Repeat receipt {@code 06 20}: the last transaction, for recovery after a crash. */
  public synchronized ReceiptResult repeatReceipt() {
    Exchange e =
        exchange("repeat receipt", new Apdu(0x06, 0x20, Bmp.password(settings.password())));
    ReceiptResult result =
        switch (e.end) {
          case COMPLETED ->
              e.lastInfo.isPresent()
                  ? new ReceiptResult.LastTransaction(e.lastInfo.get(), e.receipt)
                  : new ReceiptResult.Refused(
                      ZvtCodes.FUNCTION_NOT_POSSIBLE, "the terminal sent no status information");
          case PT_ABORTED, REFUSED ->
              new ReceiptResult.Refused(e.resultCode, ZvtCodes.resultText(e.resultCode));
          case NO_TERMINAL, LOST -> new ReceiptResult.NoTerminal(e.detail);
        };
    finish("repeat receipt", e, result.getClass().getSimpleName());
    return result;
  }

  /** Status enquiry {@code 05 01}: is the terminal there and ready. */
  public synchronized StatusResult statusEnquiry() {
    Exchange e =
        exchange("status enquiry", new Apdu(0x05, 0x01, Bmp.password(settings.password())));
    StatusResult result =
        switch (e.end) {
          case COMPLETED ->
              new StatusResult.Ready(
                  completionStatusByte(e.completion), completionTerminalId(e.completion));
          case PT_ABORTED, REFUSED ->
              new StatusResult.Refused(e.resultCode, ZvtCodes.resultText(e.resultCode));
          case NO_TERMINAL, LOST -> new StatusResult.NoTerminal(e.detail);
        };
    finish("status enquiry", e, result.getClass().getSimpleName());
    return result;
  }

  /** The latest health; ONLINE-unknown until the first operation. */
  public DeviceHealth health() {
    DeviceHealth h = reported;
    return h != null
        ? h
        : new DeviceHealth(DEVICE, HealthState.ONLINE, "no exchange yet on " + serial.name());
  }

  @Override
  public void close() {
    serial.close();
  }

  // ---------------------------------------------------------------- authorization

  /** One running authorization, visible to {@link #abort()}. */
  private record Running(AuthorizationMachine machine, AtomicBoolean abort) {
    Running(AuthorizationMachine machine) {
      this(machine, new AtomicBoolean());
    }
  }

  private AuthorizationResult runAuthorization(
      long amountCents, AuthorizationListener listener, Running r) {
    link.startOperation();
    Apdu command =
        new Apdu(
            0x06, 0x01, Bmp.concat(Bmp.amount(amountCents), Bmp.currency(settings.currency())));
    try {
      if (!link.send(command)) {
        return new AuthorizationResult.NoTerminal(noAck());
      }
    } catch (IOException e) {
      return new AuthorizationResult.NoTerminal("cannot write to " + link.name() + ": " + e);
    }
    AuthorizationMachine machine = r.machine();
    Decision decision = new Decision();
    long deadline = System.nanoTime() + settings.t3().toNanos();
    Deque<AuthorizationMachine.Event> events = new ArrayDeque<>();
    while (true) {
      if (r.abort().getAndSet(false)) {
        events.add(new AuthorizationMachine.Event.AbortRequested());
      } else {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          events.add(new AuthorizationMachine.Event.TimedOut());
        } else {
          try {
            Optional<Apdu> apdu = link.receive(min(Duration.ofNanos(left), POLL));
            if (apdu.isPresent()) {
              events.add(new AuthorizationMachine.Event.Received(apdu.get()));
            }
          } catch (IOException e) {
            events.add(new AuthorizationMachine.Event.LinkLost(e.getMessage()));
          }
        }
      }
      while (!events.isEmpty()) {
        AuthorizationMachine.Event event = events.removeFirst();
        boolean restart = event instanceof AuthorizationMachine.Event.Received;
        boolean wasAborting = machine.state() == AuthorizationState.ABORTING;
        for (AuthorizationMachine.Action action : machine.on(event)) {
          Optional<AuthorizationResult> done = perform(action, listener, decision, events);
          if (done.isPresent()) {
            return done.get();
          }
        }
        if (restart) { // T3 or T4, by the state the message led to
          Duration wait =
              machine.state() == AuthorizationState.AWAIT_COMMAND_ACK
                  ? settings.t3()
                  : settings.t4();
          deadline = System.nanoTime() + wait.toNanos();
        } else if (!wasAborting && machine.state() == AuthorizationState.ABORTING) {
          deadline = System.nanoTime() + settings.t3().toNanos(); // for the answer to 06 B0
        }
      }
    }
  }

  /** The goods decision of one authorization. */
  private static final class Decision {
    CompletableFuture<GoodsDecision> future;
    long patienceEnd;
  }

  private Optional<AuthorizationResult> perform(
      AuthorizationMachine.Action action,
      AuthorizationListener listener,
      Decision decision,
      Deque<AuthorizationMachine.Event> events) {
    if (action instanceof AuthorizationMachine.Action.Finish f) {
      return Optional.of(f.result());
    }
    if (action instanceof AuthorizationMachine.Action.Reply reply) {
      sendOrLose(reply.apdu(), events);
    } else if (action instanceof AuthorizationMachine.Action.SendAbort) {
      sendOrLose(new Apdu(0x06, 0xB0, Bmp.password(settings.password())), events);
    } else if (action instanceof AuthorizationMachine.Action.Intermediate i) {
      safely(() -> listener.intermediateStatus(i.code(), i.text()));
    } else if (action instanceof AuthorizationMachine.Action.Receipt receipt) {
      safely(() -> listener.receiptLines(receipt.lines()));
    } else if (action instanceof AuthorizationMachine.Action.AskGoods ask) {
      decision.patienceEnd = System.nanoTime() + settings.goodsDecisionPatience().toNanos();
      try {
        decision.future = Objects.requireNonNull(listener.goodsDecision(ask.info()));
      } catch (RuntimeException e) {
        log.warn("goods decision listener failed; refusing the goods: {}", e.toString());
        decision.future = CompletableFuture.completedFuture(GoodsDecision.REFUSED);
      }
      events.addFirst(hold(decision));
    } else if (action instanceof AuthorizationMachine.Action.AwaitGoods) {
      events.addFirst(hold(decision));
    }
    return Optional.empty();
  }

  /** Waits up to the hold time (and no later than the patience) for the goods decision. */
  private AuthorizationMachine.Event hold(Decision decision) {
    long left = decision.patienceEnd - System.nanoTime();
    long wait = Math.max(0, Math.min(left, settings.goodsDecisionHold().toNanos()));
    try {
      GoodsDecision d = decision.future.get(wait, TimeUnit.NANOSECONDS);
      return new AuthorizationMachine.Event.GoodsDecided(d == null ? GoodsDecision.REFUSED : d);
    } catch (TimeoutException e) {
      if (decision.patienceEnd - System.nanoTime() <= 0) {
        log.warn(
            "no goods decision within {}; refusing the goods", settings.goodsDecisionPatience());
        return new AuthorizationMachine.Event.GoodsDecided(GoodsDecision.REFUSED);
      }
      return new AuthorizationMachine.Event.GoodsPending();
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      log.warn("goods decision failed; refusing the goods: {}", e.toString());
      return new AuthorizationMachine.Event.GoodsDecided(GoodsDecision.REFUSED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new AuthorizationMachine.Event.GoodsDecided(GoodsDecision.REFUSED);
    }
  }

  private void sendOrLose(Apdu apdu, Deque<AuthorizationMachine.Event> events) {
    try {
      if (!link.send(apdu)) {
        events.addFirst(new AuthorizationMachine.Event.LinkLost(noAck()));
      }
    } catch (IOException e) {
      events.addFirst(new AuthorizationMachine.Event.LinkLost(e.getMessage()));
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("authorization listener failed: {}", e.toString());
    }
  }

  // ---------------------------------------------------------------- other commands

  private enum End {
    COMPLETED,
    PT_ABORTED,
    REFUSED,
    NO_TERMINAL,
    LOST
  }

  /** What a command other than authorization led to. */
  private static final class Exchange {
    End end;
    int resultCode;
    String detail = "";
    Optional<StatusInformation> lastInfo = Optional.empty();
    final List<String> receipt = new ArrayList<>();
    byte[] completion = new byte[0];
  }

  /**
   * Sends {@code command}, waits up to T3 for {@code 80 00 00} ({@code 84 9C} restarts the wait),
   * then serves the terminal as master until {@code 06 0F} or {@code 06 1E}, with T4 restarted on
   * every message: 04 FF, 06 D1/D3 and 04 0F are answered 80 00 00.
   */
  private Exchange exchange(String what, Apdu command) {
    Exchange e = new Exchange();
    link.startOperation();
    try {
      if (!link.send(command)) {
        e.end = End.NO_TERMINAL;
        e.detail = noAck();
        return e;
      }
      boolean accepted = false;
      long deadline = System.nanoTime() + settings.t3().toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          e.end = accepted ? End.LOST : End.NO_TERMINAL;
          e.detail =
              accepted
                  ? "no message from the terminal within T4 during the " + what
                  : "the terminal did not accept the " + what + " within T3";
          return e;
        }
        Optional<Apdu> received = link.receive(Duration.ofNanos(left));
        if (received.isEmpty()) {
          continue;
        }
        Apdu a = received.get();
        if (!accepted && a.is(0x84, ZvtCodes.PLEASE_WAIT)) {
          deadline = System.nanoTime() + settings.t3().toNanos();
          continue;
        }
        if (!accepted && a.cls() == 0x84 && a.instr() != 0x00) {
          e.end = End.REFUSED;
          e.resultCode = a.instr();
          return e;
        }
        accepted = true;
        deadline = System.nanoTime() + settings.t4().toNanos();
        if (AuthorizationMachine.isAnswer(a)) {
          continue;
        }
        if (a.is(0x06, 0x0F) || a.is(0x06, 0x1E)) {
          if (!link.send(AuthorizationMachine.ACK)) {
            log.warn("{}: the terminal did not acknowledge our answer to its completion", what);
          }
          e.end = a.is(0x06, 0x0F) ? End.COMPLETED : End.PT_ABORTED;
          e.resultCode = AuthorizationMachine.resultCode(a);
          e.completion = a.data();
          return e;
        }
        if (a.is(0x04, 0x0F)) {
          StatusInformation.Decoding d = StatusInformation.decode(a);
          if (d instanceof StatusInformation.Decoding.Decoded ok) {
            e.lastInfo = Optional.of(ok.info());
          } else {
            log.warn("{}: unreadable status information: {}", what, d);
          }
        } else if (a.is(0x06, 0xD1) || a.is(0x06, 0xD3)) {
          ReceiptText.lines(a).ifPresent(e.receipt::addAll);
        }
        boolean known =
            a.is(0x04, 0x0F) || a.is(0x04, 0xFF) || a.is(0x06, 0xD1) || a.is(0x06, 0xD3);
        if (!link.send(known ? AuthorizationMachine.ACK : AuthorizationMachine.NOT_POSSIBLE)) {
          e.end = End.LOST;
          e.detail = noAck();
          return e;
        }
      }
    } catch (IOException io) {
      e.end = End.LOST;
      e.detail = "link " + link.name() + " failed: " + io.getMessage();
      return e;
    }
  }

  private void finish(String what, Exchange e, String outcome) {
    boolean failed = e.end == End.NO_TERMINAL;
    record(failed, e.detail);
    log.info("{} ended {}", what, outcome);
  }

  private static ReversalResult refusedReversal(int rc) {
    return rc == ZvtCodes.ALREADY_REVERSED
        ? new ReversalResult.AlreadyReversed(ZvtCodes.resultText(rc))
        : new ReversalResult.Refused(rc, ZvtCodes.resultText(rc));
  }

  /** BMP 29 of a completion {@code [19 status] [29 TID] …}, if it can be read. */
  private static Optional<String> completionTerminalId(byte[] data) {
    Bmp.Parse p = Bmp.decode(data);
    if (p instanceof Bmp.Parse.Fields f) {
      return f.first(Bmp.TERMINAL_ID)
          .flatMap(t -> Bmp.fromBcd(t.value()).map(v -> String.format("%08d", v)));
    }
    return Optional.empty();
  }

  private static int completionStatusByte(byte[] data) {
    Bmp.Parse p = Bmp.decode(data);
    if (p instanceof Bmp.Parse.Fields f) {
      return f.first(Bmp.PAYMENT_TYPE).map(s -> s.value()[0] & 0xFF).orElse(0);
    }
    return 0;
  }

  private String noAck() {
    return "no ACK to " + (settings.linkRetries() + 1) + " tries of a frame on " + link.name();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  // ---------------------------------------------------------------- health

  private void record(boolean failed, String detail) {
    boolean trouble = link.troubled();
    String troubleText = link.trouble();
    troubled.addLast(trouble);
    while (troubled.size() > WINDOW) {
      troubled.removeFirst();
    }
    DeviceHealth now;
    if (failed) {
      now = new DeviceHealth(DEVICE, HealthState.OFFLINE, detail);
    } else if (troubled.contains(Boolean.TRUE)) {
      long count = troubled.stream().filter(Boolean::booleanValue).count();
      now =
          new DeviceHealth(
              DEVICE,
              HealthState.DEGRADED,
              count
                  + " of the last "
                  + troubled.size()
                  + " exchanges on "
                  + link.name()
                  + " met link trouble"
                  + (trouble ? " (latest: " + troubleText + ")" : ""));
    } else {
      now = new DeviceHealth(DEVICE, HealthState.ONLINE, "answering on " + link.name());
    }
    DeviceHealth before = reported;
    if (before == null || before.state() != now.state()) {
      reported = now;
      healthListener.healthChanged(now);
    }
  }
}
