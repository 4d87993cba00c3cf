package io.kplane.check.raft;

import io.kplane.raft.StateType;
import io.kplane.raft.sim.Simulation;
import io.kplane.raft.sim.SimulationConfig;
import io.kplane.raft.sim.SimulationEvent;
import io.kplane.raft.sim.SimulationResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kplane check raft --simulate}: runs the seeded randomized simulation of the Raft core
 * ({@link Simulation}: drops, duplicates, reordering, crashes, partitions, compaction) over many
 * seeds, and optionally exports every event as NDJSON in the vocabulary of {@code tla/Raft.tla}
 * for {@code tla/TraceRaft.tla}.
 *
 * <p>The simulation's events are coarser than the spec's actions (one "ready" persists, sends and
 * applies; one "tick" may fire a timeout and send requests), so the mapping names the spec action
 * that the event starts and always records the node's post-state; replaying such a trace in TLC
 * needs TraceRaft's step to allow several spec actions per line. That replay has not been run here
 * (TLC is not available on these machines).
 */
public final class SimulationRunner {

    private static final Map<String, String> SPEC_EVENT = Map.of(
            "tick", "Tick", "receive", "Receive", "propose", "ClientRequest", "crash", "Restart",
            "restart", "Restart", "drop", "Drop", "ready", "Ready", "partition", "Partition", "heal", "Heal");

    private final PrintStream out;

    public SimulationRunner(PrintStream out) {
        this.out = out;
    }

    /** Runs {@code seeds} seeds of {@code steps} steps; returns 0 if no property was violated. */
    public int run(int nodes, int seeds, int steps, Path traceOut) throws IOException {
        BufferedWriter trace = traceOut == null ? null : Files.newBufferedWriter(traceOut, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        long totalSteps = 0;
        long leaders = 0;
        long committed = 0;
        long lastProgress = start;
        try {
            for (int seed = 1; seed <= seeds; seed++) {
                SimulationConfig cfg = SimulationConfig.defaults(seed, nodes, steps);
                if (trace != null) {
                    final int s = seed;
                    cfg = cfg.withListener(e -> write(trace, s, e));
                }
                SimulationResult r = Simulation.run(cfg);
                totalSteps += r.steps();
                leaders += r.leadersElected();
                committed += r.maxCommitted();
                if (!r.ok()) {
                    out.println("  seed " + seed + ": VIOLATED " + r.violation());
                    out.println("  reproduce: ./kplane check raft --simulate --seeds " + seed);
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
            out.println("  trace            : " + traceOut + " (NDJSON, Raft.tla vocabulary)");
        }
        return 0;
    }

    static String role(StateType t) {
        if (t == null) {
            return "Crashed";
        }
        return switch (t) {
            case FOLLOWER -> "Follower";
            case PRE_CANDIDATE -> "PreCandidate";
            case CANDIDATE -> "Candidate";
            case LEADER -> "Leader";
        };
    }

    /** One NDJSON line: {"seed","seq","event","node","detail","post":{term,state,commitIndex,logLength,leader}}. */
    static String line(int seed, SimulationEvent e) {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"seed\":").append(seed).append(",\"seq\":").append(e.step())
                .append(",\"event\":\"").append(SPEC_EVENT.getOrDefault(e.action(), e.action())).append('"')
                .append(",\"impl\":\"").append(json(e.action())).append('"')
                .append(",\"node\":").append(e.node() == 0 ? "null" : "\"s" + e.node() + "\"")
                .append(",\"detail\":\"").append(json(e.detail())).append('"');
        if (e.node() != 0) {
            b.append(",\"post\":{\"term\":").append(e.term()).append(",\"state\":\"").append(role(e.role()))
                    .append("\",\"commitIndex\":").append(e.commit()).append(",\"logLength\":").append(e.lastIndex())
                    .append(",\"leader\":").append(e.leader() == 0 ? "null" : "\"s" + e.leader() + "\"").append('}');
        }
        return b.append('}').toString();
    }

    private static void write(BufferedWriter w, int seed, SimulationEvent e) {
        try {
            w.write(line(seed, e));
            w.newLine();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    static String json(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
