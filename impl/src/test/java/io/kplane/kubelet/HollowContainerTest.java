package io.kplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Container;
import io.kplane.model.IntOrString;
import io.kplane.model.Probe;
import io.kplane.model.TcpSocketAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HollowContainerTest {
    static final long S = 1_000_000_000L;
    static final Probe FAIL_ONCE = new Probe(null, null, new TcpSocketAction(IntOrString.of(1), null, null), 0, 1, 1, 1, 1, null);

    static Instant at(long ns) {
        return Instant.ofEpochSecond(ns / S);
    }

    @Test
    void livenessFailureRestartsAtOnceThenWaitsInCrashLoopBackOff() {
        HollowContainer c = new HollowContainer(Container.of("app", "nginx").withLivenessProbe(FAIL_ONCE), "uid", 0, new RestartBackoff());
        assertThat(c.restartIfDue(0, at(0))).isTrue();
        assertThat(c.running()).isTrue();
        assertThat(c.restartCount()).as("the first start is not a restart").isZero();

        ProbeTracker probe = c.dueProbes(0).get(0);
        assertThat(c.onProbe(probe, false, S, at(S), "Always")).isTrue();
        assertThat(c.running()).as("first restart is immediate").isTrue();
        assertThat(c.restartCount()).isEqualTo(1);
        assertThat(c.status().lastState().terminated().exitCode()).isEqualTo(137);
        assertThat(c.owns(probe)).as("the killed incarnation's probe is dropped").isFalse();

        ProbeTracker again = c.dueProbes(S).get(0);
        c.onProbe(again, false, 2 * S, at(2 * S), "Always");
        assertThat(c.running()).isFalse();
        assertThat(c.status().state().waiting().reason()).isEqualTo("CrashLoopBackOff");
        assertThat(c.restartIfDue(11 * S, at(11 * S))).as("10 s back-off not over").isFalse();
        assertThat(c.restartIfDue(12 * S, at(12 * S))).isTrue();
        assertThat(c.restartCount()).isEqualTo(2);
        assertThat(c.status().restartCount()).isEqualTo(2);
    }

    @Test
    void startupProbeGatesLivenessAndReadinessAndRestartPolicyNeverLeavesItTerminated() {
        Probe ok = FAIL_ONCE;
        HollowContainer c = new HollowContainer(Container.of("app", "x").withStartupProbe(ok).withReadinessProbe(ok)
                .withLivenessProbe(ok), "uid", 0, new RestartBackoff());
        c.restartIfDue(0, at(0));
        List<ProbeTracker> due = c.dueProbes(0);
        assertThat(due).extracting(ProbeTracker::kind).containsExactly(ProbeTracker.Kind.STARTUP);
        assertThat(c.started()).isFalse();
        c.onProbe(due.get(0), true, S, at(S), "Never");
        assertThat(c.started()).isTrue();
        assertThat(c.ready()).as("readiness has not passed yet").isFalse();
        List<ProbeTracker> next = c.dueProbes(S);
        assertThat(next).extracting(ProbeTracker::kind).containsExactly(ProbeTracker.Kind.LIVENESS, ProbeTracker.Kind.READINESS);
        c.onProbe(next.get(1), true, 2 * S, at(2 * S), "Never");
        assertThat(c.ready()).isTrue();
        c.onProbe(next.get(0), false, 2 * S, at(2 * S), "Never");
        assertThat(c.terminated()).isTrue();
        assertThat(c.ready()).isFalse();
        assertThat(c.restartIfDue(1000 * S, at(1000 * S))).isFalse();
        assertThat(c.status().state().terminated().exitCode()).isEqualTo(137);
    }
}
