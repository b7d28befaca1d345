package dev.locker.sim.xorboard;

import dev.locker.hal.serial.SerialLink;
import dev.locker.hal.xorboard.XorFrame;
import dev.locker.hal.xorboard.XorFramer;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The far end of an RS-485 bus of "8A/80" XOR lock boards, byte for byte (device-protocols.md §1.2,
 * §1.5), with the physics of real doors: an unlock releases the latch, the door springs open after
 * a short delay and stays open until a person closes it, which re-engages the latch. A door can
 * also be forced open without any unlock. A lock's state bit reads closed while its latch is
 * engaged (or its sensor is stuck closed).
 *
 * <p>Requests answered: unlock one ({@code 8A BB LL 11} → {@code 8A BB LL SS}, SS 00 opened, 11
 * still closed), query one ({@code 80 BB LL 33} → {@code 80 BB LL SS}), query all ({@code 80 BB 00
 * 33} → {@code 80 BB G3 G2 G1 33 XOR}) and unlock all ({@code 8A BB 00 11}): the board releases its
 * locks one after another, {@link Options#unlockAllStep()} apart, ignores every request meanwhile
 * and answers {@code 8A BB 00 00} when done (the notes say only "reply after up to ~10 s"; the busy
 * board and the reply's bytes are a guess).
 *
 * <p>Fault plans, set and cleared at run time, misbehave as real boards do: a jammed lock (the
 * latch stays engaged), a stuck sensor, a silent board, garbage bytes around replies, late replies,
 * corrupted checksums, a busy window after an unlock during which requests are ignored.
 *
 * <p>Threads: one daemon thread {@code xorboard-emulator} reads the link and answers; door springs
 * and unlock-all sequences run on {@code xorboard-emulator-physics}. Public methods are
 * thread-safe.
 */
public final class XorBoardEmulator implements EmulatedLockBoards {

  /** Something that happened to the hardware, for tests and the simulator panel. */
  public record PhysicalEvent(Instant at, int board, int lock, Kind kind) {
    /** What happened. */
    public enum Kind {
      LATCH_RELEASED,
      DOOR_OPENED,
      DOOR_CLOSED,
      DOOR_FORCED
    }
  }

  /** A request as the bus received it. */
  public record ReceivedFrame(Instant at, XorFrame.LockFrame frame) {}

  /**
   * Emulator options.
   *
   * @param springDelay time from a released latch to the door standing open
   * @param unlockAllStep time between two locks of an unlock-all sequence (24 × 400 ms ≈ the "up to
   *     ~10 s" of the notes)
   * @param garbageSeed seed of the noise and corruption, so a run can be repeated
   */
  public record Options(Duration springDelay, Duration unlockAllStep, long garbageSeed) {
    public Options {
      Objects.requireNonNull(springDelay, "springDelay");
      Objects.requireNonNull(unlockAllStep, "unlockAllStep");
    }

    public static Options defaults() {
      return new Options(Duration.ofMillis(300), Duration.ofMillis(400), 42L);
    }

    public Options withSpringDelay(Duration delay) {
      return new Options(delay, unlockAllStep, garbageSeed);
    }

    public Options withUnlockAllStep(Duration step) {
      return new Options(springDelay, step, garbageSeed);
    }
  }

  private static final class Lock {
    boolean latched = true;
    boolean doorOpen;
    Boolean stuckSensor;
    boolean jammed;

    boolean readsClosed() {
      return stuckSensor != null ? stuckSensor : latched;
    }
  }

  private static final class Board {
    final Lock[] locks = new Lock[XorFrame.LOCKS];
    boolean silent;
    long busyUntilNanos;

    Board() {
      for (int i = 0; i < locks.length; i++) {
        locks[i] = new Lock();
      }
    }
  }

  private final SerialLink link;
  private final Clock clock;
  private final Options options;
  private final Map<Integer, Board> boards = new TreeMap<>();
  private final XorFramer framer = new XorFramer(XorFramer.Expecting.LOCK_FRAMES);
  private final Random garbageRandom;
  private final Object wire = new Object();
  private final List<ReceivedFrame> received = new CopyOnWriteArrayList<>();
  private final List<Consumer<PhysicalEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService physics;
  private final Thread reader;
  private volatile boolean running = true;
  private volatile boolean garbage;
  private volatile int corruptEvery;
  private volatile Duration replyDelay = Duration.ZERO;
  private volatile Duration busyWindow = Duration.ZERO;
  private long replies;

  /**
   * Starts answering on {@code link} as the boards at {@code addresses} (each 0..255), every lock
   * latched and every door shut.
   */
  public XorBoardEmulator(SerialLink link, Set<Integer> addresses, Clock clock, Options options) {
    this.link = Objects.requireNonNull(link, "link");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    for (int address : addresses) {
      if (address < 0 || address > 0xFF) {
        throw new IllegalArgumentException("a board address is a byte, was " + address);
      }
      boards.put(address, new Board());
    }
    this.garbageRandom = new Random(options.garbageSeed());
    this.physics =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "xorboard-emulator-physics");
              t.setDaemon(true);
              return t;
            });
    this.reader = new Thread(this::serve, "xorboard-emulator");
    reader.setDaemon(true);
    reader.start();
  }

  public void addListener(Consumer<PhysicalEvent> listener) {
    listeners.add(listener);
  }

  /** Every well-formed request received so far, in order, whether answered or not. */
  @Override
  public Optional<byte[]> lastUnlockFrame() {
    return received().stream()
        .map(ReceivedFrame::frame)
        .filter(f -> f.head() == XorFrame.UNLOCK && f.code() == XorFrame.UNLOCK_CODE)
        .reduce((a, b) -> b)
        .map(XorFrame.LockFrame::encode);
  }

  public List<ReceivedFrame> received() {
    return List.copyOf(received);
  }

  /** Boards on this bus. */
  @Override
  public List<Integer> boards() {
    synchronized (this) {
      return new ArrayList<>(boards.keySet());
    }
  }

  // ---------------------------------------------------------------- people

  /** A person closes the door; the latch re-engages. */
  @Override
  public void closeDoor(int board, int lock) {
    boolean changed;
    synchronized (this) {
      Lock l = lock(board, lock);
      changed = l.doorOpen;
      l.doorOpen = false;
      l.latched = true;
    }
    if (changed) {
      fire(board, lock, PhysicalEvent.Kind.DOOR_CLOSED);
    }
  }

  /** Someone forces the door open without an unlock: the lock reads open. */
  @Override
  public void forceOpen(int board, int lock) {
    synchronized (this) {
      Lock l = lock(board, lock);
      l.doorOpen = true;
      l.latched = false;
    }
    fire(board, lock, PhysicalEvent.Kind.DOOR_FORCED);
  }

  @Override
  public synchronized boolean isDoorOpen(int board, int lock) {
    return lock(board, lock).doorOpen;
  }

  /** Whether the latch is engaged (whatever the sensor says). */
  @Override
  public synchronized boolean isLatched(int board, int lock) {
    return lock(board, lock).latched;
  }

  // ---------------------------------------------------------------- fault plans

  /**
   * The lock ignores unlocks: its latch stays engaged, and the unlock reply says "still closed".
   */
  @Override
  public synchronized void jam(int board, int lock, boolean jammed) {
    lock(board, lock).jammed = jammed;
  }

  /** The lock's sensor reports {@code closed} whatever the latch does; null unsticks it. */
  @Override
  public synchronized void stickSensor(int board, int lock, Boolean closed) {
    lock(board, lock).stuckSensor = closed;
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

  /** Every {@code n}th reply carries a wrong XOR (1: all of them); 0 stops it. */
  public void corruptChecksums(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0");
    }
    corruptEvery = n;
  }

  /** Every reply comes this late. */
  public void delayReplies(Duration delay) {
    replyDelay = Objects.requireNonNull(delay, "delay");
  }

  /** After an unlock, the board ignores requests for this long. */
  public void busyAfterUnlock(Duration window) {
    busyWindow = Objects.requireNonNull(window, "window");
  }

  /** Clears every fault plan. */
  @Override
  public synchronized void clearFaults() {
    garbage = false;
    corruptEvery = 0;
    replyDelay = Duration.ZERO;
    busyWindow = Duration.ZERO;
    for (Board b : boards.values()) {
      b.silent = false;
      b.busyUntilNanos = 0;
      for (Lock l : b.locks) {
        l.jammed = false;
        l.stuckSensor = null;
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
      for (XorFramer.Decoded decoded : framer.feed(chunk)) {
        if (decoded instanceof XorFramer.Decoded.Frame f
            && f.frame() instanceof XorFrame.LockFrame request) {
          received.add(new ReceivedFrame(clock.instant(), request));
          handle(request);
        }
      }
    }
  }

  private void handle(XorFrame.LockFrame request) {
    XorFrame reply = null;
    synchronized (this) {
      Board board = boards.get(request.board());
      if (board == null || board.silent || System.nanoTime() < board.busyUntilNanos) {
        return;
      }
      int address = request.board();
      if (request.head() == XorFrame.QUERY && request.code() == XorFrame.QUERY_CODE) {
        reply =
            request.lock() == XorFrame.ALL_LOCKS
                ? XorFrame.boardReply(address, closedBits(board))
                : XorFrame.lockReply(
                    address, request.lock(), board.locks[request.lock() - 1].readsClosed());
      } else if (request.head() == XorFrame.UNLOCK && request.code() == XorFrame.UNLOCK_CODE) {
        if (request.lock() == XorFrame.ALL_LOCKS) {
          unlockAll(address, board);
          return;
        }
        Lock lock = board.locks[request.lock() - 1];
        release(address, request.lock(), lock);
        reply = XorFrame.unlockReply(address, request.lock(), !lock.readsClosed());
        if (!busyWindow.isZero()) {
          board.busyUntilNanos = System.nanoTime() + busyWindow.toNanos();
        }
      }
    }
    if (reply != null) {
      delayThenSend(reply.encode());
    }
  }

  private static int closedBits(Board board) {
    int bits = 0;
    for (int i = 0; i < XorFrame.LOCKS; i++) {
      if (board.locks[i].readsClosed()) {
        bits |= 1 << i;
      }
    }
    return bits;
  }

  /** Releases a latch unless it is jammed or already released; the door springs open later. */
  private void release(int address, int lockNo, Lock lock) {
    if (lock.jammed || !lock.latched) {
      return;
    }
    lock.latched = false;
    physics.execute(() -> fire(address, lockNo, PhysicalEvent.Kind.LATCH_RELEASED));
    physics.schedule(
        () -> springOpen(address, lockNo), options.springDelay().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void unlockAll(int address, Board board) {
    long step = options.unlockAllStep().toNanos();
    board.busyUntilNanos = System.nanoTime() + step * XorFrame.LOCKS;
    for (int i = 1; i <= XorFrame.LOCKS; i++) {
      int lockNo = i;
      physics.schedule(
          () -> {
            synchronized (this) {
              release(address, lockNo, board.locks[lockNo - 1]);
            }
          },
          step * (i - 1),
          TimeUnit.NANOSECONDS);
    }
    physics.schedule(
        () -> send(new XorFrame.LockFrame(XorFrame.UNLOCK, address, 0, XorFrame.OPEN).encode()),
        step * XorFrame.LOCKS,
        TimeUnit.NANOSECONDS);
  }

  private void springOpen(int address, int lockNo) {
    boolean opened;
    synchronized (this) {
      Lock lock = lock(address, lockNo);
      opened = !lock.latched && !lock.doorOpen;
      if (opened) {
        lock.doorOpen = true;
      }
    }
    if (opened) {
      fire(address, lockNo, PhysicalEvent.Kind.DOOR_OPENED);
    }
  }

  private void delayThenSend(byte[] reply) {
    if (!replyDelay.isZero()) {
      try {
        Thread.sleep(replyDelay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    send(reply);
  }

  /** Writes one reply, with whatever noise and corruption the fault plans ask for. */
  private void send(byte[] reply) {
    synchronized (wire) {
      byte[] sent = reply.clone();
      replies++;
      int every = corruptEvery;
      boolean noisy = garbage;
      if ((every > 0 && replies % every == 0) || (noisy && garbageRandom.nextInt(4) == 0)) {
        sent[sent.length - 1] ^= 0x5A;
      }
      try {
        if (noisy) {
          link.write(noise());
        }
        link.write(sent);
        if (noisy) {
          link.write(noise());
        }
      } catch (IOException e) {
        running = false;
      }
    }
  }

  /** 1–6 random bytes with no head byte (0x80, 0x8A), so they never start a frame on their own. */
  private byte[] noise() {
    byte[] noise = new byte[1 + garbageRandom.nextInt(6)];
    for (int i = 0; i < noise.length; i++) {
      int b;
      do {
        b = garbageRandom.nextInt(256);
      } while (b == XorFrame.QUERY || b == XorFrame.UNLOCK);
      noise[i] = (byte) b;
    }
    return noise;
  }

  private void fire(int board, int lock, PhysicalEvent.Kind kind) {
    PhysicalEvent event = new PhysicalEvent(clock.instant(), board, lock, kind);
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

  private Lock lock(int address, int lock) {
    if (lock < 1 || lock > XorFrame.LOCKS) {
      throw new IllegalArgumentException("lock must be 1..24, was " + lock);
    }
    return board(address).locks[lock - 1];
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
