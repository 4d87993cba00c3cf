package io.kplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tables follow apimachinery's quantity_test.go (parse, String, ParseEmit, Milli/New sets). */
class QuantityTest {

  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource({
      // zero in every suffix
      "0, 0, DECIMAL_SI", "0n, 0, DECIMAL_SI", "0m, 0, DECIMAL_SI", "0Ki, 0, BINARY_SI", "0Gi, 0, BINARY_SI", "0T, 0, DECIMAL_SI",
      // binary suffixes
      "1Ki, 1024, BINARY_SI", "8Ki, 8192, BINARY_SI", "7Mi, 7340032, BINARY_SI", "6Gi, 6442450944, BINARY_SI",
      "5Ti, 5497558138880, BINARY_SI", "4Pi, 4503599627370496, BINARY_SI", "3Ei, 3458764513820540928, BINARY_SI",
      // decimal suffixes
      "5n, 0.000000005, DECIMAL_SI", "4u, 0.000004, DECIMAL_SI", "3m, 0.003, DECIMAL_SI", "9, 9, DECIMAL_SI", "8k, 8000, DECIMAL_SI",
      "50k, 50000, DECIMAL_SI", "7M, 7000000, DECIMAL_SI", "6G, 6000000000, DECIMAL_SI", "5T, 5E+12, DECIMAL_SI", "2P, 2E+15, DECIMAL_SI",
      "1E, 1E+18, DECIMAL_SI", "12E, 1.2E+19, DECIMAL_SI",
      // exponents
      "1E-3, 0.001, DECIMAL_EXPONENT", "1e3, 1000, DECIMAL_EXPONENT", "1E18, 1E+18, DECIMAL_EXPONENT", "1.3E+6, 1300000, DECIMAL_EXPONENT",
      "1.7E18, 1.7E+18, DECIMAL_EXPONENT", "0.5e-2, 0.005, DECIMAL_EXPONENT",
      // things that look like floating point
      "100.035k, 100035, DECIMAL_SI", "0.0005k, 0.5, DECIMAL_SI", "0.50000, 0.5, DECIMAL_SI", "10.035M, 10035000, DECIMAL_SI",
      "6.987654321G, 6987654321, DECIMAL_SI", "1.01E, 1.01E+18, DECIMAL_SI",
      // rounding up to nano
      "3.001n, 0.000000004, DECIMAL_SI", "1.1E-9, 0.000000002, DECIMAL_EXPONENT", "0.0000000001, 0.000000001, DECIMAL_SI",
      "0.00000012345, 0.000000124, DECIMAL_SI", "0.9n, 0.000000001, DECIMAL_SI",
      // saturation of binary values at 2^63-1
      "9Ei, 9223372036854775807, BINARY_SI", "9223372036854775807Ki, 9223372036854775807, BINARY_SI",
      // fractional binary
      "100.035Ki, 102435.84, BINARY_SI", "0.5Mi, 524288, BINARY_SI", "0.025Ti, 27487790694.4, BINARY_SI",
      // written by trolls
      "0.000000000001Ki, 0.000000002, DECIMAL_SI", ".001, 0.001, DECIMAL_SI", ".0001k, 0.1, DECIMAL_SI", "1., 1, DECIMAL_SI",
      "1.G, 1000000000, DECIMAL_SI", "+1.5, 1.5, DECIMAL_SI", "-1.5Gi, -1610612736, BINARY_SI",
  })
  void parsesValueAndFormat(String input, BigDecimal value, Quantity.Format format) {
    Quantity q = Quantity.parse(input);
    assertThat(q.toBigDecimal()).isEqualByComparingTo(value);
    assertThat(q.format()).isEqualTo(format);
  }

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
      "1Gi, 1Gi", "1024Mi, 1Gi", "1073741824, 1073741824", "300Mi, 300Mi", "307200Ki, 300Mi", "6Ki, 6Ki", "1025024Mi, 1001Gi",
      "1024Gi, 1Ti", "1.5Gi, 1536Mi", "0.5Gi, 512Mi", "1.1Ki, 1126400m", ".001Ki, 1024m", ".000001Ki, 1024u",
      ".000000001Ki, 1024n", ".000000000001Ki, 2n", "1000M, 1G", "0.001T, 1G", "1000000k, 1G", "1000u, 1m", "80m, 80m",
      "1.08, 1080m", "1080000000n, 1080m", "300M, 300M", "1T, 1T", "1E, 1E", "1000E, 1e21", "5000E, 5e21", "1000000E, 1e24",
      "1234567M, 1234567M", "3k, 3k", "1000, 1k", "1500, 1500", "0.5, 500m", "1000m, 1", "0.1, 100m", "1n, 1n", "80n, 80n",
      ".001e12, 1e9", "0.001e0, 1e-3", "1000e-12, 1e-9", "80e-3, 80e-3", "300e6, 300e6", "3e3, 3e3", "00, 0", "0Gi, 0",
      "0.5e0, 500e-3", "-9.01, -9010m", "-1Ki, -1Ki", "-0, 0", "1025, 1025", "100.035Ki, 102435840m", "12E, 12E",
      "9Ei, 9223372036854775807", "3920m, 3920m", "101430960Ki, 101430960Ki", "93478772582, 93478772582",
  })
  void printsCanonically(String input, String canonical) {
    Quantity q = Quantity.parse(input);
    assertThat(q.toString()).isEqualTo(canonical);
    assertThat(Quantity.parse(canonical)).isEqualTo(q);
    assertThat(Quantity.parse(canonical).toString()).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0}: milli {1}, value {2}")
  @CsvSource({
      "1, 1000, 1", "100m, 100, 1", "1.5, 1500, 2", "2500m, 2500, 3", "1m, 1, 1", "0.1m, 1, 1", "1n, 1, 1", "1u, 1, 1",
      "1Ki, 1024000, 1024", "1Gi, 1073741824000, 1073741824", "-1.5, -1500, -2", "-1n, -1, -1", "0, 0, 0",
      "9.01, 9010, 10", "-9.01, -9010, -10", "3Ei, 9223372036854775807, 3458764513820540928",
      "1e30, 9223372036854775807, 9223372036854775807", "-1e30, -9223372036854775808, -9223372036854775808",
  })
  void milliValueAndValueRoundAwayFromZeroAndSaturate(String input, long milli, long value) {
    Quantity q = Quantity.parse(input);
    assertThat(q.milliValue()).isEqualTo(milli);
    assertThat(q.value()).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ", "1e", "1e1.5",
      "1KiB", "1 Gi", "Mi", "-", "+", ".", "1e99999999999", "--1", "1e+-3", "0x10"})
  void rejectsBadStringsNamingThem(String input) {
    assertThatThrownBy(() -> Quantity.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid quantity \"" + input + "\"");
  }

  @Test
  void badStringMessagesSayWhere() {
    assertThatThrownBy(() -> Quantity.parse("12Qi")).hasMessage(
        "invalid quantity \"12Qi\": unknown suffix \"Qi\" at position 2 (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei or an exponent like e3)");
    assertThatThrownBy(() -> Quantity.parse("1e-x")).hasMessage("invalid quantity \"1e-x\": unexpected 'x' at position 3");
    assertThatThrownBy(() -> Quantity.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void arithmeticIsExactAndKeepsFormatsAsKubernetes() {
    Quantity a = Quantity.parse("100m");
    assertThat(a.add(Quantity.parse("0.2")).toString()).isEqualTo("300m");
    assertThat(a.add(Quantity.ZERO).toString()).isEqualTo("100m");
    assertThat(Quantity.ZERO.add(Quantity.parse("1Gi")).toString()).isEqualTo("1Gi");
    assertThat(Quantity.parse("1Gi").subtract(Quantity.ZERO).toString()).isEqualTo("1Gi");
    assertThat(Quantity.parse("0").subtract(Quantity.parse("1Gi")).toString()).isEqualTo("-1Gi");
    assertThat(Quantity.parse("1Gi").add(Quantity.parse("512Mi")).toString()).isEqualTo("1536Mi");
    assertThat(Quantity.parse("1Gi").subtract(Quantity.parse("1Gi")).isZero()).isTrue();
    // 0.1 + 0.2 is exactly 0.3 (no binary floating point)
    assertThat(Quantity.parse("0.1").add(Quantity.parse("0.2"))).isEqualTo(Quantity.parse("300m"));
    assertThat(Quantity.parse("9.01").negate().toString()).isEqualTo("-9010m");
    assertThat(Quantity.parse("250m").multiply(4)).isEqualTo(Quantity.parse("1"));
    assertThat(Quantity.parse("10000T").compareTo(Quantity.parse("100Gi"))).isPositive();
    assertThat(Quantity.parse("50m").compareTo(Quantity.parse("100m"))).isNegative();
    assertThat(Quantity.parse("1Ki")).isEqualTo(Quantity.parse("1024")).hasSameHashCodeAs(Quantity.parse("1024"));
    // beyond long range the value stays exact
    Quantity big = Quantity.parse("4Ei").multiply(2).add(Quantity.parse("8Ei")); // 8Ei parses capped at 2^63-1
    assertThat(Quantity.parse("8Ei").value()).isEqualTo(Long.MAX_VALUE);
    assertThat(big.toBigDecimal()).isEqualByComparingTo(new BigDecimal("18446744073709551615"));
    assertThat(big.value()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void factories() {
    assertThat(Quantity.ofMilli(1).toString()).isEqualTo("1m");
    assertThat(Quantity.ofMilli(1000).toString()).isEqualTo("1");
    assertThat(Quantity.ofMilli(1234000).toString()).isEqualTo("1234");
    assertThat(Quantity.of(1000, Quantity.Format.DECIMAL_SI).toString()).isEqualTo("1k");
    assertThat(Quantity.of(1234000, Quantity.Format.DECIMAL_SI).toString()).isEqualTo("1234k");
    assertThat(Quantity.of(1000000, Quantity.Format.DECIMAL_EXPONENT).toString()).isEqualTo("1e6");
    assertThat(Quantity.ofBytes(1024).toString()).isEqualTo("1Ki");
    assertThat(Quantity.ofBytes(1024 * 1024).toString()).isEqualTo("1Mi");
    assertThat(Quantity.of(new BigDecimal("1.024"), Quantity.Format.BINARY_SI).toString()).isEqualTo("1024m");
    assertThat(Quantity.of(new BigDecimal("0.5"), Quantity.Format.BINARY_SI).format()).isEqualTo(Quantity.Format.DECIMAL_SI);
  }

  @Test
  void jsonAcceptsNumbersAndSurroundingWhitespace() {
    assertThat(Json.read("{\"cpu\":\" 1\"}", ResourceRequirements.class)).isNotNull();
    ResourceRequirements r = Json.read("{\"requests\":{\"cpu\":\" 1\",\"memory\":1e3,\"pods\":-1}}", ResourceRequirements.class);
    assertThat(r.requests().get("cpu").toString()).isEqualTo("1");
    assertThat(r.requests().get("memory").toString()).isEqualTo("1e3");
    assertThat(r.requests().get("pods").toString()).isEqualTo("-1");
    assertThat(Json.write(r)).isEqualTo("{\"requests\":{\"cpu\":\"1\",\"memory\":\"1e3\",\"pods\":\"-1\"}}");
    assertThat(Json.read("{\"limits\":{\"cpu\":null}}", ResourceRequirements.class).limits().get("cpu")).isEqualTo(Quantity.ZERO);
  }

  @Provide
  Arbitrary<String> quantities() {
    Arbitrary<String> sign = Arbitraries.of("", "-", "+");
    Arbitrary<String> intPart = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> frac = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(12).map(s -> "." + s));
    Arbitrary<String> suffix = Arbitraries.oneOf(
        Arbitraries.of("", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"),
        Arbitraries.integers().between(-20, 25).map(e -> "e" + e));
    return Combinators.combine(sign, intPart, frac, suffix).as((s, i, f, x) -> s + i + f + x);
  }

  @Property(tries = 2000)
  void parsingTheCanonicalFormGivesTheSameQuantity(@ForAll("quantities") String text) {
    Quantity q = Quantity.parse(text);
    String canonical = q.toString();
    Quantity back = Quantity.parse(canonical);
    assertThat(back).isEqualTo(q);
    assertThat(back.toString()).isEqualTo(canonical);
    assertThat(back.milliValue()).isEqualTo(q.milliValue());
  }

  @Property(tries = 1000)
  void additionIsExactAndCommutes(@ForAll("quantities") String a, @ForAll("quantities") String b) {
    Quantity x = Quantity.parse(a);
    Quantity y = Quantity.parse(b);
    assertThat(x.add(y)).isEqualTo(y.add(x));
    assertThat(x.add(y).subtract(y)).isEqualTo(x);
    assertThat(x.add(y).toBigDecimal()).isEqualByComparingTo(x.toBigDecimal().add(y.toBigDecimal()));
  }

  @Property(tries = 1000)
  void milliValueOfMilliQuantitiesIsExact(@ForAll long milli) {
    assertThat(Quantity.ofMilli(milli).milliValue()).isEqualTo(milli);
    assertThat(Quantity.parse(Quantity.ofMilli(milli).toString()).milliValue()).isEqualTo(milli);
  }
}
