package io.kplane.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A field selector (fields.ParseSelector): {@code field=value}, {@code field==value} and
 * {@code field!=value} terms separated by commas, ANDed. In values, {@code \,}, {@code \=} and
 * {@code \\} escape the special characters. A missing field reads as the empty string, so
 * {@code spec.nodeName=} selects unscheduled pods. {@link #fieldsOf(KubeObject)} gives the fields
 * the API server supports per kind.
 */
public final class FieldSelector {

  /** One term: field, whether it must equal (true) or differ from (false) the value. */
  public record Term(String field, boolean equals, String value) {
    public boolean matches(Map<String, String> fields) {
      return fields.getOrDefault(field, "").equals(value) == equals;
    }

    @Override
    public String toString() {
      return field + (equals ? "=" : "!=") + escape(value);
    }
  }

  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  public static FieldSelector everything() {
    return EVERYTHING;
  }

  public static FieldSelector of(List<Term> terms) {
    return terms.isEmpty() ? EVERYTHING : new FieldSelector(terms);
  }

  /** Parses the selector; errors name the selector and the term, as the API server does. */
  public static FieldSelector parse(String selector) {
    List<Term> terms = new ArrayList<>();
    for (String part : splitTerms(selector)) {
      if (part.isEmpty()) {
        continue;
      }
      int[] op = findOperator(part);
      if (op == null) {
        throw new IllegalArgumentException("invalid selector: '" + selector + "'; can't understand '" + part + "'");
      }
      String field = part.substring(0, op[0]).trim();
      String value = unescape(selector, part.substring(op[0] + op[1]));
      if (field.isEmpty()) {
        throw new IllegalArgumentException("invalid selector: '" + selector + "'; field name missing in '" + part + "'");
      }
      terms.add(new Term(field, part.charAt(op[0]) != '!', value));
    }
    return of(terms);
  }

  public List<Term> terms() {
    return terms;
  }

  public boolean isEverything() {
    return terms.isEmpty();
  }

  public boolean matches(Map<String, String> fields) {
    for (int i = 0; i < terms.size(); i++) {
      if (!terms.get(i).matches(fields)) {
        return false;
      }
    }
    return true;
  }

  public boolean matches(KubeObject object) {
    return isEverything() || matches(fieldsOf(object));
  }

  /** The value of {@code field=...} when this selector pins it (e.g. spec.nodeName for kubelets), else null. */
  public String requiredValue(String field) {
    for (Term t : terms) {
      if (t.equals && t.field.equals(field)) {
        return t.value;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Term t : terms) {
      sb.append(sb.length() == 0 ? "" : ",").append(t);
    }
    return sb.toString();
  }

  /**
   * The selectable fields of an object: {@code metadata.name} and {@code metadata.namespace} for
   * all kinds, plus what the API server registers per kind (pods: spec.nodeName, spec.schedulerName,
   * spec.restartPolicy, spec.hostNetwork, status.phase, status.podIP, status.nominatedNodeName;
   * nodes: spec.unschedulable; namespaces: status.phase; events: involvedObject.*, reason, type,
   * source, reportingComponent).
   */
  public static Map<String, String> fieldsOf(KubeObject object) {
    Map<String, String> f = new HashMap<>();
    ObjectMeta m = object.metadata();
    put(f, "metadata.name", m == null ? null : m.name());
    put(f, "metadata.namespace", m == null ? null : m.namespace());
    if (object instanceof Pod pod) {
      PodSpec spec = pod.spec() != null ? pod.spec() : PodSpec.of(null);
      put(f, "spec.nodeName", spec.nodeName());
      put(f, "spec.schedulerName", spec.schedulerName());
      put(f, "spec.restartPolicy", spec.restartPolicy());
      put(f, "spec.hostNetwork", String.valueOf(Boolean.TRUE.equals(spec.hostNetwork())));
      PodStatus status = pod.statusOrEmpty();
      put(f, "status.phase", status.phase());
      put(f, "status.podIP", status.podIP());
      put(f, "status.nominatedNodeName", status.nominatedNodeName());
    } else if (object instanceof Node node) {
      put(f, "spec.unschedulable", String.valueOf(node.spec() != null && Boolean.TRUE.equals(node.spec().unschedulable())));
    } else if (object instanceof Namespace ns) {
      put(f, "status.phase", ns.status() == null ? null : ns.status().phase());
    } else if (object instanceof Event e) {
      ObjectReference io = e.involvedObject();
      if (io != null) {
        put(f, "involvedObject.kind", io.kind());
        put(f, "involvedObject.namespace", io.namespace());
        put(f, "involvedObject.name", io.name());
        put(f, "involvedObject.uid", io.uid());
        put(f, "involvedObject.apiVersion", io.apiVersion());
        put(f, "involvedObject.resourceVersion", io.resourceVersion());
        put(f, "involvedObject.fieldPath", io.fieldPath());
      }
      put(f, "reason", e.reason());
      put(f, "type", e.type());
      put(f, "source", e.source() == null ? null : e.source().component());
      put(f, "reportingComponent", e.reportingComponent());
    }
    return f;
  }

  private static void put(Map<String, String> f, String key, String value) {
    f.put(key, value == null ? "" : value);
  }

  private static List<String> splitTerms(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (escaped) {
        cur.append(c);
        escaped = false;
      } else if (c == '\\') {
        cur.append(c);
        escaped = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /** {start, length} of the first unescaped !=, == or =, else null. */
  private static int[] findOperator(String term) {
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == '!' && i + 1 < term.length() && term.charAt(i + 1) == '=') {
        return new int[] {i, 2};
      }
      if (c == '=') {
        return new int[] {i, i + 1 < term.length() && term.charAt(i + 1) == '=' ? 2 : 1};
      }
    }
    return null;
  }

  private static String unescape(String selector, String v) {
    StringBuilder sb = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\') {
        if (i + 1 >= v.length() || "\\,=".indexOf(v.charAt(i + 1)) < 0) {
          throw new IllegalArgumentException("invalid selector: '" + selector + "'; invalid escape sequence in value '" + v + "'");
        }
        sb.append(v.charAt(++i));
      } else if (c == '=' || c == ',') {
        throw new IllegalArgumentException("invalid selector: '" + selector + "'; unescaped '" + c + "' in value '" + v + "'");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
  }
}
