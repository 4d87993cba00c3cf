package io.kplane.check.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Linearizability checking with the Wing–Gong–Lowe algorithm (Lowe, "Testing for
 * linearizability", 2017) and P-compositionality (Horn and Kroening, 2015), the approach of
 * Porcupine: the history is split into independent parts (here: one per key, since the registers
 * share nothing), and each part is searched for a linearization by depth-first search over a
 * doubly linked list of call and return entries in time order, with a cache of
 * (set of linearized operations, model state) pairs already explored.
 *
 * <p>Operations that {@link Operation.Outcome#FAIL failed} are dropped; operations with unknown
 * outcome ({@link Operation.Outcome#INFO}) never return, so they may be linearized anywhere after
 * their invocation — including after everything else, which is the same as never happening.
 */
public final class Linearizability {

    private Linearizability() {
    }

    /** The verdict for one part of a history. */
    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    /**
     * The result for one part (key).
     *
     * @param operations   operations checked (failed ones excluded)
     * @param linearization for NOT_LINEARIZABLE: the longest linearizable prefix found, in order
     * @param stuck        for NOT_LINEARIZABLE: the operation that could be linearized after no such prefix
     * @param concurrent   for NOT_LINEARIZABLE: the operations that overlap {@code stuck}
     */
    public record PartResult(String part, Verdict verdict, int operations, List<Operation> linearization,
                             Operation stuck, List<Operation> concurrent) {

        /** A readable excerpt of the history around the violation. */
        public String excerpt() {
            if (verdict != Verdict.NOT_LINEARIZABLE) {
                return part + ": " + verdict;
            }
            StringBuilder b = new StringBuilder();
            b.append(part).append(": not linearizable (").append(operations).append(" operations)\n");
            int from = Math.max(0, linearization.size() - 8);
            b.append("  longest linearizable prefix, last ").append(linearization.size() - from).append(" of ")
                    .append(linearization.size()).append(":\n");
            for (Operation op : linearization.subList(from, linearization.size())) {
                b.append("    ").append(op).append('\n');
            }
            b.append("  no order places next: ").append(stuck).append('\n');
            b.append("  operations concurrent with it:\n");
            for (Operation op : concurrent) {
                b.append("    ").append(op).append('\n');
            }
            return b.toString();
        }
    }

    /** The result of a whole history: one {@link PartResult} per part. */
    public record Result(List<PartResult> parts) {
        public boolean linearizable() {
            return parts.stream().allMatch(p -> p.verdict() == Verdict.LINEARIZABLE);
        }

        public List<PartResult> violations() {
            return parts.stream().filter(p -> p.verdict() == Verdict.NOT_LINEARIZABLE).toList();
        }

        public List<PartResult> unknown() {
            return parts.stream().filter(p -> p.verdict() == Verdict.UNKNOWN).toList();
        }
    }

    /** Checks every key's operations against {@code model}; each key gets {@code budgetNanos} of search. */
    public static <S> Result checkPerKey(List<Operation> history, SequentialModel<S> model, long budgetNanos) {
        return check(history, Operation::key, model, budgetNanos);
    }

    /** P-compositional check: partitions {@code history} with {@code partition} and checks each part alone. */
    public static <S> Result check(List<Operation> history, Function<Operation, String> partition,
                                   SequentialModel<S> model, long budgetNanos) {
        Map<String, List<Operation>> parts = new LinkedHashMap<>();
        for (Operation op : history) {
            parts.computeIfAbsent(partition.apply(op), k -> new ArrayList<>()).add(op);
        }
        List<PartResult> results = new ArrayList<>();
        parts.keySet().stream().sorted().forEach(part ->
                results.add(checkPart(part, parts.get(part), model, System.nanoTime() + budgetNanos)));
        return new Result(results);
    }

    /** One entry of the time-ordered list: the call or the return of an operation. */
    private static final class Entry {
        final int op;
        final boolean call;
        Entry match; // the call's return entry
        Entry prev;
        Entry next;

        Entry(int op, boolean call) {
            this.op = op;
            this.call = call;
        }
    }

    private record Cached<S>(BitSet linearized, S state) {
    }

    private record Frame<S>(Entry call, S stateBefore) {
    }

    /** WGL search over one part, which must be a sequential object for {@code model}. */
    public static <S> PartResult checkPart(String part, List<Operation> all, SequentialModel<S> model, long deadlineNanos) {
        List<Operation> ops = all.stream().filter(o -> o.outcome() != Operation.Outcome.FAIL).toList();
        int n = ops.size();
        List<Entry> entries = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            Entry call = new Entry(i, true);
            Entry ret = new Entry(i, false);
            call.match = ret;
            entries.add(call);
            entries.add(ret);
        }
        // time order; at equal times calls first, so that touching operations count as concurrent
        entries.sort(Comparator.<Entry>comparingLong(e -> e.call ? ops.get(e.op).invokeNanos() : ops.get(e.op).completeNanos())
                .thenComparing(e -> e.call ? 0 : 1));
        Entry head = new Entry(-1, false);
        Entry last = head;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }

        Set<Cached<S>> cache = new HashSet<>();
        Deque<Frame<S>> stack = new ArrayDeque<>();
        BitSet linearized = new BitSet(n);
        S state = model.initial();
        Entry entry = head.next;
        List<Integer> best = List.of();
        Entry bestStuck = null;
        long steps = 0;
        while (head.next != null) {
            if ((++steps & 0xFFF) == 0 && System.nanoTime() > deadlineNanos) {
                return new PartResult(part, Verdict.UNKNOWN, n, List.of(), null, List.of());
            }
            if (entry.call) {
                S next = model.step(state, ops.get(entry.op));
                if (next != null) {
                    BitSet with = (BitSet) linearized.clone();
                    with.set(entry.op);
                    if (cache.add(new Cached<>(with, next))) {
                        stack.push(new Frame<>(entry, state));
                        state = next;
                        linearized.set(entry.op);
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                // a return reached before its call was linearized: backtrack
                if (bestStuck == null || stack.size() > best.size()) {
                    best = stack.stream().map(f -> f.call().op).toList();
                    bestStuck = entry;
                }
                if (stack.isEmpty()) {
                    return violation(part, ops, best, bestStuck);
                }
                Frame<S> top = stack.pop();
                state = top.stateBefore();
                linearized.clear(top.call().op);
                unlift(top.call());
                entry = top.call().next;
            }
        }
        return new PartResult(part, Verdict.LINEARIZABLE, n, List.of(), null, List.of());
    }

    private static PartResult violation(String part, List<Operation> ops, List<Integer> bestReversed, Entry stuckEntry) {
        List<Operation> order = new ArrayList<>();
        for (int i = bestReversed.size() - 1; i >= 0; i--) { // the stack lists the newest frame first
            order.add(ops.get(bestReversed.get(i)));
        }
        Operation stuck = ops.get(stuckEntry.op);
        List<Operation> concurrent = ops.stream()
                .filter(o -> o != stuck && o.invokeNanos() <= stuck.completeNanos() && o.completeNanos() >= stuck.invokeNanos())
                .sorted(Comparator.comparingLong(Operation::invokeNanos))
                .limit(20)
                .toList();
        return new PartResult(part, Verdict.NOT_LINEARIZABLE, ops.size(), order, stuck, concurrent);
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        if (call.next != null) {
            call.next.prev = call.prev;
        }
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        if (call.next != null) {
            call.next.prev = call;
        }
    }
}
