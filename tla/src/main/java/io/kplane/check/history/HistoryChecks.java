package io.kplane.check.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The checks besides linearizability that a store's history under faults must pass, judged
 * against a <em>reference</em> stream: every event of the store from the run's start revision,
 * read after the faults healed.
 *
 * <ul>
 *   <li>{@code reference-order}: the reference's revisions never go back and no (revision, key) repeats;</li>
 *   <li>{@code lost-write}: every acknowledged write is in the reference, at the revision it was
 *       acknowledged with and with its value;</li>
 *   <li>{@code phantom-write} / {@code duplicate-write}: every value in the reference was written by
 *       some invoked operation on that key, once (clients write unique values);</li>
 *   <li>{@code revision-order}: an acknowledged write that completed before another was invoked has
 *       the smaller revision (revisions are one global order);</li>
 *   <li>{@code watch-gap} / {@code watch-duplicate} / {@code watch-order} / {@code watch-mismatch}:
 *       each watch stream is exactly the reference's events from its start revision up to the last
 *       it received.</li>
 * </ul>
 */
public final class HistoryChecks {

    private HistoryChecks() {
    }

    public static List<Anomaly> check(List<Operation> history, List<WatchEvent> reference, List<WatchStream> streams) {
        List<Anomaly> anomalies = new ArrayList<>();
        checkReference(reference, anomalies);
        checkWrites(history, reference, anomalies);
        checkRevisionOrder(history, anomalies);
        for (WatchStream s : streams) {
            checkStream(s, reference, anomalies);
        }
        return anomalies;
    }

    static void checkReference(List<WatchEvent> reference, List<Anomaly> out) {
        Set<String> seen = new HashSet<>();
        long prev = Long.MIN_VALUE;
        for (WatchEvent e : reference) {
            if (e.revision() < prev) {
                out.add(new Anomaly("reference-order", "revision goes back: " + e + " after revision " + prev));
            }
            if (!seen.add(e.revision() + "/" + e.key())) {
                out.add(new Anomaly("reference-order", "repeated: " + e));
            }
            prev = Math.max(prev, e.revision());
        }
    }

    static void checkWrites(List<Operation> history, List<WatchEvent> reference, List<Anomaly> out) {
        Map<String, WatchEvent> byRevisionKey = new HashMap<>();
        Map<String, List<WatchEvent>> byValue = new HashMap<>();
        for (WatchEvent e : reference) {
            byRevisionKey.put(e.revision() + "/" + e.key(), e);
            if (!e.delete()) {
                byValue.computeIfAbsent(e.key() + "=" + e.value(), k -> new ArrayList<>()).add(e);
            }
        }
        Set<String> invoked = new HashSet<>();
        for (Operation op : history) {
            if (op.mayWrite()) {
                invoked.add(op.key() + "=" + op.value());
            }
            if (!op.acknowledgedWrite()) {
                continue;
            }
            WatchEvent at = byRevisionKey.get(op.revision() + "/" + op.key());
            if (at == null || at.delete() || !Objects.equals(at.value(), op.value())) {
                List<WatchEvent> elsewhere = byValue.getOrDefault(op.key() + "=" + op.value(), List.of());
                out.add(new Anomaly("lost-write", "acknowledged " + op + " but the store's history has "
                        + (at == null ? "no event for " + op.key() + " at revision " + op.revision() : at)
                        + (elsewhere.isEmpty() ? " and the value nowhere" : "; the value at " + elsewhere)));
            }
        }
        for (Map.Entry<String, List<WatchEvent>> e : byValue.entrySet()) {
            if (!invoked.contains(e.getKey())) {
                out.add(new Anomaly("phantom-write", "no client wrote " + e.getKey() + " but the store has " + e.getValue()));
            } else if (e.getValue().size() > 1) {
                out.add(new Anomaly("duplicate-write", "written once, applied " + e.getValue().size() + " times: " + e.getValue()));
            }
        }
    }

    static void checkRevisionOrder(List<Operation> history, List<Anomaly> out) {
        List<Operation> acked = history.stream().filter(o -> o.acknowledgedWrite() && o.revision() > 0)
                .sorted(Comparator.comparingLong(Operation::invokeNanos)).toList();
        // sweep by invocation: the largest revision among writes completed before this invocation
        List<Operation> byCompletion = acked.stream().sorted(Comparator.comparingLong(Operation::completeNanos)).toList();
        int done = 0;
        Operation maxDone = null;
        for (Operation op : acked) {
            while (done < byCompletion.size() && byCompletion.get(done).completeNanos() < op.invokeNanos()) {
                Operation d = byCompletion.get(done++);
                if (maxDone == null || d.revision() > maxDone.revision()) {
                    maxDone = d;
                }
            }
            if (maxDone != null && maxDone.revision() >= op.revision()) {
                out.add(new Anomaly("revision-order", op + " was invoked after " + maxDone
                        + " completed, yet got revision " + op.revision() + " <= " + maxDone.revision()));
            }
        }
    }

    static void checkStream(WatchStream s, List<WatchEvent> reference, List<Anomaly> out) {
        List<WatchEvent> got = s.events();
        if (got.isEmpty()) {
            return;
        }
        long last = got.get(got.size() - 1).revision();
        List<WatchEvent> want = reference.stream()
                .filter(e -> e.revision() >= s.startRevision() && e.revision() <= last).toList();
        String who = "watcher " + s.watcher() + " (from revision " + s.startRevision() + ", " + s.reconnects() + " reconnects)";
        int i = 0;
        for (; i < Math.min(got.size(), want.size()); i++) {
            WatchEvent g = got.get(i);
            WatchEvent w = want.get(i);
            if (g.equals(w)) {
                continue;
            }
            String kind;
            if (i > 0 && g.revision() < got.get(i - 1).revision()) {
                kind = "watch-order";
            } else if (got.subList(0, i).contains(g)) {
                kind = "watch-duplicate";
            } else if (g.revision() > w.revision()) {
                kind = "watch-gap";
            } else {
                kind = "watch-mismatch";
            }
            out.add(new Anomaly(kind, who + ": event " + i + " is " + g + ", expected " + w + context(got, i)));
            return;
        }
        if (got.size() != want.size()) {
            out.add(new Anomaly(got.size() > want.size() ? "watch-duplicate" : "watch-gap",
                    who + ": received " + got.size() + " events up to revision " + last + ", the store has "
                            + want.size() + " in that range" + context(got, i)));
        }
    }

    private static String context(List<WatchEvent> got, int i) {
        return "; received around it: " + got.subList(Math.max(0, i - 3), Math.min(got.size(), i + 3));
    }
}
