package io.kplane.scheduler;

import java.util.List;
import java.util.Map;

/**
 * A required node selector: a node matches when any term matches; a term matches when all its
 * label requirements and field requirements ({@code metadata.name}) hold. A term with no
 * requirements matches nothing, as upstream.
 */
public record NodeSelector(List<Term> terms) {

    public NodeSelector {
        terms = List.copyOf(terms);
    }

    /** One node selector term. */
    public record Term(List<Requirement> matchExpressions, List<Requirement> matchFields) {
        public Term {
            matchExpressions = List.copyOf(matchExpressions);
            matchFields = List.copyOf(matchFields);
        }

        public boolean matches(String nodeName, Map<String, String> labels) {
            if (matchExpressions.isEmpty() && matchFields.isEmpty()) {
                return false;
            }
            for (int i = 0; i < matchExpressions.size(); i++) {
                if (!matchExpressions.get(i).matches(labels)) {
                    return false;
                }
            }
            for (int i = 0; i < matchFields.size(); i++) {
                Requirement f = matchFields.get(i);
                if (!"metadata.name".equals(f.key()) || !f.matches(Map.of("metadata.name", nodeName))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A preferred scheduling term with its weight (1..100). */
    public record Preferred(int weight, Term term) {}

    public boolean matches(String nodeName, Map<String, String> labels) {
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).matches(nodeName, labels)) {
                return true;
            }
        }
        return false;
    }
}
