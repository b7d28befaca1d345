package dev.locker.sim;

import dev.locker.core.application.DepositRequest;
import dev.locker.core.application.DepositResult;
import dev.locker.core.application.LockerListener;
import dev.locker.core.application.PaymentResult;
import dev.locker.core.application.PickupResult;
import dev.locker.core.application.ServiceResult;
import dev.locker.core.application.port.PaymentTerminal;
import dev.locker.core.config.CabinetLayout;
import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.Size;
import dev.locker.hal.zvt.AuthorizationResult;
import dev.locker.hal.zvt.GoodsDecision;
import dev.locker.hal.zvt.StatusInformation;
import dev.locker.hal.zvt.ZvtTerminal;
import dev.locker.sim.camera.CameraEmulator;
import dev.locker.sim.scanner.LineDeviceEmulator;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The simulated locker's text console, until the kiosk and the simulator panel exist: a courier
 * deposits, people open and close doors, a recipient types a code. Every bad input gets a message
 * saying what is wrong; nothing a person types can stop the locker.
 */
final class Console {
  private final SimulatedLocker locker;
  private final PrintStream out;
  private final CabinetLayout layout;
  private final BlockingQueue<String> scans = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> cards = new LinkedBlockingQueue<>();

  /** The parcel whose code was entered last and that asked to be paid for, until it is. */
  private Optional<PickupResult.PaymentRequired> owed = Optional.empty();

  /** How long a read may take from the emulated device, over the wire, through the driver. */
  private static final Duration READ_WAIT = Duration.ofSeconds(3);

  Console(SimulatedLocker locker, PrintStream out) {
    this.locker = locker;
    this.out = out;
    this.layout = new CabinetLayout(locker.config().compartments());
    locker.assembly().peripherals().onScan((text, symbology) -> scans.add(text));
    locker.assembly().peripherals().onCard(cards::add);
    locker
        .assembly()
        .locker()
        .addListener(
            new LockerListener() {
              @Override
              public void depositCompleted(Parcel parcel, CompartmentId compartment) {
                out.println("[locker] parcel " + parcel.tracking() + " is in " + compartment);
                Messages.arrival(locker.assembly().store(), parcel.id())
                    .ifPresent(
                        m -> out.println("[sms to " + parcel.recipientMasked() + "] " + m[1]));
              }

              @Override
              public void pickupCompleted(Parcel parcel, CompartmentId compartment) {
                out.println("[locker] " + compartment + " is free again");
              }

              @Override
              public void doorForced(CompartmentId compartment) {
                out.println(
                    "[locker] ALARM: door " + compartment + " opened with no reason recorded");
              }
            });
  }

