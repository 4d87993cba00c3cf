package io.kplane.proxy.runtime;

import io.kplane.proxy.ChainNames;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.RulesApplier;
import io.kplane.time.ManualNanoClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kplane.model.EndpointSlice;
import io.kplane.model.Json;
import io.kplane.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sync loop, driven with explicit time: coalescing, partial vs full, retry, periodic sync, metrics. */
class ProxySyncLoopTest {
    private static final long MS = 1_000_000L;

    private record Applied(String text, boolean full) {
    }

    static Service service(String name, String ip, String protocol) {
        return Json.read("apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: ns}\nspec:\n  clusterIP: " + ip
                + "\n  ports:\n  - {name: http, port: 80, protocol: " + protocol + "}\n", Service.class);
    }

    static EndpointSlice slice(String svc, String ip, String triggerTime) {
        String ann = triggerTime == null ? "" : "\n  annotations: {endpoints.kubernetes.io/last-change-trigger-time: \"" + triggerTime + "\"}";
        return Json.read("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: " + svc + "-x\n  namespace: ns\n"
                + "  labels: {kubernetes.io/service-name: " + svc + "}" + ann + "\naddressType: IPv4\nendpoints:\n- addresses: [" + ip
                + "]\n  nodeName: n2\nports:\n- {name: http, port: 8080, protocol: TCP}\n", EndpointSlice.class);
    }

    @Test
    void coalescesChangesAndSyncsPartiallyAfterTheFirstFullSync() {
        List<Applied> applied = new ArrayList<>();
        AtomicLong wall = new AtomicLong(1_700_000_000_000_000_000L);
        ProxySyncLoop loop = new ProxySyncLoop(ProxyConfig.defaults("n1"), ProxySyncLoop.Backend.IPTABLES,
                (text, full) -> applied.add(new Applied(text, full)),
                new SyncScheduler(10 * MS, 1000 * MS, 3600_000 * MS, 500 * MS), wall::get);
        loop.onServiceUpsert(service("a", "10.96.0.1", "TCP"));
        loop.onServiceUpsert(service("b", "10.96.0.2", "TCP"));
        loop.onEndpointSliceUpsert(slice("a", "10.0.1.1", null));
        loop.onEndpointSliceUpsert(slice("b", "10.0.2.1", null));
        loop.doWork(0);
        assertThat(applied).hasSize(1);
        assertThat(applied.get(0).full()).isTrue();
        assertThat(applied.get(0).text()).contains("--to-destination 10.0.1.1:8080", "--to-destination 10.0.2.1:8080");

        // Two quick changes to "a" within the min-sync-period: one partial sync, after the period.
        loop.onEndpointSliceUpsert(slice("a", "10.0.1.2", null));
        loop.doWork(2 * MS);
        loop.onEndpointSliceUpsert(slice("a", "10.0.1.3", "2023-11-14T22:13:10Z"));
        loop.doWork(5 * MS);
        assertThat(applied).hasSize(1);
        loop.doWork(10 * MS);
        assertThat(applied).hasSize(2);
        Applied partial = applied.get(1);
        assertThat(partial.full()).isFalse();
        assertThat(partial.text()).contains("--to-destination 10.0.1.3:8080").doesNotContain("--to-destination 10.0.2.1:8080")
                .doesNotContain("10.0.1.2:8080")
                .contains("-X " + ChainNames.endpointChain("ns/a:http", "tcp", "10.0.1.1:8080"));
        assertThat(loop.metrics().syncPartialProxyRules.count()).isEqualTo(1);
        assertThat(loop.metrics().syncFullProxyRules.count()).isEqualTo(1);
        // Every slice change is observed: the two initial ones and the two coalesced ones (one timed by its annotation).
        assertThat(loop.metrics().networkProgramming.count()).isEqualTo(4);
        // The wall clock stands at 2023-11-14T22:13:20Z: the annotated change took 10 s to program, the others 0.
        assertThat(loop.metrics().networkProgramming.sum()).isEqualTo(10.0);

        // Nothing changes: the next sync comes with the sync period.
        loop.doWork(500 * MS);
        assertThat(applied).hasSize(2);
        loop.doWork(1010 * MS);
        assertThat(applied).hasSize(3);
        String prom = loop.metrics().prometheusText();
        assertThat(prom).contains("kubeproxy_sync_proxy_rules_duration_seconds_count 3",
                "kubeproxy_sync_full_proxy_rules_duration_seconds_bucket{le=\"0.001\"}",
                "kubeproxy_network_programming_duration_seconds_count 4",
                "kubeproxy_sync_proxy_rules_iptables_total{table=\"nat\"} " + loop.metrics().natRulesTotal());
    }

