package io.kplane.model;

import java.util.regex.Pattern;

/**
 * The syntax rules of label keys and values (apimachinery validation.IsQualifiedName and
 * IsValidLabelValue). Each check returns null when valid, else the reason.
 */
public final class LabelSyntax {
  private LabelSyntax() {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A qualified name: an optional DNS subdomain prefix (at most 253) and '/', then a name of at most 63. */
  public static String keyError(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()) {
        return "prefix part must be non-empty";
      }
      if (prefix.length() > 253) {
        return "prefix part must be no more than 253 characters";
      }
      if (!DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
        return "prefix part must be a lowercase RFC 1123 subdomain";
      }
    }
    if (name.isEmpty()) {
      return "name part must be non-empty";
    }
    if (name.length() > 63) {
      return "name part must be no more than 63 characters";
    }
    if (!NAME.matcher(name).matches()) {
      return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    }
    return null;
  }

  /** A label value: empty, or at most 63 alphanumerics, '-', '_', '.', starting and ending alphanumeric. */
  public static String valueError(String value) {
    if (value.isEmpty()) {
      return null;
    }
    if (value.length() > 63) {
      return "must be no more than 63 characters";
    }
    if (!NAME.matcher(value).matches()) {
      return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    }
    return null;
  }
}
