package dev.locker.core.application;

import static dev.locker.core.testing.LockerAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.locker.core.domain.CompartmentId;
import dev.locker.core.domain.CompartmentState;
import dev.locker.core.domain.DoorPhase;
import dev.locker.core.domain.DoorState;
import dev.locker.core.domain.Size;
import dev.locker.core.testing.TestLocker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Deposits and pickups end to end through the use cases, on both stores. */
class LockerScenarioTest {
  @TempDir Path dir;
  private TestLocker locker;

  static Stream<Function<Path, TestLocker>> stores() {
    return Stream.of(
        named("sqlite", TestLocker::sqlite), named("in-memory", path -> TestLocker.inMemory()));
  }

  private static Function<Path, TestLocker> named(String name, Function<Path, TestLocker> f) {
    return new Function<>() {
      @Override
      public TestLocker apply(Path path) {
        return f.apply(path);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private TestLocker given(Function<Path, TestLocker> store) {
    locker = store.apply(dir);
    return locker;
  }

  @AfterEach
  void tearDown() {
    if (locker != null) {
      locker.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void courierDepositsAndRecipientPicksUp(Function<Path, TestLocker> store) {
    given(store);

    DepositResult deposit = locker.deposit("JD0001", Size.S);

    assertThat(deposit).isInstanceOf(DepositResult.Opened.class);
    var opened = (DepositResult.Opened) deposit;
    assertThat(opened.compartment()).isEqualTo(CompartmentId.of("A01"));
    assertThat(locker).compartment("A01").is(CompartmentState.LOADING).hasDoor(DoorPhase.OPEN);
    assertThat(locker.eventTypes()).doesNotContain("parcel.deposited");

    locker.closeDoor("A01");

    assertThat(locker).compartment("A01").isOccupied().hasDoor(DoorPhase.CLOSED);
    assertThat(locker.eventTypes())
        .containsExactly(
            "door.opened", "door.closed", "parcel.deposited", "notification.requested");
    String code = locker.lastCode();
    assertThat(code).hasSize(8).containsOnlyDigits();

    PickupResult pickup = locker.pickup(code);

    assertThat(pickup).isInstanceOf(PickupResult.Opened.class);
    assertThat(((PickupResult.Opened) pickup).compartment()).isEqualTo(CompartmentId.of("A01"));
    assertThat(locker).compartment("A01").is(CompartmentState.EMPTYING).hasDoor(DoorPhase.OPEN);

    locker.closeDoor("A01");

    assertThat(locker).compartment("A01").isFree().hasDoor(DoorPhase.CLOSED);
    assertThat(locker.eventTypes()).endsWith("door.opened", "parcel.picked_up", "door.closed");
    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.InvalidCode.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void eventsCarryGapFreeSeqAndTheContractEnvelope(Function<Path, TestLocker> store) {
    given(store);
    String code = locker.depositAndClose("JD0002", Size.M);
    locker.pickup(code);
    locker.closeDoor("B01");

    var events = locker.events();
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).get("seq").asLong()).isEqualTo(i + 1);
      assertThat(events.get(i).get("v").asInt()).isEqualTo(1);
      assertThat(events.get(i).get("lockerId").asText()).isEqualTo(TestLocker.LOCKER_ID);
      assertThat(events.get(i).get("at").asText()).isEqualTo("2026-11-22T10:00:00Z");
      assertThat(events.get(i).get("eventId").asText()).matches("[0-9a-f-]{36}");
    }
    var deposited =
        events.stream().filter(e -> e.get("type").asText().equals("parcel.deposited")).findFirst();
    assertThat(deposited).isPresent();
    var data = deposited.get().get("data");
    assertThat(data.get("tracking").asText()).isEqualTo("JD0002");
    assertThat(data.get("compartment").asText()).isEqualTo("B01");
    assertThat(data.get("size").asText()).isEqualTo("M");
    assertThat(data.get("recipient").get("phoneMasked").asText()).isEqualTo("****4567");
    assertThat(data.get("pickupDeadline").asText()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(deposited.get().toString()).doesNotContain("91234567");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aFullSizeIsUpsizedToTheNextLargerFreeCompartment(Function<Path, TestLocker> store) {
    given(store);
    for (String tracking : new String[] {"S0001", "S0002", "S0003", "S0004"}) {
      locker.depositAndClose(tracking, Size.S);
    }

    DepositResult fifth = locker.deposit("S0005", Size.S);

    assertThat(fifth).isInstanceOf(DepositResult.Opened.class);
    assertThat(((DepositResult.Opened) fifth).compartment()).isEqualTo(CompartmentId.of("B01"));
    assertThat(((DepositResult.Opened) fifth).size()).isEqualTo(Size.M);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void whenEveryFittingCompartmentIsTakenTheCourierIsTold(Function<Path, TestLocker> store) {
    given(store);
    locker.depositAndClose("XL0001", Size.XL);

    assertThat(locker.deposit("XL0002", Size.XL))
        .isEqualTo(new DepositResult.NoFreeCompartment(Size.XL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aJammedLockIsTriedOnceMoreThenMarkedFaultyAndAnotherIsOffered(
      Function<Path, TestLocker> store) {
    given(store);
    locker.locks.jam(CompartmentId.of("A01"));

    DepositResult result = locker.deposit("JAM001", Size.S);

    assertThat(result).isInstanceOf(DepositResult.Opened.class);
    var opened = (DepositResult.Opened) result;
    assertThat(opened.compartment()).isEqualTo(CompartmentId.of("A02"));
    assertThat(opened.skipped()).containsExactly(CompartmentId.of("A01"));
    assertThat(locker.locks.unlocks())
        .containsExactly(CompartmentId.of("A01"), CompartmentId.of("A01"), CompartmentId.of("A02"));
    assertThat(locker).compartment("A01").isFaulty().isFree().hasDoor(DoorPhase.CLOSED);
    assertThat(locker.eventTypes()).startsWith("compartment.fault", "door.opened");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aLockThatJamsOnceOpensOnTheSecondTry(Function<Path, TestLocker> store) {
    given(store);
    locker.locks.jamFor(CompartmentId.of("A01"), 1);

    DepositResult result = locker.deposit("JAM002", Size.S);

    assertThat(((DepositResult.Opened) result).compartment()).isEqualTo(CompartmentId.of("A01"));
    assertThat(((DepositResult.Opened) result).skipped()).isEmpty();
    assertThat(locker).compartment("A01").isNotFaulty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aDoorThatIsReleasedButNeverSeenOpenCountsAsNotOpened(Function<Path, TestLocker> store) {
    given(store);
    locker.locks.doorStuckClosed(CompartmentId.of("A01"));

    DepositResult result = locker.deposit("STUCK01", Size.S);

    assertThat(((DepositResult.Opened) result).compartment()).isEqualTo(CompartmentId.of("A02"));
    assertThat(locker).compartment("A01").isFaulty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aSilentBoardEndsInAHardwareFaultAfterTheAlternatives(Function<Path, TestLocker> store) {
    given(store);
    locker.locks.silenceBoard(true);

    DepositResult result = locker.deposit("SIL001", Size.S);

    assertThat(result).isInstanceOf(DepositResult.HardwareFault.class);
    assertThat(((DepositResult.HardwareFault) result).tried()).hasSize(3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aPickupWhoseDoorDoesNotOpenKeepsTheCodeValid(Function<Path, TestLocker> store) {
    given(store);
    String code = locker.depositAndClose("PJ0001", Size.S);
    locker.locks.jam(CompartmentId.of("A01"));

    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.HardwareFault.class);
    assertThat(locker).compartment("A01").isOccupied().isFaulty();

    locker.locks.unjam(CompartmentId.of("A01"));
    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.Opened.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void wrongCodesGetOneAnswerAndMalformedTextIsExplained(Function<Path, TestLocker> store) {
    given(store);
    String code = locker.depositAndClose("WC0001", Size.S);
    String wrong = code.equals("12345678") ? "87654321" : "12345678";

    assertThat(locker.pickup(wrong)).isEqualTo(new PickupResult.InvalidCode());
    assertThat(locker.pickup("12ab"))
        .isEqualTo(new PickupResult.MalformedCode("a pickup code has digits only"));
    assertThat(locker.pickup("123"))
        .isEqualTo(new PickupResult.MalformedCode("a pickup code has 8 digits"));
    assertThat(locker.pickup("")).isInstanceOf(PickupResult.MalformedCode.class);
    assertThat(locker.pickup(null)).isInstanceOf(PickupResult.MalformedCode.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void fiveWrongCodesLockTheKeypadForAMinuteThenTwo(Function<Path, TestLocker> store) {
    given(store);
    String code = locker.depositAndClose("LO0001", Size.S);
    String wrong = code.equals("00000000") ? "11111111" : "00000000";
    for (int i = 0; i < 5; i++) {
      assertThat(locker.pickup(wrong)).isInstanceOf(PickupResult.InvalidCode.class);
    }

    PickupResult locked = locker.pickup(code);

    assertThat(locked)
        .isEqualTo(
            new PickupResult.LockedOut(locker.clock.instant().plus(Duration.ofSeconds(60)), false));
    assertThat(locker.eventTypes()).contains("auth.lockout");

    locker.clock.advance(Duration.ofSeconds(61));
    assertThat(locker.pickup(wrong)).isInstanceOf(PickupResult.InvalidCode.class);
    assertThat(locker.pickup(code))
        .isEqualTo(
            new PickupResult.LockedOut(
                locker.clock.instant().plus(Duration.ofSeconds(120)), false));
  }

  @org.junit.jupiter.api.Test
  void theKeypadRefusesCodesAfterTwentyFailuresInAnHourEvenSpreadOut() {
    LockerPolicy patientAttacker =
        new LockerPolicy(
            TestLocker.LOCKER_ID,
            "Test Tower",
            java.time.ZoneOffset.UTC,
            8,
            100,
            Duration.ofSeconds(60),
            Duration.ofHours(1),
            20,
            Duration.ofHours(72),
            Duration.ofMillis(200),
            2,
            3,
            java.util.Optional.empty());
    locker = TestLocker.inMemory(patientAttacker);
    String code = locker.depositAndClose("HR0001", Size.S);
    String wrong = code.equals("00000000") ? "11111111" : "00000000";
    for (int i = 0; i < 20; i++) {
      assertThat(locker.pickup(wrong)).isInstanceOf(PickupResult.InvalidCode.class);
      locker.clock.advance(Duration.ofMinutes(2));
    }

    PickupResult refused = locker.pickup(code);

    // The first failure was 40 minutes ago: entry reopens when it is an hour old.
    assertThat(refused)
        .isEqualTo(
            new PickupResult.LockedOut(locker.clock.instant().plus(Duration.ofMinutes(20)), true));
    locker.clock.advance(Duration.ofMinutes(20).plusSeconds(1));
    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.Opened.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aParcelNotCollectedByItsDeadlineExpiresAndItsCodeStopsWorking(
      Function<Path, TestLocker> store) {
    given(store);
    String code = locker.depositAndClose("EX0001", Size.S);
    locker.clock.advance(Duration.ofHours(72).minusSeconds(1));
    assertThat(locker.locker().expireOverdue()).isZero();

    locker.clock.advance(Duration.ofSeconds(2));

    assertThat(locker.locker().expireOverdue()).isEqualTo(1);
    assertThat(locker.eventTypes()).contains("parcel.expired");
    assertThat(locker.pickup(code)).isInstanceOf(PickupResult.InvalidCode.class);
    assertThat(locker).compartment("A01").isOccupied();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aDoorOpenedWithNoRecordedReasonRaisesDoorForced(Function<Path, TestLocker> store) {
    given(store);

    locker.openDoor("C01");

    assertThat(locker).compartment("C01").hasDoor(DoorPhase.FORCED);
    assertThat(locker.eventTypes()).containsExactly("door.forced");

    locker.closeDoor("C01");
    assertThat(locker).compartment("C01").hasDoor(DoorPhase.CLOSED).isFree();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aSecondDepositOfTheSameTrackingNumberIsRefused(Function<Path, TestLocker> store) {
    given(store);
    locker.depositAndClose("DUP001", Size.S);

    assertThat(locker.deposit("dup001", Size.S))
        .isEqualTo(new DepositResult.AlreadyInLocker("DUP001", CompartmentId.of("A01")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void badCourierInputIsRefusedWithTheFieldAndReason(Function<Path, TestLocker> store) {
    given(store);
    var l = locker.locker();

    assertThat(l.deposit(new DepositRequest("c1", "no spaces!", "+85291234567", Optional.empty())))
        .isEqualTo(
            new DepositResult.InvalidInput(
                "tracking", "a tracking number is 4 to 40 letters, digits or dashes"));
    assertThat(l.deposit(new DepositRequest("c1", "JD0009", "91234567", Optional.empty())))
        .isInstanceOf(DepositResult.InvalidInput.class)
        .extracting(r -> ((DepositResult.InvalidInput) r).field())
        .isEqualTo("recipientPhone");
    assertThat(l.deposit(new DepositRequest(" ", "JD0009", "+85291234567", Optional.empty())))
        .isEqualTo(new DepositResult.InvalidInput("courierId", "sign in first"));
    assertThat(locker.eventTypes()).isEmpty();
    assertThat(locker.locks.unlocks()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void codesAreUniqueAmongActiveParcels(Function<Path, TestLocker> store) {
    given(store);
    java.util.Set<String> codes = new java.util.HashSet<>();
    String[] ids = {"A01", "A02", "A03", "A04", "B01", "B02", "B03", "C01", "C02", "D01"};
    for (int i = 0; i < ids.length; i++) {
      codes.add(locker.depositAndClose("UQ000" + i, Size.S));
    }
    assertThat(codes).hasSize(ids.length);
    assertThat(locker.doors.currentStates().values()).containsOnly(DoorState.CLOSED);
  }
}
