package io.kplane.check.torture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.kplane.check.history.Anomaly;
import io.kplane.check.history.CasRegister;
import io.kplane.check.history.HistoryChecks;
import io.kplane.check.history.Linearizability;
import io.kplane.check.history.Operation;
import io.kplane.check.history.WatchEvent;
import io.kplane.check.history.WatchStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One torture run, inside the sandbox: build the member namespaces and disks, start the members,
 * run clients, watchers and the nemesis for the duration, heal, let everything catch up, read the
 * final state and every event since the start (the reference), check, report.
 */
final class TortureRun implements Callable<Integer> {
    private static final String PREFIX = "/torture/";
    private static final long LINEARIZABILITY_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Target target;
    private final int size;
    private final Duration duration;
    private final int clients;
    private final int watcherCount;
    private final int keyCount;
    private final List<Fault> faults;
    private final long seed;
    private final Path dir;
    private final PrintWriter out;
    private final PrintWriter err;
    private final long t0 = System.nanoTime();
    private boolean injectAnomaly;

    TortureRun(Target target, int size, Duration duration, int clients, int watchers, int keys, List<Fault> faults,
               long seed, Path dir, PrintWriter out, PrintWriter err) {
        this.target = target;
        this.size = size;
        this.duration = duration;
        this.clients = clients;
        this.watcherCount = watchers;
        this.keyCount = keys;
        this.faults = faults;
        this.seed = seed;
        this.dir = dir;
        this.out = out;
        this.err = err;
    }

