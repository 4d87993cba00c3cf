package io.kplane.check;

import java.util.List;

/**
 * A finite-state world the {@link Explorer} searches: initial states, the successor relation
 * (each successor labelled with the action that produced it), a canonical 64-bit fingerprint,
 * the invariants to check and the bounds that keep the space finite.
 *
 * <p>States must be treated as immutable once handed to the explorer: {@link #successors}
 * copies before it changes anything.
 *
 * @param <S> the state type
 */
public interface Model<S> {

    /** Short name, e.g. "raft". */
    String name();

    /** Human-readable description of the constants and bounds in force. */
    String describeBounds();

    List<S> initialStates();

    /** Emits every successor of {@code state}. Must be deterministic (same order every call). */
    void successors(S state, Successors<S> out);

    /**
     * A 64-bit hash of the canonical form of {@code state}. States that are equal up to the
     * model's symmetry (if it has one) must get the same fingerprint.
     */
    long fingerprint(S state);

    /** States outside the bounds are checked but not expanded (like TLC's CONSTRAINT). */
    boolean withinBounds(S state);

    /** State invariants, named as in the TLA+ spec. */
    List<Invariant<S>> invariants();

    /** Properties of single steps (e.g. LeaderAppendOnly), named as in the TLA+ spec. */
    default List<ActionProperty<S>> actionProperties() {
        return List.of();
    }

    /** Behaviours every search of this model must reach (see {@link RequiredBehaviour}). */
    default List<RequiredBehaviour<S>> requiredBehaviours() {
        return List.of();
    }

    /**
     * The kind of an action label, for the per-action counts of a search: by default the label up
     * to its first '(' or space ("Deliver 1->2 VOTE" and "Tick(n1)" count as Deliver and Tick),
     * after a short actor prefix such as "w1: " or "a: " (what happened counts, not who did it).
     */
    default String actionKind(String action) {
        int colon = action.indexOf(": ");
        int from = colon >= 1 && colon <= 3 ? colon + 2 : 0;
        for (int i = from; i < action.length(); i++) {
            char c = action.charAt(i);
            if (c == '(' || c == ' ' || c == ':') {
                return action.substring(from, i);
            }
        }
        return action.substring(from);
    }

    /** A readable, multi-line rendering of a state for counterexample traces. */
    String describe(S state);

    /** Receives successors. */
    @FunctionalInterface
    interface Successors<S> {
        void add(String action, S next);
    }
}
