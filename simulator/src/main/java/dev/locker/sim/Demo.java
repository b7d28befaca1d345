package dev.locker.sim;

import dev.locker.core.application.DepositRequest;
import dev.locker.core.application.DepositResult;
import dev.locker.core.application.LockerListener;
import dev.locker.core.application.PickupResult;
import dev.locker.core.config.CabinetLayout;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.RecipientPhone;
import dev.locker.core.domain.Size;
import dev.locker.core.store.AuditChain;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code simulator.jar demo}: a courier deposits a parcel and its recipient collects it, through
 * the real use cases, store and Kerong driver against the emulated boards. Each step is printed;
 * the pickup code appears once, in the recipient's message.
 */
final class Demo {
  private static final String TRACKING = "SF1234567890";
  private static final String PHONE = "+852 9123 4567";

  private final SimulatedLocker locker;
  private final PrintStream out;
  private final CabinetLayout layout;
  private final CompletableFuture<Parcel> deposited = new CompletableFuture<>();
  private final CompletableFuture<Parcel> collected = new CompletableFuture<>();

  Demo(SimulatedLocker locker, PrintStream out) {
    this.locker = locker;
    this.out = out;
    this.layout = new CabinetLayout(locker.config().compartments());
    locker
        .assembly()
        .locker()
        .addListener(
            new LockerListener() {
              @Override
              public void depositCompleted(Parcel parcel, CompartmentId compartment) {
                deposited.complete(parcel);
              }

              @Override
              public void pickupCompleted(Parcel parcel, CompartmentId compartment) {
                collected.complete(parcel);
              }
            });
  }

  int run() {
    try {
      return script();
    } catch (DemoFailed e) {
      out.println("DEMO FAILED: " + e.getMessage());
      return 1;
    }
  }

  private int script() throws DemoFailed {
    var config = locker.config();
    out.printf(
        "Locker %s \"%s\", %d compartments: %s%n",
        config.locker().id(),
        config.locker().name(),
        config.compartments().size(),
        locker.cabinet().description());

    step(
        "courier",
        "signs in as courier-7, scans parcel "
            + TRACKING
            + " (size M) and types the recipient's phone (shown back as "
            + RecipientPhone.parse(PHONE).orElseThrow().masked()
            + ")");
    DepositResult deposit =
        locker
            .assembly()
            .locker()
            .deposit(new DepositRequest("courier-7", TRACKING, PHONE, Optional.of(Size.M)));
    if (!(deposit instanceof DepositResult.Opened opened)) {
      throw new DemoFailed("the deposit did not open a door: " + deposit);
    }
    CompartmentId compartment = opened.compartment();
    step(
        "locker",
        "compartment "
            + compartment
            + " ("
            + opened.size()
            + ") is open: "
            + where(compartment)
            + "   ["
            + locker.cabinet().lastCommand()
            + "]");
    await(() -> locker.cabinet().isDoorOpen(compartment), "the door to spring open");
    step("courier", "puts the parcel in and closes the door");
    locker.cabinet().closeDoor(compartment);
    Parcel parcel = awaitFuture(deposited, "the deposit to be committed");
    step("locker", "parcel " + parcel.tracking() + " deposited in " + compartment);

    String[] message =
        Messages.arrival(locker.assembly().store(), parcel.id())
            .orElseThrow(() -> new DemoFailed("no arrival message in the outbox"));
    step("sms", "to " + parcel.recipientMasked() + ": \"" + message[1] + "\"");
    String code =
        Messages.code(message[1]).orElseThrow(() -> new DemoFailed("the message has no code"));

    step("recipient", "types the pickup code on the keypad");
    PickupResult pickup = locker.assembly().locker().pickup(code);
    if (!(pickup instanceof PickupResult.Opened open)) {
      throw new DemoFailed("the pickup did not open a door: " + pickup);
    }
    step(
        "locker",
        "compartment "
            + open.compartment()
            + " is open: "
            + where(open.compartment())
            + "   ["
            + locker.cabinet().lastCommand()
            + "]");
    await(() -> locker.cabinet().isDoorOpen(open.compartment()), "the door to spring open");
    step("recipient", "takes the parcel and closes the door");
    locker.cabinet().closeDoor(open.compartment());
    awaitFuture(collected, "the pickup to be committed");
    step("locker", "compartment " + open.compartment() + " is free again");

    List<Long> seqs = Messages.seqs(locker.assembly().store());
    for (int i = 0; i < seqs.size(); i++) {
      if (seqs.get(i) != i + 1) {
        throw new DemoFailed("outbox seq has a gap: " + seqs);
      }
    }
    AuditChain.Verdict audit = locker.assembly().store().verifyAudit();
    if (!(audit instanceof AuditChain.Verdict.Intact intact)) {
      throw new DemoFailed("audit log: " + audit);
    }
    step(
        "locker",
        seqs.size()
            + " events in the outbox (seq 1.."
            + seqs.size()
            + ", no gap), audit log intact ("
            + intact.entries()
            + " entries)");
    out.println("Demo complete.");
    return 0;
  }

  private String where(CompartmentId id) {
    return layout.describe(id).orElse("position unknown");
  }

  private void step(String who, String what) {
    out.printf("  %-10s %s%n", "[" + who + "]", what);
  }

  private static void await(BooleanSupplier condition, String what) throws DemoFailed {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new DemoFailed("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DemoFailed("interrupted");
      }
    }
  }

  private static <T> T awaitFuture(CompletableFuture<T> future, String what) throws DemoFailed {
    try {
      return future.get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new DemoFailed("timed out waiting for " + what);
    }
  }

  /** The demo did not go as a locker should. */
  static final class DemoFailed extends Exception {
    DemoFailed(String message) {
      super(message);
    }
  }
}