    /** Adds one acknowledged write that was never sent to the history: the checks must report it. */
    TortureRun injectAnomaly(boolean inject) {
        this.injectAnomaly = inject;
        return this;
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        progress("%s, %d members, %s, %d clients, %d watchers, %d keys, faults %s, seed %d, output in %s",
                target.name().toLowerCase(Locale.ROOT), size, duration, clients, watcherCount, keyCount,
                faults.stream().map(f -> f.cliName).toList(), seed, dir);
        Sandbox sandbox = Sandbox.create(size);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "torture-timer");
            t.setDaemon(true);
            return t;
        });
        try (Members members = new Members(sandbox, target, size, dir)) {
            members.startAll();
            awaitAllAnswer(members, Duration.ofSeconds(120));
            progress("members up: %s", members.pids());
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < keyCount; i++) {
                keys.add(PREFIX + "k" + i);
            }
            long startRevision = currentRevision(members) + 1;

            Workload workload = new Workload(members, keys, clients, seed);
            List<Watcher> watchers = new ArrayList<>();
            for (int w = 0; w < watcherCount; w++) {
                watchers.add(new Watcher(w, members, PREFIX, startRevision, timer));
            }
            long runStart = System.nanoTime();
            Nemesis nemesis = new Nemesis(members, sandbox, faults, seed ^ 0x5DEECE66DL, () -> System.nanoTime() - runStart);
            watchers.forEach(Watcher::start);
            workload.start();
            Thread nemesisThread = new Thread(nemesis::run, "torture-nemesis");
            nemesisThread.start();
            long end = runStart + duration.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(2000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                progress("%4.0fs/%ds  ops ok %d fail %d info %d  faults %d  now: %s",
                        (System.nanoTime() - runStart) / 1e9, duration.toSeconds(), workload.ok.get(), workload.failed.get(),
                        workload.unknown.get(), nemesis.injected().size(), nemesis.current());
            }
            nemesis.stop();
            nemesisThread.join();
            workload.stop();
            progress("faults healed; waiting for every member to answer");
            awaitAllAnswer(members, Duration.ofSeconds(120));

            List<Operation> history = new ArrayList<>(workload.history());
            if (injectAnomaly) {
                // the harness's self-test: an acknowledgement no store ever gave, before the final reads
                long t = System.nanoTime();
                history.add(Operation.write(999, keys.get(0), "acknowledged-but-never-sent", Operation.Outcome.OK,
                        Long.MAX_VALUE / 2, t, t + 1));
            }
            history.addAll(finalReads(members, keys));
            long finalRevision = currentRevision(members);
            progress("final revision %d; waiting for the watchers to catch up", finalRevision);
            boolean caughtUp = awaitWatchers(watchers, finalRevision, members);
            watchers.forEach(Watcher::close);

            Watcher reference = new Watcher(-1, members, PREFIX, startRevision, timer);
            reference.start();
            boolean referenceComplete = awaitWatchers(List.of(reference), finalRevision, members);
            reference.close();
            List<WatchEvent> referenceEvents = reference.stream().events();

            progress("checking %d operations, %d watch events", history.size(),
                    watchers.stream().mapToInt(w -> w.stream().events().size()).sum());
            Linearizability.Result lin = Linearizability.checkPerKey(history, new CasRegister(), LINEARIZABILITY_BUDGET_NANOS);
            List<WatchStream> streams = watchers.stream().map(Watcher::stream).toList();
            List<Anomaly> anomalies = new ArrayList<>(HistoryChecks.check(history, referenceEvents, streams));
            for (Linearizability.PartResult v : lin.violations()) {
                anomalies.add(new Anomaly("not-linearizable", v.excerpt()));
            }
            if (!referenceComplete) {
                anomalies.add(new Anomaly("reference-incomplete", "a watch from revision " + startRevision
                        + " did not deliver events up to the final revision " + finalRevision + " (last: "
                        + reference.lastRevision() + ")"));
            }
            writeHistory(history);
            Map<String, Object> result = report(members, history, nemesis, lin, anomalies, watchers, caughtUp,
                    referenceEvents.size(), startRevision, finalRevision);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(dir.resolve("result.json").toFile(), result);
            out.println(json.writeValueAsString(result));
            for (Anomaly a : anomalies) {
                out.println("ANOMALY " + a.kind() + ": " + a.detail());
            }
            out.printf("torture store %s: %d operations, %d faults, %d anomalies%s -> %s%n",
                    target.name().toLowerCase(Locale.ROOT), history.size(), nemesis.injected().size(), anomalies.size(),
                    lin.unknown().isEmpty() ? "" : ", " + lin.unknown().size() + " keys not verified (search budget)",
                    dir.resolve("result.json"));
            out.flush();
            return anomalies.isEmpty() && lin.unknown().isEmpty() ? 0 : 1;
        } finally {
            timer.shutdownNow();
        }
    }

    private void progress(String format, Object... args) {
        err.printf("torture: " + format + "%n", args);
        err.flush();
    }

    /** Every member answers a linearizable read (so a leader exists and every member is in the cluster). */
    private static void awaitAllAnswer(Members members, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i : members.ids()) {
            while (true) {
                try {
                    KVGrpc.newBlockingStub(members.channel(i)).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(PREFIX + "ready")).build());
                    break;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(members.target().memberName(i) + " does not answer within "
                                + timeout.toSeconds() + " s: " + e.getMessage() + members.exitCode(i)
                                .map(c -> " (exited " + c + ")").orElse(""));
                    }
                    members.resetBackoff();
                    Thread.sleep(200);
                }
            }
        }
    }

    /** The highest revision any member reports; a member still catching up after a heal gets retries. */
    private static long currentRevision(Members members) throws InterruptedException {
        long rev = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i : members.ids()) {
            while (true) {
                try {
                    rev = Math.max(rev, KVGrpc.newBlockingStub(members.channel(i)).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(PREFIX + "ready")).build())
                            .getHeader().getRevision());
                    break;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(members.target().memberName(i)
                                + " does not report its revision within 60 s: " + e.getMessage(), e);
                    }
                    members.resetBackoff();
                    Thread.sleep(200);
                }
            }
        }
        return rev;
    }

    /** One successful linearizable read of every key through every member, all part of the history. */
    private static List<Operation> finalReads(Members members, List<String> keys) throws InterruptedException {
        List<Operation> reads = new ArrayList<>();
        int process = 1000;
        for (int i : members.ids()) {
            process++;
            for (String key : keys) {
                for (int attempt = 0; ; attempt++) {
                    Operation op = Workload.read(KVGrpc.newBlockingStub(members.channel(i))
                            .withDeadlineAfter(5, TimeUnit.SECONDS), process, key);
                    reads.add(op);
                    if (op.outcome() == Operation.Outcome.OK || attempt > 20) {
                        break;
                    }
                    Thread.sleep(200);
                }
            }
        }
        return reads;
    }

    private static boolean awaitWatchers(List<Watcher> watchers, long finalRevision, Members members) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(30);
        boolean nudged = false;
        while (System.nanoTime() < deadline) {
            if (watchers.stream().allMatch(w -> w.lastRevision() >= finalRevision)) {
                return true;
            }
            if (!nudged && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(10)) {
                // a stream may sit on a member that was cut off and never learned of the rest: move it
                watchers.stream().filter(w -> w.lastRevision() < finalRevision).forEach(Watcher::reconnect);
                members.resetBackoff();
                nudged = true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private void writeHistory(List<Operation> history) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("history.jsonl"))) {
            for (Operation op : history.stream().sorted(Comparator.comparingLong(Operation::invokeNanos)).toList()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("process", op.process());
                m.put("type", op.kind().name().toLowerCase(Locale.ROOT));
                m.put("key", op.key());
                m.put("value", op.value());
                if (op.kind() == Operation.Kind.CAS) {
                    m.put("expected", op.expected());
                    m.put("succeeded", op.succeeded());
                }
                m.put("outcome", op.outcome().name().toLowerCase(Locale.ROOT));
                if (op.error() != null) {
                    m.put("error", op.error());
                }
                m.put("revision", op.revision());
                m.put("invoke_ms", (op.invokeNanos() - t0) / 1e6);
                m.put("complete_ms", op.completeNanos() == Long.MAX_VALUE ? null : (op.completeNanos() - t0) / 1e6);
                w.write(json.writeValueAsString(m));
                w.newLine();
            }
        }
    }

    private Map<String, Object> report(Members members, List<Operation> history, Nemesis nemesis, Linearizability.Result lin,
                                       List<Anomaly> anomalies, List<Watcher> watchers, boolean caughtUp,
                                       int referenceEvents, long startRevision, long finalRevision) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", target.name().toLowerCase(Locale.ROOT));
        r.put("members", size);
        r.put("duration_s", duration.toMillis() / 1000.0);
        r.put("seed", seed);
        r.put("finished", Instant.now().toString());
        r.put("sandbox", Sandbox.describe(size));
        Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("total", history.size());
        for (Operation.Outcome o : Operation.Outcome.values()) {
            ops.put(o.name().toLowerCase(Locale.ROOT), history.stream().filter(x -> x.outcome() == o).count());
        }
        for (Operation.Kind k : Operation.Kind.values()) {
            ops.put(k.name().toLowerCase(Locale.ROOT), history.stream().filter(x -> x.kind() == k).count());
        }
        ops.put("cas_succeeded", history.stream().filter(x -> x.kind() == Operation.Kind.CAS && x.acknowledgedWrite()).count());
        ops.put("acknowledged_writes", history.stream().filter(Operation::acknowledgedWrite).count());
        Map<String, Long> errors = new java.util.TreeMap<>();
        for (Operation x : history) {
            if (x.error() != null) {
                // one line per kind of error: gRPC's deadline message carries timings
                String e = x.error().replaceAll(" after [0-9.]+s\\..*", "").replaceAll("[0-9]{3,}", "N");
                e = e.length() > 120 ? e.substring(0, 120) : e;
                errors.merge(x.outcome().name().toLowerCase(Locale.ROOT) + " " + e, 1L, Long::sum);
            }
        }
        ops.put("errors", errors);
        r.put("operations", ops);
        List<Fault.Injected> injected = nemesis.injected();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Fault.Injected f : injected) {
            counts.merge(f.fault(), 1L, Long::sum);
        }
        r.put("faults", Map.of("count", injected.size(), "by_kind", counts, "log", injected));
        r.put("member_exits", nemesis.exits());
        r.put("anomalies", anomalies.size());
        r.put("anomaly_list", anomalies);
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("keys", lin.parts().size());
        l.put("linearizable", lin.parts().stream().filter(p -> p.verdict() == Linearizability.Verdict.LINEARIZABLE).count());
        l.put("violations", lin.violations().size());
        l.put("unknown", lin.unknown().size());
        r.put("linearizability", l);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("watchers", watchers.size());
        w.put("events", watchers.stream().mapToInt(x -> x.stream().events().size()).sum());
        w.put("reconnects", watchers.stream().mapToInt(x -> x.stream().reconnects()).sum());
        w.put("caught_up", caughtUp);
        w.put("reference_events", referenceEvents);
        w.put("start_revision", startRevision);
        w.put("final_revision", finalRevision);
        w.put("notes", watchers.stream().flatMap(x -> x.notes().stream()).toList());
        r.put("watch", w);
        Map<String, Object> lat = new LinkedHashMap<>();
        for (Operation.Kind k : Operation.Kind.values()) {
            long[] ns = history.stream().filter(x -> x.kind() == k && x.outcome() == Operation.Outcome.OK && x.process() < 1000)
                    .mapToLong(x -> x.completeNanos() - x.invokeNanos()).sorted().toArray();
            if (ns.length > 0) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("count", ns.length);
                p.put("p50", ns[(int) (0.50 * (ns.length - 1))] / 1e6);
                p.put("p99", ns[(int) (0.99 * (ns.length - 1))] / 1e6);
                p.put("max", ns[ns.length - 1] / 1e6);
                lat.put(k.name().toLowerCase(Locale.ROOT), p);
            }
        }
        r.put("latency_ms", lat);
        return r;
    }
}
