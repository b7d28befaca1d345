package dev.locker.core.application;

import dev.locker.core.domain.Tariff;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules the use cases follow, taken from the locker's configuration by the composition root.
 *
 * @param codeLength digits of a pickup code (6..10)
 * @param pickupWindow deposit time + window = the parcel's deadline
 * @param openTimeout how long to wait for a released door to be seen open before the attempt counts
 *     as failed
 * @param unlockAttempts attempts per compartment before it is marked faulty ("door did not open"
 *     tries once more: 2)
 * @param maxAlternatives how many compartments one deposit tries before it gives up
 * @param timeZone where the locker stands: deadlines in messages are local times
 * @param tariff the configured storage fee; none: storage is free. The cloud may change its values
 *     ({@code config.update}); a parcel keeps the tariff in force at its deposit
 */
public record LockerPolicy(
    String lockerId,
    String lockerName,
    java.time.ZoneId timeZone,
    int codeLength,
    int maxConsecutiveFailures,
    Duration lockout,
    Duration maxLockout,
    int maxFailuresPerHour,
    Duration pickupWindow,
    Duration openTimeout,
    int unlockAttempts,
    int maxAlternatives,
    Optional<Tariff> tariff) {

  public LockerPolicy {
    Objects.requireNonNull(tariff, "tariff");
    Objects.requireNonNull(lockerId, "lockerId");
    Objects.requireNonNull(lockerName, "lockerName");
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(lockout, "lockout");
    Objects.requireNonNull(maxLockout, "maxLockout");
    Objects.requireNonNull(pickupWindow, "pickupWindow");
    Objects.requireNonNull(openTimeout, "openTimeout");
    if (unlockAttempts < 1 || maxAlternatives < 1) {
      throw new IllegalArgumentException("at least one attempt and one compartment");
    }
  }

  /** The defaults of the configuration reference, for a locker with this id and name. */
  public static LockerPolicy defaults(String lockerId, String lockerName) {
    return new LockerPolicy(
        lockerId,
        lockerName,
        java.time.ZoneOffset.UTC,
        8,
        5,
        Duration.ofSeconds(60),
        Duration.ofHours(1),
        20,
        Duration.ofHours(72),
        Duration.ofSeconds(10),
        2,
        3,
        Optional.empty());
  }

  public LockerPolicy withOpenTimeout(Duration timeout) {
    return new LockerPolicy(
        lockerId,
        lockerName,
        timeZone,
        codeLength,
        maxConsecutiveFailures,
        lockout,
        maxLockout,
        maxFailuresPerHour,
        pickupWindow,
        timeout,
        unlockAttempts,
        maxAlternatives,
        tariff);
  }

  public LockerPolicy withTariff(Optional<Tariff> storage) {
    return new LockerPolicy(
        lockerId,
        lockerName,
        timeZone,
        codeLength,
        maxConsecutiveFailures,
        lockout,
        maxLockout,
        maxFailuresPerHour,
        pickupWindow,
        openTimeout,
        unlockAttempts,
        maxAlternatives,
        storage);
  }
}
