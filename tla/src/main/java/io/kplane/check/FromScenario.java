package io.kplane.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A model whose search starts where a given sequence of its own actions leads, instead of at its
 * initial states (TLC users do the same by constraining {@code Init}).
 *
 * <p>Some bugs only show after a long, specific prefix — e.g. a follower that skips the log
 * matching check is harmless until three leaders in three terms have left it with a diverging
 * entry — and a breadth-first search from {@code Init} reaches that depth only with bounds far
 * beyond a unit test's budget. Replaying the prefix with the model's own successor relation keeps
 * the start state reachable (each step must be an action the model offers in that state), and the
 * search from there is still exhaustive within its bounds.
 */
public final class FromScenario<S> implements Model<S> {
    private final Model<S> model;
    private final List<String> prefix;
    private final S start;

    /**
     * @param model  the model (its bounds must admit the prefix)
     * @param prefix actions to replay from the model's first initial state; each entry selects the
     *               first offered action whose label starts with it
     * @throws IllegalArgumentException naming the offered actions when a step is not offered
     */
    public FromScenario(Model<S> model, List<String> prefix) {
        this.model = model;
        this.prefix = List.copyOf(prefix);
        S state = model.initialStates().get(0);
        for (int k = 0; k < prefix.size(); k++) {
            String want = prefix.get(k);
            List<String> offered = new ArrayList<>();
            Object[] hit = {null};
            model.successors(state, (action, next) -> {
                offered.add(action);
                if (hit[0] == null && action.startsWith(want)) {
                    hit[0] = next;
                }
            });
            if (hit[0] == null) {
                throw new IllegalArgumentException("scenario step " + (k + 1) + " \"" + want + "\" is not offered in\n"
                        + model.describe(state) + "\noffered: " + offered);
            }
            @SuppressWarnings("unchecked") S next = (S) hit[0];
            state = next;
        }
        this.start = state;
    }

    @Override public String name() { return model.name(); }

    @Override
    public String describeBounds() {
        return model.describeBounds() + ", starting after the " + prefix.size() + "-step scenario " + prefix;
    }

    @Override public List<S> initialStates() { return List.of(start); }
    @Override public void successors(S state, Successors<S> out) { model.successors(state, out); }
    @Override public long fingerprint(S state) { return model.fingerprint(state); }
    @Override public boolean withinBounds(S state) { return model.withinBounds(state); }
    @Override public List<Invariant<S>> invariants() { return model.invariants(); }
    @Override public List<ActionProperty<S>> actionProperties() { return model.actionProperties(); }
    @Override public String describe(S state) { return model.describe(state); }
    @Override public List<RequiredBehaviour<S>> requiredBehaviours() { return model.requiredBehaviours(); }
    @Override public String actionKind(String action) { return model.actionKind(action); }
}
