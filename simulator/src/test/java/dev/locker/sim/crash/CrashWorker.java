package dev.locker.sim.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.locker.core.application.DepositRequest;
import dev.locker.core.application.DepositResult;
import dev.locker.core.application.Locker;
import dev.locker.core.application.LockerListener;
import dev.locker.core.application.PickupResult;
import dev.locker.core.application.port.LockerStore;
import dev.locker.core.config.ConfigLoader;
import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.Size;
import dev.locker.ui.boot.BoardDevices;
import dev.locker.ui.boot.HealthRelay;
import dev.locker.ui.boot.LockerAssembly;
import dev.locker.ui.boot.LockerParts;
import java.nio.file.Path;
import java.time.Clock;
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
 * The firmware under the crash test, in a child JVM: the real assembly (store, Kerong driver over a
 * pty, use cases) running deposit and pickup cycles until it is killed. It prints a line for
 * everything it has acknowledged, only after the commit behind it returned:
 *
 * <pre>
 *   READY                       start-up and reconciliation are done
 *   ACK deposited TRACKING      the deposit's door closed and the parcel is committed
 *   ACK picked_up TRACKING      the pickup's door opened and the parcel counts as collected
 * </pre>
 *
 * Arguments: config file, data folder, boot number, random seed, and {@code idle} to only start.
 */
public final class CrashWorker {
  private static final Pattern CODE = Pattern.compile("Pickup code: (\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private CrashWorker() {}

  public static void main(String[] args) throws Exception {
    Path config = Path.of(args[0]);
    Path data = Path.of(args[1]);
    String boot = args[2];
    Random random = new Random(Long.parseLong(args[3]));
    boolean idle = args.length > 4 && args[4].equals("idle");
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
    Semaphore finished = new Semaphore(0);
    locker.addListener(
        new LockerListener() {
          @Override
          public void depositCompleted(Parcel parcel, CompartmentId compartment) {
            say("ACK deposited " + parcel.tracking());
            finished.release();
          }

          @Override
          public void pickupCompleted(Parcel parcel, CompartmentId compartment) {
            finished.release();
          }
        });
    say("READY");
    if (idle) {
      Thread.sleep(Long.MAX_VALUE);
    }
    Size[] sizes = Size.values();
    for (int n = 0; ; n++) {
      List<Parcel> inside = assembly.store().read(r -> r.parcels(ParcelState.DEPOSITED));
      boolean collect = !inside.isEmpty() && (inside.size() >= 6 || random.nextBoolean());
      if (!collect) {
        String tracking = "CR" + boot + "N" + n;
        DepositResult result =
            locker.deposit(
                new DepositRequest(
                    "courier-" + boot,
                    tracking,
                    "+8529" + (1000000 + random.nextInt(8999999)),
                    Optional.of(sizes[random.nextInt(sizes.length)])));
        if (result instanceof DepositResult.Opened) {
          finished.tryAcquire(10, TimeUnit.SECONDS);
          continue;
        }
        if (inside.isEmpty()) {
          continue;
        }
      }
      Parcel parcel = inside.get(random.nextInt(inside.size()));
      Optional<String> code = codeOf(assembly.store(), parcel);
      if (code.isEmpty()) {
        continue;
      }
      PickupResult result = locker.pickup(code.get());
      if (result instanceof PickupResult.Opened) {
        say("ACK picked_up " + parcel.tracking());
        finished.tryAcquire(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The code in the parcel's arrival message (the outbox keeps it: there is no cloud here). */
  private static Optional<String> codeOf(LockerStore store, Parcel parcel) {
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
    return Optional.ofNullable(codes.get(parcel.id().value()));
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
