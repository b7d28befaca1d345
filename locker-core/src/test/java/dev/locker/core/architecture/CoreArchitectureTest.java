package dev.locker.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency rules of ARCHITECTURE.md, for locker-core (STYLE.md §12). */
@AnalyzeClasses(packages = "dev.locker.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  private static final String[] DOMAIN_AND_APPLICATION = {
    "dev.locker.core.domain..", "dev.locker.core.application.."
  };

  @ArchTest
  static final ArchRule domainAndApplicationTalkOnlyToPorts =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN_AND_APPLICATION)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.sql..",
              "javax.sql..",
              "org.sqlite..",
              "org.eclipse.paho..",
              "com.fasterxml.jackson..",
              "dev.locker.core.store..",
              "dev.locker.core.cloud..",
              "dev.locker.core.config..")
          .because("domain and application code talks to ports, never to adapters");

  @ArchTest
  static final ArchRule noDeviceOrWebLibraryInCore =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "com.pi4j..",
              "jssc..",
              "io.javalin..",
              "org.eclipse.jetty..",
              "jakarta.servlet..",
              "com.google.zxing..",
              "com.microsoft.playwright..")
          .because("locker-core decides; devices and screens live in locker-hal and locker-ui");

  @ArchTest
  static final ArchRule coreDependsOnNoOuterModule =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.locker.hal..", "dev.locker.ui..", "dev.locker.sim..");

  @ArchTest
  static final ArchRule domainDoesNotKnowTheApplication =
      noClasses()
          .that()
          .resideInAPackage("dev.locker.core.domain..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.locker.core.application..");

  @ArchTest
  static final ArchRule domainCodeNeverReadsTheWallClock =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN_AND_APPLICATION)
          .should()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(java.time.Instant.class, "now")
          .orShould()
          .callMethod(java.time.LocalDateTime.class, "now")
          .orShould()
          .callMethod(java.time.ZonedDateTime.class, "now")
          .orShould()
          .callMethod(java.time.OffsetDateTime.class, "now")
          .orShould()
          .callMethod(java.time.LocalDate.class, "now")
          .orShould()
          .callMethod(java.time.Clock.class, "systemUTC")
          .orShould()
          .callMethod(java.time.Clock.class, "systemDefaultZone")
          .because("time comes from the injected java.time.Clock (STYLE.md §11)");
}
