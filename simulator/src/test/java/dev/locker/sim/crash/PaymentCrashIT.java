package dev.locker.sim.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.store.AuditChain;
import dev.locker.core.testing.ChildJvm;
import dev.locker.hal.kerong.HookPolarity;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SocatPtyPair;
import dev.locker.sim.SimulatedLocker;
import dev.locker.sim.kerong.KerongBusEmulator;
import dev.locker.sim.zvt.ZvtTerminalEmulator;
import dev.locker.sim.zvt.ZvtTerminalEmulator.Outcome;
import dev.locker.sim.zvt.ZvtTerminalEmulator.Transaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The money invariant under crashes (reliability-security.md §2.3, §4.6). The firmware runs
 * deposit, pickup and card payment cycles in a child JVM ({@link PaymentCrashWorker}), with the
 * Kerong boards on one socat pty and the ZVT terminal on another; both emulators live in this JVM,
 * as hardware survives the controller's death. People here close every door that opens. For {@code
 * crash.payments} payments in all (100 by default), chosen at random from {@code crash.seed}: the
 * child is killed with SIGKILL at random moments (at the terminal, right after the approval, while
 * the door is open, between payments) and started again; the terminal goes silent for a while,
 * drops a byte, NAKs or garbles a frame; the card is declined, or the customer cancels, or never
 * presents it. {@code crash.silence=false} leaves the silences out. 100 payments take about 2.5
 * minutes on a shared 2-core machine (about 18 kills); 200 would take about 5.
 *
 * <p>At the end the child is stopped cleanly and started once more on a healthy terminal to settle
 * what is left; then the SQLite file and the terminal's journal must show no double charge, no
 * payment left unresolved, and money only for parcels handed over (see {@link #checkMoney}). After
 * each kill, the store's integrity, audit chain and outbox are checked as in {@link CrashIT}.
 */
class PaymentCrashIT {
  private static final Set<String> FINAL =
      Set.of("DECLINED", "PAID", "REVERSED", "RELEASED_UNPAID");

  @TempDir Path dir;

  @Test
  void throughKillsLinkDropsAndSilenceNoCardIsChargedTwiceAndEveryPaymentIsSettled()
      throws Exception {
    int payments = Integer.getInteger("crash.payments", 100);
    long seed = Long.getLong("crash.seed", 20261202L);
    // false leaves out the terminal's silences, which meet bug (1) of @Disabled nearly every time.
    boolean silences = Boolean.parseBoolean(System.getProperty("crash.silence", "true"));
    System.out.printf("PaymentCrashIT: %d payments, seed %d (-Dcrash.seed)%n", payments, seed);
    Random random = new Random(seed);
    Path data = dir.resolve("data");
    Path stderr = dir.resolve("child-stderr.log");
    try (SocatPtyPair lockPty = SocatPtyPair.start(dir.resolve("pty-locks"));
        SocatPtyPair zvtPty = SocatPtyPair.start(dir.resolve("pty-zvt"));
        JsscSerialLink lockEnd =
            JsscSerialLink.open(lockPty.devicePath(), JsscSerialLink.LineSettings.eightN1(19200));
        KerongBusEmulator boards =
            new KerongBusEmulator(
                lockEnd,
                Map.of(0, HookPolarity.LATCHED_IS_ONE, 1, HookPolarity.LATCHED_IS_ONE),
                Clock.systemUTC(),
                KerongBusEmulator.Options.defaults().withSpringDelay(Duration.ofMillis(80)));
        JsscSerialLink terminalEnd =
            JsscSerialLink.open(zvtPty.devicePath(), PaymentCrashWorker.ZVT_LINE);
        ZvtTerminalEmulator terminal =
            new ZvtTerminalEmulator(terminalEnd, Clock.systemUTC(), terminalOptions())) {
      ScheduledExecutorService people = Executors.newSingleThreadScheduledExecutor();
      Random patience = new Random(seed + 1);
      boards.addListener(
          e -> {
            if (e.kind() == KerongBusEmulator.PhysicalEvent.Kind.DOOR_OPENED) {
              people.schedule(
                  () -> boards.closeDoor(e.board(), e.channel()),
                  100 + patience.nextInt(300),
                  TimeUnit.MILLISECONDS);
            }
          });
      Path config = writeConfig(lockPty.hostPath());
      List<String> history = new ArrayList<>();
      Map<String, Integer> tally = new TreeMap<>();
      Map<String, String> acknowledgedPaid = new HashMap<>();
      int charged = 0;
      int kills = 0;
      long started = System.nanoTime();
      Summary summary;
      try {
        for (int boot = 1; charged < payments; boot++) {
          try (ChildJvm child =
              ChildJvm.start(
                  PaymentCrashWorker.class,
                  stderr,
                  List.of("-Xmx128m"),
                  config.toString(),
                  data.toString(),
                  zvtPty.hostPath(),
                  Integer.toString(boot),
                  Long.toString(random.nextLong()),
                  "run")) {
            history.add("boot " + boot);
            int ownRead = 0;
            boolean killed = false;
            if (random.nextInt(12) == 0) {
              int delay = random.nextInt(2500);
              history.add("  kill " + delay + " ms after the start");
              Thread.sleep(delay); // killed during start-up or its recovery
              child.kill();
              killed = true;
            }
            while (!killed) {
              String line = awaitLine(child);
              if (isOwn(line)) {
                history.add("  " + line);
                ownRead++;
              }
              String[] word = line.split(" ");
              if (word[0].equals("READY")) {
                if (charged >= payments) {
                  break; // the last boot's kill came with the last payment
                }
                planNextPayment(terminal, random, history);
              } else if (word[0].equals("charging")) {
                charged++;
                if (silences) {
                  faultDuringPayment(terminal, random, people, history);
                }
                if (random.nextInt(100) < 15) {
                  int delay = random.nextInt(1800);
                  history.add("  kill " + delay + " ms after charging");
                  Thread.sleep(delay); // at the terminal, approved, door open
                  child.kill();
                  killed = true;
                } else if (charged >= payments) {
                  break;
                }
              } else if (isPaymentEnd(word[0])) {
                tally.merge(word[0], 1, Integer::sum);
                if (word[0].equals("not-payable")) {
                  charged--; // the terminal was never asked
                }
                if (word[0].equals("paid")) {
                  acknowledgedPaid.put(word[2], word[1]);
                }
                planNextPayment(terminal, random, history);
                if (random.nextInt(100) < 3) {
                  int delay = random.nextInt(1500);
                  history.add("  kill " + delay + " ms after the payment ended");
                  Thread.sleep(delay); // between payments: a deposit, a pickup
                  child.kill();
                  killed = true;
                }
              }
            }
            if (killed) {
              kills++;
              child.lines().stream()
                  .filter(PaymentCrashIT::isOwn)
                  .skip(ownRead)
                  .forEach(line -> history.add("  (printed before it died) " + line));
              collectPaid(child.lines(), acknowledgedPaid);
            } else {
              Files.createFile(dir.resolve("stop"));
              String line;
              do {
                line = awaitLine(child);
                String[] word = line.split(" ");
                if (isOwn(line)) {
                  history.add("  " + line);
                }
                if (isPaymentEnd(word[0])) {
                  tally.merge(word[0], 1, Integer::sum);
                }
              } while (!line.equals("STOPPED"));
              collectPaid(child.lines(), acknowledgedPaid);
            }
          }
          checkStore(data, "after boot " + boot);
        }

        terminal.clearFaults();
        terminal.nextPayment(Outcome.APPROVE);
        awaitIdle(terminal);
        try (ChildJvm child =
            ChildJvm.start(
                PaymentCrashWorker.class,
                stderr,
                List.of("-Xmx128m"),
                config.toString(),
                data.toString(),
                zvtPty.hostPath(),
                "settle",
                "0",
                "settle")) {
          String line;
          do {
            line = awaitLine(child);
            if (isOwn(line)) {
              history.add("  settle: " + line);
            }
            if (line.startsWith("RECOVERED")) {
              System.out.println("final recovery (settled, pending): " + line.substring(10));
            }
          } while (!line.equals("STOPPED"));
        }
        checkStore(data, "after the final settlement");
        summary = checkMoney(data, terminal.journal(), acknowledgedPaid);
      } catch (AssertionError e) {
        printEvidence(seed, history, data, terminal);
        throw e;
      }
      System.out.printf(
          "PaymentCrashIT: %d payments charged through %d kills in %d s; worker saw %s;"
              + " store: %s%n",
          charged,
          kills,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
          tally,
          summary);
      assertThat(summary.paid()).as("payments went through between the faults").isPositive();
      people.shutdownNow();
    }
  }

  private static ZvtTerminalEmulator.Options terminalOptions() {
    return new ZvtTerminalEmulator.Options(
        "000000",
        "28004869",
        Duration.ofMillis(400),
        Duration.ofMillis(800),
        Duration.ofMillis(250),
        Duration.ofMillis(30),
        50,
        ZvtTerminalEmulator.ReceiptStyle.TEXT_BLOCK,
        3);
  }

  private static boolean isPaymentEnd(String word) {
    return Set.of(
            "paid",
            "opened-not-paid",
            "door-failed",
            "unresolved",
            "declined",
            "cancelled",
            "no-terminal",
            "not-payable")
        .contains(word);
  }

  /** A line of the worker's protocol, not of its log. */
  private static boolean isOwn(String line) {
    String word = line.split(" ", 2)[0];
    return isPaymentEnd(word)
        || Set.of("BOOTING", "RECOVERED", "READY", "deposited", "charging", "no-payment", "STOPPED")
            .contains(word);
  }

  /** What a lead needs to replay a failure: the seed, each boot's steps, the journal, the rows. */
  private static void printEvidence(
      long seed, List<String> history, Path data, ZvtTerminalEmulator terminal)
      throws SQLException {
    System.out.println("PaymentCrashIT evidence, seed " + seed + " (-Dcrash.seed=" + seed + ")");
    history.forEach(System.out::println);
    System.out.println("terminal journal:");
    terminal.journal().forEach(t -> System.out.println("  " + t));
    List<dev.locker.hal.zvt.Apdu> received = terminal.received();
    System.out.println("the terminal's last APDUs received (idle: " + terminal.idle() + "):");
    received
        .subList(Math.max(0, received.size() - 30), received.size())
        .forEach(a -> System.out.println("  " + a));
    if (!Files.exists(data.resolve("locker.db"))) {
      return;
    }
    System.out.println("payments (id, parcel, state, receipt, parcel state, failure):");
    try (Connection db = open(data);
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT y.id, y.parcel_id, y.state, y.receipt, p.state, y.failure"
                    + " FROM payments y JOIN parcels p ON p.id = y.parcel_id"
                    + " ORDER BY y.created_at")) {
      while (rs.next()) {
        System.out.printf(
            "  %s %s %s %s %s %s%n",
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6));
      }
    }
  }

  private static void collectPaid(List<String> lines, Map<String, String> paid) {
    for (String line : lines) {
      String[] word = line.split(" ");
      if (word[0].equals("paid")) {
        paid.put(word[2], word[1]);
      }
    }
  }

  /** How the next payment ends at the terminal, and the link faults it meets on the way. */
  private static void planNextPayment(
      ZvtTerminalEmulator terminal, Random random, List<String> history) {
    terminal.clearFaults();
    int roll = random.nextInt(100);
    Outcome outcome =
        roll < 6
            ? Outcome.DECLINE_ABORT
            : roll < 10
                ? Outcome.DECLINE_STATUS
                : roll < 14
                    ? Outcome.CUSTOMER_CANCEL
                    : roll < 16 ? Outcome.TIMEOUT : Outcome.APPROVE;
    terminal.nextPayment(outcome);
    String fault = "";
    if (roll >= 16 && roll < 22) {
      terminal.dropByteOnce();
      fault = ", one byte dropped";
    } else if (roll >= 22 && roll < 27) {
      int frames = 1 + random.nextInt(3);
      terminal.nakFirst(frames);
      fault = ", the first " + frames + " frames NAKed";
    } else if (roll >= 27 && roll < 31) {
      terminal.badCrc(1);
      fault = ", one bad CRC";
    }
    history.add("  plan: next payment " + outcome + fault);
  }

  /** Sometimes the terminal falls silent for a while once the payment started: a link drop. */
  private static void faultDuringPayment(
      ZvtTerminalEmulator terminal,
      Random random,
      ScheduledExecutorService scheduler,
      List<String> history) {
    if (random.nextInt(100) < 10) {
      int after = random.nextInt(800);
      int lasting = 300 + random.nextInt(2500);
      history.add("  terminal silent " + lasting + " ms from " + after + " ms");
      scheduler.schedule(() -> terminal.silent(true), after, TimeUnit.MILLISECONDS);
      scheduler.schedule(() -> terminal.silent(false), after + lasting, TimeUnit.MILLISECONDS);
    }
  }

  private Path writeConfig(String port) throws Exception {
    String profile;
    try (var in = SimulatedLocker.class.getResourceAsStream(SimulatedLocker.DEFAULT_PROFILE)) {
      profile = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // The locks and the tariff only: the worker opens the terminal itself. With no free period
    // every pickup owes one started period.
    String config =
        profile
            .replaceAll("(?s)\ndevices:\n.*?\n(?=\\S)", "\n")
            .replace("port: sim ", "port: " + port + " ")
            .replace("replyTimeout: 300ms", "replyTimeout: 150ms")
            .replace("pollInterval: 200ms", "pollInterval: 50ms")
            .replace("openTimeout: 10s", "openTimeout: 2s")
            .replace("freePeriod: 24h", "freePeriod: 0s");
    assertThat(config).contains(port, "freePeriod: 0s").doesNotContain("devices:");
    Path file = dir.resolve("payment-crash.yaml");
    Files.writeString(file, config);
    return file;
  }

  /** The child's next line; fails when it died or fell silent for a minute. */
  private static String awaitLine(ChildJvm child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = child.nextLine(1);
      if (line != null) {
        return line;
      }
      if (!child.isAlive()) {
        throw new AssertionError(
            "the child died; see child-stderr.log; it said " + lastLines(child.lines()));
      }
    }
    threadDump(child.lines());
    throw new AssertionError("the child fell silent; it said " + lastLines(child.lines()));
  }

  /** The hung child's threads, on this test's output (best effort: jstack may be missing). */
  private static void threadDump(List<String> lines) {
    lines.stream()
        .filter(l -> l.startsWith("BOOTING "))
        .reduce((first, second) -> second)
        .ifPresent(
            booting -> {
              try {
                Process jstack =
                    new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                            booting.substring(8))
                        .redirectErrorStream(true)
                        .start();
                System.out.println(
                    new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (java.io.IOException e) {
                System.out.println("no thread dump: " + e);
              }
            });
  }

  private static List<String> lastLines(List<String> lines) {
    return lines.subList(Math.max(0, lines.size() - 10), lines.size());
  }

  private static void awaitIdle(ZvtTerminalEmulator terminal) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!terminal.idle() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  /** The CrashIT checks that hold at any time: integrity, audit chain, gap-free outbox. */
  private static void checkStore(Path data, String when) throws SQLException {
    if (!Files.exists(data.resolve("locker.db"))) {
      return;
    }
    try (Connection db = open(data)) {
      assertThat(strings(db, "PRAGMA integrity_check")).as(when).containsExactly("ok");
      assertThat(AuditChain.verify(db)).as(when).isInstanceOf(AuditChain.Verdict.Intact.class);
      List<Long> outbox = longs(db, "SELECT seq FROM outbox ORDER BY seq");
      for (int i = 0; i < outbox.size(); i++) {
        assertThat(outbox.get(i)).as(when + ": outbox seq without gaps").isEqualTo(i + 1L);
      }
      assertThat(longs(db, "SELECT last FROM sequences WHERE name = 'outbox'"))
          .as(when + ": the seq counter")
          .containsExactly((long) outbox.size());
      assertThat(
              strings(
                  db,
                  "SELECT y.id FROM payments y JOIN parcels p ON p.id = y.parcel_id"
                      + " WHERE y.state = 'PAID' AND p.state <> 'PICKED_UP'"))
          .as(when + ": PAID payments whose parcel is not handed over")
          .isEmpty();
    }
  }

  /** What the store holds in the end, for the summary. */
  record Summary(int payments, int paid, int reversed, int declined, int releasedUnpaid) {}

  private record PaymentRow(String id, String parcel, String state, Optional<String> receipt) {}

  /**
   * The money invariant, from the SQLite file and the terminal's journal: every payment is final;
   * each transaction that stands (a payment not reversed) belongs to exactly one PAID or
   * RELEASED_UNPAID payment by its receipt number, and no parcel has two; every PAID payment stands
   * in the journal and its parcel was handed over; no parcel still inside was charged; every
   * REVERSED payment's receipt is reversed in the journal. Every payment the worker acknowledged as
   * paid is PAID.
   */
  private static Summary checkMoney(
      Path data, List<Transaction> journal, Map<String, String> acknowledgedPaid)
      throws SQLException {
    List<PaymentRow> rows = new ArrayList<>();
    Map<String, String> parcels = new HashMap<>();
    try (Connection db = open(data);
        Statement st = db.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT id, parcel_id, state, receipt FROM payments")) {
        while (rs.next()) {
          rows.add(
              new PaymentRow(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  Optional.ofNullable(rs.getString(4))));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT id, state FROM parcels")) {
        while (rs.next()) {
          parcels.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    Map<Integer, Transaction> byReceipt = new HashMap<>();
    for (Transaction t : journal) {
      byReceipt.put(t.receiptNo(), t);
    }
    List<String> problems = new ArrayList<>();
    for (PaymentRow p : rows) {
      if (!FINAL.contains(p.state())) {
        problems.add("unresolved: payment " + p.id() + " is " + p.state() + " " + p.receipt());
      }
    }
    Map<String, Integer> standingPerParcel = new HashMap<>();
    for (Transaction t : journal) {
      if (t.kind() != Transaction.Kind.PAYMENT || t.reversed()) {
        continue;
      }
      List<PaymentRow> owners =
          rows.stream().filter(p -> p.receipt().equals(Optional.of(receipt(t)))).toList();
      if (owners.size() != 1
          || !Set.of("PAID", "RELEASED_UNPAID").contains(owners.get(0).state())) {
        problems.add("standing transaction " + receipt(t) + " belongs to " + owners);
        continue;
      }
      String parcel = owners.get(0).parcel();
      if (standingPerParcel.merge(parcel, 1, Integer::sum) > 1) {
        problems.add("double charge: parcel " + parcel + " has two standing transactions");
      }
      if ("DEPOSITED".equals(parcels.get(parcel))) {
        problems.add("parcel " + parcel + " is still inside but transaction " + receipt(t));
      }
    }
    int paid = 0;
    int reversed = 0;
    int declined = 0;
    int releasedUnpaid = 0;
    for (PaymentRow p : rows) {
      switch (p.state()) {
        case "PAID" -> {
          paid++;
          if (!"PICKED_UP".equals(parcels.get(p.parcel()))) {
            problems.add("PAID payment " + p.id() + " for parcel " + parcels.get(p.parcel()));
          }
          Transaction t = p.receipt().map(r -> byReceipt.get(Integer.parseInt(r))).orElse(null);
          if (t == null || t.kind() != Transaction.Kind.PAYMENT || t.reversed()) {
            problems.add("PAID payment " + p.id() + " has no standing transaction: " + t);
          }
        }
        case "REVERSED" -> {
          reversed++;
          // The receipt is the reversed payment's, or the reversal's when recovery learnt it
          // from the terminal's last transaction.
          Transaction t = p.receipt().map(r -> byReceipt.get(Integer.parseInt(r))).orElse(null);
          boolean inJournal = t != null && (t.kind() == Transaction.Kind.REVERSAL || t.reversed());
          if (!inJournal) {
            problems.add("REVERSED payment " + p.id() + " is not reversed in the journal: " + t);
          }
        }
        case "DECLINED" -> declined++;
        case "RELEASED_UNPAID" -> releasedUnpaid++;
        default -> {}
      }
    }
    for (Map.Entry<String, String> ack : acknowledgedPaid.entrySet()) {
      Optional<PaymentRow> row = rows.stream().filter(p -> p.id().equals(ack.getKey())).findAny();
      if (row.isEmpty() || !row.get().state().equals("PAID")) {
        problems.add("acknowledged paid payment " + ack.getKey() + " is " + row);
      }
    }
    Summary summary = new Summary(rows.size(), paid, reversed, declined, releasedUnpaid);
    assertThat(problems).as("the money invariant; " + summary).isEmpty();
    return summary;
  }

  private static String receipt(Transaction t) {
    return String.format("%04d", t.receiptNo());
  }

  private static Connection open(Path data) throws SQLException {
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    return DriverManager.getConnection(
        "jdbc:sqlite:" + data.resolve("locker.db").toAbsolutePath(), config.toProperties());
  }

  private static List<String> strings(Connection db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static List<Long> longs(Connection db, String sql) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
