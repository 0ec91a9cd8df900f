package io.kaiwa.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module and package picture of docs/architecture.md, enforced: each rule fails the build when a forbidden
 * import is added. The classes are read from the modules' jars and this module's classes, tests left out.
 */
class ArchitectureTest {
    static final JavaClasses KAIWA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kaiwa");

    @Test
    void coreImportsNoAdapterAndNoRuntimeClass() {
        check(noClasses().that().resideInAPackage("io.kaiwa.core..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kaiwa.chat..", "io.kaiwa.responses..", "io.kaiwa.runtime..", "io.quarkus..")
                .because("core is the model every module shares: it knows no adapter, service or framework"));
    }

    @Test
    void theChatAdapterImportsNeitherTheOtherAdapterNorTheRuntimeNorQuarkus() {
        check(noClasses().that().resideInAPackage("io.kaiwa.chat..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kaiwa.responses..", "io.kaiwa.runtime..", "io.quarkus..")
                .because("users import each library module on its own"));
    }

    @Test
    void theResponsesAdapterImportsNeitherTheOtherAdapterNorTheRuntimeNorQuarkus() {
        check(noClasses().that().resideInAPackage("io.kaiwa.responses..").should().dependOnClassesThat()
                .resideInAnyPackage("io.kaiwa.chat..", "io.kaiwa.runtime..", "io.quarkus..")
                .because("users import each library module on its own"));
    }

    @Test
    void adaptersKeepTheirWireFormatsToThemselves() {
        check(noClasses().that().resideOutsideOfPackages("io.kaiwa.chat..", "io.kaiwa.responses..")
                .should().dependOnClassesThat().resideInAnyPackage("io.kaiwa.chat.internal..",
                        "io.kaiwa.responses.internal..")
                .because("a wire format's knowledge lives in its adapter"));
    }

    @Test
    void theRuntimesPackagesFormNoCycle() {
        check(slices().matching("io.kaiwa.runtime.(**)").should().beFreeOfCycles());
    }

    @Test
    void onlyTheApiPackageKnowsTheHttpServer() {
        check(noClasses().that().resideInAPackage("io.kaiwa.runtime..").and().resideOutsideOfPackage(
                "io.kaiwa.runtime.api..").should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..",
                        "io.vertx.ext.web..", "org.jboss.resteasy..")
                .because("services throw core's exceptions and the api package alone turns them into HTTP"));
    }

    private static void check(ArchRule rule) {
        rule.check(KAIWA);
    }
}
