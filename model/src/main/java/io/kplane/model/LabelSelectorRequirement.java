package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** A {@code matchExpressions} entry: key, operator (In, NotIn, Exists, DoesNotExist) and values. */
public record LabelSelectorRequirement(
    String key,
    String operator,
    List<String> values,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public LabelSelectorRequirement {
    values = Immutable.list(values);
    extra = Immutable.map(extra);
  }

  public static LabelSelectorRequirement of(String key, String operator, String... values) {
    return new LabelSelectorRequirement(key, operator, List.of(values), null);
  }
}
