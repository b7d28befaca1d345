package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Storage fees as a leading locker charges them: 12 h free, then 0.50 per started 12 h, cap 3. */
class TariffTest {
  private static final Instant IN = Instant.parse("2026-12-01T08:00:00Z");
  private static final Tariff CNY =
      new Tariff(Duration.ofHours(12), Duration.ofHours(12), 50, 300, "CNY");

  @ParameterizedTest(name = "kept {0} costs {1}")
  @CsvSource({
    "PT0S, 0",
    "PT12H, 0",
    "PT12H0.001S, 50",
    "PT24H, 50",
    "PT24H1S, 100",
    "PT36H, 100",
    "PT83H, 300",
    "PT240H, 300",
    "-PT5H, 0"
  })
  void aFeeIsChargedPerStartedPeriodAfterTheFreeOneUpToTheCap(String kept, long fee) {
    assertThat(CNY.fee(Size.M, IN, IN.plus(Duration.parse(kept)))).isEqualTo(new Money(fee, "CNY"));
  }

  @Test
  void aSizeMayHaveItsOwnPrice() {
    Tariff bySize =
        new Tariff(
            Duration.ofHours(24), Duration.ofHours(24), 1000, 5000, "HKD", Map.of(Size.XL, 2000L));
    Instant threeDaysLater = IN.plus(Duration.ofDays(3));

    assertThat(bySize.fee(Size.S, IN, threeDaysLater)).isEqualTo(new Money(2000, "HKD"));
    assertThat(bySize.fee(Size.XL, IN, threeDaysLater)).isEqualTo(new Money(4000, "HKD"));
  }

  @Test
  void aHugeTimeOrPriceStopsAtTheCap() {
    Tariff steep = new Tariff(Duration.ZERO, Duration.ofNanos(1), Long.MAX_VALUE / 2, 999, "EUR");
    assertThat(steep.fee(Size.S, Instant.MIN, Instant.MAX.minusSeconds(1)))
        .isEqualTo(new Money(999, "EUR"));
  }

  @Test
  void feesNeverFallAsTimePassesAndStayWithinZeroAndTheCap() {
    long seed = 20261202L;
    Random random = new Random(seed);
    for (int i = 0; i < 100_000; i++) {
      Tariff t =
          new Tariff(
              Duration.ofMinutes(random.nextInt(3000)),
              Duration.ofMinutes(1 + random.nextInt(3000)),
              random.nextInt(10_000),
              random.nextInt(100_000),
              "CNY",
              random.nextBoolean() ? Map.of(Size.L, (long) random.nextInt(10_000)) : Map.of());
      Size size = Size.values()[random.nextInt(Size.values().length)];
      Instant a = IN.plusSeconds(random.nextInt(1_000_000) - 100_000);
      Instant b = a.plusSeconds(random.nextInt(1_000_000));
      long early = t.fee(size, IN, a).amount();
      long late = t.fee(size, IN, b).amount();
      assertThat(early)
          .as("seed %d case %d", seed, i)
          .isBetween(0L, t.cap())
          .isLessThanOrEqualTo(late);
      assertThat(late).as("seed %d case %d", seed, i).isLessThanOrEqualTo(t.cap());
    }
  }

  @Test
  void aTariffKeptWithAParcelReadsBackTheSame() {
    Tariff bySize =
        new Tariff(
            Duration.ofHours(12),
            Duration.ofMinutes(90),
            50,
            300,
            "CNY",
            Map.of(Size.XL, 80L, Size.S, 40L));

    assertThat(Tariff.parse(bySize.text())).contains(bySize);
    assertThat(Tariff.parse(CNY.text())).contains(CNY);
    assertThat(CNY.text()).isEqualTo("free=PT12H;period=PT12H;price=50;cap=300;currency=CNY");
  }

  @Test
  void textThatIsNotATariffIsNone() {
    for (String bad :
        new String[] {
          "",
          "free=PT12H",
          "free=PT12H;period=PT0S;price=50;cap=300;currency=CNY",
          "free=PT12H;period=PT12H;price=-1;cap=300;currency=CNY",
          "free=PT12H;period=PT12H;price=50;cap=300;currency=yuan",
          "free=PT12H;period=PT12H;price=50;cap=300;currency=CNY;XXL=5",
          "free=PT12H;free=PT1H;period=PT12H;price=50;cap=300;currency=CNY",
          "free=soon;period=PT12H;price=50;cap=300;currency=CNY",
          "free=PT12H;period=PT12H;price=99999999999999999999;cap=300;currency=CNY"
        }) {
      assertThat(Tariff.parse(bad)).as(bad).isEmpty();
    }
    assertThat(Tariff.parse(null)).isEmpty();
  }

  @Test
  void aTariffIsNeverNegative() {
    assertThatThrownBy(() -> new Tariff(Duration.ZERO, Duration.ofHours(1), -1, 0, "CNY"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Tariff(Duration.ZERO, Duration.ZERO, 1, 0, "CNY"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
