package io.kplane.check;

import io.kplane.check.election.ElectionModel;
import io.kplane.check.election.ElectorMutation;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kplane check}: model-checks the implementation (explorer), runs TLC when available, and
 * the seeded Raft simulation.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Model-check the implementation: an explicit-state search (BFS, 64-bit fingerprints) over the real",
            "Raft core, Lease elector and watch fan-out, checking the invariants of the TLA+ specs in tla/.",
            "Prints states explored, distinct states, max depth, states/s, elapsed time and one line per",
            "invariant; a violation prints a numbered counterexample trace. Exit 0: all hold; 1: violation.",
            "'check raft' without bound options runs four searches (raft, raft-snapshot, raft-checkquorum,",
            "raft-diverging), each required to reach what its bounds are for; any bound option runs one search",
            "under the given bounds (the rest from the defaults listed below) that must reach every required behaviour.",
            "With --tlc, runs TLC (bundled; TLA2TOOLS_JAR overrides) on the models in tla/ instead: raft, election,",
            "election-drift and election-latency (pass only when TLC reports AtMostOneLeader violated), watch, raft-liveness, all;",
            "'--tlc trace FILE...' validates NDJSON traces with TLC (TraceRaft.tla). 'check all' also runs TLC",
            "on every model and prints TLC's figures beside the explorer's (--no-tlc: explorer only).",
            "'check trace FILE...' validates NDJSON Raft traces (--trace-out of 'check raft --simulate' or of",
            "'store') against Raft.tla's rules and reports the first line no rule explains (exit 1)."})
