package io.kplane.model;

import io.kplane.model.Selector.Operator;
import io.kplane.model.Selector.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parser of the label selector string syntax (labels.Parse):
 *
 * <pre>
 *   selector    ::= "" | requirement ("," requirement)*
 *   requirement ::= "!" KEY | KEY [ ("in" | "notin") "(" VALUE ("," VALUE)* ")"
 *                                 | ("=" | "==" | "!=" | "&gt;" | "&lt;") VALUE ]
 * </pre>
 *
 * Whitespace separates tokens; identifiers run until whitespace or one of {@code =!(),<>}. Keys and
 * values are validated as Kubernetes does. Errors are {@link IllegalArgumentException}s saying what
 * was expected at which (0-based) position, e.g. {@code expected ')' at position 9 in "e in (x,y"}.
 */
final class SelectorParser {

  private enum Kind { IDENT, NOT, EQ, DOUBLE_EQ, NOT_EQ, GT, LT, OPEN, CLOSE, COMMA, IN, NOTIN, END }

  private record Token(Kind kind, String text, int pos) {
    String describe() {
      return kind == Kind.END ? "end of string" : "'" + text + "'";
    }
  }

  private final String input;
  private final List<Token> tokens;
  private int next;

  private SelectorParser(String input) {
    this.input = input;
    this.tokens = lex(input);
  }

  static List<Requirement> parse(String input) {
    if (input == null) {
      throw new IllegalArgumentException("selector must not be null");
    }
    return new SelectorParser(input).selector();
  }

  private List<Requirement> selector() {
    List<Requirement> result = new ArrayList<>();
    if (peek().kind == Kind.END) {
      return result;
    }
    while (true) {
      result.add(requirement());
      Token t = take();
      if (t.kind == Kind.END) {
        return result;
      }
      if (t.kind != Kind.COMMA) {
        throw error("expected ',' or end of string", t);
      }
    }
  }

  private Requirement requirement() {
    Token t = take();
    if (t.kind == Kind.NOT) {
      Token key = take();
      if (key.kind != Kind.IDENT) {
        throw error("expected a key after '!'", key);
      }
      return new Requirement(validKey(key), Operator.DOES_NOT_EXIST, Set.of());
    }
    if (t.kind != Kind.IDENT) {
      throw error("expected a key", t);
    }
    String key = validKey(t);
    Token op = peek();
    if (op.kind == Kind.END || op.kind == Kind.COMMA) {
      return new Requirement(key, Operator.EXISTS, Set.of());
    }
    take();
    switch (op.kind) {
      case IN:
      case NOTIN:
        return new Requirement(key, op.kind == Kind.IN ? Operator.IN : Operator.NOT_IN, valueSet(op));
      case EQ:
      case DOUBLE_EQ:
        return new Requirement(key, Operator.IN, Set.of(exactValue()));
      case NOT_EQ:
        return new Requirement(key, Operator.NOT_IN, Set.of(exactValue()));
      case GT:
      case LT: {
        Token v = peek();
        String value = exactValue();
        try {
          Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw error("expected an integer value for '" + op.text + "'", v);
        }
        return new Requirement(key, op.kind == Kind.GT ? Operator.GT : Operator.LT, Set.of(value));
      }
      default:
        throw error("expected one of 'in', 'notin', '=', '==', '!=', '>', '<', ',' or end of string", op);
    }
  }

  private Set<String> valueSet(Token op) {
    Token open = take();
    if (open.kind != Kind.OPEN) {
      throw error("expected '(' after '" + op.text + "'", open);
    }
    Set<String> values = new LinkedHashSet<>();
    if (peek().kind == Kind.CLOSE) {
      throw error("expected at least one value for '" + op.text + "'", peek());
    }
    while (true) {
      Token t = peek();
      if (t.kind == Kind.IDENT || t.kind == Kind.IN || t.kind == Kind.NOTIN) {
        take();
        values.add(validValue(t));
      } else if (t.kind == Kind.COMMA || t.kind == Kind.CLOSE) {
        values.add(""); // an empty slot, as in "(a,)", is the empty value (as upstream)
      } else {
        throw error("expected a value, ',' or ')'", t);
      }
      Token sep = take();
      if (sep.kind == Kind.CLOSE) {
        break;
      }
      if (sep.kind != Kind.COMMA) {
        throw error("expected ',' or ')'", sep);
      }
    }
    return values;
  }

  private String exactValue() {
    Token t = peek();
    if (t.kind == Kind.END || t.kind == Kind.COMMA) {
      return "";
    }
    if (t.kind != Kind.IDENT && t.kind != Kind.IN && t.kind != Kind.NOTIN) {
      throw error("expected a value", t);
    }
    take();
    return validValue(t);
  }

  private String validKey(Token t) {
    String why = LabelSyntax.keyError(t.text);
    if (why != null) {
      throw error("invalid label key \"" + t.text + "\" (" + why + ")", t, false);
    }
    return t.text;
  }

  private String validValue(Token t) {
    String why = LabelSyntax.valueError(t.text);
    if (why != null) {
      throw error("invalid label value \"" + t.text + "\" (" + why + ")", t, false);
    }
    return t.text;
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token t = tokens.get(next);
    if (t.kind != Kind.END) {
      next++;
    }
    return t;
  }

  private IllegalArgumentException error(String expected, Token found) {
    return error(expected, found, true);
  }

  private IllegalArgumentException error(String what, Token at, boolean sayFound) {
    String found = sayFound ? ", found " + at.describe() : "";
    return new IllegalArgumentException(what + found + " at position " + at.pos + " in \"" + input + "\"");
  }

  private static boolean isSpecial(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '<' || c == '>';
  }

  private static List<Token> lex(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      if (isSpecial(c)) {
        char d = i + 1 < n ? s.charAt(i + 1) : 0;
        Kind k;
        if (c == '=' && d == '=') {
          k = Kind.DOUBLE_EQ;
          i += 2;
        } else if (c == '!' && d == '=') {
          k = Kind.NOT_EQ;
          i += 2;
        } else {
          k = switch (c) {
            case '=' -> Kind.EQ;
            case '!' -> Kind.NOT;
            case '(' -> Kind.OPEN;
            case ')' -> Kind.CLOSE;
            case ',' -> Kind.COMMA;
            case '<' -> Kind.LT;
            default -> Kind.GT;
          };
          i++;
        }
        out.add(new Token(k, s.substring(start, i), start));
        continue;
      }
      while (i < n && !Character.isWhitespace(s.charAt(i)) && !isSpecial(s.charAt(i))) {
        i++;
      }
      String word = s.substring(start, i);
      Kind k = word.equals("in") ? Kind.IN : word.equals("notin") ? Kind.NOTIN : Kind.IDENT;
      out.add(new Token(k, word, start));
    }
    out.add(new Token(Kind.END, "", n));
    return out;
  }
}
