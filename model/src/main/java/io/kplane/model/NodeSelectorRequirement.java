package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node selector requirement: key, operator (In, NotIn, Exists, DoesNotExist, Gt, Lt) and values.
 * Gt/Lt take exactly one integer value and compare it with the label parsed as an integer.
 */
public record NodeSelectorRequirement(
    String key,
    String operator,
    List<String> values,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NodeSelectorRequirement {
    values = Immutable.list(values);
    extra = Immutable.map(extra);
  }

  public static NodeSelectorRequirement of(String key, String operator, String... values) {
    return new NodeSelectorRequirement(key, operator, List.of(values), null);
  }

  /**
   * The compiled requirement; an invalid one (unknown operator, wrong number of values, a non-integer
   * for Gt/Lt) raises {@link IllegalArgumentException} naming the problem.
   */
  public Selector.Requirement toRequirement() {
    Selector.Operator op = switch (operator == null ? "" : operator) {
      case "In" -> Selector.Operator.IN;
      case "NotIn" -> Selector.Operator.NOT_IN;
      case "Exists" -> Selector.Operator.EXISTS;
      case "DoesNotExist" -> Selector.Operator.DOES_NOT_EXIST;
      case "Gt" -> Selector.Operator.GT;
      case "Lt" -> Selector.Operator.LT;
      default -> throw new IllegalArgumentException("\"" + operator + "\" is not a valid node selector operator");
    };
    switch (op) {
      case IN, NOT_IN -> {
        if (values.isEmpty()) {
          throw new IllegalArgumentException("key " + key + ": values set can't be empty for operator " + operator);
        }
      }
      case EXISTS, DOES_NOT_EXIST -> {
        if (!values.isEmpty()) {
          throw new IllegalArgumentException("key " + key + ": values set must be empty for operator " + operator);
        }
      }
      default -> {
        if (values.size() != 1) {
          throw new IllegalArgumentException("key " + key + ": operator " + operator + " needs exactly one value");
        }
        try {
          Long.parseLong(values.get(0));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("key " + key + ": value \"" + values.get(0) + "\" of operator " + operator + " is not an integer");
        }
      }
    }
    return new Selector.Requirement(key, op, Set.copyOf(values));
  }

  /** Whether the labels satisfy this requirement; invalid requirements raise IllegalArgumentException. */
  public boolean matches(Map<String, String> labels) {
    return toRequirement().matches(labels);
  }
}
