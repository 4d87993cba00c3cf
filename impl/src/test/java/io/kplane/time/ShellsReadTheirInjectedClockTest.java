package io.kplane.time;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runtime shells whose timers tests drive read only the {@link NanoClock} they are given, never
 * {@link System#nanoTime()}: a direct call would be a timer that a {@link ManualNanoClock} cannot move
 * (and that a test then has to sleep through). Nested classes count as part of their shell.
 */
class ShellsReadTheirInjectedClockTest {

    static final List<String> SHELLS = List.of(
            "io.kplane.server.RaftAgent", "io.kplane.server.StoreNode", "io.kplane.server.NettyPeerTransport",
            "io.kplane.etcd.WatchHub", "io.kplane.etcd.LeaseExpiry",
            "io.kplane.apiserver.WatchCache", "io.kplane.apiserver.WatchDispatcher",
            "io.kplane.apiserver.CachedWatchSource",
            "io.kplane.election.LeaderElection", "io.kplane.controller.ReplicaSetController",
            "io.kplane.proxy.runtime.ProxySyncLoop");

    static ArchRule noSystemClockIn(List<String> classNames) {
        String pattern = classNames.stream().map(n -> Pattern.quote(n) + "(\\$.*)?")
                .collect(Collectors.joining("|"));
        return noClasses().that().haveNameMatching(pattern)
                .should().callMethod(System.class, "nanoTime")
                .because("time is an input: a shell reads the NanoClock it was given");
    }

    @Test
    void theShellsDoNotCallSystemNanoTime() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kplane.server", "io.kplane.etcd", "io.kplane.apiserver", "io.kplane.election",
                        "io.kplane.controller", "io.kplane.proxy.runtime");
        noSystemClockIn(SHELLS).check(main);
    }

    /** A stand-in shell that reads the system clock itself. */
    static final class ShellReadingTheSystemClock {
        long now() {
            return System.nanoTime();
        }
    }

    @Test
    void theRuleCatchesAShellThatReadsTheSystemClock() {
        JavaClasses offender = new ClassFileImporter().importClasses(ShellReadingTheSystemClock.class);
        assertThatThrownBy(() -> noSystemClockIn(List.of(ShellReadingTheSystemClock.class.getName())).check(offender))
                .isInstanceOf(AssertionError.class).hasMessageContaining("nanoTime");
    }
}
