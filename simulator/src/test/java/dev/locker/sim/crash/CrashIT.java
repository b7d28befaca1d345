package dev.locker.sim.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.store.AuditChain;
import dev.locker.core.testing.ChildJvm;
import dev.locker.hal.kerong.HookPolarity;
import dev.locker.hal.kerong.KerongFrame;
import dev.locker.hal.serial.JsscSerialLink;
import dev.locker.hal.serial.SocatPtyPair;
import dev.locker.sim.SimulatedLocker;
import dev.locker.sim.kerong.KerongBusEmulator;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power-cut style crash test (reliability-security.md §4.6, R1). The firmware runs deposit and
 * pickup cycles in a child JVM, talking through a socat pty to emulated Kerong boards that live in
 * this JVM: the physical world, which a controller crash does not reset. People here close every
 * door that opens. The child is killed with SIGKILL at random moments ({@code crash.kills} times,
 * 50 by default) and started again; after each kill the database is checked:
 *
 * <ul>
 *   <li>{@code PRAGMA integrity_check} is ok and the audit chain is intact;
 *   <li>every deposit and pickup the child acknowledged is there, no parcel is duplicated, no
 *       parcel is in two compartments and every compartment's parcel exists;
 *   <li>the outbox's seq runs 1..N without a gap and matches the counter;
 *   <li>every door opening has a recorded reason: each unlock frame the boards received was
 *       preceded by a committed unlock intent for that compartment, and no door was forced.
 * </ul>
 *
 * Finally, with every door closed, one more start must close every earlier intent.
 */
class CrashIT {

  @TempDir Path dir;

  @Test
  void killedAtRandomMomentsTheLockerLosesNothingAndExplainsEveryOpening() throws Exception {
    int kills = Integer.getInteger("crash.kills", 50);
    long seed = Long.getLong("crash.seed", 20261123L);
    Random random = new Random(seed);
    Path data = dir.resolve("data");
    Path stderr = dir.resolve("child-stderr.log");
    try (SocatPtyPair pty = SocatPtyPair.start(dir.resolve("pty"));
        JsscSerialLink device =
            JsscSerialLink.open(pty.devicePath(), JsscSerialLink.LineSettings.eightN1(19200));
        KerongBusEmulator boards =
            new KerongBusEmulator(
                device,
                Map.of(0, HookPolarity.LATCHED_IS_ONE, 1, HookPolarity.LATCHED_IS_ONE),
                Clock.systemUTC(),
                KerongBusEmulator.Options.defaults().withSpringDelay(Duration.ofMillis(80)))) {
      ScheduledExecutorService people = Executors.newSingleThreadScheduledExecutor();
      Random patience = new Random(seed + 1);
      boards.addListener(
          e -> {
            if (e.kind() == KerongBusEmulator.PhysicalEvent.Kind.DOOR_OPENED) {
              people.schedule(
                  () -> boards.closeDoor(e.board(), e.channel()),
                  150 + patience.nextInt(250),
                  TimeUnit.MILLISECONDS);
            }
          });
      Path config = writeConfig(pty.hostPath());
      Set<String> deposited = new HashSet<>();
      Set<String> pickedUp = new HashSet<>();
      int acknowledged = 0;
      for (int kill = 1; kill <= kills; kill++) {
        try (ChildJvm child =
            ChildJvm.start(
                CrashWorker.class,
                stderr,
                List.of("-Xmx128m"),
                config.toString(),
                data.toString(),
                Integer.toString(kill),
                Long.toString(random.nextLong()))) {
          boolean early = random.nextInt(10) == 0;
          if (!early) {
            awaitLine(child, "READY", 60);
          }
          Thread.sleep(early ? random.nextInt(1500) : 200 + random.nextInt(2300));
          child.kill();
          for (String line : child.lines()) {
            if (line.startsWith("ACK deposited ")) {
              deposited.add(line.substring(14));
              acknowledged++;
            } else if (line.startsWith("ACK picked_up ")) {
              pickedUp.add(line.substring(14));
              acknowledged++;
            }
          }
        }
        checkInvariants(data, deposited, pickedUp, boards, "after kill " + kill);
      }
      System.out.printf("%d kills, %d acknowledged deposits and pickups%n", kills, acknowledged);
      assertThat(acknowledged)
          .as("the children did real work between kills")
          .isGreaterThan(kills / 2);

      awaitAllClosed(boards);
      long finalBoot = System.currentTimeMillis();
      try (ChildJvm child =
          ChildJvm.start(
              CrashWorker.class,
              stderr,
              List.of("-Xmx128m"),
              config.toString(),
              data.toString(),
              "final",
              "0",
              "idle")) {
        awaitLine(child, "READY", 60);
        child.kill();
      }
      checkInvariants(data, deposited, pickedUp, boards, "after the final start");
      try (Connection db = open(data)) {
        assertThat(
                longs(
                    db,
                    "SELECT COUNT(*) FROM unlock_intents WHERE state IN ('PENDING','DOOR_OPENED')"
                        + " AND created_at < "
                        + finalBoot))
            .as("every intent from before the final start is closed by reconciliation")
            .containsExactly(0L);
      }
      people.shutdownNow();
    }
  }

