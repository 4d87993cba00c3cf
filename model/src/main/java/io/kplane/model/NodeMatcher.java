package io.kplane.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiled node selector terms (component-helpers nodeaffinity.NodeSelector): a node matches when
 * any term matches; a term matches when all its label expressions and field requirements hold.
 * Terms that are empty or invalid are dropped, so they match nothing, as Kubernetes' lazy-error
 * selector does. Build once per pod, then match against many nodes.
 */
public final class NodeMatcher {

  private record Term(Selector labels, List<Selector.Requirement> fields) {}

  private static final String NAME_FIELD = "metadata.name";

  private final List<Term> terms;

  private NodeMatcher(List<Term> terms) {
    this.terms = terms;
  }

  public static NodeMatcher of(List<NodeSelectorTerm> nodeSelectorTerms) {
    List<Term> terms = new ArrayList<>();
    for (NodeSelectorTerm t : nodeSelectorTerms) {
      if (t.matchExpressions().isEmpty() && t.matchFields().isEmpty()) {
        continue;
      }
      try {
        List<Selector.Requirement> labels = new ArrayList<>();
        for (NodeSelectorRequirement r : t.matchExpressions()) {
          labels.add(r.toRequirement());
        }
        List<Selector.Requirement> fields = new ArrayList<>();
        for (NodeSelectorRequirement r : t.matchFields()) {
          Selector.Requirement req = r.toRequirement();
          if (!NAME_FIELD.equals(r.key())) {
            throw new IllegalArgumentException("field " + r.key() + " is not supported (only " + NAME_FIELD + ")");
          }
          if (req.operator() != Selector.Operator.IN && req.operator() != Selector.Operator.NOT_IN) {
            throw new IllegalArgumentException("operator " + r.operator() + " is not supported for fields");
          }
          fields.add(req);
        }
        terms.add(new Term(Selector.of(labels), List.copyOf(fields)));
      } catch (IllegalArgumentException invalid) {
        // An invalid term matches nothing; the API server's validation reports it to the user.
      }
    }
    return new NodeMatcher(List.copyOf(terms));
  }

  public boolean matches(Map<String, String> nodeLabels, String nodeName) {
    for (int i = 0; i < terms.size(); i++) {
      Term t = terms.get(i);
      if (t.labels.matches(nodeLabels) && fieldsMatch(t.fields, nodeName)) {
        return true;
      }
    }
    return false;
  }

  public boolean matches(Node node) {
    ObjectMeta m = node.metadata();
    return matches(m == null ? Map.of() : m.labels(), m == null ? null : m.name());
  }

  private static boolean fieldsMatch(List<Selector.Requirement> fields, String nodeName) {
    if (fields.isEmpty()) {
      return true;
    }
    Map<String, String> f = nodeName == null ? Map.of() : Map.of(NAME_FIELD, nodeName);
    for (int i = 0; i < fields.size(); i++) {
      if (!fields.get(i).matches(f)) {
        return false;
      }
    }
    return true;
  }
}
