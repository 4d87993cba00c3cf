package io.kplane.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled label selector (labels.Selector): a conjunction of requirements, matched against a
 * label map. Built from a {@link LabelSelector} ({@link #of(LabelSelector)}) or parsed from the
 * string syntax ({@link #parse(String)}: {@code a=b,c!=d,e in (x,y),f notin (z),g,!h}).
 */
public final class Selector {

  /** Label selector operators; Gt and Lt appear only in the string syntax and node selectors. */
  public enum Operator {
    IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GT, LT
  }

  /** One requirement: {@code key op values}. Values is a set for In/NotIn, one integer for Gt/Lt. */
  public record Requirement(String key, Operator operator, Set<String> values) {

    public Requirement {
      values = Set.copyOf(values);
    }

    /** Whether the labels satisfy this requirement (labels.Requirement.Matches). */
    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      switch (operator) {
        case IN:
          return value != null && values.contains(value);
        case NOT_IN:
          return value == null || !values.contains(value);
        case EXISTS:
          return value != null || labels.containsKey(key);
        case DOES_NOT_EXIST:
          return value == null && !labels.containsKey(key);
        case GT:
        case LT:
          if (value == null) {
            return false;
          }
          Long have = parseLong(value);
          Long bound = parseLong(values.iterator().next());
          if (have == null || bound == null) {
            return false;
          }
          return operator == Operator.GT ? have > bound : have < bound;
        default:
          throw new AssertionError(operator);
      }
    }

    private static Long parseLong(String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  private static final Selector EVERYTHING = new Selector(List.of(), false);
  private static final Selector NOTHING = new Selector(List.of(), true);

  private final List<Requirement> requirements;
  private final boolean nothing;

  private Selector(List<Requirement> requirements, boolean nothing) {
    this.requirements = List.copyOf(requirements);
    this.nothing = nothing;
  }

  public static Selector everything() {
    return EVERYTHING;
  }

  public static Selector nothing() {
    return NOTHING;
  }

  /** A selector requiring all of the given requirements. */
  public static Selector of(List<Requirement> requirements) {
    return requirements.isEmpty() ? EVERYTHING : new Selector(requirements, false);
  }

  /** A selector requiring every given label (Service selectors, nodeSelector). */
  public static Selector ofLabels(Map<String, String> labels) {
    return of(labels.entrySet().stream()
        .map(e -> new Requirement(e.getKey(), Operator.IN, Set.of(e.getValue())))
        .toList());
  }

  /**
   * Compiles a LabelSelector as metav1.LabelSelectorAsSelector does: null is nothing, empty is
   * everything; an invalid expression raises {@link IllegalArgumentException}.
   */
  public static Selector of(LabelSelector selector) {
    if (selector == null) {
      return NOTHING;
    }
    if (selector.matchesEverything()) {
      return EVERYTHING;
    }
    List<Requirement> reqs = new java.util.ArrayList<>();
    selector.matchLabels().forEach((k, v) -> reqs.add(new Requirement(k, Operator.IN, Set.of(v))));
    for (LabelSelectorRequirement r : selector.matchExpressions()) {
      Operator op = switch (r.operator() == null ? "" : r.operator()) {
        case "In" -> Operator.IN;
        case "NotIn" -> Operator.NOT_IN;
        case "Exists" -> Operator.EXISTS;
        case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
        default -> throw new IllegalArgumentException("\"" + r.operator() + "\" is not a valid label selector operator");
      };
      boolean needsValues = op == Operator.IN || op == Operator.NOT_IN;
      if (needsValues && r.values().isEmpty()) {
        throw new IllegalArgumentException("values: Invalid value: " + r.values() + ": for 'in', 'notin' operators, values set can't be empty");
      }
      if (!needsValues && !r.values().isEmpty()) {
        throw new IllegalArgumentException("values: Invalid value: " + r.values() + ": values set must be empty for exists and does not exist");
      }
      reqs.add(new Requirement(r.key(), op, Set.copyOf(r.values())));
    }
    return of(reqs);
  }

  /** Parses the string syntax; see {@link SelectorParser}. */
  public static Selector parse(String text) {
    return of(SelectorParser.parse(text));
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean isEverything() {
    return !nothing && requirements.isEmpty();
  }

  public boolean isNothing() {
    return nothing;
  }

  public boolean matches(Map<String, String> labels) {
    if (nothing) {
      return false;
    }
    for (int i = 0; i < requirements.size(); i++) {
      if (!requirements.get(i).matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The string syntax, requirements sorted by key as labels.Selector.String() does (so the same
   * selector always gives the same query string): {@code a=b,c!=d,e in (x,y),!f,g>3}. A selector
   * that matches nothing has no string form and prints as {@code <nothing>}.
   */
  @Override
  public String toString() {
    if (nothing) {
      return "<nothing>";
    }
    List<Requirement> sorted = new java.util.ArrayList<>(requirements);
    sorted.sort(java.util.Comparator.comparing(Requirement::key));
    StringBuilder sb = new StringBuilder();
    for (Requirement r : sorted) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      List<String> vs = new java.util.ArrayList<>(r.values());
      java.util.Collections.sort(vs);
      switch (r.operator()) {
        case EXISTS -> sb.append(r.key());
        case DOES_NOT_EXIST -> sb.append('!').append(r.key());
        case IN -> sb.append(r.key()).append(vs.size() == 1 ? "=" + vs.get(0) : " in (" + String.join(",", vs) + ")");
        case NOT_IN -> sb.append(r.key()).append(vs.size() == 1 ? "!=" + vs.get(0) : " notin (" + String.join(",", vs) + ")");
        case GT -> sb.append(r.key()).append('>').append(vs.get(0));
        case LT -> sb.append(r.key()).append('<').append(vs.get(0));
        default -> throw new AssertionError(r.operator());
      }
    }
    return sb.toString();
  }
}