  private Path writeConfig(String port) throws Exception {
    String profile;
    try (var in = SimulatedLocker.class.getResourceAsStream(SimulatedLocker.DEFAULT_PROFILE)) {
      profile = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // The crash test is about the locks: the profile's other devices are left out.
    String config =
        profile
            .replaceAll("(?s)\ndevices:\n.*?\n(?=\\S)", "\n")
            .replace("port: sim ", "port: " + port + " ")
            .replace("replyTimeout: 300ms", "replyTimeout: 150ms")
            .replace("pollInterval: 200ms", "pollInterval: 50ms")
            .replace("openTimeout: 10s", "openTimeout: 2s");
    assertThat(config).contains(port).doesNotContain("devices:");
    Path file = dir.resolve("crash.yaml");
    Files.writeString(file, config);
    return file;
  }

  private static void awaitLine(ChildJvm child, String wanted, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = child.nextLine(1);
      if (wanted.equals(line)) {
        return;
      }
      if (line == null && !child.isAlive()) {
        throw new AssertionError("the child died before " + wanted + "; see child-stderr.log");
      }
    }
    throw new AssertionError("the child never said " + wanted);
  }

  private static void awaitAllClosed(KerongBusEmulator boards) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      boolean anyOpen = false;
      for (int board : boards.boards()) {
        for (int channel = 1; channel <= 16; channel++) {
          anyOpen |= boards.isDoorOpen(board, channel);
        }
      }
      if (!anyOpen) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the people did not close every door");
  }

  private static void checkInvariants(
      Path data, Set<String> deposited, Set<String> pickedUp, KerongBusEmulator boards, String when)
      throws SQLException {
    if (!Files.exists(data.resolve("locker.db"))) {
      assertThat(deposited).as(when + ": acknowledged with no database").isEmpty();
      return;
    }
    try (Connection db = open(data)) {
      assertThat(strings(db, "PRAGMA integrity_check")).as(when).containsExactly("ok");
      assertThat(AuditChain.verify(db)).as(when).isInstanceOf(AuditChain.Verdict.Intact.class);

      Map<String, String> states = new HashMap<>();
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT tracking, state FROM parcels")) {
        while (rs.next()) {
          assertThat(states.put(rs.getString(1), rs.getString(2)))
              .as(when + ": tracking " + rs.getString(1) + " appears once")
              .isNull();
        }
      }
      for (String tracking : deposited) {
        assertThat(states.get(tracking))
            .as(when + ": acknowledged deposit " + tracking)
            .isIn("DEPOSITED", "PICKED_UP", "EXPIRED");
      }
      for (String tracking : pickedUp) {
        assertThat(states.get(tracking))
            .as(when + ": acknowledged pickup " + tracking)
            .isEqualTo("PICKED_UP");
      }
      assertThat(
              strings(
                  db,
                  "SELECT parcel_id FROM compartments WHERE parcel_id IS NOT NULL"
                      + " GROUP BY parcel_id HAVING COUNT(*) > 1"))
          .as(when + ": a parcel in two compartments")
          .isEmpty();
      assertThat(
              strings(
                  db,
                  "SELECT c.id FROM compartments c LEFT JOIN parcels p ON p.id = c.parcel_id"
                      + " WHERE c.parcel_id IS NOT NULL AND p.id IS NULL"))
          .as(when + ": compartments holding unknown parcels")
          .isEmpty();
      assertThat(
              strings(
                  db,
                  "SELECT p.tracking FROM parcels p JOIN compartments c ON c.id = p.compartment_id"
                      + " WHERE p.state = 'DEPOSITED' AND (c.parcel_id IS NULL OR c.parcel_id <>"
                      + " p.id)"))
          .as(when + ": deposited parcels whose compartment does not hold them")
          .isEmpty();

      List<Long> outbox = longs(db, "SELECT seq FROM outbox ORDER BY seq");
      for (int i = 0; i < outbox.size(); i++) {
        assertThat(outbox.get(i)).as(when + ": outbox seq without gaps").isEqualTo(i + 1L);
      }
      assertThat(longs(db, "SELECT last FROM sequences WHERE name = 'outbox'"))
          .as(when + ": the seq counter")
          .containsExactly((long) outbox.size());
      assertThat(longs(db, "SELECT COUNT(*) FROM outbox WHERE type = 'door.forced'"))
          .as(when + ": doors opened with no recorded reason")
          .containsExactly(0L);

      Map<String, List<Long>> intents = new HashMap<>();
      try (Statement st = db.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT compartment_id, created_at FROM unlock_intents ORDER BY id")) {
        while (rs.next()) {
          intents.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
        }
      }
      for (KerongBusEmulator.ReceivedFrame received : boards.received()) {
        KerongFrame frame = received.frame();
        if (frame.command() != KerongFrame.UNLOCK) {
          continue;
        }
        String compartment = compartmentOf(frame.board(), frame.channel());
        long at = received.at().toEpochMilli();
        boolean explained =
            intents.getOrDefault(compartment, List.of()).stream()
                .anyMatch(created -> created <= at && at - created < 30_000);
        assertThat(explained)
            .as(when + ": unlock of " + compartment + " at " + received.at() + " has an intent")
            .isTrue();
      }
    }
  }

  /** The simulator profile's wiring: A and B on board 0 (channels 1-16), C on board 1. */
  private static String compartmentOf(int board, int channel) {
    if (board == 1) {
      return String.format("C%02d", channel);
    }
    return channel <= 8 ? String.format("A%02d", channel) : String.format("B%02d", channel - 8);
  }

  private static Connection open(Path data) throws SQLException {
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    return DriverManager.getConnection(
        "jdbc:sqlite:" + data.resolve("locker.db").toAbsolutePath(), config.toProperties());
  }

  private static List<String> strings(Connection db, String sql) throws SQLException {
    return column(db, sql, rs -> rs.getString(1));
  }

  private static List<Long> longs(Connection db, String sql) throws SQLException {
    return column(db, sql, rs -> rs.getLong(1));
  }

  @FunctionalInterface
  private interface Cell<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private static <T> List<T> column(Connection db, String sql, Cell<T> cell) throws SQLException {
    List<T> out = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(cell.read(rs));
      }
    }
    return out;
  }
}