    @Test
    void syncDurationIsTimedOnTheInjectedClock() {
        // The applier stands for iptables-restore taking 250 ms: the clock moves, no one sleeps.
        ManualNanoClock clock = new ManualNanoClock();
        ProxySyncLoop loop = new ProxySyncLoop(ProxyConfig.defaults("n1"), ProxySyncLoop.Backend.IPTABLES,
                (text, full) -> clock.advance(250 * MS),
                new SyncScheduler(10 * MS, 1000 * MS, 3600_000 * MS, 500 * MS), () -> 0L, clock);
        loop.onServiceUpsert(service("a", "10.96.0.1", "TCP"));
        loop.doWork(0);
        assertThat(loop.metrics().syncProxyRules.count()).isEqualTo(1);
        assertThat(loop.metrics().syncProxyRules.sum()).isEqualTo(0.25);
        assertThat(loop.metrics().syncFullProxyRules.sum()).isEqualTo(0.25);
    }

    @Test
    void aFailedApplyIsRetriedAsAFullSyncAndBadObjectsAreSkipped() {
        List<Applied> applied = new ArrayList<>();
        AtomicBoolean fail = new AtomicBoolean();
        ProxySyncLoop loop = new ProxySyncLoop(ProxyConfig.defaults("n1"), ProxySyncLoop.Backend.NFTABLES, (text, full) -> {
            if (fail.get()) {
                throw new IllegalStateException("nft: rejected");
            }
            applied.add(new Applied(text, full));
        }, new SyncScheduler(10 * MS, 1000 * MS, 3600_000 * MS, 100 * MS), () -> 0L);
        loop.onServiceUpsert(service("a", "10.96.0.1", "TCP"));
        loop.onServiceUpsert(service("bad", "10.96.0.9", "ICMP"));
        loop.doWork(0);
        assertThat(loop.lastError()).isNull(); // the sync succeeded after the bad object was skipped
        assertThat(applied).hasSize(1);
        assertThat(loop.tracker().ports()).hasSize(1);

        fail.set(true);
        loop.onEndpointSliceUpsert(slice("a", "10.0.1.1", null));
        loop.doWork(20 * MS);
        assertThat(loop.metrics().restoreFailures()).isEqualTo(1);
        assertThat(loop.lastError()).contains("rejected");
        fail.set(false);
        loop.doWork(50 * MS);
        assertThat(applied).hasSize(1); // retry waits for the retry period
        loop.doWork(120 * MS);
        assertThat(applied).hasSize(2);
        assertThat(applied.get(1).full()).isTrue();
        assertThat(applied.get(1).text()).startsWith("add table ip kube-proxy").contains("dnat to 10.0.1.1:8080");
    }

    @Test
    void drivesRealIptablesInATestNamespaceFromAThread() throws Exception {
        assumeTrue(NetworkNamespace.available("iptables-legacy-restore") && NetworkNamespace.available("ip"), "tools missing");
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "not root");
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-loop")) {
            ProxySyncLoop loop = new ProxySyncLoop(ProxyConfig.defaults("n1"), ProxySyncLoop.Backend.IPTABLES,
                    RulesApplier.inNamespace(ns, List.of("iptables-legacy-restore", "-w", "--noflush")),
                    new SyncScheduler(5 * MS, 60_000 * MS, 3600_000 * MS, 100 * MS), System::nanoTime);
            Thread t = loop.start("proxy-sync");
            try {
                loop.onServiceUpsert(service("a", "10.96.0.1", "TCP"));
                loop.onEndpointSliceUpsert(slice("a", "10.0.1.1", null));
                long deadline = System.nanoTime() + 20_000 * MS;
                while (System.nanoTime() < deadline && !saved(ns).contains("10.0.1.1:8080")) {
                    Thread.sleep(20);
                }
                assertThat(saved(ns)).contains("--to-destination 10.0.1.1:8080");
                loop.onEndpointSliceUpsert(slice("a", "10.0.1.2", null));
                while (System.nanoTime() < deadline && !saved(ns).contains("10.0.1.2:8080")) {
                    Thread.sleep(20);
                }
                String after = saved(ns);
                assertThat(after).contains("--to-destination 10.0.1.2:8080").doesNotContain("10.0.1.1:8080");
                assertThat(loop.metrics().restoreFailures()).isZero();
            } finally {
                t.interrupt();
                t.join(5000);
            }
        }
    }

    private static String saved(NetworkNamespace ns) throws Exception {
        return ns.exec(List.of("iptables-legacy-save", "-t", "nat"), (byte[]) null).stdout();
    }
}
