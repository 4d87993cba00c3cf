package io.kplane.scheduler;

import java.util.List;

/**
 * A pod toleration. {@code effect == null} tolerates every effect; {@code key == null} with
 * operator Exists tolerates every taint.
 */
public record Toleration(String key, Operator operator, String value, Taint.Effect effect) {

    /** Toleration operators. */
    public enum Operator { EQUAL, EXISTS }

    /** Upstream {@code Toleration.ToleratesTaint}. */
    public boolean tolerates(Taint taint) {
        if (effect != null && effect != taint.effect()) {
            return false;
        }
        if (key != null && !key.isEmpty() && !key.equals(taint.key())) {
            return false;
        }
        if (operator == Operator.EXISTS) {
            return true;
        }
        String v = value == null ? "" : value;
        String tv = taint.value() == null ? "" : taint.value();
        return v.equals(tv);
    }

    /** True when some toleration in the list tolerates the taint. */
    public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
        for (int i = 0; i < tolerations.size(); i++) {
            if (tolerations.get(i).tolerates(taint)) {
                return true;
            }
        }
        return false;
    }
}
