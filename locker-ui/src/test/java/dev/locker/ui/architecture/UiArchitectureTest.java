package dev.locker.ui.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * locker-ui's screens use only locker-core's application API; the {@code boot} package, the
 * composition root, is the one place that knows hal, the store and the config.
 */
@AnalyzeClasses(packages = "dev.locker", importOptions = ImportOption.DoNotIncludeTests.class)
class UiArchitectureTest {

  @ArchTest
  static final ArchRule screensUseOnlyTheApplicationApi =
      noClasses()
          .that()
          .resideInAPackage("dev.locker.ui..")
          .and()
          .resideOutsideOfPackage("dev.locker.ui.boot..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.locker.hal..",
              "dev.locker.core.store..",
              "dev.locker.core.config..",
              "java.sql..")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule nothingOutsideTheSimulatorUsesIt =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.locker.sim..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.locker.sim..");

  @ArchTest
  static final ArchRule internalPackagesStayInTheirModule =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.locker.ui..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.locker.ui..internal..")
          .allowEmptyShould(true);
}
