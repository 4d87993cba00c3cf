package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * A label selector (metav1.LabelSelector): the {@code matchLabels} and {@code matchExpressions}
 * are ANDed. An empty selector matches everything; where Kubernetes treats a missing (null)
 * selector as matching nothing (pod affinity terms, topology spread constraints), use
 * {@link #matches(LabelSelector, Map)}.
 */
public record LabelSelector(
    Map<String, String> matchLabels,
    List<LabelSelectorRequirement> matchExpressions,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public LabelSelector {
    matchLabels = Immutable.map(matchLabels);
    matchExpressions = Immutable.list(matchExpressions);
    extra = Immutable.map(extra);
  }

  /** The selector matching everything. */
  public static final LabelSelector EVERYTHING = new LabelSelector(null, null, null);

  public static LabelSelector of(Map<String, String> matchLabels) {
    return new LabelSelector(matchLabels, null, null);
  }

  public static LabelSelector of(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {
    return new LabelSelector(matchLabels, matchExpressions, null);
  }

  public boolean matchesEverything() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  /**
   * Whether the labels satisfy this selector. An invalid expression (unknown operator, In/NotIn
   * without values, Exists/DoesNotExist with values) raises {@link IllegalArgumentException}, as
   * Kubernetes refuses to convert such a selector; use {@link #toSelector()} to validate once.
   */
  public boolean matches(Map<String, String> labels) {
    return toSelector().matches(labels);
  }

  /** Null matches nothing, as LabelSelectorAsSelector(nil) = labels.Nothing(). */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    return selector != null && selector.matches(labels);
  }

  /** Compiles to a {@link Selector} (validate once, match often). */
  public Selector toSelector() {
    return Selector.of(this);
  }
}