public final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", defaultValue = "all", paramLabel = "TARGET",
            description = "raft | election | watch | all (default) | trace FILE..., or with --tlc: a TLC model name or all")
    String target;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FILE",
            description = "trace: NDJSON trace file(s); several (one per store member) are merged by their ts stamps")
    List<Path> traceFiles = new ArrayList<>();

    @Option(names = "--depth", paramLabel = "N", description = "Depth bound of the search (default: per model; see --help of each)")
    Integer depth;

    @Option(names = "--nodes", paramLabel = "N", description = "Raft servers / election candidates / watchers (default: 3 / 2 / 2)")
    Integer nodes;

    @Option(names = "--skew", paramLabel = "TICKS", description = "election: max clock skew from real time (default 1; 2 exceeds the safe bound)")
    Integer skew;

    @Option(names = "--max-latency", paramLabel = "TICKS", description = "election: how long a write's outcome may take to reach"
            + " its writer after the Lease was written (default 0; 2 breaks AtMostOneLeader at the default timing)")
    Integer maxLatency;

    @Option(names = "--max-time", paramLabel = "TICKS", description = "election: time horizon (default 24)")
    Integer maxTime;

    @Option(names = "--max-ticks", paramLabel = "N", description = "raft: timer events (election timeouts, heartbeats) allowed (default 3)")
    Integer maxTicks;

    @Option(names = "--max-term", paramLabel = "N", description = "raft: bound on terms (bootstrap term is 1; default 3)")
    Integer maxTerm;

    @Option(names = "--max-log", paramLabel = "N", description = "raft: bound on the last log index (bootstrap entry is 1; default 3)")
    Integer maxLog;

    @Option(names = "--max-messages", paramLabel = "N", description = "raft: bound on messages in flight (default 3)")
    Integer maxMessages;

    @Option(names = "--max-restarts", paramLabel = "N", description = "raft: crash/restarts allowed (default 1)")
    Integer maxRestarts;

    @Option(names = "--max-drops", paramLabel = "N", description = "raft: message drops allowed (default 1)")
    Integer maxDrops;

    @Option(names = "--max-duplicates", paramLabel = "N", description = "raft: message duplications allowed (default 1)")
    Integer maxDuplicates;

    @Option(names = "--max-compactions", paramLabel = "N", description = "raft: log compactions (snapshot + truncate) allowed (default 1)")
    Integer maxCompactions;

    @Option(names = "--no-symmetry", description = "raft: no symmetry reduction over node ids (the unreduced search)")
    boolean noSymmetry;

    @Option(names = "--no-prevote", description = "raft: the core without PreVote (LeaderNotDisrupted then fails)")
    boolean noPreVote;

    @Option(names = "--no-check-quorum", description = "raft: the core without CheckQuorum (LeaderNotDisrupted then fails)")
    boolean noCheckQuorum;

    @Option(names = "--proposals", paramLabel = "N", description = "raft: client proposals allowed (default 1)")
    Integer proposals;

    @Option(names = "--reads", paramLabel = "N", description = "raft: client read-index requests allowed (default 0)")
    Integer reads;

    @Option(names = "--max-states", paramLabel = "N", description = "Stop a search after N distinct states (default: unlimited)")
    long maxStates = Long.MAX_VALUE;

    @Option(names = "--mutation", paramLabel = "BUG",
            description = "Inject a known bug to see the checker catch it, e.g. election: RENEW_AFTER_DEADLINE,"
                    + " SKIP_RESOURCE_VERSION_CHECK, GIVE_UP_AFTER_FAILED_TRY, LEADER_SKIPS_RENEWAL (the last two: liveness only)")
    String mutation;

    @Option(names = "--trace-out", paramLabel = "FILE", description = "raft --simulate: write every event as NDJSON (Raft.tla vocabulary) to FILE")
    Path traceOut;

    @Option(names = "--tlc", description = "Run TLC on the TLA+ specs (requires TLA2TOOLS_JAR)")
    boolean tlc;

    @Option(names = "--deep", description = "--tlc: the raft and election models with their deep bounds (MCRaftDeep.cfg,"
            + " MCLeaseElectionDeep.cfg: hours, not minutes; see tla/README.md)")
    boolean deep;

    @Option(names = "--workers", paramLabel = "N", description = "--tlc: TLC worker threads (default: every processor)")
    Integer workers;

    @Option(names = "--simulate", description = "raft: run the seeded randomized simulation instead of the exhaustive search")
    boolean simulate;

    @Option(names = "--seeds", paramLabel = "N", description = "raft --simulate: number of seeds (default 100)")
    int seeds = 100;

    @Option(names = "--no-tlc", description = "all: run the explorer only, not TLC on the specs")
    boolean noTlc;

    @Option(names = "--quiet", description = "No progress lines")
    boolean quiet;

    private final PrintStream out;
    private final java.util.Map<String, ExplorationResult> explored = new java.util.LinkedHashMap<>();

    public CheckCommand() {
        this(System.out);
    }

    CheckCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (tlc) {
            if (target.equals("trace")) {
                return new io.kplane.check.trace.TlcTraceCommand(out, System.getenv(), quiet).run(traceFiles);
            }
            return tlcRunner(!quiet).run(target);
        }
        if (target.equals("trace")) {
            return new io.kplane.check.trace.TraceCommand(out).run(traceFiles);
        }
        if (!traceFiles.isEmpty()) {
            throw new IllegalArgumentException("only 'check trace' takes files; got " + traceFiles);
        }
        List<String> targets = target.equals("all") ? CheckTargets.ALL : List.of(target);
        int exit = 0;
        for (String t : targets) {
            int code = runTarget(t);
            exit = Math.max(exit, code);
        }
        if (target.equals("all") && !noTlc) {
            // The specs' own models, by TLC, beside the explorer's searches of the implementation.
            TlcRunner runner = tlcRunner(false);
            exit = Math.max(exit, runner.run("all"));
            new SideBySide(out).print(explored, runner.outcomes());
        }
        return exit;
    }

    private TlcRunner tlcRunner(boolean echo) {
        TlcRunner r = new TlcRunner(tlaDir(), System.getenv(), out, echo).deep(deep);
        return workers == null ? r : r.workers(workers);
    }

    private int runTarget(String t) throws Exception {
        return switch (t) {
            case "election" -> explore(new ElectionModel(electionConfig()), depth == null ? 500 : depth);
            case "watch" -> explore(new io.kplane.check.watch.WatchModel(watchConfig()), depth == null ? 200 : depth);
            case "raft" -> simulate && (core || traceOut != null) ? simulateRaft()
                    : simulate ? walkRaft() : exploreRaft();
            default -> CheckTargets.run(t, this);
        };
    }

    ElectionModel.Config electionConfig() {
        ElectionModel.Config c = ElectionModel.Config.defaults();
        if (nodes != null) {
            c = c.withCandidates(nodes);
        }
        if (skew != null) {
            c = c.withSkew(skew);
        }
        if (maxTime != null) {
            c = c.withMaxTime(maxTime);
        }
        if (maxLatency != null) {
            c = c.withMaxLatency(maxLatency);
        }
        if (mutation != null) {
            boolean known = false;
            for (ElectorMutation m : ElectorMutation.values()) {
                if (m.name().equals(mutation)) {
                    c = c.with(m);
                    known = true;
                }
            }
            for (ElectionModel.StoreMutation m : ElectionModel.StoreMutation.values()) {
                if (m.name().equals(mutation)) {
                    c = c.with(m);
                    known = true;
                }
            }
            if (!known) {
                throw new IllegalArgumentException("unknown election mutation " + mutation);
            }
        }
        return c;
    }

    /** The default presets when no bound is given (each must reach what it is for), else one search under the given bounds. */
    private int exploreRaft() {
        int maxDepth = depth == null ? 100 : depth;
        if (raftBoundsGiven()) {
            return explore(new io.kplane.check.raft.RaftModel(raftConfig()), maxDepth);
        }
        int exit = 0;
        for (io.kplane.check.raft.RaftPreset p : io.kplane.check.raft.RaftPreset.defaults()) {
            exit = Math.max(exit, explore(p.model(this::withRaftFlags), maxDepth));
            if (!explored.get(p.name()).passed()) {
                break; // a counterexample is the answer; the other searches would only delay it
            }
        }
        return exit;
    }

    private boolean raftBoundsGiven() {
        return nodes != null || maxTicks != null || maxTerm != null || maxLog != null || maxMessages != null
                || maxRestarts != null || maxDrops != null || maxDuplicates != null || maxCompactions != null
                || proposals != null || reads != null;
    }

    io.kplane.check.raft.RaftModel.Config raftConfig() {
        var c = io.kplane.check.raft.RaftModel.Config.defaults();
        if (nodes != null) {
            c = c.withNodes(nodes);
        }
        c = c.withBounds(maxTerm != null ? maxTerm : c.maxTerm(), maxLog != null ? maxLog : c.maxLogIndex(),
                maxMessages != null ? maxMessages : c.maxMessages(), maxRestarts != null ? maxRestarts : c.maxRestarts(),
                maxDrops != null ? maxDrops : c.maxDrops(), maxDuplicates != null ? maxDuplicates : c.maxDuplicates(),
                proposals != null ? proposals : c.maxProposals(), reads != null ? reads : c.maxReads());
        if (maxTicks != null) {
            c = c.withTicks(maxTicks);
        }
        if (maxCompactions != null) {
            c = c.withCompactions(maxCompactions);
        }
        return withRaftFlags(c);
    }

    /** The options that change what is searched, not how far: symmetry, PreVote/CheckQuorum, a mutation. */
    private io.kplane.check.raft.RaftModel.Config withRaftFlags(io.kplane.check.raft.RaftModel.Config c) {
        if (noSymmetry) {
            c = c.withSymmetry(false);
        }
        if (noPreVote || noCheckQuorum) {
            c = c.withFlags(!noPreVote, !noCheckQuorum);
        }
        if (mutation != null) {
            boolean known = false;
            for (io.kplane.raft.sim.Mutation m : io.kplane.raft.sim.Mutation.values()) {
                if (m.name().equals(mutation)) {
                    c = c.with(m);
                    known = true;
                }
            }
            for (io.kplane.check.raft.RaftModel.ShellMutation m : io.kplane.check.raft.RaftModel.ShellMutation.values()) {
                if (m.name().equals(mutation)) {
                    c = c.with(m);
                    known = true;
                }
            }
            if (!known) {
                throw new IllegalArgumentException("unknown raft mutation " + mutation);
            }
        }
        return c;
    }

    io.kplane.check.watch.WatchModel.Config watchConfig() {
        var c = io.kplane.check.watch.WatchModel.Config.defaults();
        if (nodes != null) {
            c = c.withWatchers(nodes);
        }
        if (mutation != null) {
            c = c.with(io.kplane.check.watch.WatchModel.Mutation.valueOf(mutation));
        }
        return c;
    }

    @Option(names = "--steps", paramLabel = "N", description = "raft --simulate: steps per seed (default 5000)")
    int steps = 5000;

    @Option(names = "--core", description = "raft --simulate: the core's own seeded simulation (raft.sim.Simulation) instead of a random walk over the explorer's model; implied by --trace-out")
    boolean core;

    @Option(names = "--seed", paramLabel = "N", description = "raft --simulate: seed of the random walk (default 1)")
    long seed = 1;

    /**
     * {@code check raft --simulate}: random walks over the explorer's model (TLC's -simulate) with 5
     * nodes and deep bounds by default, every invariant checked after every step.
     */
    private int walkRaft() {
        var c = raftConfig();
        if (nodes == null) {
            c = c.withNodes(5);
        }
        c = c.withSymmetry(false);   // a walk keeps no visited set: canonical fingerprints would only cost time
        if (maxTicks == null) {
            c = c.withTicks(12);
        }
        c = c.withBounds(maxTerm != null ? maxTerm : 8, maxLog != null ? maxLog : 8, maxMessages != null ? maxMessages : 12,
                maxRestarts != null ? maxRestarts : 3, maxDrops != null ? maxDrops : 6, maxDuplicates != null ? maxDuplicates : 3,
                proposals != null ? proposals : 4, reads != null ? reads : 1);
        var model = new io.kplane.check.raft.RaftModel(c);
        new ResultPrinter(out).header("raft --simulate (random walk, seed " + seed + ")", model.describeBounds());
        RandomWalk.Result r = new RandomWalk<>(model, seed).run(seeds, steps, quiet ? null
                : (w, st) -> System.err.printf(java.util.Locale.ROOT, "  [raft-walk] progress: walk %,d/%,d, %,d steps%n", w, seeds, st));
        out.printf(java.util.Locale.ROOT, "  walks            : %,d (up to %,d steps each), %,d steps, deepest %d%n", r.walks(), steps, r.steps(), r.deepest());
        out.printf(java.util.Locale.ROOT, "  elapsed          : %.2f s (%,.0f steps/s)%n", r.seconds(), r.steps() / Math.max(r.seconds(), 1e-9));
        if (r.passed()) {
            out.println("  result           : every invariant held after every step of every walk");
            return 0;
        }
        out.println("  VIOLATED " + r.violated() + " in walk " + r.walks() + " (reproduce: --seed " + seed + "):");
        for (int k = 0; k < r.trace().size(); k++) {
            out.println("  " + (k + 1) + ". " + r.trace().get(k).replace("\n", "\n       "));
        }
        return 1;
    }

    private int simulateRaft() throws Exception {
        new ResultPrinter(out).header("raft --simulate", "seeded randomized simulation of the real core");
        io.kplane.check.raft.SimulationRunner runner = new io.kplane.check.raft.SimulationRunner(out);
        if (mutation != null) {
            runner.withMutation(io.kplane.raft.sim.Mutation.valueOf(mutation));
        }
        return runner.run(nodes == null ? 3 : nodes, seeds, steps, traceOut);
    }

    /** Runs one search with progress and prints its result. Returns 0 if every invariant holds. */
    <S> int explore(Model<S> model, int maxDepth) {
        ResultPrinter printer = new ResultPrinter(out);
        printer.header(model.name(), model.describeBounds());
        Explorer.Progress progress = quiet ? null
                : (s, frontier) -> {
                    System.err.println(ResultPrinter.progressLine(model.name(), s, frontier));
                    System.err.flush();
                };
        ExplorationResult r = new Explorer<>(model, maxDepth, maxStates, progress, 2_000_000_000L).run();
        printer.result(r);
        explored.put(model.name(), r);
        return r.ok() ? 0 : 1;
    }

    PrintStream out() {
        return out;
    }

    /** The tla/ directory of this checkout (kplane.home/tla, or the working directory). */
    public static Path tlaDirectory() {
        return tlaDir();
    }

    static Path tlaDir() {
        String home = System.getProperty("kplane.home");
        List<Path> candidates = new ArrayList<>();
        if (home != null) {
            candidates.add(Path.of(home, "tla"));
        }
        candidates.add(Path.of("tla"));
        candidates.add(Path.of(""));
        for (Path p : candidates) {
            if (Files.exists(p.resolve("Raft.tla"))) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("cannot find the tla/ directory (set -Dkplane.home)");
    }
}
