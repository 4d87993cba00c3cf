package io.kplane.bench.proxy;

import io.kplane.proxy.EndpointSliceSpec;
import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.iptables.IptablesRuleset;
import io.kplane.proxy.NamespacedName;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.nftables.NftablesRenderer;
import io.kplane.proxy.nftables.NftablesRuleset;
import io.kplane.proxy.Protocol;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.ServicePortName;
import io.kplane.proxy.ServicePortSpec;
import io.kplane.proxy.ServiceTracker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The proxy benchmark's workloads, independent of the harness: synthetic clusters of N ClusterIP
 * services with E endpoints each, full renders by a fresh renderer (nothing cached but the chain
 * names the change tracker computed, as in kube-proxy), partial syncs after changing one
 * service, and the kernel tools' own time on the same text. Full renders are timed after one
 * untimed warm-up render. Times are wall clock and the rendering thread's CPU time (the machine
 * may be shared).
 */
public final class ProxyWorkload {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Every partial sync gets endpoints never used before, so each one is a real change. */
    private static final java.util.concurrent.atomic.AtomicInteger GENERATION = new java.util.concurrent.atomic.AtomicInteger();

    /** Figures of one full render. */
    public record FullRender(String backend, int services, int endpointsPerService, double wallMsMedian,
                             double cpuMsMedian, long bytes, long rules, int repetitions) {
    }

    /** Figures of repeated partial syncs. */
    public record PartialSync(String backend, int services, double wallMsMedian, double wallMsP99, double cpuMsMedian,
                              long bytesPerSync, int syncs, Histogram wallNanos) {
    }

    /** A kernel tool's check of the same text. */
    public record ToolRun(String tool, int services, double wallMs, boolean ok, String error) {
    }

    private ProxyWorkload() {
    }

    static ProxyConfig config() {
        return ProxyConfig.defaults("node0").withClusterCIDR("10.0.0.0/8").withNodeIP("192.168.0.10");
    }

    /** N ClusterIP services with E ready endpoints each, spread over three nodes. */
    public static ServiceTracker cluster(int services, int endpoints) {
        ServiceTracker t = new ServiceTracker("node0");
        for (int i = 0; i < services; i++) {
            String name = "svc-" + i;
            t.upsertService(new NamespacedName("bench", name), List.of(ServicePortSpec.clusterIP(
                    new ServicePortName("bench", name, "http", Protocol.TCP),
                    "172." + (16 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255), 80)));
            t.upsertEndpointSlice(slice(name, i * endpoints, endpoints, 0), -1);
        }
        t.applyPending();
        return t;
    }

    private static EndpointSliceSpec slice(String service, int first, int n, int generation) {
        List<EndpointSliceSpec.Endpoint> eps = new ArrayList<>(n);
        for (int e = 0; e < n; e++) {
            int a = first + e + generation * 7919;
            eps.add(EndpointSliceSpec.Endpoint.ready("10." + (64 + ((a >> 16) & 63)) + "." + ((a >> 8) & 255) + "." + (a & 255),
                    "node" + (e % 3)));
        }
        return new EndpointSliceSpec("bench", service + "-abcde", service, "IPv4",
                List.of(new EndpointSliceSpec.Port("http", 8080, Protocol.TCP)), eps);
    }

    public static FullRender fullRender(String backend, ServiceTracker t, int services, int endpoints, int reps,
                                        List<String> textOut) {
        double[] wall = new double[reps];
        double[] cpu = new double[reps];
        long bytes = 0;
        long rules = 0;
        // One untimed render first: a proxy renders in a warm JVM, and with the few repetitions of
        // a quick run the median would otherwise include the JIT compiling the renderer.
        render(backend, t);
        for (int r = 0; r < reps; r++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            String text;
            if (backend.equals("iptables")) {
                IptablesRuleset rs = new IptablesRenderer(config()).render(t, Set.of(), true);
                text = rs.text();
                rules = rs.filterRules() + rs.natRulesTotal();
            } else {
                NftablesRuleset rs = new NftablesRenderer(config()).render(t, Set.of(), true);
                text = rs.text();
                rules = rs.rules() + rs.elements();
            }
            wall[r] = (System.nanoTime() - w0) / 1e6;
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            bytes = text.length();
            if (r == reps - 1 && textOut != null) {
                textOut.add(text);
            }
        }
        return new FullRender(backend, services, endpoints, median(wall), median(cpu), bytes, rules, reps);
    }

    private static String render(String backend, ServiceTracker t) {
        return backend.equals("iptables") ? new IptablesRenderer(config()).render(t, Set.of(), true).text()
                : new NftablesRenderer(config()).render(t, Set.of(), true).text();
    }

    public static PartialSync partialSyncs(String backend, ServiceTracker t, int services, int endpoints, int syncs) {
        IptablesRenderer ipt = backend.equals("iptables") ? new IptablesRenderer(config()) : null;
        NftablesRenderer nft = ipt == null ? new NftablesRenderer(config()) : null;
        if (ipt != null) {
            ipt.render(t, Set.of(), true);
        } else {
            nft.render(t, Set.of(), true);
        }
        Histogram h = new Histogram(3);
        double[] cpu = new double[syncs];
        double[] wall = new double[syncs];
        long bytes = 0;
        for (int i = 0; i < syncs; i++) {
            int victim = (i * 7717) % services;
            String name = "svc-" + victim;
            t.upsertEndpointSlice(slice(name, victim * endpoints, endpoints, GENERATION.incrementAndGet()), -1);
            Set<NamespacedName> changed = t.applyPending().services();
            if (changed.isEmpty()) {
                throw new IllegalStateException("partial sync workload produced no change");
            }
            long c0 = THREADS.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            int len = ipt != null ? ipt.render(t, changed, false).text().length() : nft.render(t, changed, false).text().length();
            long w = System.nanoTime() - w0;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            wall[i] = w / 1e6;
            h.recordValue(Math.max(1, w));
            bytes += len;
        }
        double[] sorted = wall.clone();
        Arrays.sort(sorted);
        return new PartialSync(backend, services, median(wall), sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)],
                median(cpu), bytes / syncs, syncs, h);
    }

    /** Times {@code iptables-legacy-restore --test} or {@code nft -c} on {@code text} in a fresh namespace. */
    public static ToolRun tool(String backend, String text, int services, Path scratch) throws Exception {
        Path file = scratch.resolve("rules-" + backend + "-" + services + ".txt");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-bench")) {
            List<String> cmd = backend.equals("iptables")
                    ? List.of("sh", "-c", "iptables-legacy-restore --test --noflush < " + file)
                    : List.of("nft", "-c", "-f", file.toString());
            NetworkNamespace.Result r = ns.exec(cmd, (byte[]) null);
            String tool = backend.equals("iptables") ? "iptables-legacy-restore --test" : "nft -c";
            return new ToolRun(tool, services, r.nanos() / 1e6, r.ok(), r.ok() ? null : r.stderr().strip());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
