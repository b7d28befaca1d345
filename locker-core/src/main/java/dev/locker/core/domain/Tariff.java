package dev.locker.core.domain;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What keeping a parcel costs: nothing for {@code freePeriod} after its deposit, then {@code
 * pricePerPeriod} (or the price of its compartment's size, when {@code pricePerSize} names one) for
 * each started {@code period}, at most {@code cap}; money in minor units of {@code currency} (ISO
 * 4217). A parcel is charged by the tariff in force when it was deposited: a later change applies
 * to parcels deposited after it.
 */
public record Tariff(
    Duration freePeriod,
    Duration period,
    long pricePerPeriod,
    long cap,
    String currency,
    Map<Size, Long> pricePerSize) {

  public Tariff {
    Objects.requireNonNull(freePeriod, "freePeriod");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(pricePerSize, "pricePerSize");
    if (freePeriod.isNegative() || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a free period is >= 0 and a period > 0");
    }
    if (pricePerPeriod < 0 || cap < 0 || pricePerSize.values().stream().anyMatch(p -> p < 0)) {
      throw new IllegalArgumentException("prices are never negative");
    }
    if (!Money.isCurrency(currency)) {
      throw new IllegalArgumentException("a currency is three capital letters (ISO 4217)");
    }
    pricePerSize = Map.copyOf(pricePerSize);
  }

  /** One price for every size. */
  public Tariff(
      Duration freePeriod, Duration period, long pricePerPeriod, long cap, String currency) {
    this(freePeriod, period, pricePerPeriod, cap, currency, Map.of());
  }

  /** The same tariff with other base values and the same prices per size. */
  public Tariff withBase(
      Duration freePeriod, Duration period, long pricePerPeriod, long cap, String currency) {
    return new Tariff(freePeriod, period, pricePerPeriod, cap, currency, pricePerSize);
  }

  /**
   * The storage fee of a parcel of {@code size} deposited at {@code depositedAt}, collected at
   * {@code now}. Never negative: a clock that reads earlier than the deposit (a board that booted
   * with a wrong time) charges nothing.
   */
  public Money fee(Size size, Instant depositedAt, Instant now) {
    Duration kept = Duration.between(depositedAt, now);
    if (kept.compareTo(freePeriod) <= 0) {
      return new Money(0, currency);
    }
    BigInteger charged = nanos(kept.minus(freePeriod));
    BigInteger[] periods = charged.divideAndRemainder(nanos(period));
    BigInteger started = periods[1].signum() == 0 ? periods[0] : periods[0].add(BigInteger.ONE);
    long price = pricePerSize.getOrDefault(size, pricePerPeriod);
    BigInteger total = started.multiply(BigInteger.valueOf(price));
    long fee = total.min(BigInteger.valueOf(cap)).longValueExact();
    return new Money(fee, currency);
  }

  private static BigInteger nanos(Duration d) {
    return BigInteger.valueOf(d.getSeconds())
        .multiply(BigInteger.valueOf(1_000_000_000L))
        .add(BigInteger.valueOf(d.getNano()));
  }

  /** The tariff as one line of text, for keeping it with a parcel; {@link #parse} reads it. */
  public String text() {
    StringBuilder out =
        new StringBuilder()
            .append("free=")
            .append(freePeriod)
            .append(";period=")
            .append(period)
            .append(";price=")
            .append(pricePerPeriod)
            .append(";cap=")
            .append(cap)
            .append(";currency=")
            .append(currency);
    for (Size size : Size.values()) {
      Long price = pricePerSize.get(size);
      if (price != null) {
        out.append(';').append(size).append('=').append(price);
      }
    }
    return out.toString();
  }

  /** The tariff {@link #text} wrote; empty for anything else. Never throws. */
  public static Optional<Tariff> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Map<String, String> fields = new java.util.HashMap<>();
    for (String part : text.split(";", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0 || fields.put(part.substring(0, eq), part.substring(eq + 1)) != null) {
        return Optional.empty();
      }
    }
    try {
      Map<Size, Long> perSize = new EnumMap<>(Size.class);
      for (Size size : Size.values()) {
        String price = fields.remove(size.name());
        if (price != null) {
          perSize.put(size, Long.parseLong(price));
        }
      }
      Tariff tariff =
          new Tariff(
              Duration.parse(fields.remove("free")),
              Duration.parse(fields.remove("period")),
              Long.parseLong(fields.remove("price")),
              Long.parseLong(fields.remove("cap")),
              Objects.requireNonNull(fields.remove("currency")),
              perSize);
      return fields.isEmpty() ? Optional.of(tariff) : Optional.empty();
    } catch (DateTimeParseException | IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
