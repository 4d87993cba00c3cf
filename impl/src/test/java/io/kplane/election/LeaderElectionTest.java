package io.kplane.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.RealApiServer;
import io.kplane.model.Lease;
import io.kplane.time.ManualNanoClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The election runtime against the real API server, with short timings (lease 3 s, renew 2 s,
 * retry 0.5 s). Safety is asserted (never two believers; a standby takes over a crashed leader's
 * Lease no sooner than leaseDuration after it last saw it change); failover times are printed,
 * not asserted, since the machine is shared — only a generous deadline bounds them.
 */
class LeaderElectionTest {
    @TempDir
    Path dir;

    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration RENEW = Duration.ofSeconds(2);
    static final Duration RETRY = Duration.ofMillis(500);

    static LeaderElection.Config config(String id) {
        return new LeaderElection.Config("kube-system", "test-lock", id, LEASE, RENEW, RETRY);
    }

    static final class Recorder implements LeaderCallbacks {
        final List<String> events = new CopyOnWriteArrayList<>();
        final String id;

        Recorder(String id) {
            this.id = id;
        }

        @Override
        public void startedLeading() {
            events.add("started");
        }

        @Override
        public void stoppedLeading() {
            events.add("stopped");
        }
    }

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void oneOfTwoLeadsAndTheStandbyTakesOverACrashedLeadersLeaseAfterLeaseDuration() throws Exception {
        try (RealApiServer api = new RealApiServer(dir)) {
            KubeClient client = api.client();
            Recorder ra = new Recorder("a");
            Recorder rb = new Recorder("b");
            LeaderElection a = new LeaderElection(client, config("a"), ra).start();
            eventually("a leads", a::isLeader);
            LeaderElection b = new LeaderElection(client, config("b"), rb).start();
            // b keeps reading for a few retry periods and must not lead while a renews.
            long until = System.nanoTime() + LEASE.toNanos() + RETRY.toNanos() * 2;
            while (System.nanoTime() < until) {
                assertThat(a.isLeader() && b.isLeader()).as("two leaders").isFalse();
                Thread.sleep(20);
            }
            assertThat(b.isLeader()).isFalse();
            assertThat(rb.events).isEmpty();
            Lease lease = client.get(ApiResource.LEASES, "kube-system", "test-lock");
            assertThat(lease.spec().holderIdentity()).isEqualTo("a");
            assertThat(lease.spec().leaseDurationSeconds()).isEqualTo(3);
            assertThat(lease.spec().renewTime()).isNotNull();

            long crashedAt = System.nanoTime();
            a.abandon();   // as if the process died: the Lease stays as it was
            eventually("b leads", b::isLeader);
            long failover = System.nanoTime() - crashedAt;
            System.out.printf("failover after a crash: %d ms (leaseDuration %d ms + retryPeriod %d ms = %d ms)%n",
                    failover / 1_000_000, LEASE.toMillis(), RETRY.toMillis(), LEASE.plus(RETRY).toMillis());
            assertThat(failover).as("no takeover before leaseDuration of silence").isGreaterThanOrEqualTo(LEASE.toNanos() - RETRY.toNanos());
            assertThat(ra.events).containsExactly("started", "stopped");
            assertThat(rb.events).containsExactly("started");
            Lease after = client.get(ApiResource.LEASES, "kube-system", "test-lock");
            assertThat(after.spec().holderIdentity()).isEqualTo("b");
            assertThat(after.spec().leaseTransitions()).isEqualTo(1);
            b.close();
        }
    }

    @Test
    void closeReleasesTheLeaseSoTheStandbyTakesOverWithoutWaiting() throws Exception {
        try (RealApiServer api = new RealApiServer(dir)) {
            KubeClient client = api.client();
            LeaderElection a = new LeaderElection(client, config("a"), new Recorder("a")).start();
            eventually("a leads", a::isLeader);
            LeaderElection b = new LeaderElection(client, config("b"), new Recorder("b")).start();
            Thread.sleep(RETRY.toMillis() * 2);
            long closedAt = System.nanoTime();
            a.close();
            assertThat(client.get(ApiResource.LEASES, "kube-system", "test-lock").spec().holderIdentity()).as("released: holder cleared (omitted when empty)").isIn(null, "", "b");
            eventually("b leads", b::isLeader);
            System.out.printf("failover after a release: %d ms%n", (System.nanoTime() - closedAt) / 1_000_000);
            assertThat(client.get(ApiResource.LEASES, "kube-system", "test-lock").spec().leaseTransitions()).isEqualTo(1);
            b.close();
        }
    }

    @Test
    void aLeaderThatCannotRenewStopsLeadingByItsRenewDeadline() throws Exception {
        // The candidate's clock moves only when the test moves it, so the deadline is pinned exactly
        // instead of waited out: a leader that took the Lease at time 0 believes until
        // retryPeriod + renewDeadline on its clock, and not a nanosecond longer.
        ManualNanoClock clock = new ManualNanoClock();
        RealApiServer api = new RealApiServer(dir);
        Recorder r = new Recorder("a");
        LeaderElection a = new LeaderElection(api.client(), config("a"), r, clock).start();
        try {
            eventually("a leads", a::isLeader);
            api.close();   // the API server goes away: renewals fail
            long deadline = RETRY.plus(RENEW).toNanos();
            assertThat(a.isLeader()).as("its clock has not moved: it still believes").isTrue();
            clock.advance(deadline - 1);
            assertThat(a.isLeader()).as("one nanosecond before the deadline").isTrue();
            clock.advance(1);
            assertThat(a.isLeader()).as("at the deadline, whatever its loop is doing").isFalse();
            eventually("stoppedLeading", () -> r.events.contains("stopped"));
            assertThat(r.events).containsExactly("started", "stopped");
        } finally {
            a.abandon();
        }
    }

    @Test
    void invalidTimingIsRefused() {
        assertThatThrownBy(() -> new LeaderElection.Config("ns", "l", "a", Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
        assertThatThrownBy(() -> new LeaderElection.Config("ns", "l", "a", Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryPeriod*1.2");
        assertThat(LeaderElection.Config.defaults("ns", "l", "a").timing()).isEqualTo(ElectionTiming.defaultsNanos());
    }
}
