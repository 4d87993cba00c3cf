package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A toleration of node taints. */
public record Toleration(
    String key,
    String operator,
    String value,
    String effect,
    Long tolerationSeconds,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public Toleration {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Toleration withExtra(Map<String, Object> extra) {
    return new Toleration(key, operator, value, effect, tolerationSeconds, extra);
  }

  /**
   * Whether this toleration tolerates the taint (v1 Toleration.ToleratesTaint): effects must match
   * unless the toleration's is empty, keys must match unless the toleration's is empty, and the
   * operator is Equal (the default: values equal) or Exists.
   */
  public boolean tolerates(Taint taint) {
    if (effect != null && !effect.isEmpty() && !effect.equals(taint.effect())) {
      return false;
    }
    if (key != null && !key.isEmpty() && !key.equals(taint.key())) {
      return false;
    }
    if (operator == null || operator.isEmpty() || operator.equals("Equal")) {
      return java.util.Objects.equals(value == null ? "" : value, taint.value() == null ? "" : taint.value());
    }
    return operator.equals("Exists");
  }
}
