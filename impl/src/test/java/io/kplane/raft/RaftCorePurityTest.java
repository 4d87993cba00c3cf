package io.kplane.raft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The Raft core and its simulation are deterministic: no threads, clocks, I/O or ambient randomness. */
class RaftCorePurityTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kplane.raft");

    @Test
    void noThreadsClocksOrIo() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.channels..", "java.nio.file..",
                        "java.net..", "java.util.concurrent..", "java.time..")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().areAssignableTo(java.util.Random.class)
                .orShould().dependOnClassesThat().areAssignableTo(java.util.SplittableRandom.class)
                .because("the core is a function of its inputs: time is tick(), randomness is injected")
                .check(CORE);
    }

    @Test
    void coreDoesNotNameTheInjectedBugs() {
        // The known bugs (sim.Mutation) reach a node only as RaftRules through its constructor.
        noClasses().that().resideInAPackage("io.kplane.raft")
                .should().dependOnClassesThat().resideInAnyPackage("io.kplane.raft.sim..", "io.kplane.check..")
                .because("test-only code stays with the simulation and the checker")
                .check(CORE);
    }

    @Test
    void coreDoesNotDependOnOtherKplanePackages() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.kplane.server..", "io.kplane.wal..",
                "io.kplane.kv..", "io.kplane.cli..", "io.kplane.etcd..").check(CORE);
    }
}
