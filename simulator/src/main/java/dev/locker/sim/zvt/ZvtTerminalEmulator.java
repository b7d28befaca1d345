package dev.locker.sim.zvt;

import dev.locker.hal.serial.SerialLink;
import dev.locker.hal.zvt.Apdu;
import dev.locker.hal.zvt.Bmp;
import dev.locker.hal.zvt.ReceiptText;
import dev.locker.hal.zvt.ZvtCodes;
import dev.locker.hal.zvt.ZvtFrame;
import dev.locker.hal.zvt.ZvtFramer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A ZVT payment terminal on the device end of a serial link, byte for byte (device-protocols.md
 * §4.2–§4.4, §8): link ACK/NAK with resends, registration, authorization with intermediate status,
 * status information and the goods decision, receipts as text blocks or print lines when registered
 * with config bit 0x80, completion, abort, reversal, repeat receipt and status enquiry. A journal
 * keeps every transaction with its receipt number.
 *
 * <p>The terminal reverses a payment by itself when the ECR refuses the goods ({@code 84 66 00}),
 * when the ECR never answers the status information (the ECR crashed), or when it keeps answering
 * {@code 84 9C 00} beyond {@link Options#maxStatusRepeats()}: {@code 04 FF 05} "sending
 * auto-reversal", then {@code 06 1E 66}.
 *
 * <p>Plans, set at run time from any thread: the outcome of the next payment, the card number it
 * sends, and faults (bad CRC once or always, NAK the first N frames, a dropped byte, slow, silent).
 *
 * <p>Threads: one daemon thread {@code zvt-terminal-emulator} reads the link and plays the
 * terminal. Timestamps come from the injected clock.
 */
public final class ZvtTerminalEmulator implements AutoCloseable {
  /** Rc of the {@code 06 1E} after an auto-reversal. */
  public static final int AUTO_REVERSAL_RC = ZvtCodes.PROCESSING_ERROR;

  /** How often a slow terminal repeats "please wait" before it accepts a command. */
  private static final Duration PLEASE_WAIT_EVERY = Duration.ofMillis(300);

  /** Rc of a declined payment. */
  public static final int DECLINE_RC = 0x05;

  /** How the next payment ends. */
  public enum Outcome {
    APPROVE,
    /** Declined by {@code 06 1E 05}. */
    DECLINE_ABORT,
    /** Declined by status information {@code 27 05}, then completion {@code 06 0F 00} (§8). */
    DECLINE_STATUS,
    /** Nobody presented a card: {@code 06 1E 6C}. */
    TIMEOUT,
    /** The customer pressed the terminal's stop key: {@code 06 1E 6C}. */
    CUSTOMER_CANCEL
  }

  /** How receipts reach the ECR. */
  public enum ReceiptStyle {
    TEXT_BLOCK,
    PRINT_LINES
  }

  /**
   * @param password the password commands must carry (six digits)
   * @param terminalId eight digits, BMP 29
   * @param ackTimeout how long to wait for the ECR's link ACK before repeating a frame
   * @param answerTimeout how long to wait for the ECR's APDU answer to a message (T3-like); no
   *     answer to a status information means the ECR crashed, and the payment is reversed
   * @param cardPhase how long the customer takes to present a card
   * @param repeatInterval the pause before repeating a status information after {@code 84 9C}
   * @param maxStatusRepeats how often a status information is repeated before the terminal gives up
   *     and reverses
   * @param linkRetries repeats of a frame after NAK or silence
   * @param pan the card number the status information carries in BMP 22: digits, {@code *} for a
   *     digit the terminal masks (nibble E); {@link #MASKED_PAN} by default, as a terminal set up
   *     not to emit the PAN sends it. A full number plays a terminal that does emit it.
   */
  public record Options(
      String password,
      String terminalId,
      Duration ackTimeout,
      Duration answerTimeout,
      Duration cardPhase,
      Duration repeatInterval,
      int maxStatusRepeats,
      ReceiptStyle receiptStyle,
      int linkRetries,
      String pan) {
    /** What a terminal set up not to emit the PAN sends: its last four digits only. */
    public static final String MASKED_PAN = "************4771";

    public Options {
      Bmp.password(password);
      if (!terminalId.matches("[0-9]{8}")) {
        throw new IllegalArgumentException("the terminal id is eight digits");
      }
      requirePan(pan);
    }

    /** Options that send {@link #MASKED_PAN}. */
    public Options(
        String password,
        String terminalId,
        Duration ackTimeout,
        Duration answerTimeout,
        Duration cardPhase,
        Duration repeatInterval,
        int maxStatusRepeats,
        ReceiptStyle receiptStyle,
        int linkRetries) {
      this(
          password,
          terminalId,
          ackTimeout,
          answerTimeout,
          cardPhase,
          repeatInterval,
          maxStatusRepeats,
          receiptStyle,
          linkRetries,
          MASKED_PAN);
    }

    /** A terminal whose ECR password is {@code password}, with lifelike timing. */
    public static Options defaults(String password) {
      return new Options(
          password,
          "28004869",
          Duration.ofMillis(500),
          Duration.ofSeconds(5),
          Duration.ofMillis(300),
          Duration.ofMillis(200),
          20,
          ReceiptStyle.TEXT_BLOCK,
          3);
    }

    public Options withTimeouts(Duration ack, Duration answer) {
      return new Options(
          password,
          terminalId,
          ack,
          answer,
          cardPhase,
          repeatInterval,
          maxStatusRepeats,
          receiptStyle,
          linkRetries,
          pan);
    }

    public Options withReceiptStyle(ReceiptStyle style) {
      return new Options(
          password,
          terminalId,
          ackTimeout,
          answerTimeout,
          cardPhase,
          repeatInterval,
          maxStatusRepeats,
          style,
          linkRetries,
          pan);
    }

    public Options withPan(String cardNumber) {
      return new Options(
          password,
          terminalId,
          ackTimeout,
          answerTimeout,
          cardPhase,
          repeatInterval,
          maxStatusRepeats,
          receiptStyle,
          linkRetries,
          cardNumber);
    }
  }

  /** A PAN as BMP 22 can carry it: 1 to 19 digits or {@code *}. */
  private static String requirePan(String pan) {
    Objects.requireNonNull(pan, "pan");
    if (!pan.matches("[0-9*]{1,19}")) {
      throw new IllegalArgumentException("a PAN is 1 to 19 digits, '*' for a masked one");
    }
    return pan;
  }

  /** One journal line, as the terminal's turnover file keeps it. */
  public record Transaction(
      Instant at,
      int receiptNo,
      int trace,
      long amountCents,
      int currency,
      Kind kind,
      int originalReceiptNo,
      int originalTrace,
      boolean reversed) {
    /** What the line records. */
    public enum Kind {
      PAYMENT,
      REVERSAL
    }
  }

  private final SerialLink link;
  private final Clock clock;
  private final Options options;
  private final ZvtFramer framer;
  private final Deque<Apdu> inbox = new ArrayDeque<>();
  private final List<Apdu> received = new CopyOnWriteArrayList<>();
  private final List<Apdu> sent = new CopyOnWriteArrayList<>();
  private final List<Transaction> journal = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean idle = true;

  private volatile Outcome nextOutcome = Outcome.APPROVE;
  private volatile int badCrcFrames;
  private volatile int nakFrames;
  private volatile boolean dropByte;
  private volatile boolean silent;
  private volatile Duration slowPhase = Duration.ZERO;
  private volatile String pan;
  private volatile Duration cardPhase;

  private int config;
  private int currency = 978;
  private int nextReceipt = 1;
  private int nextTrace = 1;
  private boolean abortRequested;

  public ZvtTerminalEmulator(SerialLink link, Clock clock, Options options) {
    this.link = Objects.requireNonNull(link, "link");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.pan = options.pan();
    this.cardPhase = options.cardPhase();
    this.framer = new ZvtFramer(Duration.ofMillis(200));
    this.thread = new Thread(this::serve, "zvt-terminal-emulator");
    thread.setDaemon(true);
    thread.start();
  }

  // ---------------------------------------------------------------- plans

  /** The outcome of the next payment only; later ones are approved. */
  public void nextPayment(Outcome outcome) {
    nextOutcome = Objects.requireNonNull(outcome, "outcome");
  }

  /**
   * The card number sent from now on in BMP 22 (see {@link Options#pan()}), e.g. a full test PAN to
   * check that the ECR keeps none of it. Receipts print it masked to its last four, as every
   * terminal does.
   */
  public void sendPan(String cardNumber) {
    pan = requirePan(cardNumber);
  }

  /**
   * How long customers take to present a card from now on (see {@link Options#cardPhase()}): a long
   * run of payments goes faster with a customer who holds the card ready.
   */
  public void cardPresentedAfter(Duration phase) {
    if (Objects.requireNonNull(phase, "phase").isNegative()) {
      throw new IllegalArgumentException("a card phase is not negative");
    }
    cardPhase = phase;
  }

  /** The next {@code frames} frames sent carry a bad CRC ({@link Integer#MAX_VALUE}: always). */
  public void badCrc(int frames) {
    badCrcFrames = frames;
  }

  /** The first {@code frames} good frames received are answered NAK, as if garbled. */
  public void nakFirst(int frames) {
    nakFrames = frames;
  }

  /** The next frame sent loses one byte in the middle. */
  public void dropByteOnce() {
    dropByte = true;
  }

  /** The terminal answers nothing at all, not even a link ACK (cable cut, powered off). */
  public void silent(boolean on) {
    silent = on;
  }

  /**
   * A slow terminal: commands are first answered {@code 84 9C 00} (please wait) and accepted only
   * after {@code phase}; the card phase lasts {@code phase} longer, with "please wait" statuses.
   */
  public void slow(Duration phase) {
    slowPhase = Objects.requireNonNull(phase, "phase");
  }

  public void clearFaults() {
    badCrcFrames = 0;
    nakFrames = 0;
    dropByte = false;
    silent = false;
    slowPhase = Duration.ZERO;
  }

  /** The turnover journal, oldest first. */
  public synchronized List<Transaction> journal() {
    return List.copyOf(journal);
  }

  /** Whether the terminal is waiting for a command (no transaction or print job running). */
  public boolean idle() {
    return idle;
  }

  /** Every APDU received (and acknowledged) so far. */
  public List<Apdu> received() {
    return List.copyOf(received);
  }

  /** Every APDU sent so far (once, however often the link repeated it). */
  public List<Apdu> sent() {
    return List.copyOf(sent);
  }

  // ---------------------------------------------------------------- commands

  private void serve() {
    while (running) {
      try {
        Optional<Apdu> command = next(Duration.ofMillis(200));
        if (command.isPresent()) {
          idle = false;
          try {
            handle(command.get());
          } finally {
            idle = inbox.isEmpty();
          }
        }
      } catch (IOException e) {
        if (!running) {
          return;
        }
        sleep(Duration.ofMillis(50));
      }
    }
  }

  private void handle(Apdu c) throws IOException {
    if (c.is(0x06, 0x00)) {
      register(c);
    } else if (c.is(0x06, 0x01)) {
      authorize(c);
    } else if (c.is(0x06, 0x30)) {
      reverse(c);
    } else if (c.is(0x06, 0x20)) {
      repeatReceipt(c);
    } else if (c.is(0x05, 0x01)) {
      if (accept(c, 3)) {
        sendAndAwait(completion());
      }
    } else if (c.cls() == 0x80 || c.cls() == 0x84) {
      return; // a late answer to something already given up
    } else {
      send(Apdu.of(0x84, ZvtCodes.FUNCTION_NOT_POSSIBLE));
    }
  }

  /** Checks the password and answers 80 00 00 (after 84 9C 00 when slow); false if refused. */
  private boolean accept(Apdu c, int minLength) throws IOException {
    byte[] d = c.data();
    byte[] pw = Bmp.password(options.password());
    if (d.length < minLength || d.length < 3 || d[0] != pw[0] || d[1] != pw[1] || d[2] != pw[2]) {
      send(Apdu.of(0x84, ZvtCodes.FUNCTION_NOT_POSSIBLE));
      return false;
    }
    return acceptCommand();
  }

  private boolean acceptCommand() throws IOException {
    long end = System.nanoTime() + slowPhase.toNanos();
    while (System.nanoTime() < end) { // 84 9C 00 restarts the ECR's T3 each time
      send(Apdu.of(0x84, ZvtCodes.PLEASE_WAIT));
      sleep(PLEASE_WAIT_EVERY);
    }
    return send(Apdu.of(0x80, 0x00));
  }

  private void register(Apdu c) throws IOException {
    byte[] d = c.data();
    if (!accept(c, 4)) {
      return;
    }
    config = d[3] & 0xFF;
    if (d.length >= 6 && (d[4] & 0xFF) != 0x03) {
      currency = Bmp.fromBcd(new byte[] {d[4], d[5]}).orElse(978L).intValue();
    }
    sendAndAwait(completion());
  }

  private void authorize(Apdu c) throws IOException {
    Bmp.Parse parse = Bmp.decode(c.data());
    Optional<Bmp.Field> amount =
        parse instanceof Bmp.Parse.Fields f ? f.first(Bmp.AMOUNT) : Optional.empty();
    Optional<Long> cents = amount.flatMap(a -> Bmp.fromBcd(a.value()));
    if (cents.isEmpty()) {
      send(Apdu.of(0x84, ZvtCodes.FUNCTION_NOT_POSSIBLE));
      return;
    }
    int cc =
        ((Bmp.Parse.Fields) parse)
            .first(Bmp.CURRENCY)
            .flatMap(f -> Bmp.fromBcd(f.value()))
            .map(Long::intValue)
            .orElse(currency);
    Outcome outcome = nextOutcome;
    nextOutcome = Outcome.APPROVE;
    abortRequested = false;
    if (!acceptCommand()) {
      return;
    }
    intermediate(ZvtCodes.IS_INSERT_CARD);
    if (cardPhase()) {
      sendAndAwait(Apdu.of(0x06, 0x1E, ZvtCodes.ABORTED));
      return;
    }
    switch (outcome) {
      case TIMEOUT, CUSTOMER_CANCEL -> sendAndAwait(Apdu.of(0x06, 0x1E, ZvtCodes.ABORTED));
      case DECLINE_ABORT -> {
        intermediate(ZvtCodes.IS_DECLINED);
        sendAndAwait(Apdu.of(0x06, 0x1E, DECLINE_RC));
      }
      case DECLINE_STATUS -> {
        byte[] data =
            Bmp.concat(
                Bmp.field(Bmp.RESULT_CODE, new byte[] {DECLINE_RC}),
                Bmp.amount(cents.get()),
                Bmp.currency(cc));
        sendAndAwait(new Apdu(0x04, 0x0F, data));
        sendAndAwait(Apdu.of(0x06, 0x0F));
      }
      case APPROVE -> approve(cents.get(), cc);
      default -> throw new IllegalStateException(outcome.name());
    }
  }

  /** The card phase; true when the ECR aborted it with 06 B0. */
  private boolean cardPhase() throws IOException {
    long end = System.nanoTime() + cardPhase.plus(slowPhase).toNanos();
    long nextPleaseWait = System.nanoTime() + slowPhase.toNanos() / 3;
    while (System.nanoTime() < end) {
      if (abortRequested) {
        return true;
      }
      Optional<Apdu> a = next(Duration.ofMillis(20));
      if (a.isPresent() && a.get().is(0x06, 0xB0)) {
        send(Apdu.of(0x80, 0x00));
        return true;
      }
      if (!slowPhase.isZero() && System.nanoTime() > nextPleaseWait) {
        intermediate(ZvtCodes.IS_PLEASE_WAIT);
        nextPleaseWait = System.nanoTime() + slowPhase.toNanos() / 3;
      }
    }
    return abortRequested;
  }

  private void approve(long cents, int cc) throws IOException {
    Transaction payment;
    synchronized (this) {
      payment =
          new Transaction(
              clock.instant(),
              nextReceipt++,
              nextTrace++,
              cents,
              cc,
              Transaction.Kind.PAYMENT,
              0,
              0,
              false);
      journal.add(payment);
    }
    Apdu info = statusInformation(payment);
    for (int repeat = 0; ; repeat++) {
      Optional<Apdu> answer = sendAndAwait(info);
      if (answer.isEmpty()) {
        autoReverse(payment); // the ECR went silent: it may have crashed before issuing goods
        return;
      }
      Apdu a = answer.get();
      if (a.is(0x80, 0x00) || a.is(0x84, 0x00)) {
        break;
      }
      if (a.is(0x84, ZvtCodes.PLEASE_WAIT) && repeat < options.maxStatusRepeats()) {
        sleep(options.repeatInterval());
        continue;
      }
      autoReverse(payment); // 84 66 00, or patience spent
      return;
    }
    printReceipt(payment, "APPROVED");
    sendAndAwait(completion());
  }

  private void autoReverse(Transaction payment) throws IOException {
    Transaction reversal = bookReversal(payment);
    intermediate(ZvtCodes.IS_SENDING_AUTO_REVERSAL);
    printReceipt(reversal, "REVERSAL");
    sendAndAwait(Apdu.of(0x06, 0x1E, AUTO_REVERSAL_RC));
  }

  private synchronized Transaction bookReversal(Transaction payment) {
    journal.replaceAll(
        t ->
            t.equals(payment)
                ? new Transaction(
                    t.at(),
                    t.receiptNo(),
                    t.trace(),
                    t.amountCents(),
                    t.currency(),
                    t.kind(),
                    0,
                    0,
                    true)
                : t);
    Transaction reversal =
        new Transaction(
            clock.instant(),
            nextReceipt++,
            nextTrace++,
            payment.amountCents(),
            payment.currency(),
            Transaction.Kind.REVERSAL,
            payment.receiptNo(),
            payment.trace(),
            false);
    journal.add(reversal);
    return reversal;
  }

  private void reverse(Apdu c) throws IOException {
    byte[] d = c.data();
    if (d.length != 6 || (d[3] & 0xFF) != Bmp.RECEIPT_NO || !accept(c, 6)) {
      if (d.length != 6 || (d[3] & 0xFF) != Bmp.RECEIPT_NO) {
        send(Apdu.of(0x84, ZvtCodes.FUNCTION_NOT_POSSIBLE));
      }
      return;
    }
    int receiptNo = Bmp.fromBcd(new byte[] {d[4], d[5]}).orElse(-1L).intValue();
    Optional<Transaction> payment;
    synchronized (this) {
      payment =
          journal.stream()
              .filter(t -> t.kind() == Transaction.Kind.PAYMENT && t.receiptNo() == receiptNo)
              .findFirst();
    }
    if (payment.isEmpty()) {
      sendAndAwait(Apdu.of(0x06, 0x1E, ZvtCodes.REVERSAL_NOT_POSSIBLE));
    } else if (payment.get().reversed()) {
      sendAndAwait(Apdu.of(0x06, 0x1E, ZvtCodes.ALREADY_REVERSED));
    } else {
      Transaction reversal = bookReversal(payment.get());
      sendAndAwait(statusInformation(reversal));
      printReceipt(reversal, "REVERSAL");
      sendAndAwait(completion());
    }
  }

  private void repeatReceipt(Apdu c) throws IOException {
    if (!accept(c, 3)) {
      return;
    }
    Optional<Transaction> last;
    synchronized (this) {
      last = journal.isEmpty() ? Optional.empty() : Optional.of(journal.get(journal.size() - 1));
    }
    if (last.isEmpty()) {
      sendAndAwait(Apdu.of(0x06, 0x1E, ZvtCodes.FUNCTION_NOT_POSSIBLE));
      return;
    }
    sendAndAwait(statusInformation(last.get()));
    printReceipt(
        last.get(), last.get().kind() == Transaction.Kind.REVERSAL ? "REVERSAL" : "APPROVED");
    sendAndAwait(completion());
  }

  // ---------------------------------------------------------------- messages

  private Apdu statusInformation(Transaction t) {
    LocalDateTime at = LocalDateTime.ofInstant(t.at(), clock.getZone());
    List<byte[]> parts = new ArrayList<>();
    parts.add(Bmp.field(Bmp.RESULT_CODE, new byte[] {0x00}));
    parts.add(Bmp.amount(t.amountCents()));
    parts.add(Bmp.field(Bmp.TRACE, Bmp.bcd(t.trace(), 3)));
    if (t.kind() == Transaction.Kind.REVERSAL) {
      parts.add(Bmp.field(Bmp.ORIGINAL_TRACE, Bmp.bcd(t.originalTrace(), 3)));
    }
    parts.add(
        Bmp.field(
            Bmp.TIME, Bmp.bcd(at.getHour() * 10000L + at.getMinute() * 100L + at.getSecond(), 3)));
    parts.add(Bmp.field(Bmp.DATE, Bmp.bcd(at.getMonthValue() * 100L + at.getDayOfMonth(), 2)));
    parts.add(Bmp.field(Bmp.EXPIRY, new byte[] {0x25, 0x12}));
    parts.add(Bmp.field(Bmp.PAYMENT_TYPE, new byte[] {0x70}));
    parts.add(Bmp.varField(Bmp.PAN, 2, panNibbles(pan)));
    parts.add(Bmp.field(Bmp.TERMINAL_ID, Bmp.bcd(Long.parseLong(options.terminalId()), 4)));
    parts.add(Bmp.field(Bmp.AUTH_CODE, ascii(String.format("%06d\0\0", t.trace()))));
    parts.add(Bmp.currency(t.currency()));
    parts.add(Bmp.field(Bmp.RECEIPT_NO, Bmp.bcd(t.receiptNo(), 2)));
    parts.add(Bmp.varField(Bmp.CARD_NAME, 2, ascii("Debit Mastercard\0")));
    return new Apdu(0x04, 0x0F, Bmp.concat(parts.toArray(new byte[0][])));
  }

  private Apdu completion() {
    return new Apdu(
        0x06,
        0x0F,
        Bmp.concat(
            Bmp.field(Bmp.PAYMENT_TYPE, new byte[] {0x00}),
            Bmp.field(Bmp.TERMINAL_ID, Bmp.bcd(Long.parseLong(options.terminalId()), 4)),
            Bmp.currency(currency)));
  }

  private void printReceipt(Transaction t, String title) throws IOException {
    if ((config & 0x80) == 0) {
      return;
    }
    List<String> lines =
        List.of(
            title,
            "Terminal-ID " + options.terminalId(),
            String.format("Trace %06d  Receipt %04d", t.trace(), t.receiptNo()),
            String.format("Amount %d.%02d", t.amountCents() / 100, t.amountCents() % 100),
            "Debit Mastercard " + lastFourOnly(pan));
    if (options.receiptStyle() == ReceiptStyle.TEXT_BLOCK) {
      sendAndAwait(ReceiptText.textBlock(lines));
    } else {
      for (int i = 0; i < lines.size(); i++) {
        sendAndAwait(ReceiptText.printLine(i == lines.size() - 1 ? 0x80 : 0x00, lines.get(i)));
      }
    }
  }

  /** BMP 22's value: a digit per nibble, E for a masked one, F padding an odd count. */
  private static byte[] panNibbles(String pan) {
    byte[] out = new byte[(pan.length() + 1) / 2];
    for (int i = 0; i < out.length * 2; i++) {
      int nibble = i >= pan.length() ? 0xF : pan.charAt(i) == '*' ? 0xE : pan.charAt(i) - '0';
      out[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
    }
    return out;
  }

  /** The PAN as a receipt prints it: every digit but the last four as {@code *}. */
  private static String lastFourOnly(String pan) {
    int keep = Math.min(4, pan.length());
    return "*".repeat(pan.length() - keep) + pan.substring(pan.length() - keep);
  }

  /** Sends an intermediate status when the ECR asked for them (config 0x08). */
  private void intermediate(int code) throws IOException {
    if ((config & 0x08) != 0) {
      sendAndAwait(Apdu.of(0x04, 0xFF, code));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- link layer

  /**
   * Sends {@code apdu} as master and waits for the ECR's APDU answer; empty when the frame was not
   * acknowledged or no answer came in time. An ECR abort {@code 06 B0} arriving meanwhile is
   * acknowledged and remembered.
   */
  private Optional<Apdu> sendAndAwait(Apdu apdu) throws IOException {
    if (!send(apdu)) {
      return Optional.empty();
    }
    long end = System.nanoTime() + options.answerTimeout().toNanos();
    while (System.nanoTime() < end) {
      Optional<Apdu> a = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
      if (a.isEmpty()) {
        continue;
      }
      if (a.get().is(0x06, 0xB0)) {
        abortRequested = true;
        send(Apdu.of(0x80, 0x00));
        continue;
      }
      return a;
    }
    return Optional.empty();
  }

  /** Sends one frame and waits for the link ACK, 1 + retries times; false if never ACKed. */
  private boolean send(Apdu apdu) throws IOException {
    byte[] wire = ZvtFrame.encode(apdu.encode());
    if (!silent) {
      sent.add(apdu);
    }
    for (int attempt = 0; attempt <= options.linkRetries(); attempt++) {
      if (silent) {
        return false;
      }
      byte[] sent = wire.clone();
      if (badCrcFrames > 0) {
        if (badCrcFrames != Integer.MAX_VALUE) {
          badCrcFrames--;
        }
        sent[sent.length - 1] ^= 0x5A;
      }
      if (dropByte) {
        dropByte = false;
        byte[] shorter = new byte[sent.length - 1];
        int skip = sent.length / 2;
        System.arraycopy(sent, 0, shorter, 0, skip);
        System.arraycopy(sent, skip + 1, shorter, skip, sent.length - skip - 1);
        sent = shorter;
      }
      link.write(sent);
      long end = System.nanoTime() + options.ackTimeout().toNanos();
      while (System.nanoTime() < end) {
        Boolean ack = pump(Duration.ofNanos(Math.max(1, end - System.nanoTime())), true);
        if (ack != null) {
          if (ack) {
            return true;
          }
          break;
        }
      }
    }
    return false;
  }

  /** The next APDU received within {@code wait}, from the inbox first. */
  private Optional<Apdu> next(Duration wait) throws IOException {
    long end = System.nanoTime() + wait.toNanos();
    while (inbox.isEmpty()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      pump(Duration.ofNanos(left), false);
    }
    return Optional.of(inbox.removeFirst());
  }

  /**
   * Reads once: good frames are ACKed and queued (or NAKed by the plan), bad ones NAKed. Returns
   * the first ACK (true) or NAK (false) when {@code awaitingAck}, else null.
   */
  private Boolean pump(Duration wait, boolean awaitingAck) throws IOException {
    byte[] chunk = link.read(512, wait);
    Boolean handshake = null;
    for (ZvtFramer.Decoded d : framer.feed(chunk, System.nanoTime())) {
      if (silent) {
        continue;
      }
      if (d instanceof ZvtFramer.Decoded.Frame f) {
        if (nakFrames > 0) {
          nakFrames--;
          link.write(new byte[] {ZvtFrame.NAK});
          continue;
        }
        link.write(new byte[] {ZvtFrame.ACK});
        if (Apdu.parse(f.apdu()) instanceof Apdu.Parse.Parsed p) {
          received.add(p.apdu());
          inbox.addLast(p.apdu());
        }
      } else if (d instanceof ZvtFramer.Decoded.BadCrc) {
        link.write(new byte[] {ZvtFrame.NAK});
      } else if (awaitingAck && handshake == null && d instanceof ZvtFramer.Decoded.Ack) {
        handshake = true;
      } else if (awaitingAck && handshake == null && d instanceof ZvtFramer.Decoded.Nak) {
        handshake = false;
      }
    }
    return handshake;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    link.close();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
