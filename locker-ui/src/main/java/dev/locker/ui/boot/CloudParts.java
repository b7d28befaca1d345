package dev.locker.ui.boot;

import dev.locker.core.Firmware;
import dev.locker.core.application.Locker;
import dev.locker.core.application.LockerLoop;
import dev.locker.core.application.port.CloudLink;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.cloud.CloudSync;
import dev.locker.core.cloud.CommandGate;
import dev.locker.core.cloud.CommandHandler;
import dev.locker.core.cloud.CommandKeys;
import dev.locker.core.cloud.CommandProcessor;
import dev.locker.core.cloud.ConfigUpdateCommand;
import dev.locker.core.cloud.CredentialsCommands;
import dev.locker.core.cloud.NotificationStatusCommand;
import dev.locker.core.cloud.ParcelCommands;
import dev.locker.core.cloud.QrPaymentConfirmedCommand;
import dev.locker.core.cloud.Telemetry;
import dev.locker.core.config.LockerConfig;
import dev.locker.core.domain.DeviceHealth;
import dev.locker.core.domain.HealthState;
import dev.locker.core.domain.PaymentId;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud side of a locker, from its {@code cloud} configuration: the command gate and processor
 * with every command type's handler, telemetry, and the sync that runs them over a {@link
 * CloudLink}. The link itself comes from {@code link} (Paho on a locker; the simulator points it at
 * its own broker).
 *
 * <p>A link that cannot be made (TLS files missing, expired or not matching) does not stop the
 * locker: it runs offline, logs why, and reports device {@code cloud} OFFLINE with the reason,
 * which the service menu shows.
 *
 * @param config the validated {@code cloud} section
 * @param link makes the link for a locker id and this section; throws {@link IllegalStateException}
 *     when it cannot
 */
public record CloudParts(
    LockerConfig.Cloud config, BiFunction<String, LockerConfig.Cloud, CloudLink> link) {
  private static final Logger log = LoggerFactory.getLogger(CloudParts.class);

  /** Events and acks published and not yet confirmed, at most. */
  public static final int WINDOW = 32;

  public CloudParts {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(link, "link");
  }

  /**
   * The same parts with the broker at {@code brokerUrl}: the simulator's own broker, plain TCP on
   * loopback, whatever the profile's broker was.
   */
  public CloudParts withBroker(String brokerUrl) {
    LockerConfig.Cloud c = config;
    boolean plain = brokerUrl.startsWith("tcp://");
    return new CloudParts(
        new LockerConfig.Cloud(
            brokerUrl,
            plain || c.insecurePlaintext(),
            plain ? Optional.empty() : c.caFile(),
            plain ? Optional.empty() : c.certFile(),
            plain ? Optional.empty() : c.keyFile(),
            c.telemetryInterval(),
            c.commandClockSkew(),
            c.commandMaxLifetime(),
            c.commandKeys(),
            c.remoteOpens(),
            c.remoteOpenWindow()),
        link);
  }

  /** Builds and starts the sync for a running locker; empty when its link cannot be made. */
  Optional<CloudSync> start(
      String lockerId,
      LockerStore store,
      Locker locker,
      LockerLoop loop,
      HealthRelay health,
      Clock clock) {
    CloudLink made;
    try {
      made = link.apply(lockerId, config);
    } catch (IllegalStateException | IllegalArgumentException e) {
      log.error("the cloud link cannot start, the locker runs offline: {}", e.getMessage());
      health.healthChanged(new DeviceHealth("cloud", HealthState.OFFLINE, e.getMessage()));
      return Optional.empty();
    }
    CommandGate.RateLimit opens =
        new CommandGate.RateLimit(config.remoteOpens(), config.remoteOpenWindow());
    CommandGate.Policy policy =
        new CommandGate.Policy(
            config.commandClockSkew(),
            config.commandMaxLifetime(),
            Map.of("compartment.open", opens));
    CommandGate gate = new CommandGate(lockerId, CommandKeys.of(config.commandKeys()), policy);
    CommandProcessor processor =
        new CommandProcessor(
            gate, store, locker, clock, handlers(locker, clock), Optional.of(opens));
    Telemetry telemetry =
        new Telemetry(store, health::latest, Firmware.version(), clock, processor::unreadable);
    CloudSync sync =
        new CloudSync(
            made,
            store,
            loop,
            processor,
            telemetry,
            clock,
            new CloudSync.Settings(
                WINDOW,
                Duration.ofMillis(100),
                config.telemetryInterval(),
                CommandProcessor.replayMemory(policy)));
    sync.start();
    return Optional.of(sync);
  }

  /** The handler of every command type that is applied in one transaction. */
  static Map<String, CommandHandler> handlers(Locker locker, Clock clock) {
    Map<String, CommandHandler> handlers = new LinkedHashMap<>();
    handlers.put("parcel.expect", ParcelCommands.expect());
    handlers.put("parcel.cancel", ParcelCommands.cancel());
    handlers.put(
        "payment.qr.confirmed",
        new QrPaymentConfirmedCommand(
            (paymentId, reader) ->
                Locker.qrPayment(paymentId, reader, clock.instant())
                    .map(
                        p ->
                            new QrPaymentConfirmedCommand.QrPayment(
                                p.id().value(), p.due(), p.confirmedReference())),
            (payment, reference, tx, now) ->
                locker.confirmQr(new PaymentId(payment.paymentId()), reference, tx, now)));
    handlers.put("notification.status", new NotificationStatusCommand());
    handlers.put("credentials.upsert", CredentialsCommands.upsert());
    handlers.put("credentials.revoke", CredentialsCommands.revoke());
    handlers.put("config.update", new ConfigUpdateCommand());
    return handlers;
  }
}
