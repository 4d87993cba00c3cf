package io.kplane.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A resource quantity with the semantics of apimachinery's {@code resource.Quantity}.
 *
 * <p>Grammar: {@code [+-]? (digits | digits.digits | digits. | .digits) suffix} with suffix one of
 * the decimal SI suffixes {@code n u m "" k M G T P E}, the binary suffixes {@code Ki Mi Gi Ti Pi Ei},
 * or a decimal exponent {@code e<int>} / {@code E<int>}. The value is exact (a {@link BigDecimal});
 * like Kubernetes, non-zero values are rounded away from zero to nano precision, binary values are
 * capped at 2^63-1, and a binary value below 1 switches to decimal SI.
 *
 * <p>{@link #toString()} is the canonical form Kubernetes writes: the format of the input kind is
 * kept ({@code 1.5Gi} → {@code 1536Mi}, {@code 1000m} → {@code 1}, {@code 0.5} → {@code 500m},
 * {@code 1e3} → {@code 1e3}); binary values that are fractional or below 1024 print as decimal SI,
 * decimal SI values beyond {@code E} print with an exponent ({@code 1e21}).
 *
 * <p>One deliberate difference: a number needs at least one digit here, while apimachinery also
 * reads {@code "."}, {@code "+"} and {@code "-"} as zero.
 *
 * <p>{@link #milliValue()} and {@link #value()} are computed once at construction (the scheduler
 * reads them in hot loops); they round away from zero like {@code ScaledValue} and saturate at the
 * {@code long} range instead of overflowing. Equality is numeric: {@code 1Ki} equals {@code 1024}.
 */
@JsonSerialize(using = ToStringSerializer.class)
@JsonDeserialize(using = Quantity.Deserializer.class)
public final class Quantity implements Comparable<Quantity> {

  /** How a quantity prints, decided by the suffix it was written with. */
  public enum Format {
    /** {@code 1e3}, {@code 12e-3}. */
    DECIMAL_EXPONENT,
    /** {@code 1Ki}, {@code 1536Mi}. */
    BINARY_SI,
    /** {@code 500m}, {@code 2k}, {@code 1G}. */
    DECIMAL_SI
  }

  public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

  private static final int NANO_SCALE = 9;
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal BINARY_LOWER = BigDecimal.valueOf(1024);
  private static final BigInteger KI = BigInteger.valueOf(1024);
  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private final BigDecimal amount;
  private final Format format;
  private final long milli;
  private final long value;
  private String canonical; // lazily computed; a benign race (String is immutable)

  private Quantity(BigDecimal amount, Format format) {
    this.amount = amount;
    this.format = format;
    this.milli = saturatedCeilAwayFromZero(amount.movePointRight(3));
    this.value = saturatedCeilAwayFromZero(amount);
  }

  // ---------------------------------------------------------------------------------- factories

  /** Parses a quantity; throws {@link IllegalArgumentException} naming the string when it is bad. */
  public static Quantity parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("invalid quantity null: a quantity is required");
    }
    int n = text.length();
    if (n == 0) {
      throw bad(text, "empty string");
    }
    int pos = 0;
    boolean negative = false;
    char c0 = text.charAt(0);
    if (c0 == '+' || c0 == '-') {
      negative = c0 == '-';
      pos++;
    }
    int intStart = pos;
    while (pos < n && isDigit(text.charAt(pos))) {
      pos++;
    }
    int intEnd = pos;
    int fracStart = pos;
    int fracEnd = pos;
    if (pos < n && text.charAt(pos) == '.') {
      pos++;
      fracStart = pos;
      while (pos < n && isDigit(text.charAt(pos))) {
        pos++;
      }
      fracEnd = pos;
    }
    if (intEnd == intStart && fracEnd == fracStart) {
      throw bad(text, "expected a number at position " + intStart);
    }
    String suffix = text.substring(pos);
    int base;
    int exponent;
    Format format;
    switch (suffix) {
      case "" -> { base = 10; exponent = 0; format = Format.DECIMAL_SI; }
      case "n" -> { base = 10; exponent = -9; format = Format.DECIMAL_SI; }
      case "u" -> { base = 10; exponent = -6; format = Format.DECIMAL_SI; }
      case "m" -> { base = 10; exponent = -3; format = Format.DECIMAL_SI; }
      case "k" -> { base = 10; exponent = 3; format = Format.DECIMAL_SI; }
      case "M" -> { base = 10; exponent = 6; format = Format.DECIMAL_SI; }
      case "G" -> { base = 10; exponent = 9; format = Format.DECIMAL_SI; }
      case "T" -> { base = 10; exponent = 12; format = Format.DECIMAL_SI; }
      case "P" -> { base = 10; exponent = 15; format = Format.DECIMAL_SI; }
      case "E" -> { base = 10; exponent = 18; format = Format.DECIMAL_SI; }
      case "Ki" -> { base = 2; exponent = 10; format = Format.BINARY_SI; }
      case "Mi" -> { base = 2; exponent = 20; format = Format.BINARY_SI; }
      case "Gi" -> { base = 2; exponent = 30; format = Format.BINARY_SI; }
      case "Ti" -> { base = 2; exponent = 40; format = Format.BINARY_SI; }
      case "Pi" -> { base = 2; exponent = 50; format = Format.BINARY_SI; }
      case "Ei" -> { base = 2; exponent = 60; format = Format.BINARY_SI; }
      default -> {
        base = 10;
        exponent = parseExponent(text, suffix, pos);
        format = Format.DECIMAL_EXPONENT;
      }
    }
    String digits = (intEnd > intStart ? text.substring(intStart, intEnd) : "0")
        + (fracEnd > fracStart ? "." + text.substring(fracStart, fracEnd) : "");
    BigDecimal amount = new BigDecimal(digits);
    if (negative) {
      amount = amount.negate();
    }
    if (base == 10) {
      amount = amount.scaleByPowerOfTen(exponent);
    } else {
      amount = amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)));
    }
    if (format == Format.BINARY_SI && amount.abs().compareTo(LONG_MAX) > 0) {
      // apimachinery caps parsed binary amounts at 2^63-1 (arithmetic results are not capped).
      amount = amount.signum() < 0 ? LONG_MAX.negate() : LONG_MAX;
    }
    return of(amount, format);
  }

  /**
   * An exact amount in the given format, normalised as Kubernetes does (non-zero values rounded
   * away from zero to nano precision; binary values below 1 switched to decimal SI).
   */
  public static Quantity of(BigDecimal amount, Format format) {
    if (amount.signum() == 0) {
      return format == Format.DECIMAL_SI ? ZERO : new Quantity(BigDecimal.ZERO, format);
    }
    if (amount.scale() > NANO_SCALE) {
      // Round up to the smallest representable amount: asking for a little gets a little, not 0.
      amount = amount.setScale(NANO_SCALE, RoundingMode.UP);
    }
    if (format == Format.BINARY_SI && amount.abs().compareTo(BigDecimal.ONE) < 0) {
      format = Format.DECIMAL_SI;
    }
    return new Quantity(amount, format);
  }

  /** An integer amount, e.g. {@code of(2, DECIMAL_SI)} = 2 CPUs or {@code of(1 << 30, BINARY_SI)} = 1Gi. */
  public static Quantity of(long value, Format format) {
    return of(BigDecimal.valueOf(value), format);
  }

  /** A decimal SI amount given in thousandths, e.g. {@code ofMilli(500)} = {@code 500m}. */
  public static Quantity ofMilli(long milli) {
    return of(BigDecimal.valueOf(milli, 3), Format.DECIMAL_SI);
  }

  /** A byte count, printed in binary SI when it is a multiple of 1024 ({@code 1Gi}). */
  public static Quantity ofBytes(long bytes) {
    return of(BigDecimal.valueOf(bytes), Format.BINARY_SI);
  }

  // ---------------------------------------------------------------------------------- accessors

  /** The value in thousandths (cpu: millicores), rounded away from zero, saturated to the long range. */
  public long milliValue() {
    return milli;
  }

  /** The value rounded away from zero to an integer (memory: bytes), saturated to the long range. */
  public long value() {
    return value;
  }

  /** The exact value. */
  public BigDecimal toBigDecimal() {
    return amount;
  }

  public Format format() {
    return format;
  }

  public boolean isZero() {
    return amount.signum() == 0;
  }

  public int signum() {
    return amount.signum();
  }

  // ---------------------------------------------------------------------------------- arithmetic

  /** The exact sum; keeps this format unless this is zero (then the other's), as Kubernetes' Add. */
  public Quantity add(Quantity other) {
    return exact(amount.add(other.amount), isZero() ? other.format : format);
  }

  /** The exact difference; keeps this format unless this is zero (then the other's), as Kubernetes' Sub. */
  public Quantity subtract(Quantity other) {
    return exact(amount.subtract(other.amount), isZero() ? other.format : format);
  }

  public Quantity negate() {
    return exact(amount.negate(), format);
  }

  public Quantity multiply(long factor) {
    return exact(amount.multiply(BigDecimal.valueOf(factor)), format);
  }

  /** Results of arithmetic on nano-precision amounts are nano-precision already; no cap, no rounding. */
  private static Quantity exact(BigDecimal amount, Format format) {
    return amount.signum() == 0 && format == Format.DECIMAL_SI ? ZERO : new Quantity(amount, format);
  }

  @Override
  public int compareTo(Quantity other) {
    return amount.compareTo(other.amount);
  }

  // ---------------------------------------------------------------------------------- formatting

  /** The canonical string, as Kubernetes writes it. */
  @Override
  public String toString() {
    String s = canonical;
    if (s == null) {
      s = canonicalize();
      canonical = s;
    }
    return s;
  }

  private String canonicalize() {
    if (amount.signum() == 0) {
      return "0";
    }
    Format f = format;
    if (f == Format.BINARY_SI) {
      // Below 1024 or fractional: binary suffixes would need rounding, so show decimal SI.
      if (amount.abs().compareTo(BINARY_LOWER) < 0 || amount.stripTrailingZeros().scale() > 0) {
        f = Format.DECIMAL_SI;
      }
    }
    if (f == Format.BINARY_SI) {
      BigInteger v = amount.toBigIntegerExact();
      int e = 0;
      while (e < BINARY_SUFFIXES.length - 1) {
        BigInteger[] qr = v.divideAndRemainder(KI);
        if (qr[1].signum() != 0) {
          break;
        }
        v = qr[0];
        e++;
      }
      return v + BINARY_SUFFIXES[e];
    }
    BigDecimal stripped = amount.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    long exponent = -(long) stripped.scale();
    long down = Math.floorMod(exponent, 3L);
    if (down != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN.pow((int) down));
      exponent -= down;
    }
    if (f == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
    if (exponent > 18) {
      // Beyond E there is no SI suffix: fall back to exponent notation, as apimachinery does
      // ("1000E" prints as "1e21" rather than losing the magnitude).
      return mantissa + "e" + exponent;
    }
    return mantissa + decimalSuffix((int) exponent);
  }

  private static String decimalSuffix(int exponent) {
    return switch (exponent) {
      case -9 -> "n";
      case -6 -> "u";
      case -3 -> "m";
      case 0 -> "";
      case 3 -> "k";
      case 6 -> "M";
      case 9 -> "G";
      case 12 -> "T";
      case 15 -> "P";
      case 18 -> "E";
      default -> throw new IllegalStateException("no decimal suffix for 10^" + exponent);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && amount.compareTo(q.amount) == 0;
  }

  @Override
  public int hashCode() {
    return amount.stripTrailingZeros().hashCode();
  }

  // ---------------------------------------------------------------------------------- helpers

  private static int parseExponent(String text, String suffix, int suffixPos) {
    if (suffix.length() < 2 || (suffix.charAt(0) != 'e' && suffix.charAt(0) != 'E')) {
      throw bad(text, "unknown suffix \"" + suffix + "\" at position " + suffixPos
          + " (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei or an exponent like e3)");
    }
    int i = 1;
    char sign = suffix.charAt(1);
    if (sign == '+' || sign == '-') {
      i++;
    }
    if (i >= suffix.length()) {
      throw bad(text, "expected exponent digits at position " + (suffixPos + i));
    }
    for (int j = i; j < suffix.length(); j++) {
      if (!isDigit(suffix.charAt(j))) {
        throw bad(text, "unexpected '" + suffix.charAt(j) + "' at position " + (suffixPos + j));
      }
    }
    try {
      return Integer.parseInt(suffix.substring(1));
    } catch (NumberFormatException e) {
      throw bad(text, "exponent out of range");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("invalid quantity \"" + text + "\": " + why);
  }

  private static long saturatedCeilAwayFromZero(BigDecimal v) {
    if (v.signum() == 0) {
      return 0;
    }
    // precision - scale = number of integer digits; beyond 19 it cannot fit in a long.
    if (v.precision() - v.scale() > 19) {
      return v.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    BigDecimal r = v.setScale(0, RoundingMode.UP);
    if (r.compareTo(LONG_MAX) > 0) {
      return Long.MAX_VALUE;
    }
    if (r.compareTo(LONG_MIN) < 0) {
      return Long.MIN_VALUE;
    }
    return r.longValue();
  }

  /** Accepts strings and, as Kubernetes does, bare JSON/YAML numbers; null reads as zero (as apimachinery). */
  static final class Deserializer extends JsonDeserializer<Quantity> {
    @Override
    public Quantity getNullValue(DeserializationContext ctxt) {
      return ZERO;
    }

    @Override
    public Quantity deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        // Like apimachinery's UnmarshalJSON, surrounding whitespace inside the JSON string is ignored.
        String text = p.getText().trim();
        try {
          return parse(text);
        } catch (IllegalArgumentException e) {
          return (Quantity) ctxt.handleWeirdStringValue(Quantity.class, text, e.getMessage());
        }
      }
      return (Quantity) ctxt.handleUnexpectedToken(Quantity.class, p);
    }
  }
}
