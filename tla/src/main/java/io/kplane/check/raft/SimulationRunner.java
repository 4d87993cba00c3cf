package io.kplane.check.raft;

import io.kplane.raft.sim.Mutation;
import io.kplane.raft.sim.Simulation;
import io.kplane.raft.sim.SimulationConfig;
import io.kplane.raft.sim.SimulationResult;
import io.kplane.server.NdjsonTraceWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code kplane check raft --simulate}: runs the seeded randomized simulation of the Raft core
 * ({@link Simulation}: drops, duplicates, reordering, crashes, partitions, compaction) over many
 * seeds, and optionally exports a trace in the vocabulary of {@code tla/TraceRaft.tla}: every node's
 * spec-level steps as the core reports them ({@link io.kplane.raft.RaftTracer}: Timeout, StartElection,
 * BecomeLeader, sends, receives, commits, ...) plus the simulated network's drops and duplicates, one NDJSON
 * line each, tagged with the seed. {@code kplane check trace FILE} validates such a file.
 */
public final class SimulationRunner {

    private final PrintStream out;
    private Mutation mutation = Mutation.NONE;

    public SimulationRunner(PrintStream out) {
        this.out = out;
    }

    /** <b>Test/demo only</b>: run the simulation with an injected bug. */
    public SimulationRunner withMutation(Mutation m) {
        this.mutation = m;
        return this;
    }

    /** Runs {@code seeds} seeds of {@code steps} steps; returns 0 if no property was violated. */
    public int run(int nodes, int seeds, int steps, Path traceOut) throws IOException {
        BufferedWriter file = traceOut == null ? null
                : new BufferedWriter(Files.newBufferedWriter(traceOut, StandardCharsets.UTF_8), 1 << 16);
        NdjsonTraceWriter trace = file == null ? null : new NdjsonTraceWriter(file, null, false);
        long start = System.nanoTime();
        long totalSteps = 0;
        long leaders = 0;
        long committed = 0;
        long lastProgress = start;
        try {
            for (int seed = 1; seed <= seeds; seed++) {
                SimulationConfig cfg = SimulationConfig.defaults(seed, nodes, steps).withMutation(mutation);
                if (trace != null) {
                    trace.setFields("\"seed\":" + seed);
                    cfg = cfg.withTracer(trace);
                }
                SimulationResult r = Simulation.run(cfg);
                totalSteps += r.steps();
                leaders += r.leadersElected();
                committed += r.maxCommitted();
                if (!r.ok()) {
                    out.println("  seed " + seed + ": VIOLATED " + r.violation());
                    out.println("  reproduce: ./kplane check raft --simulate --seeds " + seed
                            + (mutation == Mutation.NONE ? "" : " --mutation " + mutation));
                    if (traceOut != null) {
                        out.println("  trace            : " + traceOut + " (" + trace.lines() + " lines, up to the violation)");
                    }
                    return 1;
                }
                long now = System.nanoTime();
                if (now - lastProgress > 2_000_000_000L) {
                    lastProgress = now;
                    System.err.printf(Locale.ROOT, "  [raft-sim] progress: seed %d/%d, %,d steps, %.1f s%n",
                            seed, seeds, totalSteps, (now - start) / 1e9);
                }
            }
        } finally {
            if (trace != null) {
                trace.close();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "  seeds            : %d x %d nodes x %,d steps (drops, duplicates, reordering, crashes, partitions, compaction)%n",
                seeds, nodes, steps);
        out.printf(Locale.ROOT, "  steps            : %,d (%,.0f steps/s), %,d leaders elected, %,d entries committed (sum of maxima)%n",
                totalSteps, totalSteps / secs, leaders, committed);
        out.printf(Locale.ROOT, "  elapsed          : %.2f s%n", secs);
        out.println("  result           : every safety property held after every step of every seed");
        if (traceOut != null) {
            out.printf(Locale.ROOT, "  trace            : %s (%,d NDJSON lines, %,d bytes, TraceRaft.tla vocabulary; "
                    + "validate with ./kplane check trace %s)%n", traceOut, trace.lines(), trace.bytes(), traceOut);
        }
        return 0;
    }
}
