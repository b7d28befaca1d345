package dev.locker.sim.kerong;

import dev.locker.hal.kerong.HookPolarity;
import dev.locker.hal.kerong.KerongFrame;
import dev.locker.hal.kerong.KerongFramer;
import dev.locker.hal.serial.SerialLink;
import dev.locker.sim.lockboard.EmulatedLockBoards;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The far end of an RS-485 bus of KR-CU16 boards, byte for byte (device-protocols.md §1.1, §1.5),
 * with the physics of real doors: an unlock releases the latch, the door springs open after a short
 * delay and stays open until a person closes it, which re-engages the latch. A door can also be
 * forced open without any unlock.
 *
 * <p>Fault plans, set and cleared at run time, misbehave as real boards do: a jammed lock (the
 * latch stays engaged), a stuck hook sensor, a silent board, garbage bytes around replies, late
 * replies, a busy window after an unlock during which requests are ignored.
 *
 * <p>Threads: one daemon thread {@code kerong-emulator} reads the link and answers; door springs
 * run on {@code kerong-emulator-physics}. Public methods are thread-safe.
 */
public final class KerongBusEmulator implements EmulatedLockBoards {

  /** How a board answers an unlock (sources disagree; device-protocols.md §8). */
  public enum UnlockReply {
    /** Silent, as most boards and the reference clients expect. */
    NONE,
    /** A 0x35 status frame with the state after the unlock. */
    STATUS
  }

  /** Something that happened to the hardware, for tests and the simulator panel. */
  public record PhysicalEvent(Instant at, int board, int channel, Kind kind) {
    /** What happened. */
    public enum Kind {
      LATCH_RELEASED,
      DOOR_OPENED,
      DOOR_CLOSED,
      DOOR_FORCED
    }
  }

  /** A frame as the bus received it. */
  public record ReceivedFrame(Instant at, KerongFrame frame) {}

  /** Emulator options. */
  public record Options(Duration springDelay, UnlockReply unlockReply, long garbageSeed) {
    public static Options defaults() {
      return new Options(Duration.ofMillis(300), UnlockReply.NONE, 42L);
    }

    public Options withSpringDelay(Duration delay) {
      return new Options(delay, unlockReply, garbageSeed);
    }

    public Options withUnlockReply(UnlockReply reply) {
      return new Options(springDelay, reply, garbageSeed);
    }
  }

  private static final class Lock {
    boolean latched = true;
    boolean doorOpen;
    boolean item;
    Boolean stuckHook;
    boolean jammed;
  }

  private static final class Board {
    final HookPolarity polarity;
    final Lock[] locks = new Lock[16];
    boolean silent;
    long busyUntilNanos;

    Board(HookPolarity polarity) {
      this.polarity = polarity;
      for (int i = 0; i < 16; i++) {
        locks[i] = new Lock();
      }
    }
  }

  private final SerialLink link;
  private final Clock clock;
  private final Options options;
  private final Map<Integer, Board> boards = new TreeMap<>();
  private final KerongFramer framer = new KerongFramer();
  private final Random garbageRandom;
  private final List<ReceivedFrame> received = new CopyOnWriteArrayList<>();
  private final List<Consumer<PhysicalEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService physics;
  private final Thread reader;
  private volatile boolean running = true;
  private volatile boolean garbage;
  private volatile Duration replyDelay = Duration.ZERO;
  private volatile Duration busyWindow = Duration.ZERO;

