package dev.locker.hal.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * locker-hal's two layers (ARCHITECTURE.md): the device layer speaks bytes and knows nothing of
 * parcels or compartments; only the adapters map compartments to boards and channels.
 */
@AnalyzeClasses(packages = "dev.locker.hal", importOptions = ImportOption.DoNotIncludeTests.class)
class HalArchitectureTest {

  private static final String[] DEVICE_LAYER = {
    "dev.locker.hal.serial..",
    "dev.locker.hal.health..",
    "dev.locker.hal.kerong..",
    "dev.locker.hal.xorboard..",
    "dev.locker.hal.gpio..",
    "dev.locker.hal.lines..",
    "dev.locker.hal.scanner..",
    "dev.locker.hal.cardreader..",
    "dev.locker.hal.zvt..",
    "dev.locker.hal.camera.."
  };

  @ArchTest
  static final ArchRule theDeviceLayerKnowsNothingOfTheLockersDomain =
      noClasses()
          .that()
          .resideInAnyPackage(DEVICE_LAYER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.locker.core.application", "dev.locker.core.store..", "dev.locker.core.config..")
          .orShould()
          .dependOnClassesThat()
          .haveSimpleNameStartingWith("Parcel")
          .orShould()
          .dependOnClassesThat()
          .haveSimpleNameStartingWith("Compartment")
          .because("a driver reports bytes and health; adapters turn them into compartments");

  @ArchTest
  static final ArchRule theDeviceLayerDoesNotReachUpToTheAdapters =
      noClasses()
          .that()
          .resideInAnyPackage(DEVICE_LAYER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.locker.hal.locks..", "dev.locker.hal.input..", "dev.locker.hal.payment..");

  @ArchTest
  static final ArchRule halDependsOnNeitherTheUiNorTheSimulator =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.locker.ui..", "dev.locker.sim..", "io.javalin..");

  @ArchTest
  static final ArchRule halNeverTouchesTheStore =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.locker.core.store..", "java.sql..");
}
