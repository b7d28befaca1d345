package dev.locker.hal.payment;

import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.core.domain.Money;
import dev.locker.hal.zvt.AuthorizationResult;
import dev.locker.hal.zvt.GoodsDecision;
import dev.locker.hal.zvt.StatusInformation;
import dev.locker.hal.zvt.ZvtTerminal;
import dev.locker.hal.zvt.ZvtTerminal.ReceiptResult;
import dev.locker.hal.zvt.ZvtTerminal.ReversalResult;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locker's {@link PaymentTerminal} on a ZVT terminal (device-protocols.md §4.4,
 * reliability-security.md §2): a charge is an authorization {@code 06 01} whose goods decision is
 * the parcel's release, a cancel is the ECR abort {@code 06 B0}, the last transaction is a repeat
 * receipt {@code 06 20} and a reversal is {@code 06 30} by receipt number.
 *
 * <pre>
 *   AuthorizationResult      ChargeOutcome
 *   Approved                 Paid, with the receipt lines
 *   Reversed                 Reversed, saying why the parcel was not released
 *   Declined                 Declined
 *   Aborted                  Cancelled
 *   NoTerminal               NoTerminal
 *   OutcomeUnknown           Unknown, with the approval when the last status information was one
 * </pre>
 *
 * <p>A charge the terminal cannot take, an amount of 0, one in another currency or one beyond the
 * twelve digits of BMP 04, is {@link ChargeOutcome.NoTerminal}: the terminal is never asked,
 * nothing is paid, and no retry on this terminal can change that (the card would not be the
 * problem, so it is not a decline).
 *
 * <p>A receipt number (BMP 87) is what a later reversal names, so an approval without one is never
 * held: the goods are refused at once without asking {@link Release}, the terminal reverses it, and
 * the charge is {@link ChargeOutcome.Declined}. An unknown outcome whose approval lacks one carries
 * no approval; {@link #lastTransaction()} tells the rest.
 *
 * <p>Receipt numbers travel as four decimal digits ({@code 0470}) and traces as six, as the
 * terminal prints them. The masked PAN keeps only its last four digits; it is never logged, and
 * neither are frames (the driver logs none at INFO).
 *
 * <p>Threads: {@link #charge}, {@link #lastTransaction()} and {@link #reverse} run one at a time on
 * their callers' threads and block; {@link #cancel()} comes from any thread and does not block.
 */
public final class ZvtPaymentTerminal implements PaymentTerminal {
  private static final Logger log = LoggerFactory.getLogger(ZvtPaymentTerminal.class);

  /** BMP 04 holds twelve BCD digits. */
  static final long MAX_AMOUNT = 999_999_999_999L;

  private static final Pattern RECEIPT = Pattern.compile("[0-9]{1,4}");

  private final ZvtTerminal terminal;
  private final String currency;
  private volatile Charge running;

  /**
   * @param currency the alphabetic ISO 4217 code of the terminal's numeric one ({@code "EUR"} for
   *     978, {@code "HKD"} for 344)
   * @throws IllegalArgumentException when {@code currency} is no ISO 4217 code or not the
   *     terminal's
   */
  public ZvtPaymentTerminal(ZvtTerminal terminal, String currency) {
    this.terminal = Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(currency, "currency");
    int numeric;
    try {
      numeric = Currency.getInstance(currency).getNumericCode();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\"" + currency + "\" is not an ISO 4217 currency code such as EUR or HKD", e);
    }
    if (numeric != terminal.currency()) {
      throw new IllegalArgumentException(
          String.format(
              "the terminal charges in ISO 4217 %03d (%s), not in %s (%03d)",
              terminal.currency(),
              alphabetic(terminal.currency()).orElse("no currency known"),
              currency,
              numeric));
    }
    this.currency = currency;
  }

  /** The ZVT terminal underneath, for registration, a technician's test payment and closing. */
  public ZvtTerminal terminal() {
    return terminal;
  }

  @Override
  public String currency() {
    return currency;
  }

  // ---------------------------------------------------------------- charge

  /** Where a charge stands as far as {@link #cancel()} is concerned. */
  private enum Stage {
    /** No approval yet: a cancel can still stop it. */
    RUNNING,
    /** The customer cancelled: abort, and refuse the goods should an approval come anyway. */
    CANCELLED,
    /** Approved and handed to {@link Release}: only the release decision can undo it. */
    APPROVED
  }

  /** One running charge. */
  private static final class Charge {
    final AtomicReference<Stage> stage = new AtomicReference<>(Stage.RUNNING);
    volatile boolean abortRequested;

    /** Why the parcel was not released, once known. */
    volatile String notReleased;
  }

  @Override
  public synchronized ChargeOutcome charge(Money amount, Release release, Progress progress) {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(progress, "progress");
    Optional<String> untakeable = untakeable(amount);
    if (untakeable.isPresent()) {
      log.info("charge refused without asking the terminal: {}", untakeable.get());
      return new ChargeOutcome.NoTerminal(untakeable.get());
    }
    Charge charge = new Charge();
    running = charge;
    try {
      if (charge.stage.get() == Stage.CANCELLED) {
        return new ChargeOutcome.Cancelled("cancelled on the screen before the terminal was asked");
      }
      AuthorizationResult result =
          terminal.authorize(amount.amount(), new Listener(charge, amount, release, progress));
      ChargeOutcome outcome = outcome(result, amount, charge);
      log.info(
          "charge of {} {} ended {}{}",
          amount.amount(),
          currency,
          outcome.getClass().getSimpleName(),
          receiptOf(outcome).map(r -> ", receipt " + r).orElse(""));
      return outcome;
    } finally {
      running = null;
    }
  }

  /** Why the terminal cannot take {@code amount}, if it cannot. */
  private Optional<String> untakeable(Money amount) {
    if (!amount.currency().equals(currency)) {
      return Optional.of("the terminal charges in " + currency + ", not in " + amount.currency());
    }
    if (amount.amount() == 0) {
      return Optional.of("an amount of 0 is not charged to a card");
    }
    if (amount.amount() > MAX_AMOUNT) {
      return Optional.of("the amount has more than the twelve digits a ZVT terminal takes");
    }
    return Optional.empty();
  }

  /** Follows one authorization on the authorizing thread. */
  private final class Listener implements ZvtTerminal.AuthorizationListener {
    private final Charge charge;
    private final Money amount;
    private final Release release;
    private final Progress progress;

    Listener(Charge charge, Money amount, Release release, Progress progress) {
      this.charge = charge;
      this.amount = amount;
      this.release = release;
      this.progress = progress;
    }

    @Override
    public void intermediateStatus(int code, String text) {
      // A cancel that came before the driver's authorization began found nothing to abort.
      if (charge.stage.get() == Stage.CANCELLED && !charge.abortRequested) {
        charge.abortRequested = terminal.abort() == ZvtTerminal.AbortRequest.REQUESTED;
      }
      progress.status(text);
    }

    @Override
    public CompletableFuture<GoodsDecision> goodsDecision(StatusInformation approved) {
      Optional<Approval> approval = approval(approved, currency, amount);
      if (approval.isEmpty()) {
        charge.notReleased =
            "the terminal approved without a receipt number, which a later reversal would need";
        log.warn("{}; refusing the goods so that the terminal reverses it", charge.notReleased);
        return CompletableFuture.completedFuture(GoodsDecision.REFUSED);
      }
      if (!charge.stage.compareAndSet(Stage.RUNNING, Stage.APPROVED)) {
        charge.notReleased = "the customer cancelled before the card was approved";
        return CompletableFuture.completedFuture(GoodsDecision.REFUSED);
      }
      CompletableFuture<Boolean> released;
      try {
        released = release.approved(approval.get());
      } catch (RuntimeException e) {
        charge.notReleased = "releasing the parcel failed: " + e;
        return CompletableFuture.completedFuture(GoodsDecision.REFUSED);
      }
      if (released == null) {
        charge.notReleased = "releasing the parcel gave no answer";
        return CompletableFuture.completedFuture(GoodsDecision.REFUSED);
      }
      return released.handle(
          (done, failure) -> {
            if (failure == null && Boolean.TRUE.equals(done)) {
              return GoodsDecision.ISSUED;
            }
            charge.notReleased =
                failure == null
                    ? "the parcel was not released"
                    : "releasing the parcel failed: " + unwrap(failure);
            return GoodsDecision.REFUSED;
          });
    }
  }

  private ChargeOutcome outcome(AuthorizationResult result, Money amount, Charge charge) {
    if (result instanceof AuthorizationResult.Approved a) {
      Optional<Approval> approval = approval(a.info(), currency, amount);
      return approval.isPresent()
          ? new ChargeOutcome.Paid(approval.get(), a.receipt())
          : new ChargeOutcome.Unknown(
              "the terminal completed a payment without a receipt number", Optional.empty());
    }
    if (result instanceof AuthorizationResult.Reversed r) {
      String why = charge.notReleased != null ? charge.notReleased : "no release decision in time";
      String reason = why + "; the terminal reversed the payment (" + r.text() + ")";
      Optional<Approval> approval = approval(r.info(), currency, amount);
      return approval.isPresent()
          ? new ChargeOutcome.Reversed(approval.get(), reason)
          : new ChargeOutcome.Declined(reason);
    }
    if (result instanceof AuthorizationResult.Declined d) {
      return new ChargeOutcome.Declined(d.text());
    }
    if (result instanceof AuthorizationResult.Aborted a) {
      return new ChargeOutcome.Cancelled(
          charge.stage.get() == Stage.CANCELLED ? "cancelled on the screen" : a.text());
    }
    if (result instanceof AuthorizationResult.NoTerminal n) {
      return new ChargeOutcome.NoTerminal(n.detail());
    }
    AuthorizationResult.OutcomeUnknown u = (AuthorizationResult.OutcomeUnknown) result;
    Optional<StatusInformation> approvedInfo = u.lastInfo().filter(StatusInformation::approved);
    Optional<Approval> approval = approvedInfo.flatMap(i -> approval(i, currency, amount));
    String detail =
        approvedInfo.isPresent() && approval.isEmpty()
            ? u.detail() + "; the approval carried no receipt number"
            : u.detail();
    return new ChargeOutcome.Unknown(detail, approval);
  }

  /**
   * Asks the running charge to stop. True when one was running and has not been approved: the
   * terminal is asked to abort ({@code 06 B0}), and should its approval overtake the abort, the
   * goods are refused so that it reverses. False when nothing runs, or the card was approved and
   * only the release decision can undo it.
   */
  @Override
  public boolean cancel() {
    Charge charge = running;
    if (charge == null) {
      return false;
    }
    if (charge.stage.compareAndSet(Stage.RUNNING, Stage.CANCELLED)) {
      ZvtTerminal.AbortRequest request = terminal.abort();
      charge.abortRequested = request == ZvtTerminal.AbortRequest.REQUESTED;
      log.info("charge cancelled on the screen; terminal abort: {}", request);
      return true;
    }
    return charge.stage.get() == Stage.CANCELLED;
  }

  // ---------------------------------------------------------------- recovery

  @Override
  public synchronized LastTransaction lastTransaction() {
    ReceiptResult result = terminal.repeatReceipt();
    if (result instanceof ReceiptResult.LastTransaction last) {
      StatusInformation info = last.info();
      Optional<Approval> approval = approval(info, currency, Optional.empty());
      if (approval.isEmpty()) {
        return new LastTransaction.NoneKnown(
            "the terminal's last transaction carries no receipt number or no amount");
      }
      return new LastTransaction.Known(
          approval.get(),
          info.approved() && !info.isReversal(),
          info.isReversal()
              ? Optional.of(String.format("%06d", info.originalTrace().getAsInt()))
              : Optional.empty(),
          last.receipt());
    }
    if (result instanceof ReceiptResult.Refused refused) {
      return new LastTransaction.NoneKnown(refused.text());
    }
    return new LastTransaction.NoTerminal(((ReceiptResult.NoTerminal) result).detail());
  }

  /**
   * Reverses by receipt number: one to four digits (the terminal's BMP 87), as {@link
   * Approval#receipt()} gives it; any other text is refused without asking the terminal. A receipt
   * reversed before is {@link ReversalOutcome.AlreadyReversed}: nothing is owed on it.
   */
  @Override
  public synchronized ReversalOutcome reverse(String receipt) {
    if (receipt == null || !RECEIPT.matcher(receipt).matches()) {
      return new ReversalOutcome.Refused("a receipt number is one to four digits");
    }
    int receiptNo = Integer.parseInt(receipt);
    ReversalResult result = terminal.reverse(receiptNo);
    log.info(
        "reversal of receipt {} ended {}",
        receiptText(receiptNo),
        result.getClass().getSimpleName());
    if (result instanceof ReversalResult.Reversed) {
      return new ReversalOutcome.Reversed(receiptText(receiptNo));
    }
    if (result instanceof ReversalResult.AlreadyReversed) {
      return new ReversalOutcome.AlreadyReversed(receiptText(receiptNo));
    }
    if (result instanceof ReversalResult.Refused refused) {
      return new ReversalOutcome.Refused(refused.text());
    }
    if (result instanceof ReversalResult.NoTerminal n) {
      return new ReversalOutcome.NoTerminal(n.detail());
    }
    return new ReversalOutcome.Unknown(((ReversalResult.OutcomeUnknown) result).detail());
  }

  // ---------------------------------------------------------------- mapping

  /**
   * What a receipt may show of {@code info}: empty without a receipt number (nothing could reverse
   * it) or without an amount in it or {@code charged}. The amount is the terminal's, in the
   * currency it names (else {@code currency}), falling back to the charged one.
   */
  static Optional<Approval> approval(StatusInformation info, String currency, Money charged) {
    return approval(info, currency, Optional.of(charged));
  }

  private static Optional<Approval> approval(
      StatusInformation info, String currency, Optional<Money> charged) {
    if (info.receiptNo().isEmpty()) {
      return Optional.empty();
    }
    OptionalLong cents = info.amountCents();
    Optional<Money> amount =
        cents.isPresent()
            ? Optional.of(
                new Money(
                    cents.getAsLong(),
                    info.currency().isPresent()
                        ? alphabetic(info.currency().getAsInt()).orElse(currency)
                        : currency))
            : charged;
    if (amount.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Approval(
            amount.get(),
            receiptText(info.receiptNo().getAsInt()),
            info.trace().isPresent()
                ? Optional.of(String.format("%06d", info.trace().getAsInt()))
                : Optional.empty(),
            info.maskedPan().map(ZvtPaymentTerminal::lastFourOnly),
            info.authCode(),
            info.terminalId(),
            info.cardName()));
  }

  private static String receiptText(int receiptNo) {
    return String.format("%04d", receiptNo);
  }

  /**
   * Every digit but the last four as {@code *}. The driver masks already; this port promises it
   * (PCI DSS 3.4.1), so it does not rely on that.
   */
  static String lastFourOnly(String pan) {
    char[] out = pan.toCharArray();
    int kept = 0;
    for (int i = out.length - 1; i >= 0; i--) {
      if (Character.isDigit(out[i]) && kept++ >= 4) {
        out[i] = '*';
      }
    }
    return new String(out);
  }

  /** The alphabetic ISO 4217 code of a numeric one. */
  static Optional<String> alphabetic(int numeric) {
    return Currency.getAvailableCurrencies().stream()
        .filter(c -> c.getNumericCode() == numeric)
        .map(Currency::getCurrencyCode)
        .filter(Money::isCurrency)
        .sorted()
        .findFirst();
  }

  private static Optional<String> receiptOf(ChargeOutcome outcome) {
    if (outcome instanceof ChargeOutcome.Paid p) {
      return Optional.of(p.approval().receipt());
    }
    if (outcome instanceof ChargeOutcome.Reversed r) {
      return Optional.of(r.approval().receipt());
    }
    if (outcome instanceof ChargeOutcome.Unknown u) {
      return u.approval().map(Approval::receipt);
    }
    return Optional.empty();
  }

  private static String unwrap(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause.toString();
  }
}
