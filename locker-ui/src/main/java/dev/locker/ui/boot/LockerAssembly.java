package dev.locker.ui.boot;

import dev.locker.core.application.Locker;
import dev.locker.core.application.LockerLoop;
import dev.locker.core.application.LockerPolicy;
import dev.locker.core.application.port.CompartmentLocks;
import dev.locker.core.application.port.DoorMonitor;
import dev.locker.core.application.port.PaymentSigner;
import dev.locker.core.cloud.CloudSync;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.PickupCodeGenerator;
import dev.locker.core.domain.PickupCodeHasher;
import dev.locker.core.domain.Size;
import dev.locker.core.store.LockerSecret;
import dev.locker.core.store.LockerSigningKey;
import dev.locker.core.store.SqliteLockerStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running locker: its store, secret, hardware and use cases, put together and started in the
 * right order, and taken apart in the reverse order. The composition root for the firmware and for
 * the simulator, which differ only in the hardware they pass in.
 *
 * <p>Start-up order: open the store (refusing weak durability settings), load or create the
 * locker's secret, start the door monitor and wait for every door's first read (bounded), then
 * reconcile open intents with what the doors report, then accept work and start the peripherals,
 * settle the card payments a crash left open (and again every two minutes), and start the cloud
 * link.
 */
public final class LockerAssembly implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LockerAssembly.class);

  /** Database and secret file names inside the data folder. */
  public static final String DATABASE = "locker.db";

  public static final String SECRET = "locker.secret";

  private final SqliteLockerStore store;
  private final Locker locker;
  private final AutoCloseable hardware;
  private final Peripherals peripherals;
  private final Optional<CloudSync> cloud;
  private final Optional<PaymentSettlement> settlement;
  private final PaymentSigner signingKey;
  private final Locker.ReconcileReport startReport;

  /**
   * What a locker is made of.
   *
   * @param health the relay the drivers report health to; attached to the locker once it runs
   * @param hardware closes the drivers behind {@code locks} and {@code doors} (serial ports,
   *     threads), after the locker has stopped; puts every output in its safe state
   * @param peripherals scanners and card reader, started once the locker runs
   * @param firstReadTimeout how long start-up waits for every door's first read before it
   *     reconciles with what it has (unknown doors are reconciled at their first read)
   * @param cloud the link to the operator's cloud; without it the locker works offline only
   */
  public record Parts(
      LockerPolicy policy,
      Map<CompartmentId, Size> compartments,
      CompartmentLocks locks,
      DoorMonitor doors,
      AutoCloseable hardware,
      Peripherals peripherals,
      HealthRelay health,
      Path dataDir,
      Clock clock,
      Duration firstReadTimeout,
      Optional<CloudParts> cloud) {
    public Parts {
      Objects.requireNonNull(policy, "policy");
      compartments = Map.copyOf(compartments);
      Objects.requireNonNull(locks, "locks");
      Objects.requireNonNull(doors, "doors");
      Objects.requireNonNull(hardware, "hardware");
      Objects.requireNonNull(peripherals, "peripherals");
      Objects.requireNonNull(health, "health");
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(firstReadTimeout, "firstReadTimeout");
      Objects.requireNonNull(cloud, "cloud");
    }

    /** The same parts with another cloud link (or none). */
    public Parts withCloud(Optional<CloudParts> other) {
      return new Parts(
          policy,
          compartments,
          locks,
          doors,
          hardware,
          peripherals,
          health,
          dataDir,
          clock,
          firstReadTimeout,
          other);
    }
  }

  private LockerAssembly(
      SqliteLockerStore store,
      Locker locker,
      AutoCloseable hardware,
      Peripherals peripherals,
      Optional<CloudSync> cloud,
      Optional<PaymentSettlement> settlement,
      PaymentSigner signingKey,
      Locker.ReconcileReport startReport) {
    this.settlement = settlement;
    this.signingKey = signingKey;
    this.store = store;
    this.locker = locker;
    this.hardware = hardware;
    this.peripherals = peripherals;
    this.cloud = cloud;
    this.startReport = startReport;
  }

  /** Opens, reconciles and starts a locker. On failure, whatever was opened is closed again. */
  public static LockerAssembly start(Parts parts) {
    SecureRandom random = new SecureRandom();
    SqliteLockerStore store = null;
    Locker locker = null;
    Optional<CloudSync> cloud = Optional.empty();
    Optional<PaymentSettlement> settlement = Optional.empty();
    try {
      byte[] secret = LockerSecret.loadOrCreate(parts.dataDir().resolve(SECRET), random);
      store =
          SqliteLockerStore.open(
              parts.dataDir().resolve(DATABASE), parts.clock(), parts.policy().lockerId());
      LockerLoop loop = new LockerLoop();
      locker =
          new Locker(
              parts.policy(),
              store,
              parts.locks(),
              parts.doors(),
              parts.clock(),
              new PickupCodeHasher(secret),
              new PickupCodeGenerator(random, parts.policy().codeLength()),
              loop,
              Locker.DoorWait.POLLING);
      parts.health().attach(locker);
      Locker.ReconcileReport report = locker.start(parts.compartments(), parts.firstReadTimeout());
      LockerSigningKey signingKey = new LockerSigningKey(secret);
      locker.announceSigningKey(signingKey);
      locker.scheduleHousekeeping();
      parts.peripherals().start();
      Locker started = locker;
      settlement =
          parts
              .peripherals()
              .paymentTerminal()
              .map(t -> PaymentSettlement.start(started, t, PaymentSettlement.PERIOD));
      SqliteLockerStore opened = store;
      Locker running = locker;
      cloud =
          parts
              .cloud()
              .flatMap(
                  c ->
                      c.start(
                          parts.policy().lockerId(),
                          opened,
                          running,
                          loop,
                          parts.health(),
                          parts.clock()));
      return new LockerAssembly(
          store,
          locker,
          parts.hardware(),
          parts.peripherals(),
          cloud,
          settlement,
          signingKey,
          report);
    } catch (IOException e) {
      closeAll(cloud, settlement, locker, parts.peripherals(), parts.hardware(), store);
      throw new UncheckedIOException("cannot load the locker's secret: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(cloud, settlement, locker, parts.peripherals(), parts.hardware(), store);
      throw e;
    }
  }

  /** Closes what a failed start opened, in reverse order of opening. */
  private static void closeAll(
      Optional<CloudSync> cloud,
      Optional<PaymentSettlement> settlement,
      Locker locker,
      Peripherals peripherals,
      AutoCloseable hardware,
      SqliteLockerStore store) {
    cloud.ifPresent(CloudSync::close);
    settlement.ifPresent(PaymentSettlement::close);
    peripherals.close();
    if (locker != null) {
      locker.close();
    }
    try {
      hardware.close();
    } catch (Exception e) {
      log.warn("hardware did not close cleanly: {}", e.getMessage());
    }
    if (store != null) {
      store.close();
    }
  }

  public Locker locker() {
    return locker;
  }

  public SqliteLockerStore store() {
    return store;
  }

  public Locker.ReconcileReport startReport() {
    return startReport;
  }

  /** The scanners and card reader: subscribe to their reads here. */
  public Peripherals peripherals() {
    return peripherals;
  }

  /** The locker's signature on its QR-pay codes ({@link Locker#offerQrPay}). */
  public PaymentSigner paymentSigner() {
    return signingKey;
  }

  /** The link to the cloud, when the locker has one. */
  public Optional<CloudSync> cloud() {
    return cloud;
  }

  /**
   * Stops the cloud link, the peripherals, the locker loop and door monitor, then the hardware,
   * then the store.
   */
  @Override
  public void close() {
    closeAll(cloud, settlement, locker, peripherals, hardware, store);
  }
}
