package dev.locker.core.testing;

import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.core.domain.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A card terminal whose customer does what the test says next: pays (the terminal then holds the
 * approval until the locker says whether the parcel was released, and completes or reverses), gets
 * declined, cancels, finds no terminal, or loses the link after the release. Keeps a journal of
 * what it charged and reversed, as a terminal does.
 */
public final class FakePaymentTerminal implements PaymentTerminal {

  /** What the next customer does. */
  public enum Next {
    PAY,
    DECLINE,
    CANCEL,
    NO_TERMINAL,
    /**
     * The link breaks after the release and stays down until {@link #silent(boolean)
     * silent(false)}.
     */
    LOSE_LINK_AFTER_RELEASE
  }

  /** One transaction as the terminal remembers it. */
  public record Entry(String receipt, Money amount, boolean reversed) {}

  private final String currency;
  private Next next = Next.PAY;
  private int receipts;
  private final List<Entry> journal = new ArrayList<>();

  public FakePaymentTerminal(String currency) {
    this.currency = currency;
  }

  public synchronized void next(Next what) {
    this.next = what;
  }

  /** The terminal answers nothing (its cable is out) until told otherwise. */
  private boolean silent;

  public synchronized void silent(boolean silent) {
    this.silent = silent;
  }

  /** The next lost link heals at once: the locker's first question gets an answer. */
  private boolean blip;

  public synchronized void silentForOneCall() {
    blip = true;
  }

  /** A transaction the terminal made while the locker was not listening (a crash). */
  public synchronized String remember(Money amount, boolean reversed) {
    receipts++;
    String receipt = String.format("%04d", receipts);
    journal.add(new Entry(receipt, amount, reversed));
    return receipt;
  }

  public synchronized List<Entry> journal() {
    return List.copyOf(journal);
  }

  @Override
  public String currency() {
    return currency;
  }

  @Override
  public ChargeOutcome charge(Money amount, Release release, Progress progress) {
    Next what;
    synchronized (this) {
      what = next;
    }
    progress.status("insert card");
    switch (what) {
      case DECLINE:
        return new ChargeOutcome.Declined("declined by the card issuer");
      case CANCEL:
        return new ChargeOutcome.Cancelled("cancelled by the customer");
      case NO_TERMINAL:
        return new ChargeOutcome.NoTerminal("no answer from the terminal");
      default:
        break;
    }
    Approval approval;
    synchronized (this) {
      receipts++;
      approval =
          new Approval(
              amount,
              String.format("%04d", receipts),
              Optional.of(String.format("%06d", 100 + receipts)),
              Optional.of("************4771"),
              Optional.of("A1B2C3"),
              Optional.of("28004869"),
              Optional.of("Debit Mastercard"));
      journal.add(new Entry(approval.receipt(), amount, false));
    }
    boolean released;
    try {
      released = Boolean.TRUE.equals(release.approved(approval).get(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      released = false;
    } catch (ExecutionException | TimeoutException e) {
      released = false;
    }
    if (what == Next.LOSE_LINK_AFTER_RELEASE) {
      synchronized (this) {
        silent = !blip; // the link stays down until the test says otherwise
        blip = false;
      }
      return new ChargeOutcome.Unknown("the link to the terminal was lost", Optional.of(approval));
    }
    if (!released) {
      reverseEntry(approval.receipt());
      return new ChargeOutcome.Reversed(approval, "the parcel was not released");
    }
    return new ChargeOutcome.Paid(approval, List.of("APPROVED", "Amount " + amount.amount()));
  }

  private synchronized boolean reverseEntry(String receipt) {
    for (int i = 0; i < journal.size(); i++) {
      Entry e = journal.get(i);
      if (e.receipt().equals(receipt)) {
        if (e.reversed()) {
          return false;
        }
        journal.set(i, new Entry(e.receipt(), e.amount(), true));
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean cancel() {
    return false;
  }

  @Override
  public synchronized LastTransaction lastTransaction() {
    if (silent) {
      return new LastTransaction.NoTerminal("no answer");
    }
    if (journal.isEmpty()) {
      return new LastTransaction.NoneKnown("no transaction yet");
    }
    Entry last = journal.get(journal.size() - 1);
    return new LastTransaction.Known(
        new Approval(
            last.amount(),
            last.receipt(),
            Optional.empty(),
            Optional.of("************4771"),
            Optional.of("A1B2C3"),
            Optional.of("28004869"),
            Optional.of("Debit Mastercard")),
        !last.reversed(),
        Optional.empty(),
        List.of());
  }

  @Override
  public ReversalOutcome reverse(String receipt) {
    synchronized (this) {
      if (silent) {
        return new ReversalOutcome.NoTerminal("no answer");
      }
    }
    synchronized (this) {
      boolean known = journal.stream().anyMatch(e -> e.receipt().equals(receipt));
      if (!known) {
        return new ReversalOutcome.Refused("unknown receipt");
      }
    }
    return reverseEntry(receipt)
        ? new ReversalOutcome.Reversed(receipt)
        : new ReversalOutcome.AlreadyReversed(receipt);
  }
}
