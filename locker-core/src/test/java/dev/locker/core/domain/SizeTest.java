package dev.locker.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SizeTest {
  @Test
  void aDepositLooksAtItsOwnSizeFirstThenEveryLargerOne() {
    assertThat(Size.S.andLarger()).containsExactly(Size.S, Size.M, Size.L, Size.XL);
    assertThat(Size.M.andLarger()).containsExactly(Size.M, Size.L, Size.XL);
    assertThat(Size.L.andLarger()).containsExactly(Size.L, Size.XL);
    assertThat(Size.XL.andLarger()).containsExactly(Size.XL);
  }

  @Test
  void aCompartmentFitsEveryParcelAtOrBelowItsSize() {
    for (Size compartment : Size.values()) {
      for (Size parcel : Size.values()) {
        assertThat(compartment.fits(parcel))
            .as("%s compartment fits %s parcel", compartment, parcel)
            .isEqualTo(parcel.andLarger().contains(compartment));
      }
    }
    assertThat(Size.M.fits(Size.S)).isTrue();
    assertThat(Size.S.fits(Size.M)).isFalse();
    assertThat(Size.XL.fits(Size.XL)).isTrue();
  }

  @Test
  void everySizeParsesFromItsName() {
    for (Size size : Size.values()) {
      assertThat(Size.parse(size.name())).contains(size);
    }
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"s", "xl", "Xl", " M", "M ", "XXL", "MEDIUM", "1"})
  void anythingButAnExactUpperCaseNameIsNotASize(String text) {
    assertThat(Size.parse(text)).isEmpty();
  }
}