  public KerongBusEmulator(
      SerialLink link, Map<Integer, HookPolarity> boardPolarity, Clock clock, Options options) {
    this.link = Objects.requireNonNull(link, "link");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    boardPolarity.forEach((address, polarity) -> boards.put(address, new Board(polarity)));
    this.garbageRandom = new Random(options.garbageSeed());
    this.physics =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kerong-emulator-physics");
              t.setDaemon(true);
              return t;
            });
    this.reader = new Thread(this::serve, "kerong-emulator");
    reader.setDaemon(true);
    reader.start();
  }

  public void addListener(Consumer<PhysicalEvent> listener) {
    listeners.add(listener);
  }

  /** Every frame received so far, in order. */
  @Override
  public Optional<byte[]> lastUnlockFrame() {
    return received().stream()
        .map(ReceivedFrame::frame)
        .filter(f -> f.command() == KerongFrame.UNLOCK)
        .reduce((a, b) -> b)
        .map(KerongFrame::encode);
  }

  public List<ReceivedFrame> received() {
    return List.copyOf(received);
  }

  // ---------------------------------------------------------------- people

  /** A person closes the door; the latch re-engages (unless the lock is jammed open). */
  @Override
  public void closeDoor(int board, int channel) {
    boolean changed;
    synchronized (this) {
      Lock lock = lock(board, channel);
      changed = lock.doorOpen;
      lock.doorOpen = false;
      lock.latched = true;
    }
    if (changed) {
      fire(board, channel, PhysicalEvent.Kind.DOOR_CLOSED);
    }
  }

  /** Someone forces the door open without an unlock: the hook shows released. */
  @Override
  public void forceOpen(int board, int channel) {
    synchronized (this) {
      Lock lock = lock(board, channel);
      lock.doorOpen = true;
      lock.latched = false;
    }
    fire(board, channel, PhysicalEvent.Kind.DOOR_FORCED);
  }

  /** Puts an item in (or takes it out of) a compartment, as the IR sensor sees it. */
  public synchronized void setItem(int board, int channel, boolean present) {
    lock(board, channel).item = present;
  }

  @Override
  public synchronized boolean isDoorOpen(int board, int channel) {
    return lock(board, channel).doorOpen;
  }

  @Override
  public synchronized boolean isLatched(int board, int channel) {
    return lock(board, channel).latched;
  }

  // ---------------------------------------------------------------- fault plans

  /** The lock ignores unlocks: its latch stays engaged. */
  @Override
  public synchronized void jam(int board, int channel, boolean jammed) {
    lock(board, channel).jammed = jammed;
  }

  /** The hook sensor reports {@code latched} whatever the latch does; null unsticks it. */
  @Override
  public synchronized void stickSensor(int board, int channel, Boolean latched) {
    lock(board, channel).stuckHook = latched;
  }

  /** The board stops answering (and ignores unlocks), as when its cable is cut. */
  @Override
  public synchronized void silence(int board, boolean silent) {
    board(board).silent = silent;
  }

  /** Random bytes before and after every reply, and now and then a corrupted reply. */
  @Override
  public void garbage(boolean on) {
    garbage = on;
  }

  /** Every reply comes this late. */
  public void delayReplies(Duration delay) {
    replyDelay = Objects.requireNonNull(delay, "delay");
  }

  /** After an unlock, the board ignores requests for this long (the CartWise "BUSY" report). */
  public void busyAfterUnlock(Duration window) {
    busyWindow = Objects.requireNonNull(window, "window");
  }

  /** Clears every fault plan. */
  @Override
  public synchronized void clearFaults() {
    garbage = false;
    replyDelay = Duration.ZERO;
    busyWindow = Duration.ZERO;
    for (Board b : boards.values()) {
      b.silent = false;
      b.busyUntilNanos = 0;
      for (Lock l : b.locks) {
        l.jammed = false;
        l.stuckHook = null;
      }
    }
  }

  // ---------------------------------------------------------------- the wire

  private void serve() {
    while (running) {
      byte[] chunk;
      try {
        chunk = link.read(256, Duration.ofMillis(200));
      } catch (IOException e) {
        return;
      }
      if (chunk.length == 0) {
        continue;
      }
      for (KerongFramer.Decoded decoded : framer.feed(chunk)) {
        if (decoded instanceof KerongFramer.Decoded.Frame f) {
          received.add(new ReceivedFrame(clock.instant(), f.frame()));
          handle(f.frame());
        }
      }
    }
  }

  private void handle(KerongFrame frame) {
    byte[] reply = null;
    synchronized (this) {
      Board board = boards.get(frame.board());
      if (board == null || board.silent || System.nanoTime() < board.busyUntilNanos) {
        return;
      }
      switch (frame.command()) {
        case KerongFrame.GET_STATUS -> reply = status(frame.board(), board);
        case KerongFrame.UNLOCK -> {
          unlock(frame.board(), board, frame.channel());
          if (options.unlockReply() == UnlockReply.STATUS) {
            reply = status(frame.board(), board);
          }
          if (!busyWindow.isZero()) {
            board.busyUntilNanos = System.nanoTime() + busyWindow.toNanos();
          }
        }
        default -> {
          return;
        }
      }
    }
    if (reply != null) {
      send(reply);
    }
  }

  private byte[] status(int address, Board board) {
    int hook = 0;
    int ir = 0;
    for (int i = 0; i < 16; i++) {
      Lock lock = board.locks[i];
      boolean latched = lock.stuckHook != null ? lock.stuckHook : lock.latched;
      if (board.polarity.bitFor(latched)) {
        hook |= 1 << i;
      }
      if (lock.item) {
        ir |= 1 << i;
      }
    }
    return KerongFrame.statusReply(address, hook, ir).encode();
  }

  private void unlock(int address, Board board, int channel) {
    Lock lock = board.locks[channel - 1];
    if (lock.jammed || !lock.latched) {
      return;
    }
    lock.latched = false;
    physics.execute(() -> fire(address, channel, PhysicalEvent.Kind.LATCH_RELEASED));
    physics.schedule(
        () -> springOpen(address, channel), options.springDelay().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void springOpen(int address, int channel) {
    boolean opened;
    synchronized (this) {
      Lock lock = lock(address, channel);
      opened = !lock.latched && !lock.doorOpen;
      if (opened) {
        lock.doorOpen = true;
      }
    }
    if (opened) {
      fire(address, channel, PhysicalEvent.Kind.DOOR_OPENED);
    }
  }

  private void send(byte[] reply) {
    try {
      if (!replyDelay.isZero()) {
        Thread.sleep(replyDelay.toMillis());
      }
      if (garbage) {
        link.write(noise());
        byte[] sent = reply.clone();
        if (garbageRandom.nextInt(4) == 0) {
          sent[sent.length - 1] ^= 0x5A;
        }
        link.write(sent);
        link.write(noise());
      } else {
        link.write(reply);
      }
    } catch (IOException e) {
      running = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** 1–6 random bytes that contain no STX, so they never start a frame on their own. */
  private byte[] noise() {
    byte[] noise = new byte[1 + garbageRandom.nextInt(6)];
    for (int i = 0; i < noise.length; i++) {
      int b;
      do {
        b = garbageRandom.nextInt(256);
      } while (b == KerongFrame.STX);
      noise[i] = (byte) b;
    }
    return noise;
  }

  private void fire(int board, int channel, PhysicalEvent.Kind kind) {
    PhysicalEvent event = new PhysicalEvent(clock.instant(), board, channel, kind);
    for (Consumer<PhysicalEvent> listener : listeners) {
      listener.accept(event);
    }
  }

  private Board board(int address) {
    Board board = boards.get(address);
    if (board == null) {
      throw new IllegalArgumentException("no board " + address + " on this bus");
    }
    return board;
  }

  private Lock lock(int address, int channel) {
    if (channel < 1 || channel > 16) {
      throw new IllegalArgumentException("channel must be 1..16, was " + channel);
    }
    return board(address).locks[channel - 1];
  }

  /** Boards on this bus. */
  @Override
  public List<Integer> boards() {
    return new ArrayList<>(boards.keySet());
  }

  @Override
  public void close() {
    running = false;
    physics.shutdownNow();
    link.close();
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
