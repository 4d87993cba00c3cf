package io.kplane.scheduler.plugins;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts per topology pair (key, value), as upstream's {@code topologyToMatchedTermCount}: entries
 * that drop to zero are removed, so {@link #isEmpty} means "no pair has a count".
 */
final class TopologyCounts {

    private final HashMap<String, HashMap<String, long[]>> byKey;
    private int entries;

    TopologyCounts() {
        byKey = new HashMap<>(4);
    }

    private TopologyCounts(TopologyCounts o) {
        byKey = new HashMap<>(o.byKey.size() * 2);
        for (Map.Entry<String, HashMap<String, long[]>> e : o.byKey.entrySet()) {
            HashMap<String, long[]> m = new HashMap<>(e.getValue().size() * 2);
            for (Map.Entry<String, long[]> v : e.getValue().entrySet()) {
                m.put(v.getKey(), new long[] {v.getValue()[0]});
            }
            byKey.put(e.getKey(), m);
        }
        entries = o.entries;
    }

    TopologyCounts copy() {
        return new TopologyCounts(this);
    }

    void add(String key, String value, long delta) {
        HashMap<String, long[]> m = byKey.computeIfAbsent(key, k -> new HashMap<>());
        long[] c = m.get(value);
        if (c == null) {
            if (delta == 0) {
                return;
            }
            m.put(value, new long[] {delta});
            entries++;
            return;
        }
        c[0] += delta;
        if (c[0] == 0) {
            m.remove(value);
            entries--;
        }
    }

    long get(String key, String value) {
        HashMap<String, long[]> m = byKey.get(key);
        if (m == null) {
            return 0;
        }
        long[] c = m.get(value);
        return c == null ? 0 : c[0];
    }

    boolean isEmpty() {
        return entries == 0;
    }

    /** Sum over the keys of the count at the node's value for that key. */
    long sumFor(Map<String, String> nodeLabels) {
        long s = 0;
        for (Map.Entry<String, HashMap<String, long[]>> e : byKey.entrySet()) {
            String v = nodeLabels.get(e.getKey());
            if (v != null) {
                long[] c = e.getValue().get(v);
                if (c != null) {
                    s += c[0];
                }
            }
        }
        return s;
    }

    /** True if some pair with a positive count matches the node's labels. */
    boolean anyPositiveFor(Map<String, String> nodeLabels) {
        for (Map.Entry<String, HashMap<String, long[]>> e : byKey.entrySet()) {
            String v = nodeLabels.get(e.getKey());
            if (v != null) {
                long[] c = e.getValue().get(v);
                if (c != null && c[0] > 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
