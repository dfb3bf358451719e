package io.retraintrigger.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Dependencies point one way: the model at the bottom, settings above it, the store and launch
 * ports and the rules and services above them, adapters at the edge, chosen in {@code wiring}.
 */
class ArchitectureTest {
    private static final String ROOT = "io.retraintrigger";
    private static final String[] ADAPTERS = {ROOT + ".store.jdbc..", ROOT + ".store.dynamodb..", ROOT + ".launch.sagemaker..",
            ROOT + ".launch.vertex..", ROOT + ".launch.azureml..", ROOT + ".launch.dryrun..", ROOT + ".ingest.aws..", ROOT + ".ingest.gcp..",
            ROOT + ".ingest.azure..", ROOT + ".ingest.http.."};
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    private static DescribedPredicate<JavaClass> ours() {
        return resideInAPackage(ROOT + "..");
    }

    @Test
    void noPackageDependsOnAPackageThatDependsOnIt() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theModelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage(ROOT + ".model..")
                .should().dependOnClassesThat(ours().and(not(resideInAnyPackage(ROOT + ".model.."))))
                .check(MAIN);
    }

    @Test
    void settingsKnowOnlyTheModel() {
        noClasses().that().resideInAPackage(ROOT + ".config..")
                .should().dependOnClassesThat(ours().and(not(resideInAnyPackage(ROOT + ".config..", ROOT + ".model.."))))
                .check(MAIN);
    }

    @Test
    void portsAndRulesKnowNoAdapter() {
        noClasses().that().resideInAnyPackage(ROOT + ".model..", ROOT + ".config..", ROOT + ".store", ROOT + ".launch", ROOT + ".coordinator..",
                        ROOT + ".drift..", ROOT + ".guardrails..", ROOT + ".batch..", ROOT + ".ingest", ROOT + ".api..", ROOT + ".audit..", ROOT + ".metrics..", ROOT + ".security..",
                        ROOT + ".watch..", ROOT + ".backtest..", ROOT + ".observability..")
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
                .check(MAIN);
    }

    @Test
    void rulesKnowNeitherTheEdgesNorTheLaunch() {
        noClasses().that().resideInAnyPackage(ROOT + ".coordinator..", ROOT + ".drift..", ROOT + ".batch..", ROOT + ".store")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".api..", ROOT + ".ingest..", ROOT + ".launch..", ROOT + ".wiring..",
                        ROOT + ".security..")
                .check(MAIN);
    }

    @Test
    void onlyTheWiringChoosesAStore() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".wiring..", ROOT + ".store..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".store.jdbc..", ROOT + ".store.dynamodb..")
                .check(MAIN);
    }

    @Test
    void nothingDependsOnTheWiring() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".wiring..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".wiring..")
                .check(MAIN);
    }
}
