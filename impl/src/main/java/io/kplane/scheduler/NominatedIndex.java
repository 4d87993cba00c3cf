package io.kplane.scheduler;

import java.util.Arrays;
import java.util.List;

/**
 * The queue's nominated pods summed per snapshot position: count, requests and lowest priority.
 * For a pod whose priority is at most that lowest priority and that is not itself nominated to the
 * node, every nominated pod there counts in {@code RunFilterPluginsWithNominatedPods}' second
 * pass, so the sums are the ones that pass would build; other cases read the list. Kept in step
 * through the queue's nomination log (work per change, not per node) and rebuilt when the
 * snapshot's node order or the log starts over. Single reader per instance.
 */
public final class NominatedIndex {

    private long snapshotEpoch = -1;
    private long logEpoch = -1;
    private int cursor;
    private int[] count = new int[0];
    private int[] lowestPriority = new int[0];
    private long[] milliCpu = new long[0];
    private long[] memory = new long[0];
    private long[] ephemeral = new long[0];

    /** Brings the sums up to date with {@code snapshot}'s positions and {@code queue}'s nominations. */
    public void refresh(Snapshot snapshot, SchedulingQueue queue) {
        int n = snapshot.size();
        if (snapshot.epoch() != snapshotEpoch || queue.nominationLogEpoch() != logEpoch || count.length != n) {
            snapshotEpoch = snapshot.epoch();
            logEpoch = queue.nominationLogEpoch();
            if (count.length != n) {
                count = new int[n];
                lowestPriority = new int[n];
                milliCpu = new long[n];
                memory = new long[n];
                ephemeral = new long[n];
            } else {
                Arrays.fill(count, 0);
            }
            for (String node : queue.nominatedNodes()) {
                update(snapshot.indexOf(node), queue.nominatedPods(node));
            }
            cursor = queue.nominationLogSize();
            return;
        }
        int end = queue.nominationLogSize();
        for (; cursor < end; cursor++) {
            String node = queue.nominationLogEntry(cursor);
            update(snapshot.indexOf(node), queue.nominatedPods(node));
        }
    }

    private void update(int position, List<PodInfo> pods) {
        if (position < 0) {
            return;
        }
        int lowest = Integer.MAX_VALUE;
        long cpu = 0;
        long mem = 0;
        long eph = 0;
        for (int i = 0; i < pods.size(); i++) {
            PodInfo p = pods.get(i);
            Resources r = p.requests();
            lowest = Math.min(lowest, p.priority());
            cpu += r.milliCpu();
            mem += r.memory();
            eph += r.ephemeralStorage();
        }
        count[position] = pods.size();
        lowestPriority[position] = lowest;
        milliCpu[position] = cpu;
        memory[position] = mem;
        ephemeral[position] = eph;
    }

    /** Pods nominated to the node at {@code position}. */
    public int count(int position) {
        return count[position];
    }

    /**
     * True when every pod nominated at {@code position} counts for a pod of {@code priority} that is
     * not nominated there itself: none has a lower priority.
     */
    public boolean allCount(int position, int priority) {
        return priority <= lowestPriority[position];
    }

    public long milliCpu(int position) {
        return milliCpu[position];
    }

    public long memory(int position) {
        return memory[position];
    }

    public long ephemeral(int position) {
        return ephemeral[position];
    }
}
