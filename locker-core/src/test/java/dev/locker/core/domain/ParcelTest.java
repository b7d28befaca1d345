package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParcelTest {
  private static final Instant DEPOSITED_AT = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant DEADLINE = Instant.parse("2026-11-25T10:00:00Z");
  private static final RecipientPhone PHONE = new RecipientPhone("+85291234567");

  private static Parcel expected() {
    return Parcel.expected(
        new ParcelId("p-1"), new TrackingNumber("JD0001"), Size.M, PHONE, "courier-7");
  }

  private static Parcel in(ParcelState state, Optional<Instant> deadline) {
    return new Parcel(
        new ParcelId("p-1"),
        new TrackingNumber("JD0001"),
        Size.M,
        state,
        "****4567",
        Optional.empty(),
        Optional.empty(),
        Optional.of(CompartmentId.of("B01")),
        Optional.of(DEPOSITED_AT),
        deadline,
        Parcel.Advice.NONE);
  }

  @Test
  void anExpectedParcelKeepsTheMaskedAndTheFullNumberAndNothingOfTheDeposit() {
    Parcel p = expected();

    assertThat(p.state()).isEqualTo(ParcelState.EXPECTED);
    assertThat(p.recipientMasked()).isEqualTo("****4567");
    assertThat(p.recipientContact()).contains("+85291234567");
    assertThat(p.courierId()).contains("courier-7");
    assertThat(p.compartment()).isEmpty();
    assertThat(p.depositedAt()).isEmpty();
    assertThat(p.deadline()).isEmpty();
  }

  @Test
  void depositingRecordsTheCompartmentTheTimeAndTheDeadline() {
    Parcel p = expected().deposited(CompartmentId.of("B01"), DEPOSITED_AT, DEADLINE);

    assertThat(p.state()).isEqualTo(ParcelState.DEPOSITED);
    assertThat(p.compartment()).contains(CompartmentId.of("B01"));
    assertThat(p.depositedAt()).contains(DEPOSITED_AT);
    assertThat(p.deadline()).contains(DEADLINE);
    assertThat(p.recipientContact()).contains("+85291234567");
  }

  @Test
  void aParcelCannotBeDepositedTwice() {
    Parcel p = expected().deposited(CompartmentId.of("B01"), DEPOSITED_AT, DEADLINE);

    assertThatThrownBy(() -> p.deposited(CompartmentId.of("B02"), DEPOSITED_AT, DEADLINE))
        .isInstanceOf(IllegalTransition.class);
  }

  @Test
  void eventsKeepEverythingButTheState() {
    Parcel deposited = in(ParcelState.DEPOSITED, Optional.of(DEADLINE));

    Parcel picked = deposited.on(ParcelState.Event.PICK_UP);

    assertThat(picked.state()).isEqualTo(ParcelState.PICKED_UP);
    assertThat(picked).usingRecursiveComparison().ignoringFields("state").isEqualTo(deposited);
    assertThatThrownBy(() -> picked.on(ParcelState.Event.EXPIRE))
        .isInstanceOf(IllegalTransition.class);
  }

  @Test
  void aDepositedParcelIsOverdueOnlyAfterItsDeadline() {
    Parcel p = in(ParcelState.DEPOSITED, Optional.of(DEADLINE));

    assertThat(p.isOverdue(DEADLINE.minusMillis(1))).isFalse();
    assertThat(p.isOverdue(DEADLINE)).as("at the deadline itself").isFalse();
    assertThat(p.isOverdue(DEADLINE.plusMillis(1))).isTrue();
    assertThat(p.isOverdue(DEADLINE.plus(Duration.ofDays(30)))).isTrue();
  }

  @Test
  void aParcelWithoutDeadlineIsNeverOverdue() {
    assertThat(in(ParcelState.DEPOSITED, Optional.empty()).isOverdue(Instant.MAX)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = ParcelState.class, names = "DEPOSITED", mode = EnumSource.Mode.EXCLUDE)
  void onlyADepositedParcelCanBeOverdue(ParcelState state) {
    assertThat(in(state, Optional.of(DEADLINE)).isOverdue(DEADLINE.plus(Duration.ofDays(1))))
        .isFalse();
  }

  @Test
  void aParcelOwesTheFeeOfTheTariffItWasDepositedUnderAndItsCashOnDelivery() {
    Tariff tariff = new Tariff(Duration.ofHours(12), Duration.ofHours(12), 50, 300, "CNY");
    Parcel advised =
        Parcel.preAdvised(
            new ParcelId("p-9"),
            new TrackingNumber("SF0009"),
            Size.S,
            PHONE,
            new Parcel.Advice(
                Optional.empty(),
                Optional.of(new Money(2000, "CNY")),
                Optional.empty(),
                true,
                true));
    Instant in = Instant.parse("2026-12-01T08:00:00Z");
    Parcel inside =
        advised.deposited(
            CompartmentId.of("A01"), in, in.plus(Duration.ofDays(3)), Optional.of(tariff));

    Parcel.Due early = inside.due(Size.S, in.plus(Duration.ofHours(2)));
    assertThat(early.storage()).isEmpty();
    assertThat(early.total()).contains(new Money(2000, "CNY"));
    Parcel.Due late = inside.due(Size.S, in.plus(Duration.ofHours(30)));
    assertThat(late.storage()).contains(new Money(100, "CNY"));
    assertThat(late.total()).contains(new Money(2100, "CNY"));
    assertThat(late.isNothing()).isFalse();
  }

  @Test
  void aParcelWithoutTariffOrCashOnDeliveryOwesNothing() {
    Instant in = Instant.parse("2026-12-01T08:00:00Z");
    Parcel free =
        Parcel.expected(new ParcelId("p-8"), new TrackingNumber("SF0008"), Size.M, PHONE, "c-1")
            .deposited(CompartmentId.of("B01"), in, in.plus(Duration.ofDays(3)));

    assertThat(free.due(Size.M, in.plus(Duration.ofDays(30))).isNothing()).isTrue();
    assertThat(free.due(Size.M, in.plus(Duration.ofDays(30))).total()).isEmpty();
  }

  @Test
  void feesInTwoCurrenciesHaveNoSingleTotal() {
    Parcel.Due mixed =
        new Parcel.Due(Optional.of(new Money(100, "CNY")), Optional.of(new Money(500, "HKD")));
    assertThat(mixed.total()).isEmpty();
  }

  @Test
  void everyComponentIsRequired() {
    assertThatThrownBy(
            () ->
                new Parcel(
                    new ParcelId("p-1"),
                    new TrackingNumber("JD0001"),
                    Size.M,
                    ParcelState.EXPECTED,
                    "****4567",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    null,
                    Parcel.Advice.NONE))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("deadline");
    assertThatThrownBy(() -> new ParcelId(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(ParcelId.random()).isNotEqualTo(ParcelId.random());
  }

  @Test
  void aParcelNeverShowsTheFullPhoneNumber() {
    assertThat(expected().toString()).doesNotContain("91234567");
  }
}
