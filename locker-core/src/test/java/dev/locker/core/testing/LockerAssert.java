package dev.locker.core.testing;

import dev.locker.core.domain.Compartment;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.DoorPhase;
import org.assertj.core.api.AbstractAssert;

/** Assertions in the locker's words: {@code assertThat(locker).compartment("A07").isOccupied()}. */
public final class LockerAssert extends AbstractAssert<LockerAssert, TestLocker> {
  private LockerAssert(TestLocker actual) {
    super(actual, LockerAssert.class);
  }

  public static LockerAssert assertThat(TestLocker locker) {
    return new LockerAssert(locker);
  }

  public CompartmentAssert compartment(String id) {
    return new CompartmentAssert(actual.compartment(id));
  }

  /** Assertions on one compartment. */
  public static final class CompartmentAssert
      extends AbstractAssert<CompartmentAssert, Compartment> {
    CompartmentAssert(Compartment actual) {
      super(actual, CompartmentAssert.class);
    }

    public CompartmentAssert is(CompartmentState state) {
      if (actual.state() != state) {
        failWithMessage("expected %s to be %s but was %s", actual.id(), state, actual.state());
      }
      return this;
    }

    public CompartmentAssert isFree() {
      return is(CompartmentState.FREE).hasNoParcel();
    }

    public CompartmentAssert isOccupied() {
      is(CompartmentState.OCCUPIED);
      if (actual.parcel().isEmpty()) {
        failWithMessage("expected %s to hold a parcel", actual.id());
      }
      return this;
    }

    public CompartmentAssert hasNoParcel() {
      if (actual.parcel().isPresent()) {
        failWithMessage("expected %s to be empty but holds %s", actual.id(), actual.parcel().get());
      }
      return this;
    }

    public CompartmentAssert hasDoor(DoorPhase door) {
      if (actual.door() != door) {
        failWithMessage(
            "expected door of %s to be %s but was %s", actual.id(), door, actual.door());
      }
      return this;
    }

    public CompartmentAssert isFaulty() {
      if (actual.fault().isEmpty()) {
        failWithMessage("expected %s to be marked faulty", actual.id());
      }
      return this;
    }

    public CompartmentAssert isInService() {
      if (!actual.inService()) {
        failWithMessage("expected %s to be in service", actual.id());
      }
      return this;
    }

    public CompartmentAssert isOutOfService() {
      if (actual.inService()) {
        failWithMessage("expected %s to be out of service", actual.id());
      }
      return this;
    }

    public CompartmentAssert isNotFaulty() {
      if (actual.fault().isPresent()) {
        failWithMessage("expected %s not to be faulty but: %s", actual.id(), actual.fault().get());
      }
      return this;
    }
  }
}
