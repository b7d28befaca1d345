package dev.locker.sim.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.DepositRequest;
import dev.locker.core.application.DepositResult;
import dev.locker.core.application.Locker;
import dev.locker.core.application.LockerListener;
import dev.locker.core.application.PaymentResult;
import dev.locker.core.application.PickupResult;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Payment;
import dev.locker.core.domain.PaymentState;
import dev.locker.core.domain.Size;
import dev.locker.hal.payment.ZvtPaymentTerminal;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.zvt.ZvtTerminal;
import dev.locker.ui.boot.BoardDevices;
import dev.locker.ui.boot.HealthRelay;
import dev.locker.ui.boot.LockerAssembly;
import dev.locker.ui.boot.LockerParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The firmware under the payment crash test, in a child JVM: the real assembly (store, Kerong
 * driver over one pty, use cases) and the real ZVT driver with its payment port over a second pty,
 * running deposit, pickup and card payment cycles until it is killed. The profile's tariff must
 * make every pickup owe. Lines, each printed once what it states is committed:
 *
 * <pre>
 *   BOOTING PID                 the JVM runs (its pid, for a thread dump when it hangs)
 *   RECOVERED SETTLED PENDING   resolvePayments ran at start-up, before any new payment
 *   READY                       start-up is done; cycles begin
 *   deposited TRACKING          the deposit's door closed and the parcel is committed
 *   charging PARCEL TRACKING    the pickup owes; payByCard is called next
 *   paid PARCEL PAYMENT RECEIPT the door opened and the payment is PAID
 *   door-failed PARCEL REVERSED approved but the door did not open (reversed: true/false)
 *   declined PARCEL | cancelled PARCEL | no-terminal PARCEL | not-payable PARCEL
 *   unresolved PARCEL PAYMENT   the link broke mid-payment; start-up resolves it
 *   STOPPED                     the stop file appeared; the assembly closed cleanly
 * </pre>
 *
 * Arguments: config file, data folder, ZVT pty, boot number, random seed, and a mode: {@code run}
 * (cycles until the file {@code stop} appears in the data folder's parent) or {@code settle}
 * (resolve until nothing is pending, then stop).
 */
public final class PaymentCrashWorker {
  private static final Pattern CODE = Pattern.compile("Pickup code: (\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The terminal's line: ZVT runs at 9600 baud, 8 data bits, 2 stop bits, no parity. */
  static final JsscSerialLink.LineSettings ZVT_LINE =
      new JsscSerialLink.LineSettings(9600, 8, 2, JsscSerialLink.Parity.NONE);

  /**
   * The ZVT timeouts, shortened so that faults play out in a second or two; the goods decision may
   * take 3 s, well above the time a released door takes to be seen open.
   */
  static ZvtTerminal.Settings zvtSettings() {
    return new ZvtTerminal.Settings(
        "000000",
        344,
        0x8A,
        Duration.ofMillis(200),
        Duration.ofMillis(400),
        Duration.ofMillis(1000),
        Duration.ofMillis(2500),
        3,
        Duration.ofSeconds(3),
        Duration.ofMillis(100));
  }

  private PaymentCrashWorker() {}

  public static void main(String[] args) throws Exception {
    Path config = Path.of(args[0]);
    Path data = Path.of(args[1]);
    String zvtPort = args[2];
    String boot = args[3];
    Random random = new Random(Long.parseLong(args[4]));
    boolean settle = args[5].equals("settle");
    Path stop = data.resolveSibling("stop");
    say("BOOTING " + ProcessHandle.current().pid());
    var loaded = (ConfigLoader.Result.Loaded) ConfigLoader.load(config);
    LockerAssembly assembly =
        LockerAssembly.start(
            LockerParts.from(
                loaded.config(),
                data,
                Clock.systemUTC(),
                new BoardDevices(),
                new HealthRelay(health -> {})));
    Locker locker = assembly.locker();
    ZvtTerminal zvt =
        new ZvtTerminal(JsscSerialLink.open(zvtPort, ZVT_LINE), zvtSettings(), health -> {});
    // A terminal that does not answer now is registered by a later run; recovery and charges
    // report it as no terminal meanwhile.
    zvt.register();
    ZvtPaymentTerminal terminal = new ZvtPaymentTerminal(zvt, "HKD");
    Locker.PaymentRecovery recovery = locker.resolvePayments(terminal);
    for (int round = 0; settle && recovery.pending() > 0 && round < 10; round++) {
      Thread.sleep(500);
      zvt.register();
      recovery = locker.resolvePayments(terminal);
    }
    say("RECOVERED " + recovery.settled() + " " + recovery.pending());
    if (settle) {
      stop(assembly, zvt);
      return;
    }
    Semaphore finished = new Semaphore(0);
    locker.addListener(
        new LockerListener() {
          @Override
          public void depositCompleted(Parcel parcel, CompartmentId compartment) {
            say("deposited " + parcel.tracking());
            finished.release();
          }
        });
    say("READY");
    Size[] sizes = {Size.S, Size.M, Size.L};
    for (int n = 0; !Files.exists(stop); n++) {
      // Parcels whose earlier payment is still open cannot be paid for: they are left alone.
      List<Parcel> inside =
          assembly
              .store()
              .read(
                  r ->
                      r.parcels(ParcelState.DEPOSITED).stream()
                          .filter(
                              p -> r.payments(p.id()).stream().allMatch(y -> y.state().isFinal()))
                          .toList());
      Parcel parcel;
      if (inside.size() >= 4 || (!inside.isEmpty() && random.nextInt(4) == 0)) {
        parcel = inside.get(random.nextInt(inside.size()));
      } else {
        String tracking = "PC" + boot + "N" + n;
        DepositResult deposit =
            locker.deposit(
                new DepositRequest(
                    "courier-" + boot,
                    tracking,
                    "+8529" + (1000000 + random.nextInt(8999999)),
                    Optional.of(sizes[random.nextInt(sizes.length)])));
        if (!(deposit instanceof DepositResult.Opened opened)
            || !finished.tryAcquire(10, TimeUnit.SECONDS)) {
          continue;
        }
        parcel = assembly.store().read(r -> r.parcel(opened.parcel())).orElseThrow();
      }
      Optional<String> code = codeOf(assembly.store(), parcel.id());
      if (code.isEmpty()) {
        continue;
      }
      PickupResult pickup = locker.pickup(code.get());
      if (!(pickup instanceof PickupResult.PaymentRequired owed)) {
        say("no-payment " + parcel.id() + " " + pickup.getClass().getSimpleName());
        continue;
      }
      say("charging " + owed.parcel() + " " + owed.tracking());
      PaymentResult result = locker.payByCard(owed.parcel(), terminal, text -> {});
      say(describe(assembly.store(), owed.parcel(), result));
    }
    stop(assembly, zvt);
  }

  private static String describe(LockerStore store, ParcelId parcel, PaymentResult result) {
    if (result instanceof PaymentResult.Opened opened) {
      Payment payment = store.read(r -> r.payment(opened.payment())).orElseThrow();
      if (payment.state() != PaymentState.PAID) {
        return "opened-not-paid " + parcel + " " + payment.id() + " " + payment.state();
      }
      return "paid " + parcel + " " + payment.id() + " " + payment.receipt().orElse("-");
    }
    if (result instanceof PaymentResult.DoorDidNotOpen failed) {
      return "door-failed " + parcel + " " + failed.reversed();
    }
    if (result instanceof PaymentResult.Unresolved unresolved) {
      return "unresolved " + parcel + " " + unresolved.payment();
    }
    if (result instanceof PaymentResult.Declined) {
      return "declined " + parcel;
    }
    if (result instanceof PaymentResult.Cancelled) {
      return "cancelled " + parcel;
    }
    if (result instanceof PaymentResult.TerminalUnavailable) {
      return "no-terminal " + parcel;
    }
    return "not-payable " + parcel + " " + result;
  }

  private static void stop(LockerAssembly assembly, ZvtTerminal zvt) {
    zvt.close();
    assembly.close();
    say("STOPPED");
    System.exit(0);
  }

  /** The code in the parcel's arrival message (the outbox keeps it: there is no cloud here). */
  private static Optional<String> codeOf(LockerStore store, ParcelId parcel) {
    Map<String, String> codes = new HashMap<>();
    for (LockerStore.OutboxEvent event : store.read(r -> r.outbox(1_000_000))) {
      if (event.type().equals("notification.requested")) {
        try {
          JsonNode data = JSON.readTree(event.envelope()).get("data");
          Matcher m = CODE.matcher(data.get("text").asText());
          if (m.find()) {
            codes.put(data.get("parcelId").asText(), m.group(1));
          }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Optional.ofNullable(codes.get(parcel.value()));
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
