/**
 * The benchmark harness: JMH benchmarks, the open-loop load rig, run directories, and the
 * {@code kplane bench} / {@code kplane suite} commands.
 *
 * <h2>Adding a benchmark area (store, scheduler, proxy, check...)</h2>
 * <ol>
 *   <li>Write a class in {@code bench} (e.g. {@code io.kplane.bench.store.StoreArea}) that
 *       implements {@link io.kplane.bench.BenchArea}: {@code name()} ("store"), {@code title()},
 *       and {@code run(RunContext)}, which runs the full variant, or the quick one when
 *       {@link io.kplane.bench.RunContext#quick()} (at most ~90 s: the whole
 *       {@code kplane suite --quick} must stay under 10 minutes on 2 cores).</li>
 *   <li>Register it: one line in
 *       {@code bench/src/main/resources/META-INF/services/io.kplane.bench.BenchArea}.</li>
 *   <li>That is all: it becomes {@code kplane bench store [--quick] [-p key=value]} (own run
 *       directory {@code reports/out/<timestamp>-store/} with report) and a step of
 *       {@code kplane suite}.</li>
 * </ol>
 *
 * <h2>Inside {@code run(RunContext ctx)}</h2>
 * <pre>{@code
 * if (RunContext.findExecutable("etcd").isEmpty()) { ctx.note("etcd peer skipped: " + RunContext.ETCD_INSTALL_HINT); }
 * LoadSpec put = LoadSpec.openLoop("put-256B", "kplane", ctx.param("rate", 2000.0))
 *         .withOutstanding(256).withWarmup(ctx.quickOr(Duration.ofSeconds(3), Duration.ofSeconds(10)))
 *         .withDuration(ctx.quickOr(Duration.ofSeconds(10), Duration.ofSeconds(60)))
 *         .withParam("valueBytes", 256).withDurability("fsync per batch");
 * WorkloadResult k = ctx.load(put, AsyncOperation.ofFuture(seq -> client.issue(Op.PUT, (int) seq, (int) seq)));
 * WorkloadResult e = ctx.load(put.withSystem("etcd-3.4"), ...same workload against etcd...);
 * ctx.headline(ctx.measured("put throughput at 2000/s, 3 members", k.throughput(), "ops/s", true)
 *         .against(Anchors.measured("etcd 3.4, same client, this machine", e.throughput(), "ops/s"))
 *         .withNoise(k.throughputNoise()));
 * ctx.headline(ctx.measured("put p99 at 2000/s", k.latency().p99Us() / 1e3, "ms", false)
 *         .against(Anchors.measured("etcd 3.4 p99, this machine", e.latency().p99Us() / 1e3, "ms")));
 * }</pre>
 * <ul>
 *   <li>{@link io.kplane.bench.RunContext#load} runs the {@link io.kplane.bench.LoadRig}: open loop
 *       (fixed rate, latency from the <em>intended</em> send time: no coordinated omission) or
 *       closed loop (fixed concurrency, peak throughput), warm-up excluded, a progress bar on
 *       stderr, interval histograms (nanoseconds) in {@code <area>-<workload>-<system>.hlog}.</li>
 *   <li>Requests are {@link io.kplane.bench.AsyncOperation}s: a callback
 *       ({@code (seq, done) -> ... done.succeeded()}), {@code AsyncOperation.ofFuture(seq -> future)}
 *       or {@code AsyncOperation.ofSync(seq -> call())} for in-process calls (use several workers).</li>
 *   <li>Runs of the same workload name against different systems are peers: the report draws
 *       them on the same charts and prints their ratios.</li>
 *   <li>Latencies the area measures itself (per-pod scheduling latency, rule-sync time): record
 *       them in an HdrHistogram (nanoseconds) and call
 *       {@link io.kplane.bench.RunContext#addHistogram}; it writes the {@code .hlog} and the result
 *       (charts included). Other figures (a batch timing, pods/s): record
 *       {@link io.kplane.reports.Headline}s, or build a {@link io.kplane.reports.WorkloadResult}
 *       and {@link io.kplane.bench.RunContext#add} it.</li>
 *   <li>In the suite an area that runs past 4 minutes (quick) is abandoned and reported FAILED.</li>
 *   <li>Headlines go on the report's front page next to the project's goal for them
 *       ({@code .against(Anchors.goal(...))}: met / not met) and the peer measured in the same run
 *       ({@code .against(Anchors.measured(...))}: value / peer, better or worse). Published figures of
 *       DESIGN.md §5 (constants in {@link io.kplane.reports.Anchors}) ran on other hardware: the front
 *       page shows them as context and never calls a figure better or worse than one. Give
 *       {@code noise} (relative, e.g. {@code throughputNoise()}) so that {@code kplane report compare}
 *       can tell change from noise.</li>
 *   <li>Cannot run here (etcd missing, not root)? {@link io.kplane.bench.RunContext#skip} with the
 *       reason and the fix, then return. An exception marks the area FAILED; the suite goes on.</li>
 *   <li>Extra files: {@link io.kplane.bench.RunContext#file}; JMH JSON: {@code ctx.jmhFile(path)}.</li>
 *   <li>JMH benchmarks: put {@code @Benchmark} classes anywhere in {@code bench}; they are in
 *       {@code bench/target/benchmarks.jar}, run by {@code kplane bench jmh [REGEX]} and by the
 *       suite's smoke set (all benchmarks with 1 fork x 3 x 1 s while they fit in ~4 minutes,
 *       else the regexes areas return from {@link io.kplane.bench.BenchArea#jmhSmoke()}).</li>
 *   <li>The model checks: while no area named {@code "check"} is registered, the suite runs
 *       {@code kplane check --quiet --max-states 400000 --no-tlc} (quick: the explorer only; the full
 *       suite adds TLC on every model) in a child JVM and reads its summary
 *       lines ({@code CheckCommandStep}). A {@code "check"} area with {@code order() = 10} replaces
 *       that; its headlines would be e.g. states explored, message "no violation".</li>
 * </ul>
 *
 * <h2>A run directory</h2>
 * {@code reports/out/<UTC timestamp>[-<area>]/}: {@code summary.json}
 * ({@link io.kplane.reports.RunSummary}), {@code env.json} (CPU, cores, memory, OS, JVM and flags,
 * git commit, date), {@code *.hlog}, {@code jmh-*.json} and {@code jmh-*.log}, {@code index.html}
 * (self-contained report) and {@code summary.md}.
 */
package io.kplane.bench;
