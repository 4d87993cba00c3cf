package io.kplane.bench.proxy;

import io.kplane.bench.BenchArea;
import io.kplane.bench.RunContext;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.ServiceTracker;
import io.kplane.reports.Anchor;
import io.kplane.reports.Anchors;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kplane bench proxy}: full renders of 1k/10k/30k services x 10 endpoints (iptables and
 * nftables), partial syncs after one change at 10k, and the time the kernel tools take to check
 * the same text ({@code iptables-legacy-restore --test}, {@code nft -c}) in a throw-away network
 * namespace: the floor any proxy pays, measured in the same run.
 */
public final class ProxyArea implements BenchArea {
    private static final Anchor FULL_TARGET = Anchors.goal("full render of 10k x 10 under 100 ms", 100, "ms", "issue #7");
    private static final Anchor PARTIAL_TARGET = Anchors.goal("partial sync under 1 ms", 1, "ms", "issue #7");
    private static final Anchor RESTORE_ANCHOR = new Anchor(
            "iptables-restore of 10k services x 5 endpoints, legacy, this machine", 5400, "ms", "DESIGN.md section 5");

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public String title() {
        return "kube-proxy rule generation: iptables/nftables full render, partial sync, vs the kernel tools";
    }

    @Override
    public int order() {
        return 70;
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        PrintStream log = ctx.log();
        int endpoints = ctx.param("endpoints", 10);
        List<Integer> sizes = ctx.quick() ? List.of(1000, 10000) : List.of(1000, 10000, 30000);
        int reps = ctx.param("reps", ctx.quick() ? 3 : 7);
        int syncs = ctx.param("syncs", ctx.quick() ? 200 : 1000);
        int toolMax = ctx.param("tool-max-services", ctx.quick() ? 10000 : 30000);
        // `nft -c` takes about a minute on the 10k text here: the quick variant times it at 1k only,
        // so that `kplane suite --quick` stays within its 10 minutes.
        int nftToolMax = ctx.param("nft-tool-max-services", ctx.quick() ? Math.min(1000, toolMax) : toolMax);
        boolean tools = NetworkNamespace.available("ip") && NetworkNamespace.available("iptables-legacy-restore")
                && NetworkNamespace.available("nft") && "root".equals(System.getProperty("user.name"));
        if (!tools) {
            ctx.note("kernel tools not timed: needs root with ip, iptables-legacy-restore and nft (apt-get install iptables nftables iproute2)");
        }
        log.printf("  %-9s %7s %5s | %10s %10s %12s %9s | %12s %10s%n", "backend", "services", "eps", "wall ms", "cpu ms",
                "bytes", "rules", "tool ms", "tool/render");
        Map<String, ProxyWorkload.FullRender> at10k = new LinkedHashMap<>();
        Map<String, ProxyWorkload.ToolRun> tool10k = new LinkedHashMap<>();
        for (int n : sizes) {
            long t0 = System.nanoTime();
            ServiceTracker tracker = ProxyWorkload.cluster(n, endpoints);
            log.printf("  cluster of %d services x %d endpoints tracked in %.0f ms (chain names hashed once, as kube-proxy does)%n",
                    n, endpoints, (System.nanoTime() - t0) / 1e6);
            for (String backend : List.of("iptables", "nftables")) {
                List<String> text = new ArrayList<>(1);
                ProxyWorkload.FullRender fr = ProxyWorkload.fullRender(backend, tracker, n, endpoints, reps, text);
                ProxyWorkload.ToolRun tr = null;
                if (tools && n <= (backend.equals("nftables") ? nftToolMax : toolMax)) {
                    tr = ProxyWorkload.tool(backend, text.get(0), n, ctx.dir());
                    if (!tr.ok()) {
                        throw new IllegalStateException(tr.tool() + " rejected the " + backend + " rules for " + n
                                + " services: " + tr.error());
                    }
                }
                text.clear();
                log.printf("  %-9s %7d %5d | %10.1f %10.1f %12d %9d | %12s %10s%n", backend, n, endpoints, fr.wallMsMedian(),
                        fr.cpuMsMedian(), fr.bytes(), fr.rules(), tr == null ? "-" : String.format("%.0f", tr.wallMs()),
                        tr == null ? "-" : String.format("%.0fx", tr.wallMs() / fr.wallMsMedian()));
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("services", n);
                params.put("endpointsPerService", endpoints);
                params.put("bytes", fr.bytes());
                params.put("rules", fr.rules());
                params.put("cpuMsMedian", fr.cpuMsMedian());
                params.put("repetitions", reps);
                if (tr != null) {
                    params.put(tr.tool() + " ms", tr.wallMs());
                }
                org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
                h.recordValue(Math.max(1, Math.round(fr.wallMsMedian() * 1e6)));
                ctx.addHistogram("full-render-" + n, backend, h, fr.wallMsMedian() / 1000, params, "n/a");
                if (n == 10000) {
                    at10k.put(backend, fr);
                    if (tr != null) {
                        tool10k.put(backend, tr);
                    }
                }
            }
            if (n == 10000) {
                for (String backend : List.of("iptables", "nftables")) {
                    ProxyWorkload.PartialSync ps = ProxyWorkload.partialSyncs(backend, tracker, n, endpoints, syncs);
                    log.printf("  %-9s partial sync at %d services, one service changed: median %.3f ms wall (%.3f ms cpu), p99 %.3f ms, %d bytes per sync%n",
                            backend, n, ps.wallMsMedian(), ps.cpuMsMedian(), ps.wallMsP99(), ps.bytesPerSync());
                    Map<String, Object> params = new LinkedHashMap<>();
                    params.put("services", n);
                    params.put("endpointsPerService", endpoints);
                    params.put("bytesPerSync", ps.bytesPerSync());
                    params.put("cpuMsMedian", ps.cpuMsMedian());
                    ctx.addHistogram("partial-sync-10k", backend, ps.wallNanos(), ps.syncs() * ps.wallMsMedian() / 1000, params, "n/a");
                    ctx.headline(ctx.measured(backend + " partial sync after one change, 10k x " + endpoints + " (median wall)",
                            ps.wallMsMedian(), "ms", false).against(PARTIAL_TARGET)
                            .withNote(String.format("thread CPU %.3f ms; p99 %.3f ms", ps.cpuMsMedian(), ps.wallMsP99())));
                }
            }
        }
        for (Map.Entry<String, ProxyWorkload.FullRender> e : at10k.entrySet()) {
            ProxyWorkload.FullRender fr = e.getValue();
            ProxyWorkload.ToolRun tr = tool10k.get(e.getKey());
            var full = ctx.measured(e.getKey() + " full render, 10k services x " + endpoints + " endpoints (median wall)",
                    fr.wallMsMedian(), "ms", false).against(FULL_TARGET)
                    .withNote(String.format("thread CPU %.1f ms, %d bytes, %d rules", fr.cpuMsMedian(), fr.bytes(), fr.rules()));
            if (tr != null) { // the kernel tool checking the same text: the floor any proxy pays, same run
                full = full.against(Anchors.measured(tr.tool() + " on the same text", tr.wallMs(), "ms"));
            }
            ctx.headline(full);
            if (tr != null) {
                ctx.headline(ctx.measured(tr.tool() + " on the same 10k x " + endpoints + " text", tr.wallMs(), "ms", false)
                        .against(e.getKey().equals("iptables") ? RESTORE_ANCHOR : null)
                        .withNote(String.format("kplane's render takes %.1f%% of it (%.0fx faster)",
                                100 * fr.wallMsMedian() / tr.wallMs(), tr.wallMs() / fr.wallMsMedian())));
            }
        }
        if (tools && nftToolMax < toolMax) {
            ctx.note("nft -c timed up to " + nftToolMax + " services only (quick); -p nft-tool-max-services=10000 times it at 10k");
        }
        ctx.note("times are medians; the machine may be shared (load average " + String.format("%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + " at the end), so thread CPU time is given next to wall time");
    }
}
