package org.opendsm.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape DESIGN.md promises: no DSS, PDFBox, Jackson or OkHttp types in public signatures;
 * consumers (the command line, the test fixtures) use the public API only; formats stay apart.
 */
class ApiBoundaryTest {
  private static final List<String> FOREIGN = List.of(
      "eu.europa.esig.", "org.apache.pdfbox.", "com.fasterxml.jackson.", "okhttp3.", "org.bouncycastle.");
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.opendsm");
  }

  @Test
  void publicApi_exposesNoLibraryTypes() {
    codeUnits().that().areDeclaredInClassesThat().resideInAnyPackage(
            "org.opendsm", "org.opendsm.pades", "org.opendsm.cades", "org.opendsm.xades", "org.opendsm.client",
            "org.opendsm.protocol")
        .and().arePublic()
        .and(declaredInPublicClass())
        .should(notMentionForeignTypes())
        .check(classes);
  }

  @Test
  void consumers_useOnlyThePublicApi() {
    noClasses().that().resideInAnyPackage("org.opendsm.testing..")
        .should().dependOnClassesThat().resideInAPackage("..internal..")
        .check(classes);
    // The command line uses the public API of the SDK; only the demo plays the authenticator app
    // with the server's TOTP implementation.
    noClasses().that().resideInAnyPackage("org.opendsm.cli..").and().doNotHaveSimpleName("RemoteDemo")
        .should().dependOnClassesThat().resideInAPackage("..internal..")
        .check(classes);
  }

  @Test
  void formats_doNotDependOnEachOther() {
    noClasses().that().resideInAPackage("org.opendsm.pades..")
        .should().dependOnClassesThat().resideInAnyPackage("org.opendsm.cades..", "org.opendsm.xades..")
        .check(classes);
    noClasses().that().resideInAPackage("org.opendsm.cades..")
        .should().dependOnClassesThat().resideInAnyPackage("org.opendsm.pades..", "org.opendsm.xades..")
        .check(classes);
    noClasses().that().resideInAPackage("org.opendsm.xades..")
        .should().dependOnClassesThat().resideInAnyPackage("org.opendsm.pades..", "org.opendsm.cades..")
        .check(classes);
  }

  private static DescribedPredicate<JavaCodeUnit> declaredInPublicClass() {
    return DescribedPredicate.describe("declared in a public class",
        u -> u.getOwner().getModifiers().contains(JavaModifier.PUBLIC));
  }

  private static ArchCondition<JavaCodeUnit> notMentionForeignTypes() {
    return new ArchCondition<>("not mention DSS, PDFBox, Jackson, OkHttp or Bouncy Castle types") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        List<JavaClass> types = new java.util.ArrayList<>(unit.getRawParameterTypes());
        types.add(unit.getRawReturnType());
        for (JavaClass t : types) {
          if (FOREIGN.stream().anyMatch(t.getName()::startsWith)) {
            events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " exposes " + t.getName()));
          }
        }
      }
    };
  }
}
