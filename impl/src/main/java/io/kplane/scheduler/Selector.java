package io.kplane.scheduler;

import java.util.List;
import java.util.Map;

/**
 * A compiled label selector: matchLabels plus matchExpressions, all of which must hold. An empty
 * selector matches everything; {@link #NOTHING} (the form of a nil selector in affinity terms)
 * matches nothing.
 */
public final class Selector {

    public static final Selector EVERYTHING = new Selector(Map.of(), List.of(), false);
    public static final Selector NOTHING = new Selector(Map.of(), List.of(), true);

    private final String[] keys;
    private final String[] values;
    private final Requirement[] requirements;
    private final boolean nothing;

    private Selector(Map<String, String> matchLabels, List<Requirement> expressions, boolean nothing) {
        this.keys = matchLabels.keySet().stream().sorted().toArray(String[]::new);
        this.values = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = matchLabels.get(keys[i]);
        }
        this.requirements = expressions.toArray(new Requirement[0]);
        this.nothing = nothing;
    }

    public static Selector of(Map<String, String> matchLabels, List<Requirement> expressions) {
        return new Selector(matchLabels, expressions, false);
    }

    public static Selector labels(Map<String, String> matchLabels) {
        return new Selector(matchLabels, List.of(), false);
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        for (int i = 0; i < keys.length; i++) {
            if (!values[i].equals(labels.get(keys[i]))) {
                return false;
            }
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return !nothing && keys.length == 0 && requirements.length == 0;
    }

    /** This selector with extra {@code key=value} requirements (matchLabelKeys merging). */
    public Selector and(Map<String, String> extra) {
        if (nothing || extra.isEmpty()) {
            return this;
        }
        java.util.HashMap<String, String> ml = new java.util.HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            ml.put(keys[i], values[i]);
        }
        java.util.ArrayList<Requirement> reqs = new java.util.ArrayList<>(List.of(requirements));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            String prev = ml.putIfAbsent(e.getKey(), e.getValue());
            if (prev != null && !prev.equals(e.getValue())) {
                reqs.add(new Requirement(e.getKey(), Requirement.Op.IN, List.of(e.getValue())));
            }
        }
        return new Selector(ml, reqs, false);
    }

    /** The conjunction of two selectors. */
    public static Selector allOf(Selector a, Selector b) {
        if (a.nothing || b.nothing) {
            return NOTHING;
        }
        java.util.HashMap<String, String> ml = new java.util.HashMap<>();
        for (int i = 0; i < a.keys.length; i++) {
            ml.put(a.keys[i], a.values[i]);
        }
        java.util.ArrayList<Requirement> reqs = new java.util.ArrayList<>(List.of(a.requirements));
        reqs.addAll(List.of(b.requirements));
        for (int i = 0; i < b.keys.length; i++) {
            String prev = ml.putIfAbsent(b.keys[i], b.values[i]);
            if (prev != null && !prev.equals(b.values[i])) {
                reqs.add(new Requirement(b.keys[i], Requirement.Op.IN, List.of(b.values[i])));
            }
        }
        return new Selector(ml, reqs, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selector x && nothing == x.nothing && java.util.Arrays.equals(keys, x.keys)
                && java.util.Arrays.equals(values, x.values) && java.util.Arrays.equals(requirements, x.requirements);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(keys) * 31 + java.util.Arrays.hashCode(values) * 7
                + java.util.Arrays.hashCode(requirements) + (nothing ? 1 : 0);
    }

    @Override
    public String toString() {
        if (nothing) {
            return "<nothing>";
        }
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            b.append(keys[i]).append('=').append(values[i]).append(',');
        }
        for (Requirement r : requirements) {
            b.append(r).append(',');
        }
        return b.append('}').toString();
    }
}
