package io.kplane.scheduler;

import java.util.List;
import java.util.Map;

/**
 * One label requirement of a label selector or node selector term: key, operator, values. Gt/Lt
 * exist only in node selectors and compare integers.
 */
public record Requirement(String key, Op op, List<String> values) {

    /** Requirement operators (label selectors use the first four). */
    public enum Op { IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GT, LT }

    public Requirement {
        values = List.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
        String v = labels.get(key);
        switch (op) {
            case IN:
                return v != null && values.contains(v);
            case NOT_IN:
                return v == null || !values.contains(v);
            case EXISTS:
                return v != null;
            case DOES_NOT_EXIST:
                return v == null;
            case GT:
            case LT:
                if (v == null || values.size() != 1) {
                    return false;
                }
                try {
                    long have = Long.parseLong(v);
                    long want = Long.parseLong(values.get(0));
                    return op == Op.GT ? have > want : have < want;
                } catch (NumberFormatException e) {
                    return false;
                }
            default:
                throw new AssertionError(op);
        }
    }
}
