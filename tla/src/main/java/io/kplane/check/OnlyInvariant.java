package io.kplane.check;

import java.util.List;

/**
 * A model restricted to one named invariant or action property: used by mutation tests (and
 * {@code --only}) to show that one specific property catches a bug, not just that something does.
 */
public final class OnlyInvariant<S> implements Model<S> {
    private final Model<S> model;
    private final String name;

    public OnlyInvariant(Model<S> model, String name) {
        this.model = model;
        this.name = name;
        boolean known = model.invariants().stream().anyMatch(i -> i.name().equals(name))
                || model.actionProperties().stream().anyMatch(p -> p.name().equals(name));
        if (!known) {
            throw new IllegalArgumentException(model.name() + " has no invariant " + name);
        }
    }

    @Override public String name() { return model.name(); }
    @Override public String describeBounds() { return model.describeBounds() + ", checking only " + name; }
    @Override public List<S> initialStates() { return model.initialStates(); }
    @Override public void successors(S state, Successors<S> out) { model.successors(state, out); }
    @Override public long fingerprint(S state) { return model.fingerprint(state); }
    @Override public boolean withinBounds(S state) { return model.withinBounds(state); }
    @Override public String describe(S state) { return model.describe(state); }
    @Override public List<RequiredBehaviour<S>> requiredBehaviours() { return model.requiredBehaviours(); }
    @Override public String actionKind(String action) { return model.actionKind(action); }

    @Override
    public List<Invariant<S>> invariants() {
        return model.invariants().stream().filter(i -> i.name().equals(name)).toList();
    }

    @Override
    public List<ActionProperty<S>> actionProperties() {
        return model.actionProperties().stream().filter(p -> p.name().equals(name)).toList();
    }
}
