package io.kplane.scheduler;

/**
 * A topology spread constraint, resolved (matchLabelKeys merged into the selector). {@code
 * honorNodeAffinity} is nodeAffinityPolicy (default Honor), {@code honorNodeTaints} is
 * nodeTaintsPolicy (default Ignore).
 */
public record SpreadConstraint(int maxSkew, String topologyKey, boolean doNotSchedule, Selector selector,
        int minDomains, boolean honorNodeAffinity, boolean honorNodeTaints) {

    public static SpreadConstraint hard(int maxSkew, String topologyKey, Selector selector) {
        return new SpreadConstraint(maxSkew, topologyKey, true, selector, 1, true, false);
    }

    public static SpreadConstraint soft(int maxSkew, String topologyKey, Selector selector) {
        return new SpreadConstraint(maxSkew, topologyKey, false, selector, 1, true, false);
    }
}
