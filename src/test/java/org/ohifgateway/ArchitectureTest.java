package org.ohifgateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The direction of the gateway's packages, named in one place: the routes on top, the services
 * they share below them, settings and the request/answer types at the bottom. A package may use
 * the layers below its own, never one above, and no packages form a loop.
 */
class ArchitectureTest {

    /** The routes: each serves one part of the URL space that web.xml maps. */
    private static final List<String> ROUTES = List.of("viewer", "pacs", "admin", "health");
    /** What the routes share: the way to Orthanc, protection, the audit trail, the metrics, the metadata cache. */
    private static final List<String> SERVICES = List.of("upstream", "security", "audit", "metrics", "cache");
    /** Settings. */
    private static final String CONFIG = "config";
    /** Small request and answer types. */
    private static final String BASE = "http";
    /** The command-line tools, shipped beside the WAR, not in it; the start command reads the settings too. */
    private static final String TOOLS = "tools";

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ohifgateway");

    private static String[] packages(List<String> names) {
        return names.stream().map(name -> "org.ohifgateway." + name + "..").toArray(String[]::new);
    }

    @Test
    void importsPointDownOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("routes").definedBy(packages(ROUTES))
                .layer("services").definedBy(packages(SERVICES))
                .layer("config").definedBy(packages(List.of(CONFIG)))
                .layer("base").definedBy(packages(List.of(BASE)))
                .layer("tools").definedBy(packages(List.of(TOOLS)))
                .whereLayer("routes").mayNotBeAccessedByAnyLayer()
                .whereLayer("services").mayOnlyBeAccessedByLayers("routes")
                .whereLayer("config").mayOnlyBeAccessedByLayers("routes", "services", "tools")
                .whereLayer("base").mayOnlyBeAccessedByLayers("routes", "services", "config", "tools")
                .whereLayer("tools").mayNotBeAccessedByAnyLayer()
                .check(GATEWAY);
    }

    @Test
    void routesDoNotUseEachOther() {
        for (String route : ROUTES) {
            noClasses().that().resideInAPackage("org.ohifgateway." + route + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(packages(ROUTES.stream()
                            .filter(other -> !other.equals(route)).toList()))
                    .check(GATEWAY);
        }
    }

    @Test
    void noPackagesFormALoop() {
        slices().matching("org.ohifgateway.(**)").should().beFreeOfCycles().check(GATEWAY);
    }

    /** Shared state lives in injected beans, so that it can move to a store several gateways share. */
    @Test
    void noStaticStateThatChanges() {
        noFields().that().areStatic().should().notBeFinal().check(GATEWAY);
    }
}