  /** Runs one command line; false when the person asked to quit. */
  boolean execute(String input) {
    String[] words = input.strip().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return true;
    }
    try {
      switch (words[0]) {
        case "help" -> help();
        case "status" -> status();
        case "deposit" -> deposit(words);
        case "pickup" -> pickup(words.length > 1 ? words[1] : "");
        case "scan" -> scan(input.strip(), words);
        case "card" -> card(words);
        case "pay" -> pay(words);
        case "paycard" -> payCard(words);
        case "service" -> service(input.strip(), words);
        case "show" -> show(input.strip(), words);
        case "close" -> door(words, true);
        case "force" -> door(words, false);
        case "expire" ->
            out.println(
                "[locker] " + locker.assembly().locker().expireOverdue() + " parcel(s) expired");
        case "quit", "exit" -> {
          return false;
        }
        default -> out.println("unknown command '" + words[0] + "'; type 'help'");
      }
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
    }
    return true;
  }

  private void help() {
    out.println(
        """
        deposit TRACKING PHONE [S|M|L|XL]  a courier puts a parcel in (phone like +85291234567)
        close COMPARTMENT                  a person closes that door
        force COMPARTMENT                  someone forces that door open
        pickup CODE                        a recipient types a pickup code
        scan TEXT                          a recipient holds the QR from their message to the scanner
        card UID                           a card (hex UID such as 04A1B2C3) is held to the reader
        show TEXT                          a recipient holds the QR on their phone to the camera
        paycard                            the recipient pays what the last code asked for by card
        pay AMOUNT                         a test payment on the card terminal, e.g. pay 12.50
        service ID off|on REASON           a technician takes a compartment out of service or back
        status                             every compartment
        expire                             expire parcels past their deadline now
        quit                               stop the locker""");
  }

  private void status() {
    for (Compartment c : locker.assembly().locker().compartments()) {
      out.printf(
          "%-4s %-2s %-9s door %-8s%s%s%n",
          c.id(),
          c.size(),
          c.state(),
          c.door(),
          c.inService() ? "" : " out of service",
          c.fault().map(f -> " FAULT: " + f).orElse(""));
    }
  }

  private void deposit(String[] words) {
    if (words.length < 3 || words.length > 4) {
      throw new IllegalArgumentException("usage: deposit TRACKING PHONE [S|M|L|XL]");
    }
    Optional<Size> size = Optional.empty();
    if (words.length == 4) {
      size =
          Optional.of(
              Size.parse(words[3])
                  .orElseThrow(() -> new IllegalArgumentException("size must be S, M, L or XL")));
    }
    DepositResult result =
        locker.assembly().locker().deposit(new DepositRequest("console", words[1], words[2], size));
    if (result instanceof DepositResult.Opened opened) {
      opened
          .skipped()
          .forEach(s -> out.println("[locker] " + s + " did not open and is marked faulty"));
      out.println(
          "[locker] "
              + opened.compartment()
              + " ("
              + opened.size()
              + ") is open: "
              + layout.describe(opened.compartment()).orElse("")
              + "; 'close "
              + opened.compartment()
              + "' when the parcel is in");
    } else if (result instanceof DepositResult.NoFreeCompartment none) {
      out.println("[locker] no free compartment of size " + none.size() + " or larger");
    } else if (result instanceof DepositResult.AlreadyInLocker already) {
      out.println("[locker] " + already.tracking() + " is already in " + already.compartment());
    } else if (result instanceof DepositResult.InvalidInput invalid) {
      out.println("[locker] " + invalid.field() + ": " + invalid.reason());
    } else if (result instanceof DepositResult.HardwareFault fault) {
      out.println("[locker] no door would open (" + fault.tried() + "): " + fault.detail());
    }
  }

  /**
   * The emulated scanner sends the text over its serial wire; what the scanner driver accepts is
   * taken, as on the kiosk, as the pickup code. The code itself is never printed.
   */
  private void scan(String line, String[] words) {
    LineDeviceEmulator scanner =
        locker
            .scanner()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "this locker has no scanner (devices.scanner in the profile)"));
    if (words.length < 2) {
      throw new IllegalArgumentException("usage: scan TEXT");
    }
    scans.clear();
    send(scanner, line.substring(words[0].length()).strip());
    Optional<String> read = next(scans);
    if (read.isEmpty()) {
      out.println("[scanner] nothing usable was read; the scanner's health says why ('status')");
      return;
    }
    out.println("[scanner] read a code of " + read.get().length() + " characters");
    pickup(read.get());
  }

  /** The emulated camera sees a QR code of the text until it is read, then nothing again. */
  private void show(String line, String[] words) {
    CameraEmulator camera =
        locker
            .camera()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "this locker has no camera (devices.camera in the profile)"));
    if (words.length < 2) {
      throw new IllegalArgumentException("usage: show TEXT");
    }
    scans.clear();
    camera.show(line.substring(words[0].length()).strip());
    Optional<String> read = next(scans);
    camera.clear();
    if (read.isEmpty()) {
      out.println("[camera] no code was read; the camera's health says why ('status')");
      return;
    }
    out.println("[camera] read a code of " + read.get().length() + " characters");
    pickup(read.get());
  }

  private void card(String[] words) {
    LineDeviceEmulator reader =
        locker
            .cardReader()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "this locker has no card reader (devices.cardReader in the profile)"));
    if (words.length != 2) {
      throw new IllegalArgumentException("usage: card UID (hex, for example 04A1B2C3)");
    }
    cards.clear();
    send(reader, words[1]);
    Optional<String> hash = next(cards);
    out.println(
        hash.map(
                h ->
                    "[card reader] card read; only its keyed hash travels on: "
                        + h.substring(0, 12)
                        + "…")
            .orElse("[card reader] that is not a card UID (4, 7 or 10 bytes in hex)"));
  }

  /**
   * A test payment through the real ZVT driver and the emulated terminal, as a technician runs one
   * from the service menu: the goods decision is "issued" at once, since no door is involved.
   */
  private void pay(String[] words) {
    ZvtTerminal terminal =
        locker
            .assembly()
            .peripherals()
            .zvtTerminal()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "this locker has no payment terminal (devices.paymentTerminal)"));
    if (words.length != 2 || !words[1].matches("[0-9]{1,6}(\\.[0-9]{1,2})?")) {
      throw new IllegalArgumentException("usage: pay AMOUNT (for example pay 12.50)");
    }
    long cents = new java.math.BigDecimal(words[1]).movePointRight(2).longValueExact();
    if (cents == 0) {
      throw new IllegalArgumentException("a payment needs an amount above 0");
    }
    AuthorizationResult result =
        terminal.authorize(
            cents,
            new ZvtTerminal.AuthorizationListener() {
              @Override
              public void intermediateStatus(int code, String text) {
                out.println("[terminal] " + text);
              }

              @Override
              public CompletableFuture<GoodsDecision> goodsDecision(StatusInformation approved) {
                return CompletableFuture.completedFuture(GoodsDecision.ISSUED);
              }
            });
    if (result instanceof AuthorizationResult.Approved approved) {
      out.println(
          "[terminal] approved: "
              + approved.info().maskedPan().orElse("card")
              + ", receipt "
              + (approved.info().receiptNo().isPresent()
                  ? String.format("%04d", approved.info().receiptNo().getAsInt())
                  : "-")
              + ", "
              + approved.receipt().size()
              + " receipt lines");
    } else if (result instanceof AuthorizationResult.Declined declined) {
      out.println("[terminal] declined: " + declined.text());
    } else if (result instanceof AuthorizationResult.Aborted aborted) {
      out.println("[terminal] cancelled: " + aborted.text() + "; nothing was charged");
    } else if (result instanceof AuthorizationResult.Reversed reversed) {
      out.println("[terminal] reversed: " + reversed.text());
    } else if (result instanceof AuthorizationResult.NoTerminal none) {
      out.println("[terminal] the terminal does not answer: " + none.detail());
    } else if (result instanceof AuthorizationResult.OutcomeUnknown unknown) {
      out.println("[terminal] outcome unknown, to be recovered: " + unknown.detail());
    }
  }

  /**
   * The recipient pays, on the card terminal, what the last code entered asked for: the real
   * payment flow (the door opens once the payment is approved) on the emulated terminal. The
   * terminal's texts are printed as they come.
   */
  private void payCard(String[] words) {
    if (words.length != 1) {
      throw new IllegalArgumentException("usage: paycard (after a code that asked for payment)");
    }
    PaymentTerminal terminal =
        locker
            .assembly()
            .peripherals()
            .paymentTerminal()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "this locker has no payment terminal (devices.paymentTerminal)"));
    PickupResult.PaymentRequired due =
        owed.orElseThrow(
            () ->
                new IllegalArgumentException(
                    "nothing to pay: enter a pickup code first ('pickup CODE')"));
    PaymentResult result =
        locker
            .assembly()
            .locker()
            .payByCard(due.parcel(), terminal, text -> out.println("[terminal] " + text));
    if (result instanceof PaymentResult.Opened opened) {
      owed = Optional.empty();
      out.println(
          "[locker] paid "
              + money(opened.paid())
              + "; "
              + opened.compartment()
              + " is open: "
              + layout.describe(opened.compartment()).orElse("")
              + "; 'close "
              + opened.compartment()
              + "' after taking the parcel");
    } else if (result instanceof PaymentResult.Declined declined) {
      out.println(
          "[terminal] declined: "
              + declined.reason()
              + "; nothing was charged; 'paycard' to try another card");
    } else if (result instanceof PaymentResult.Cancelled cancelled) {
      out.println("[terminal] cancelled: " + cancelled.reason() + "; nothing was charged");
    } else if (result instanceof PaymentResult.TerminalUnavailable none) {
      out.println(
          "[terminal] the terminal does not answer: " + none.detail() + "; nothing was charged");
    } else if (result instanceof PaymentResult.DoorDidNotOpen door) {
      out.println(
          "[locker] "
              + door.compartment()
              + " did not open and is marked faulty; "
              + (door.reversed()
                  ? "the payment was reversed, nothing was charged"
                  : "the payment will be reversed")
              + "; your code stays valid ("
              + door.detail()
              + ")");
    } else if (result instanceof PaymentResult.Unresolved unresolved) {
      out.println(
          "[locker] the link to the terminal broke mid-payment ("
              + unresolved.detail()
              + "); the locker settles it with the terminal before the parcel can be paid for"
              + " again");
    } else if (result instanceof PaymentResult.NothingOwed) {
      owed = Optional.empty();
      out.println("[locker] nothing is owed any more; enter the code again to open the door");
    } else if (result instanceof PaymentResult.NotPayable refused) {
      owed = Optional.empty();
      out.println("[locker] this parcel cannot be paid for now: " + refused.reason());
    }
  }

  /** "HK$5.00 storage fee is due", "HK$5.00 storage fee and HK$120.00 cash on delivery are due". */
  private static String dueInWords(Parcel.Due due) {
    List<String> parts = new ArrayList<>();
    due.storage().ifPresent(m -> parts.add(money(m) + " storage fee"));
    due.cashOnDelivery().ifPresent(m -> parts.add(money(m) + " cash on delivery"));
    return String.join(" and ", parts) + (parts.size() == 1 ? " is due" : " are due");
  }

  /**
   * An amount as the locker's screen shows it: HK$5.00, €12.50; "500 XTS" if no symbol is known.
   */
  static String money(Money money) {
    Currency currency;
    try {
      currency = Currency.getInstance(money.currency());
    } catch (IllegalArgumentException e) {
      return money.amount() + " " + money.currency();
    }
    int digits = Math.max(0, currency.getDefaultFractionDigits());
    return currency.getSymbol(Locale.ENGLISH)
        + BigDecimal.valueOf(money.amount()).movePointLeft(digits).setScale(digits).toPlainString();
  }

  private void service(String line, String[] words) {
    if (words.length < 4 || !(words[2].equals("off") || words[2].equals("on"))) {
      throw new IllegalArgumentException("usage: service COMPARTMENT off|on REASON");
    }
    String reason = line.split("\\s+", 4)[3];
    ServiceResult result =
        locker
            .assembly()
            .locker()
            .setInService(
                words[1].toUpperCase(java.util.Locale.ROOT),
                words[2].equals("on"),
                reason,
                "console");
    if (result instanceof ServiceResult.Changed changed) {
      out.println(
          "[locker] "
              + changed.compartment()
              + (changed.inService() ? " is back in service" : " is out of service"));
    } else if (result instanceof ServiceResult.Unchanged same) {
      out.println(
          "[locker] "
              + same.compartment()
              + " already is "
              + (same.inService() ? "in service" : "out of service"));
    } else if (result instanceof ServiceResult.NoSuchCompartment none) {
      out.println("[locker] no compartment " + none.compartment());
    } else if (result instanceof ServiceResult.MissingReason missing) {
      out.println("[locker] " + missing.problem());
    }
  }

  private static void send(LineDeviceEmulator device, String text) {
    try {
      device.read(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("the emulated device's wire is closed: " + e.getMessage());
    }
  }

  private static Optional<String> next(BlockingQueue<String> queue) {
    try {
      return Optional.ofNullable(queue.poll(READ_WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void pickup(String code) {
    PickupResult result = locker.assembly().locker().pickup(code);
    owed = Optional.empty();
    if (result instanceof PickupResult.PaymentRequired due) {
      owed = Optional.of(due);
      out.println(
          "[locker] "
              + dueInWords(due.due())
              + " for "
              + due.tracking()
              + "; 'paycard' pays it on the card terminal");
    } else if (result instanceof PickupResult.Opened opened) {
      out.println(
          "[locker] "
              + opened.compartment()
              + " is open: "
              + layout.describe(opened.compartment()).orElse("")
              + "; 'close "
              + opened.compartment()
              + "' after taking the parcel");
    } else if (result instanceof PickupResult.InvalidCode) {
      out.println("[locker] that code is not valid");
    } else if (result instanceof PickupResult.LockedOut locked) {
      out.println("[locker] too many wrong codes; try again after " + locked.until());
    } else if (result instanceof PickupResult.MalformedCode malformed) {
      out.println("[locker] " + malformed.reason());
    } else if (result instanceof PickupResult.HardwareFault fault) {
      out.println("[locker] " + fault.compartment() + " did not open; your code stays valid");
    }
  }

  private void door(String[] words, boolean close) {
    if (words.length != 2) {
      throw new IllegalArgumentException("usage: " + words[0] + " COMPARTMENT");
    }
    CompartmentId id;
    try {
      id = CompartmentId.of(words[1].toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("no compartment " + words[1]);
    }
    if (!locker.cabinet().has(id)) {
      throw new IllegalArgumentException("no compartment " + words[1]);
    }
    if (close) {
      locker.cabinet().closeDoor(id);
    } else {
      locker.cabinet().forceOpen(id);
    }
  }
}
