package io.kplane.proxy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a packet can go under a ruleset: every path through the random load-balancing choices,
 * with its probability.
 */
public record Trace(List<Outcome> outcomes) {

    /** What happens on one path. {@code endpoint} is the DNAT destination {@code ip:port}, or null if not DNATed. */
    public record Outcome(double probability, String endpoint, boolean masquerade, Verdict verdict) {
    }

    /** The final fate of the packet on a path. */
    public enum Verdict { ACCEPT, DROP, REJECT }

    /** Endpoints the packet can reach (accepted and DNATed), with their total probability. */
    public Map<String, Double> endpoints() {
        Map<String, Double> m = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (o.verdict == Verdict.ACCEPT && o.endpoint != null) {
                m.merge(o.endpoint, o.probability, Double::sum);
            }
        }
        return m;
    }

    public boolean rejected() {
        return !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.verdict == Verdict.REJECT);
    }

    public boolean dropped() {
        return !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.verdict == Verdict.DROP);
    }

    /** Accepted without being DNATed on every path (not a service address at all). */
    public boolean untouched() {
        return outcomes.stream().allMatch(o -> o.verdict == Verdict.ACCEPT && o.endpoint == null);
    }

    /** Masqueraded (SNAT) on every accepted path. */
    public boolean masqueraded() {
        return outcomes.stream().filter(o -> o.verdict == Verdict.ACCEPT).allMatch(Outcome::masquerade)
                && outcomes.stream().anyMatch(o -> o.verdict == Verdict.ACCEPT);
    }

    /** Masqueraded on no path. */
    public boolean notMasqueraded() {
        return outcomes.stream().noneMatch(Outcome::masquerade);
    }
}
