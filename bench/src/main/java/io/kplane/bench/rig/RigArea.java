package io.kplane.bench.rig;

import io.kplane.bench.AsyncOperation;
import io.kplane.bench.BenchArea;
import io.kplane.bench.LoadSpec;
import io.kplane.bench.RunContext;
import io.kplane.reports.Anchors;
import io.kplane.reports.WorkloadResult;
import java.time.Duration;
import java.util.List;

/**
 * The load rig measured against itself: peak throughput against in-process no-op systems (the
 * client's ceiling, which must be far above any rate an area drives) and the open-loop latency
 * floor (scheduling jitter of the rig on this machine).
 *
 * <p>Parameters: {@code -p duration=20s -p warmup=5s -p rate=10000}.
 */
public final class RigArea implements BenchArea {
    /**
     * The load generator must not be the bottleneck (DESIGN §5): its ceiling should be ten times the
     * fastest rate a store reached on this 2-core machine (3.6k serializable gets/s, DESIGN §5).
     */
    static final io.kplane.reports.Anchor RIG_GOAL = Anchors.goal(
            "10x the fastest store rate seen on this machine", 36_000, "ops/s", "DESIGN.md section 5");


    @Override
    public String name() {
        return "rig";
    }

    @Override
    public String title() {
        return "load rig's own ceiling and latency floor (in-process no-op servers)";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public List<String> jmhSmoke() {
        return List.of("io\\.kplane\\.bench\\.rig\\.");
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        Duration warmup = ctx.param("warmup", ctx.quickOr(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        Duration duration = ctx.param("duration", ctx.quickOr(Duration.ofSeconds(5), Duration.ofSeconds(20)));
        double rate = ctx.param("rate", 10_000.0);
        int cores = Runtime.getRuntime().availableProcessors();

        WorkloadResult inline = ctx.load(LoadSpec.closedLoop("no-op", "inline-call", cores)
                .withWorkers(cores).withWarmup(warmup).withDuration(duration)
                .withParam("workers", cores).withParam("server", "none: completes inside the call"),
                AsyncOperation.ofSync(seq -> { }));
        try (NoOpServer server = new NoOpServer()) {
            WorkloadResult async = ctx.load(LoadSpec.closedLoop("no-op", "one-thread-server", 256)
                    .withWarmup(warmup).withDuration(duration)
                    .withParam("server", "one thread, answers at once"), server.operation());
            WorkloadResult open = ctx.load(LoadSpec.openLoop("open-loop-floor", "one-thread-server", rate)
                    .withWarmup(warmup).withDuration(duration).withParam("rate", rate)
                    .withParam("server", "one thread, answers at once"), server.operation());

            ctx.headline(ctx.measured("rig ceiling, closed loop, in-process call", inline.throughput(), "ops/s", true)
                    .against(RIG_GOAL).withNoise(orZero(inline.throughputNoise())));
            ctx.headline(ctx.measured("rig ceiling, closed loop, 256 outstanding to a one-thread server",
                            async.throughput(), "ops/s", true)
                    .against(RIG_GOAL).withNoise(orZero(async.throughputNoise())));
            ctx.headline(ctx.measured(String.format("rig latency floor p99, open loop at %,.0f/s", rate),
                    open.latency().p99Us() / 1e3, "ms", false).withNoise(orZero(open.p99Noise())));
            if (open.throughput() < 0.95 * rate) {
                ctx.note(String.format("the open-loop run reached only %,.0f of %,.0f requests/s: the machine was busy",
                        open.throughput(), rate));
            }
        }
        ctx.message(String.format("the rig completes %,.0f no-op requests/s in process", inline.throughput()));
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
